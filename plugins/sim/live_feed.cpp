#include "sim/live_feed.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "sdk/feed_client.h"
#include "sim/hotline_rhythm.h"
#include "sim/intake_generator.h"

namespace suqiu::sim {
namespace {

using namespace std::chrono;
using Clock = steady_clock;

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1),
                                                           p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

LiveReport LiveFeed::run(const std::function<bool()>& stop_requested) {
  LiveReport report;
  sdk::FeedOptions o;
  o.endpoint = options_.endpoint;
  o.plugin = "sim";
  o.version = options_.version;
  o.sources.assign(kSources.begin(), kSources.end());
  o.outbox = options_.outbox;
  o.durability = sdk::Durability::normal;  // a simulator's records can be made again
  o.ack_timeout = sdk::Millis(30000);      // a slow ack under load is not a loss
  sdk::FeedClient client(context_, o);

  std::unordered_map<std::string, Clock::time_point> submitted;
  std::vector<double> latencies;
  int refusals_logged = 0;
  client.on_outcome([&](const sdk::IntakeOutcome& out) {
    if (out.kind == sdk::IntakeOutcome::Kind::rejected && refusals_logged++ < 5)
      spdlog::warn("intake {} refused: {} [{}] {}", out.cid, out.code, out.field, out.reason);
    if (auto it = submitted.find(out.cid); it != submitted.end()) {
      latencies.push_back(duration<double, std::milli>(Clock::now() - it->second).count());
      submitted.erase(it);
    }
  });

  GeneratorOptions g;
  g.run_tag = options_.run_tag;
  IntakeGenerator generator(options_.seed, g);
  const auto total = static_cast<std::uint64_t>(std::llround(options_.rate * options_.seconds));
  const duration<double> period(1.0 / options_.rate);
  const auto start = Clock::now();
  auto last_submit = start;
  auto next_log = start + seconds(10);
  std::uint64_t next = 0;
  spdlog::info("sending {} intakes at {}/s for {} s to {} (seed {}, run {})", total, options_.rate, options_.seconds,
               options_.endpoint, options_.seed, options_.run_tag);
  // Intake i is due at start + i/rate; between them the client waits on its
  // socket, so an ack is taken when it comes.
  while (next < total) {
    if (stop_requested()) {
      report.stopped = true;
      break;
    }
    const auto now = Clock::now();
    while (next < total && start + duration_cast<Clock::duration>(period * static_cast<double>(next)) <= now) {
      const SimIntake s = generator.next(Timestamp::now());
      submitted[client.submit(s.json)] = Clock::now();
      last_submit = Clock::now();
      ++next;
    }
    client.poll(microseconds(0));
    if (next < total) {
      const auto due = start + duration_cast<Clock::duration>(period * static_cast<double>(next));
      const auto wait = duration_cast<microseconds>(due - Clock::now());
      if (wait.count() > 0) client.poll(std::min<microseconds>(wait, milliseconds(5)));
    }
    if (Clock::now() >= next_log) {
      next_log += seconds(10);
      const auto& c = client.counters();
      spdlog::info("{} sent, {} acked, {} in flight", next, c.accepted + c.duplicates, client.pending());
    }
  }
  report.sent = next;
  report.send_seconds = duration<double>(last_submit - start).count();

  // The last acks.
  const auto until = Clock::now() + seconds(options_.wait_seconds);
  while (client.pending() > 0 && Clock::now() < until) {
    if (!report.stopped && stop_requested()) report.stopped = true;
    client.poll(milliseconds(100));
  }
  client.sync();

  const auto& c = client.counters();
  report.accepted = c.accepted;
  report.duplicates = c.duplicates;
  report.rejected = c.rejected;
  report.pending = client.pending();
  report.resent = c.resent;
  // n submits span n - 1 periods.
  report.achieved_rate =
      report.sent > 1 && report.send_seconds > 0 ? static_cast<double>(report.sent - 1) / report.send_seconds : 0;
  report.ack_p50_ms = percentile(latencies, 0.50);
  report.ack_p99_ms = percentile(latencies, 0.99);
  report.ack_max_ms = percentile(latencies, 1.0);
  return report;
}

}  // namespace suqiu::sim
