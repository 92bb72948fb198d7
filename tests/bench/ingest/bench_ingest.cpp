// bench_ingest [--count N] [--rate R] [--seconds S] [--hub-window W] [--hub EXE]
//              [--latencies FILE] [--keep]: the hub's ingest path end to end, as a
// feed plugin sees it, against the ceiling of the database underneath.
//
// It starts its own suqiu-hub PROCESS on loopback ephemeral ports and a
// temporary data folder, makes N realistic intake records (600-900 bytes:
// the bundled samples of 12345 and 12328, lengthened from phrase pools, each
// with its own external_id and caller phone), and streams them through a
// plugin-SDK FeedClient (outbox with Durability::normal, a large window):
//   (b) ack_p50/p99 R intakes/s for S seconds: per intake, submit() to its ACK
//                   (first, so that it measures the steady state at R, not
//                   the hub catching up after the flood of (a));
//   (a) hub_per_s   N intakes offered at once, in slices of 10,000: submit of
//                   a slice's first to ACK of its last; then how long until
//                   every case is searchable;
//   (c) hub_rss_mb  the hub's peak resident set (VmHWM) over the whole run;
//   (d) ceiling     the same N rows, classified beforehand, inserted by
//                   Store::insert_cases into a fresh database (same schema,
//                   indexes, full-text index, WAL and synchronous=FULL) in
//                   transactions of 10,000 rows, each right after the hub's
//                   slice of the same rows (so that both see the host alike).
// The last line is JSON; docs/testing.md lists the benchmarks.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <random>
#include <span>
#include <thread>

#include <sched.h>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "classify/duplicate_judge.h"
#include "classify/normalizer.h"
#include "classify/router.h"
#include "core/sla_policy.h"
#include "hub_process.h"
#include "pipeline/classifier_file.h"
#include "pipeline/full_text_indexer.h"
#include "sdk/feed_client.h"
#include "store/search_index.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace suqiu;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using sdk::Millis;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Phrase pools that lengthen a sample the way callers do: where, which
// vehicle, when, what they want done.
const char* kPlaces[] = {"湛江开发区人民大道中", "赤坎区中山二路公交站", "霞山区解放西路与海滨大道交叉口",
                         "麻章区瑞云路客运站门口", "坡头区官渡镇", "湛江西站出站口", "湛江站东广场",
                         "吴川市梅录街道", "廉江市九洲江大道", "遂溪县遂城镇", "徐闻港码头候船厅",
                         "东海岛东简街道"};
const char* kVehicles[] = {"出租车", "网约车", "公交车", "长途客车", "泥头车", "渡船", "共享单车",
                           "货运车辆", "旅游大巴"};
const char* kWhen[] = {"今天上午", "昨天晚上九点左右", "本周一早高峰", "上周末下午", "前天中午",
                       "近一个月来每天傍晚"};
const char* kAsks[] = {"来电人要求有关部门尽快核实处理并回复处理结果。",
                       "市民希望加强对该路段的巡查和执法力度，避免类似情况再次发生。",
                       "来电人表示已多次反映未果，情绪比较激动，请重视。",
                       "请相关单位依法依规处理，并将处理情况告知来电人。",
                       "来电人同意回访，回访电话即来电号码。",
                       "该问题影响周边居民和乘客出行安全，请尽快安排人员到现场查看。"};

template <std::size_t N>
const char* pick(const char* const (&pool)[N], std::mt19937_64& rng) {
  return pool[rng() % N];
}

std::vector<json> load_samples() {
  std::vector<json> out;
  std::ifstream in(std::string(SUQIU_DATA_DIR) + "/samples/intakes.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto j = json::parse(line);
    const std::string source = j.value("source", "");
    // Records beyond the 600-900 band even before lengthening are left out.
    if ((source == "12345" || source == "12328") && j.dump().size() <= 800) out.push_back(std::move(j));
  }
  return out;
}

// N records of 600-900 bytes each, unique by external_id.
std::vector<std::string> make_records(std::size_t n, const std::string& run, std::uint64_t seed) {
  const auto samples = load_samples();
  if (samples.empty()) throw std::runtime_error("no 12345/12328 samples under " SUQIU_DATA_DIR);
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  out.reserve(n);
  const std::int64_t base = Timestamp::parse("2026-11-02T08:00:00+08:00")->epoch;
  for (std::size_t i = 0; i < n; ++i) {
    json r = samples[rng() % samples.size()];
    r["external_id"] = run + "-" + std::to_string(i);
    // A month of calls, one every ~90 s.
    r["received_at"] = Timestamp{base + static_cast<std::int64_t>(i) * 90 % (30 * 86400), 480}.to_string();
    if (r.contains("caller") && r["caller"].is_object())
      r["caller"]["phone"] = "13" + std::to_string(100000000 + rng() % 900000000);
    if (r.contains("upstream") && r["upstream"].is_object()) r["upstream"]["order_no"] = r["external_id"];
    r.erase("deadline");  // the samples' upstream deadlines lie in the past
    const std::size_t target = 600 + rng() % 301;
    std::string content = r["content"];
    const std::size_t rest = r.dump().size() - content.size();  // the phrases need no escaping
    // Lengthen the content until the record reaches its target size ...
    while (rest + content.size() < target) {
      switch (rng() % 3) {
        case 0: content += std::string(pick(kWhen, rng)) + "在" + pick(kPlaces, rng) + "附近，"; break;
        case 1: content += std::string("涉事") + pick(kVehicles, rng) + "车牌号粤G·" +
                           std::to_string(10000 + rng() % 90000) + "。"; break;
        default: content += pick(kAsks, rng); break;
      }
    }
    // ... and cut it back at a character boundary when a phrase overshot 900.
    while (rest + content.size() > 900 && content.size() > 90) {
      std::size_t cut = content.size() - 1;
      while (cut > 0 && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
      content.resize(cut);
    }
    r["content"] = content;
    out.push_back(r.dump());
  }
  return out;
}

// CPU time (user + system) of each thread of a process, in seconds, by tid.
struct ThreadCpu {
  std::string name;
  double seconds = 0;
};
std::map<int, ThreadCpu> thread_cpu(pid_t pid) {
  std::map<int, ThreadCpu> out;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    const auto open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) f.push_back(field);
    if (f.size() < 13) continue;
    // After the name: state is field 3, utime field 14, stime field 15 (1-based, proc(5)).
    out[std::stoi(task.path().filename())] = {line.substr(open + 1, close - open - 1),
                                              (std::stod(f[11]) + std::stod(f[12])) / tick};
  }
  return out;
}

// Per-thread CPU spent between two snapshots, busiest first.
std::vector<std::pair<std::string, double>> cpu_spent(const std::map<int, ThreadCpu>& before,
                                                      const std::map<int, ThreadCpu>& after) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [tid, t] : after) {
    auto b = before.find(tid);
    out.push_back({t.name + "/" + std::to_string(tid), t.seconds - (b == before.end() ? 0 : b->second.seconds)});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.second > b.second; });
  return out;
}

// The whole machine's CPU time from /proc/stat, in ticks: what a p99 was
// measured against (the machine is shared while developing).
struct MachineCpu {
  double busy = 0, steal = 0, total = 0;
};
MachineCpu machine_cpu() {
  std::ifstream in("/proc/stat");
  std::string label;
  in >> label;  // "cpu": all CPUs together
  // user nice system idle iowait irq softirq steal (guest time is inside user)
  double v[8] = {};
  for (double& x : v) in >> x;
  MachineCpu m;
  m.steal = v[7];
  for (double x : v) m.total += x;
  m.busy = m.total - v[3] - v[4] - m.steal;
  return m;
}

// Seconds the threads of a process spent runnable but waiting for a CPU
// (the second field of schedstat): the queueing a busy machine adds to an
// ack. Threads under SCHED_IDLE (the hub's search indexer) wait by design
// and are left out.
double cpu_wait_seconds(pid_t pid) {
  double ns = 0;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    const int tid = std::stoi(task.path().filename());
    if (sched_getscheduler(tid) == SCHED_IDLE) continue;
    std::ifstream in(task.path() / "schedstat");
    double on_cpu = 0, waiting = 0;
    if (in >> on_cpu >> waiting) ns += waiting;
  }
  return ns / 1e9;
}

double total_cpu(const std::map<int, ThreadCpu>& threads) {
  double s = 0;
  for (const auto& [tid, t] : threads) s += t.seconds;
  return s;
}

double own_cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::min<double>(v.size() - 1, p * (v.size() - 1) + 0.5));
  return v[i];
}

struct Feed {
  zmq::context_t context{1};
  std::unique_ptr<sdk::FeedClient> client;
  std::unordered_map<std::string, Clock::time_point> submitted;
  std::vector<double> latencies_ms;
  std::vector<Clock::time_point> submitted_at;  // beside latencies_ms: when each was submitted
  std::size_t outcomes = 0, rejected = 0;
  Clock::time_point last_outcome;

  Feed(const std::string& endpoint, const fs::path& outbox, int window) {
    sdk::FeedOptions o;
    o.endpoint = endpoint;
    o.plugin = "bench-ingest";
    o.version = "1.0.0";
    o.sources = {"12345", "12328"};
    o.outbox = outbox;
    o.durability = sdk::Durability::normal;
    o.window = window;
    o.ack_timeout = Millis(60000);  // a slow ack under full load is not a loss
    client = std::make_unique<sdk::FeedClient>(context, o);
    client->on_outcome([this](const sdk::IntakeOutcome& out) {
      const auto now = Clock::now();
      ++outcomes;
      last_outcome = now;
      if (out.kind == sdk::IntakeOutcome::Kind::rejected) {
        ++rejected;
        if (rejected <= 3) std::cerr << "rejected " << out.cid << ": " << out.code << " " << out.field << " " << out.reason << "\n";
      }
      auto it = submitted.find(out.cid);
      if (it == submitted.end()) return;
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
      submitted_at.push_back(it->second);
      submitted.erase(it);
    });
  }

  void submit(const std::string& record) { submitted[client->submit(record)] = Clock::now(); }
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 30000;
  int rate = 2000;
  double seconds = 10;
  int hub_window = 0;  // 0: the hub's default
  int client_window = 4096;
  bool keep = false;
  std::string latencies_file;  // --latencies: the paced phase's acks, one per line, for a look at the tail
  std::string hub_exe = SUQIU_HUB_EXE;  // --hub: another build, to compare two in turn
  for (int i = 1; i < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--keep") {
      keep = true;  // leave the data folders for a look with sqlite3
      --i;
      continue;
    }
    if (i + 1 >= argc) a = "--help";
    if (a == "--count") count = std::stoul(argv[i + 1]);
    else if (a == "--rate") rate = std::stoi(argv[i + 1]);
    else if (a == "--seconds") seconds = std::stod(argv[i + 1]);
    else if (a == "--hub-window") hub_window = std::stoi(argv[i + 1]);
    else if (a == "--client-window") client_window = std::stoi(argv[i + 1]);
    else if (a == "--hub") hub_exe = argv[i + 1];
    else if (a == "--latencies") latencies_file = argv[i + 1];
    else {
      std::cerr << "usage: bench_ingest [--count N] [--rate R] [--seconds S] [--hub-window W] [--client-window W]"
                   " [--hub EXE] [--latencies FILE] [--keep]\n";
      return 2;
    }
  }
  std::cout << std::unitbuf;  // progress shows as it happens, also through a pipe
  const auto wall = Clock::now();
  const std::string run = "BENCH-" + std::to_string(std::random_device{}());
  const fs::path dir = fs::temp_directory_path() / ("suqiu-bench-ingest-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "hub");

  const std::size_t paced = static_cast<std::size_t>(rate * seconds);
  const std::size_t warmup = 500;
  double writer_cpu_per_intake_us = 0;

  // The hub starts (and loads its classifier) while the records are made.
  std::vector<std::string> hub_args;
  if (hub_window > 0) {
    std::ofstream(dir / "hub.toml") << "[hub]\nwindow = " << hub_window << "\n";
    hub_args = {"--config", (dir / "hub.toml").string()};
  }
  testing::HubProcess hub(hub_exe, dir / "hub", hub_args);

  auto records = make_records(warmup + count + paced, run, 42);
  std::size_t bytes = 0, shortest = SIZE_MAX, longest = 0;
  for (std::size_t i = warmup; i < warmup + count; ++i) {
    bytes += records[i].size();
    shortest = std::min(shortest, records[i].size());
    longest = std::max(longest, records[i].size());
  }
  std::cout << std::fixed << std::setprecision(1) << "records               " << records.size() << " made in "
            << seconds_since(wall) << " s, " << bytes / count << " bytes on average (" << shortest << ".."
            << longest << ")\n";

  if (!hub.wait_ready(std::chrono::seconds(60))) {
    std::cerr << "suqiu-hub did not get ready:\n" << hub.output();
    return 1;
  }
  std::cout << "hub                   pid " << hub.pid() << " ingest " << hub.ingest() << " (ready after "
            << seconds_since(wall) << " s)\n";

  Feed feed(hub.ingest(), dir / "outbox.db", client_window);
  auto& client = *feed.client;

  // Warm-up: registration, first pages of the database, the classifier's caches.
  for (std::size_t i = 0; i < warmup; ++i) feed.submit(records[i]);
  if (!client.flush(Millis(60000))) {
    std::cerr << "warm-up not acked; the hub said:\n" << hub.output();
    return 1;
  }

  // (b) Fixed offered load, first: the steady state at `rate`, not the
  // aftermath of the flood (a), whose checkpoint and catching up of the
  // search index would be measured too. Intake i is due at start + i/rate.
  feed.latencies_ms.clear();
  feed.submitted_at.clear();
  const MachineCpu b_machine = machine_cpu();
  const double b_hub_cpu = total_cpu(thread_cpu(hub.pid()));
  const double b_self_cpu = own_cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const double b_hub_wait = cpu_wait_seconds(hub.pid()), b_self_wait = cpu_wait_seconds(getpid());
  const std::size_t first = warmup + count;
  const auto b_start = Clock::now();
  const auto period = std::chrono::duration<double>(1.0 / rate);
  std::size_t next = 0;
  while (next < paced) {
    const auto now = Clock::now();
    while (next < paced && b_start + std::chrono::duration_cast<Clock::duration>(period * next) <= now)
      feed.submit(records[first + next++]);
    client.poll(Millis(0));
    if (next < paced) {
      // Wait on the socket until the next intake is due, as a feed would:
      // an ack that comes meanwhile is taken when it comes.
      const auto due = b_start + std::chrono::duration_cast<Clock::duration>(period * next);
      const auto wait = std::chrono::duration_cast<std::chrono::microseconds>(due - Clock::now());
      if (wait.count() > 0) client.poll(std::min<std::chrono::microseconds>(wait, Millis(5)));
    }
  }
  const double offered_s = seconds_since(b_start);
  const MachineCpu b_machine_end = machine_cpu();
  const double b_hub_cpu_s = total_cpu(thread_cpu(hub.pid())) - b_hub_cpu;
  const double b_self_cpu_s = own_cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - b_self_cpu;
  const double b_hub_wait_s = cpu_wait_seconds(hub.pid()) - b_hub_wait;
  const double b_self_wait_s = cpu_wait_seconds(getpid()) - b_self_wait;
  if (!client.flush(Millis(60000))) {
    std::cerr << "paced phase: not every intake acked within 60 s\n";
    return 1;
  }
  if (!latencies_file.empty()) {
    // "seconds into the paced phase when submitted" and "ms to its ack": where
    // in time the slow ones fall (together after a stall, or spread out).
    std::ofstream out(latencies_file);
    out << std::fixed << std::setprecision(6);
    for (std::size_t i = 0; i < feed.latencies_ms.size(); ++i)
      out << std::chrono::duration<double>(feed.submitted_at[i] - b_start).count() << ' ' << feed.latencies_ms[i]
          << '\n';
  }
  const double p50 = percentile(feed.latencies_ms, 0.50);
  const double p99 = percentile(feed.latencies_ms, 0.99);
  const double pmax = percentile(feed.latencies_ms, 1.0);
  std::cout << "paced                 " << paced << " intakes in " << std::setprecision(2) << offered_s
            << " s (" << std::setprecision(0) << paced / offered_s << "/s offered): ack p50 "
            << std::setprecision(2) << p50 << " ms, p99 " << p99 << " ms, max " << pmax << " ms\n";
  {
    const double total = b_machine_end.total - b_machine.total;
    const auto share = [&](double ticks) { return total > 0 ? 100 * ticks / total : 0.0; };
    std::cout << "  machine meanwhile     " << std::setprecision(0)
              << share(b_machine_end.busy - b_machine.busy) << "% of " << std::thread::hardware_concurrency()
              << " CPUs busy (steal " << share(b_machine_end.steal - b_machine.steal) << "%); hub "
              << std::setprecision(2) << b_hub_cpu_s / offered_s << " CPUs, this client " << b_self_cpu_s / offered_s
              << "; runnable but waiting for a CPU: hub threads " << b_hub_wait_s << " s, this client "
              << b_self_wait_s << " s\n";
  }

  // (d) first the ceiling's rows: the same records, classified, routed and
  // given deadlines before any clock starts.
  const Taxonomy& taxonomy = Taxonomy::builtin();
  auto classifier = load_classifier(dir / "ceiling", nullptr, taxonomy);
  auto router = classify::Router::defaults(taxonomy);
  SlaPolicy sla;
  std::vector<store::NewCase> cases;
  cases.reserve(count);
  for (std::size_t i = warmup; i < warmup + count; ++i) {
    auto parsed = parse_intake(std::string_view(records[i]));
    auto& record = std::get<IntakeRecord>(parsed);
    store::NewCase c;
    auto s = classifier->classify(record);
    c.category = s.category;
    c.request_type = s.request_type;
    c.confidence = std::min(s.category_confidence, s.type_confidence);
    c.needs_review = s.needs_review;
    auto routing = router.route(record, c.category);
    c.section = routing.lead_section;
    c.assisting = routing.assisting_sections;
    c.deadline = sla.deadline(c.request_type, record.received_at, record.deadline);
    c.simhash = classify::fingerprint(record, c.category).simhash;
    c.record_json = records[i];
    c.taken_by = "bench-ingest";
    c.record = std::move(record);
    cases.push_back(std::move(c));
  }
  fs::create_directories(dir / "ceiling");
  std::optional<store::Store> ceiling_store;
  ceiling_store.emplace(store::Store::database_file(dir / "ceiling"), store::Store::Access::writer);

  // (a) and (d) in turns, a slice of kSlice intakes each: the hub unbounded,
  // then, once it is idle again, the ceiling on the same rows. The host's
  // speed drifts over a run (other machines share it), and the ratio should
  // not depend on which of the two happened to run in its faster minute.
  constexpr std::size_t kSlice = 10000;  // also the ceiling's transaction size
  feed.latencies_ms.clear();
  feed.submitted_at.clear();
  double hub_s = 0, ceiling_s = 0, ceiling_cpu_s = 0, search_lag_s = 0, a_client_cpu = 0;
  std::size_t acked = 0;
  std::map<std::string, double> a_thread_cpu;  // by thread, over the hub's slices
  for (std::size_t from = 0; from < count; from += kSlice) {
    const std::size_t to = std::min(count, from + kSlice);
    // The hub: the slice offered at once, submitted in chunks between polls
    // so that the hub starts at once; timed from the first submit to the last ack.
    const std::size_t before = feed.outcomes;
    const auto cpu_hub = thread_cpu(hub.pid());
    const double cpu_self = own_cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    const auto start = Clock::now();
    for (std::size_t i = from; i < to; i += 1000) {
      for (std::size_t k = i; k < std::min(i + 1000, to); ++k) feed.submit(records[warmup + k]);
      client.poll(Millis(0));
    }
    if (!client.flush(Millis(120000))) {
      std::cerr << "unbounded phase: not every intake acked within 120 s\n";
      return 1;
    }
    hub_s += std::chrono::duration<double>(feed.last_outcome - start).count();
    acked += feed.outcomes - before;
    // The hub indexes full text on a thread of its own, behind the acks: how
    // long after the last ack search has every case. Waiting for it also
    // leaves the hub idle for the ceiling's slice.
    {
      store::Store hub_cases(store::Store::database_file(dir / "hub"), store::Store::Access::reader);
      store::SearchIndex index(store::Store::database_file(dir / "hub"));
      double lag = -1;
      for (;;) {
        if (hub_cases.cases_after(index.indexed_upto(), 1).empty()) {
          lag = std::max(0.0, seconds_since(feed.last_outcome));
          break;
        }
        if (seconds_since(feed.last_outcome) > 60) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      search_lag_s = lag < 0 || search_lag_s < 0 ? -1 : std::max(search_lag_s, lag);
    }
    a_client_cpu += own_cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_self;
    for (const auto& [name, sec] : cpu_spent(cpu_hub, thread_cpu(hub.pid()))) a_thread_cpu[name] += sec;

    // The ceiling: the same rows in one transaction, then into the search index.
    const auto d_start = Clock::now();
    const double d_cpu = own_cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    std::span<store::NewCase> batch(cases.data() + from, to - from);
    ceiling_store->insert_cases(batch, {});
    FullTextIndexer(*ceiling_store).catch_up(batch.size());
    ceiling_s += seconds_since(d_start);
    ceiling_cpu_s += own_cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - d_cpu;
  }
  ceiling_store.reset();
  const double hub_per_s = static_cast<double>(acked) / hub_s;
  const double a_p50 = percentile(feed.latencies_ms, 0.5);
  std::cout << "unbounded             " << count << " intakes in " << std::setprecision(2) << hub_s << " s = "
            << std::setprecision(0) << hub_per_s << "/s (slices of " << kSlice << ", hub RSS now "
            << hub.rss_kb() / 1024 << " MB; ack p50 under full load " << std::setprecision(1) << a_p50 << " ms)\n";
  std::cout << "  full-text index     every case searchable " << std::setprecision(2) << search_lag_s
            << " s after the last ack of a slice, at most (-1: not within 60 s)\n";

  {
    std::vector<std::pair<std::string, double>> threads(a_thread_cpu.begin(), a_thread_cpu.end());
    std::sort(threads.begin(), threads.end(), [](auto& a, auto& b) { return a.second > b.second; });
    double total = 0;
    for (const auto& [name, sec] : threads) total += sec;
    std::cout << "  CPU per intake      hub " << std::setprecision(0) << total / count * 1e6 << " us (";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, threads.size()); ++i)
      std::cout << (i ? ", " : "") << "thread " << threads[i].first << " " << threads[i].second / count * 1e6
                << " us";
    std::cout << "), this client " << a_client_cpu / count * 1e6 << " us\n";
    writer_cpu_per_intake_us = threads.empty() ? 0 : threads[0].second / count * 1e6;
  }

  const double rss_mb = hub.peak_rss_kb() / 1024.0;
  std::cout << "hub peak RSS          " << std::setprecision(1) << rss_mb << " MB\n";
  if (feed.rejected)
    std::cout << "rejected              " << feed.rejected << " (they should all be valid)\n";
  const auto counters = client.counters();
  std::cout << "client                " << counters.accepted << " accepted, " << counters.duplicates
            << " duplicates, " << counters.resent << " resent, " << counters.transient_nacks
            << " transient NACKs\n";
  feed.client.reset();
  auto status = hub.stop(std::chrono::seconds(30));
  if (status != 0) std::cerr << "suqiu-hub ended with " << (status ? std::to_string(*status) : "timeout") << "\n";

  const double ceiling_per_s = count / ceiling_s;
  const double ceiling_cpu_us = ceiling_cpu_s / count * 1e6;
  std::cout << "ceiling               " << count << " rows in " << std::setprecision(2) << ceiling_s << " s = "
            << std::setprecision(0) << ceiling_per_s << "/s (Store::insert_cases and FullTextIndexer, " << kSlice
            << " per transaction, each after the hub's slice of the same rows)\n";
  std::cout << "  CPU per row         " << std::setprecision(0) << ceiling_cpu_us
            << " us; the hub's busiest thread spent " << writer_cpu_per_intake_us << " us per intake ("
            << std::setprecision(2) << (writer_cpu_per_intake_us > 0 ? ceiling_cpu_us / writer_cpu_per_intake_us : 0)
            << " of the ceiling by CPU alone, whatever else runs on the machine)\n";
  const double ratio = hub_per_s / ceiling_per_s;
  std::cout << "ratio                 " << std::setprecision(2) << ratio << " (target >= 0.5); p99 target < 10 ms;"
            << " RSS target < 200 MB\n";
  std::cout << "total                 " << std::setprecision(1) << seconds_since(wall) << " s\n";
  if (keep) std::cout << "kept                  " << dir.string() << "\n";
  else fs::remove_all(dir);

  auto round = [](double v, int digits) {
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
  };
  std::cout << nlohmann::ordered_json{{"hub_per_s", round(hub_per_s, 0)},
                    {"ceiling_per_s", round(ceiling_per_s, 0)},
                    {"ratio", round(ratio, 3)},
                    {"ack_p50_ms", round(p50, 2)},
                    {"ack_p99_ms", round(p99, 2)},
                    {"offered_per_s", rate},
                    {"hub_rss_mb", round(rss_mb, 1)}}
                   .dump()
            << std::endl;
  return 0;
}
