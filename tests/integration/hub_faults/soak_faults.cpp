// hub_faults_soak: a long randomized run, on demand (never in ctest). A Hub
// in this process, feeds on the plugin SDK streaming intakes, api clients
// dispatching, signing for, searching and logging desk intakes, while random
// store faults (I/O errors, full disk, failed fsyncs, busy locks, failed reads,
// on any of the hub's files and threads) come and go. Then the faults stop,
// the feeds flush, and the file is checked: every intake stored exactly once,
// the audit chain intact, the hub still answering, no store failure answered
// E_STATE or left unanswered.
//
//   hub_faults_soak --seconds 300 --seed 7
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <random>

#include "fault_vfs.h"
#include "hub_fixture.h"
#include "protocol/api_client.h"
#include "sdk/feed_client.h"
#include "server/hub.h"
#include "store/store.h"
#include "temp_dir.h"

namespace {

namespace fs = std::filesystem;
namespace vfs = suqiu::testing::fault_vfs;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string record(const std::string& external_id, int i) {
  static const char* words[] = {"出租车拒载", "公交车到站不停", "网约车绕路", "客运站超员售票", "出租车多收费"};
  const std::string subject = words[i % 5];
  return json{{"source", "12345"},
              {"external_id", external_id},
              {"received_at", "2026-11-26T09:15:00+08:00"},
              {"subject", subject},
              {"content", "来电人反映" + subject + "，要求核实处理。编号" + external_id}}
      .dump();
}

// Replies by kind, over every api client.
struct ApiTally {
  std::atomic<std::uint64_t> ok{0}, transient{0}, state{0}, timeout{0}, other{0};
  std::mutex mutex;
  std::string first_state, first_other;
  void count(const suqiu::protocol::Reply& r, const std::string& what) {
    if (r.ok) return void(++ok);
    if (r.code == "E_INTERNAL" || r.code == "E_UNAVAILABLE" || r.code == "E_BUSY") return void(++transient);
    if (r.code == "E_TIMEOUT") return void(++timeout);
    std::lock_guard lock(mutex);
    if (r.code == "E_STATE") {
      ++state;
      if (first_state.empty()) first_state = what + ": " + r.message;
    } else {
      ++other;
      if (first_other.empty()) first_other = what + ": " + r.code + " " + r.message;
    }
  }
};

vfs::Fault random_fault(std::mt19937_64& rng) {
  auto pick = [&](auto const& options) { return options[rng() % options.size()]; };
  static const std::vector<std::string> threads = {"", "", "hub-writer", "hub-api", "hub-search", "hub-checkpoint", "hub-login"};
  static const std::vector<std::string_view> files = {vfs::file::main_db, vfs::file::wal, vfs::file::search_db,
                                                      vfs::file::search_wal};
  static const std::vector<int> counts = {1, 1, 3, 10, -1, -1};
  vfs::Fault f;
  f.thread = pick(threads);
  f.count = pick(counts);
  f.skip = static_cast<int>(rng() % 20);
  f.file_suffix = std::string(pick(files));
  switch (rng() % 7) {
    case 0: f.op = vfs::Op::write, f.error = SQLITE_IOERR_WRITE; break;
    case 1: f.op = vfs::Op::write, f.error = SQLITE_FULL; break;
    case 2: f.op = vfs::Op::sync, f.error = SQLITE_IOERR_FSYNC; break;
    case 3: f.op = vfs::Op::read, f.error = SQLITE_IOERR_READ; break;
    case 4: f.op = vfs::Op::truncate, f.error = SQLITE_IOERR_TRUNCATE; break;
    case 5: f.op = vfs::Op::lock, f.error = SQLITE_BUSY; break;
    default:  // the WAL write lock of either database
      f.op = vfs::Op::shm_lock, f.error = SQLITE_BUSY, f.lock_arg = 0;
      f.file_suffix = rng() % 2 ? std::string(vfs::file::shm) : "/suqiu-search.db-shm";
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hub_faults_soak: random store faults against a hub under load"};
  int seconds = 60, feeds = 2, rate = 150;
  std::uint64_t seed = std::random_device{}();
  bool verbose = false;
  app.add_option("--seconds", seconds, "how long faults are injected");
  app.add_option("--seed", seed, "the random seed (printed; the same seed draws the same faults)");
  app.add_option("--feeds", feeds, "feed plugins streaming intakes");
  app.add_option("--rate", rate, "intakes per second per feed");
  app.add_flag("--verbose", verbose, "show the hub's log");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(verbose ? spdlog::level::info : spdlog::level::off);
  std::cout << "seed " << seed << ", " << seconds << " s, " << feeds << " feeds at " << rate << "/s" << std::endl;

  vfs::install();
  suqiu::testing::TempDir dir("suqiu-soak-");
  const fs::path data = dir.path() / "data";
  fs::create_directories(data);
  auto seeded = suqiu::server::testing::seed(data, suqiu::server::testing::default_users(),
                                             suqiu::server::testing::default_records());
  suqiu::server::HubConfig config;
  config.data_dir = data;
  config.ingest = config.api = config.events = "tcp://127.0.0.1:*";
  suqiu::server::Hub hub(config);
  hub.start();

  const auto end = Clock::now() + std::chrono::seconds(seconds);
  std::atomic<bool> faults_over{false}, stop_clients{false};
  std::mutex sent_mutex;
  std::set<std::string> sent;  // every external id the hub must hold once
  std::set<std::string> unsettled;  // desk intakes never answered ok: at most once
  std::atomic<std::uint64_t> rejected{0}, pending_left{0}, transient_nacks{0};

  std::vector<std::thread> threads;
  for (int f = 0; f < feeds; ++f)
    threads.emplace_back([&, f] {
      prctl(PR_SET_NAME, "soak-feed", 0, 0, 0);
      zmq::context_t ctx;
      suqiu::sdk::FeedOptions o;
      o.endpoint = hub.ingest_endpoint();
      o.plugin = "soak-" + std::to_string(f);
      o.sources = {"12345"};
      o.outbox = dir.path() / ("outbox-" + std::to_string(f) + ".db");
      o.ack_timeout = 5s;
      o.busy_backoff = 100ms;
      suqiu::sdk::FeedClient client(ctx, o);
      int i = 0;
      const auto start = Clock::now();
      while (Clock::now() < end) {
        const auto due = static_cast<int>(std::chrono::duration<double>(Clock::now() - start).count() * rate);
        for (; i < due; ++i) {
          const std::string ext = "SOAK-" + std::to_string(f) + "-" + std::to_string(i);
          client.submit(record(ext, i));
          std::lock_guard lock(sent_mutex);
          sent.insert(ext);
        }
        client.poll(10ms);
      }
      while (!faults_over) client.poll(10ms);
      client.flush(120s);
      rejected += client.counters().rejected;
      transient_nacks += client.counters().transient_nacks;
      pending_left += client.pending();
    });

  ApiTally tally;
  // The operator dispatches what came in and logs desk intakes.
  threads.emplace_back([&] {
    prctl(PR_SET_NAME, "soak-operator", 0, 0, 0);
    zmq::context_t ctx;
    suqiu::protocol::ApiClientOptions o;
    o.timeout = 15s;  // a busy lock holds the writer up to 10 s
    suqiu::protocol::ApiClient wang(ctx, hub.api_endpoint(), o);
    tally.count(wang.login("wang", "wang-password"), "login");
    int desk = 0;
    while (!stop_clients) {
      auto list = wang.request("case.list", {{"status", "received"}, {"limit", 10}});
      tally.count(list, "case.list");
      if (list.ok)
        for (const auto& c : list.data["items"]) {
          const auto id = c["id"].get<std::int64_t>();
          for (int attempt = 0; attempt < 20 && !stop_clients; ++attempt) {
            auto r = wang.case_action(id, "dispatch", {{"section", "urban"}});
            tally.count(r, "dispatch " + std::to_string(id));
            if (r.ok || (r.code != "E_INTERNAL" && r.code != "E_UNAVAILABLE" && r.code != "E_BUSY" &&
                         r.code != "E_TIMEOUT"))
              break;
            std::this_thread::sleep_for(50ms);
          }
        }
      // A desk intake, resent until it is taken (its external id makes that safe).
      const std::string ext = "DESK-" + std::to_string(desk++);
      {
        std::lock_guard lock(sent_mutex);
        sent.insert(ext);
      }
      bool taken = false;
      while (!taken && !stop_clients) {
        auto r = wang.request("case.create", {{"record", json::parse(record(ext, desk))}});
        tally.count(r, "case.create " + ext);
        taken = r.ok;
        if (r.code == "E_TOKEN") tally.count(wang.login("wang", "wang-password"), "login");
        if (!taken) std::this_thread::sleep_for(50ms);
      }
      if (!taken) {  // given up at the end: it may or may not be stored, once at most
        std::lock_guard lock(sent_mutex);
        sent.erase(ext);
        unsettled.insert(ext);
      }
      std::this_thread::sleep_for(20ms);
    }
  });
  // The liaison signs for what was dispatched to the section, and searches.
  threads.emplace_back([&] {
    prctl(PR_SET_NAME, "soak-liaison", 0, 0, 0);
    zmq::context_t ctx;
    suqiu::protocol::ApiClientOptions o;
    o.timeout = 15s;
    suqiu::protocol::ApiClient zhao(ctx, hub.api_endpoint(), o);
    tally.count(zhao.login("zhao", "zhao-password"), "login");
    while (!stop_clients) {
      auto list = zhao.request("case.list", {{"status", "assigned"}, {"limit", 10}});
      tally.count(list, "case.list");
      if (list.ok)
        for (const auto& c : list.data["items"]) {
          auto r = zhao.case_action(c["id"].get<std::int64_t>(), "sign_for");
          tally.count(r, "sign_for " + c["id"].dump());
        }
      tally.count(zhao.request("case.search", {{"q", "拒载"}, {"limit", 20}}), "case.search");
      tally.count(zhao.request("stats"), "stats");
      std::this_thread::sleep_for(30ms);
    }
  });

  // The faults, until the end.
  std::mt19937_64 rng(seed);
  std::uint64_t armed = 0;
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 450));
    const int id = vfs::arm(random_fault(rng));
    ++armed;
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 780));
    vfs::clear(id);
  }
  vfs::clear_all();
  faults_over = true;
  const std::uint64_t injected = vfs::injected();
  for (std::size_t t = 0; t < static_cast<std::size_t>(feeds); ++t) threads[t].join();
  std::this_thread::sleep_for(2s);  // the clients' last requests meet no fault
  stop_clients = true;
  for (std::size_t t = static_cast<std::size_t>(feeds); t < threads.size(); ++t) threads[t].join();

  // Still answering after all that.
  bool answering = false;
  {
    zmq::context_t ctx;
    suqiu::protocol::ApiClient li(ctx, hub.api_endpoint());
    answering = li.login("li", "li-password").ok && li.request("whoami").ok;
  }
  hub.stop();

  // The file, read apart from the hub.
  std::map<std::string, int> stored;
  {
    suqiu::store::Store s(suqiu::store::Store::database_file(data), suqiu::store::Store::Access::reader);
    auto st = s.connection().prepare(
        "SELECT external_id, COUNT(*) FROM cases WHERE external_id LIKE 'SOAK-%' OR external_id LIKE 'DESK-%' "
        "GROUP BY external_id");
    while (st.step()) stored[st.text(0)] = static_cast<int>(st.int64(1));
  }
  std::uint64_t once = 0, lost = 0, doubled = 0, unknown = 0;
  for (const auto& ext : sent) {
    auto it = stored.find(ext);
    if (it == stored.end()) ++lost;
    else if (it->second == 1) ++once;
    else ++doubled;
  }
  for (const auto& [ext, n] : stored) {
    if (!sent.count(ext) && !unsettled.count(ext)) ++unknown;
    if (unsettled.count(ext) && n > 1) ++doubled;
  }
  suqiu::store::Store s(suqiu::store::Store::database_file(data), suqiu::store::Store::Access::reader);
  const auto audit = s.verify_audit();

  std::cout << "faults armed " << armed << ", faults injected " << injected << ", intakes sent " << sent.size()
            << ", stored once " << once << ", lost " << lost << ", doubled " << doubled << ", "
            << (audit.intact ? "audit intact" : "AUDIT BROKEN at " + std::to_string(audit.first_broken.value_or(-1)) +
                                                    ": " + audit.reason)
            << std::endl;
  std::cout << "feeds: transient NACKs " << transient_nacks << ", refused for good " << rejected
            << ", left pending " << pending_left << "; api: ok " << tally.ok << ", transient " << tally.transient
            << ", E_STATE " << tally.state << ", timeouts " << tally.timeout << ", other " << tally.other
            << "; hub answering at the end: " << (answering ? "yes" : "NO") << std::endl;
  if (!tally.first_state.empty()) std::cout << "first E_STATE: " << tally.first_state << std::endl;
  if (!tally.first_other.empty()) std::cout << "first other refusal: " << tally.first_other << std::endl;
  const bool good = lost == 0 && doubled == 0 && unknown == 0 && audit.intact && answering && rejected == 0 &&
                    pending_left == 0 && tally.state == 0 && tally.timeout == 0 && tally.other == 0;
  std::cout << (good ? "PASS" : "FAIL") << std::endl;
  return good ? 0 : 1;
}
