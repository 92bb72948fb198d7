// suqiu-feed-sim: realistic hotline traffic for demos and load (docs/feeds/sim.md).
//
//   suqiu-feed-sim --hub ENDPOINT --rate R --seconds S [--seed N] [--run TAG] [--outbox FILE] [--json]
//   suqiu-feed-sim --data DIR --history DAYS [--seed N] [--per-day N] [--until TIME] [--config FILE] [--json]
//
// Live mode sends generated intakes to a hub through the plugin SDK at R a
// second for S seconds, waits for the last acks and prints what became of
// them (exit 0 when every intake was acked and none refused, 1 otherwise).
// History mode fills a fresh data folder with the last DAYS days of a desk,
// through the hub's pipeline and workflow in this process (exit 0). Usage
// and setup errors exit 2.
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "core/timestamp.h"
#include "sdk/outbox.h"
#include "sdk/stop_signals.h"
#include "sim/history_desk.h"
#include "sim/live_feed.h"

#ifndef SUQIU_VERSION
#define SUQIU_VERSION "0.0.0"
#endif

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitIncomplete = 1;
constexpr int kExitUsage = 2;

// RFC 3339, or a date alone for the end of that day.
std::optional<suqiu::Timestamp> parse_until(const std::string& text) {
  if (auto t = suqiu::Timestamp::parse(text)) return t;
  if (auto d = suqiu::parse_date(text)) return suqiu::Timestamp::from_local(*d, 24 * 3600 - 1);
  return std::nullopt;
}

double round_to(double v, int digits) {
  const double f = digits == 1 ? 10 : digits == 2 ? 100 : 1;
  return static_cast<double>(static_cast<long long>(v * f + 0.5)) / f;
}

int run_live(const suqiu::sim::LiveOptions& options, bool temporary_outbox, bool json) {
  suqiu::sdk::StopSignals stop_signals;
  suqiu::sim::LiveReport r;
  try {
    zmq::context_t context;
    suqiu::sim::LiveFeed feed(context, options);
    r = feed.run([&] { return stop_signals.requested("waiting for the last acks"); });
  } catch (const suqiu::sdk::OutboxError& e) {
    spdlog::error("outbox {}: {}", options.outbox.string(), e.what());
    return kExitUsage;
  }
  if (temporary_outbox && r.pending == 0) {
    std::error_code ec;  // best effort: a leftover file in the temp folder is harmless
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) fs::remove(options.outbox.string() + suffix, ec);
  } else if (r.pending > 0) {
    spdlog::warn("{} intake(s) not acked stay in the outbox {}", r.pending, options.outbox.string());
  }
  if (json) {
    std::cout << ordered_json{{"sent", r.sent},
                              {"accepted", r.accepted},
                              {"duplicates", r.duplicates},
                              {"rejected", r.rejected},
                              {"pending", r.pending},
                              {"resent", r.resent},
                              {"seconds", round_to(r.send_seconds, 2)},
                              {"rate", round_to(r.achieved_rate, 1)},
                              {"ack_p50_ms", round_to(r.ack_p50_ms, 2)},
                              {"ack_p99_ms", round_to(r.ack_p99_ms, 2)},
                              {"ack_max_ms", round_to(r.ack_max_ms, 2)}}
                     .dump()
              << std::endl;
  } else {
    std::printf("sent %llu in %.1f s (%.1f/s): accepted %llu, duplicates %llu, rejected %llu, not acked %llu; "
                "ack p50 %.2f ms, p99 %.2f ms\n",
                static_cast<unsigned long long>(r.sent), r.send_seconds, r.achieved_rate,
                static_cast<unsigned long long>(r.accepted), static_cast<unsigned long long>(r.duplicates),
                static_cast<unsigned long long>(r.rejected), static_cast<unsigned long long>(r.pending), r.ack_p50_ms,
                r.ack_p99_ms);
  }
  return r.rejected == 0 && r.pending == 0 ? kExitOk : kExitIncomplete;
}

int run_history(const suqiu::sim::HistoryOptions& options, bool json) {
  suqiu::sim::HistorySummary s;
  try {
    s = suqiu::sim::HistoryDesk(options).run();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  }
  std::int64_t actions = 0;
  for (const auto& [name, n] : s.actions) actions += n;
  if (json) {
    std::cout << ordered_json{{"from", s.from.to_string()},
                              {"until", s.until.to_string()},
                              {"days", options.days},
                              {"seed", options.seed},
                              {"cases", s.intakes},
                              {"not_stored", s.not_stored},
                              {"actions", s.actions},
                              {"refused", s.refused},
                              {"skipped", s.skipped},
                              {"escalations", s.escalations},
                              {"results_delivered", s.results_delivered},
                              {"users_created", s.users_created},
                              {"seconds", round_to(s.seconds, 1)}}
                     .dump()
              << std::endl;
  } else {
    std::printf("history %s .. %s (seed %llu): %lld cases, %lld actions in %.1f s\n", s.from.to_string().c_str(),
                s.until.to_string().c_str(), static_cast<unsigned long long>(options.seed),
                static_cast<long long>(s.intakes), static_cast<long long>(actions), s.seconds);
    std::string line = "  actions:";
    for (const auto& [name, n] : s.actions) line += " " + name + " " + std::to_string(n) + ",";
    line.pop_back();
    std::printf("%s\n", line.c_str());
    std::printf("  escalations %lld (预警/催办/督办), results delivered upstream %lld, desk users created %lld\n",
                static_cast<long long>(s.escalations), static_cast<long long>(s.results_delivered),
                static_cast<long long>(s.users_created));
    if (s.refused > 0 || s.not_stored > 0)
      std::printf("  refused steps %lld, intakes not stored %lld (see the warnings above)\n",
                  static_cast<long long>(s.refused), static_cast<long long>(s.not_stored));
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"suqiu-feed-sim: realistic hotline traffic for Suqiu (docs/feeds/sim.md).\n"
               "Live: --hub ENDPOINT --rate R --seconds S. History: --data DIR --history DAYS."};
  app.set_version_flag("--version", std::string("suqiu-feed-sim ") + SUQIU_VERSION);
  std::optional<std::string> hub, data, outbox, run_tag, until, config;
  double rate = 10, seconds = 60, per_day = 300;
  int history = 0, wait_s = 30;
  std::uint64_t seed = 1;
  bool json = false;
  std::string log_level = "info";
  app.add_option("--hub", hub, "Live: the hub's ingest endpoint (tcp://127.0.0.1:7450)");
  app.add_option("--rate", rate, "Live: intakes per second")->capture_default_str()->check(CLI::Range(0.01, 100000.0));
  app.add_option("--seconds", seconds, "Live: how long to send")->capture_default_str()->check(CLI::Range(0.0, 86400.0 * 7));
  app.add_option("--run", run_tag, "Live: a tag in every external_id (default: the start time, HHMMSS)");
  app.add_option("--outbox", outbox, "Live: the outbox file (default: a temporary one, removed when all is acked)");
  app.add_option("--wait", wait_s, "Live: seconds to wait for the last acks")->capture_default_str()->check(CLI::Range(1, 3600));
  app.add_option("--data", data, "History: the data folder to fill (fresh, no hub running on it)");
  app.add_option("--history", history, "History: how many days back from now")->check(CLI::Range(1, 3660));
  app.add_option("--per-day", per_day, "History: calls on an average day")->capture_default_str()->check(CLI::Range(1.0, 20000.0));
  app.add_option("--until", until, "History: the end of the history, RFC 3339 or a date (default: now)");
  app.add_option("--config", config, "History: the hub's TOML file (sources, routing rules, SLA)")->check(CLI::ExistingFile);
  app.add_option("--seed", seed, "The same seed gives the same traffic")->capture_default_str();
  app.add_flag("--json", json, "Print the summary as one JSON line");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("sim");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (hub.has_value() == data.has_value()) {
    std::cerr << "suqiu-feed-sim: give either --hub (live) or --data with --history (history)\n";
    return kExitUsage;
  }
  if (data) {
    if (history <= 0) {
      std::cerr << "suqiu-feed-sim: --data needs --history DAYS\n";
      return kExitUsage;
    }
    suqiu::sim::HistoryOptions options;
    options.data_dir = *data;
    options.config = config ? std::optional<fs::path>(*config) : std::nullopt;
    options.days = history;
    options.seed = seed;
    options.calls_per_day = per_day;
    if (until) {
      options.until = parse_until(*until);
      if (!options.until) {
        std::cerr << "suqiu-feed-sim: --until expects an RFC 3339 time or a date, not " << *until << "\n";
        return kExitUsage;
      }
    }
    return run_history(options, json);
  }

  suqiu::sim::LiveOptions options;
  options.endpoint = *hub;
  options.rate = rate;
  options.seconds = seconds;
  options.seed = seed;
  options.wait_seconds = wait_s;
  options.version = SUQIU_VERSION;
  if (run_tag) {
    options.run_tag = *run_tag;
  } else {
    const int sod = suqiu::Timestamp::now().local_seconds_of_day();
    char tag[16];
    std::snprintf(tag, sizeof tag, "%02d%02d%02d", sod / 3600, sod / 60 % 60, sod % 60);
    options.run_tag = tag;
  }
  const bool temporary_outbox = !outbox;
  options.outbox = outbox ? fs::path(*outbox)
                          : fs::temp_directory_path() / ("suqiu-feed-sim-" + std::to_string(getpid()) + ".outbox.db");
  return run_live(options, temporary_outbox, json);
}
