// suqiu-feed-file: the spool-folder feed. Takes JSON Lines files of intake
// records dropped into a folder, sends every line to the hub through the
// plugin SDK, and files each under done/ or failed/ once the hub has answered
// all its lines (docs/feeds/file.md).
//
//   suqiu-feed-file --dir DIR [--hub ENDPOINT] [--config FILE] [--outbox FILE]
//                   [--settle-ms N] [--once [--wait SECONDS]]
//
// With --once: takes the files present at start (each once it has settled),
// waits until the hub has answered every line and they are filed, prints
// {"files":N,"done":N,"failed":N,"accepted":N,"duplicates":N,"refused":N} and
// exits 0 when no file failed (1 otherwise, 2 on a usage or configuration
// error). Without it: looks at the folder every poll interval until
// SIGTERM/SIGINT.
#include <signal.h>
#include <time.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>
#include <zmq.hpp>

#include "file/file_spool_feed.h"
#include "protocol/curve_keys.h"
#include "sdk/feed_client.h"
#include "sdk/curve_config.h"
#include "sdk/stop_signals.h"

#ifndef SUQIU_VERSION
#define SUQIU_VERSION "0.0.0"
#endif

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Settings {
  std::string hub = "tcp://127.0.0.1:7450";
  std::optional<fs::path> dir;
  std::optional<fs::path> outbox;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds settle{1000};
  suqiu::sdk::CurveConfig curve;
};

// A configuration mistake, reported with the file and line; exit 2.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string where(const toml::node& node, const fs::path& file) {
  return file.string() + ":" + std::to_string(node.source().begin.line);
}

std::string text_of(const toml::node& node, const fs::path& file, const std::string& key) {
  if (!node.is_string()) throw ConfigError(where(node, file) + ": '" + key + "' must be a string");
  return *node.value<std::string>();
}

std::chrono::milliseconds millis_of(const toml::node& node, const fs::path& file, const std::string& key,
                                    std::int64_t low, std::int64_t high) {
  const auto v = node.value<std::int64_t>();
  if (!node.is_integer() || !v || *v < low || *v > high)
    throw ConfigError(where(node, file) + ": '" + key + "' must be an integer from " +
                      std::to_string(low) + " to " + std::to_string(high));
  return std::chrono::milliseconds(*v);
}

// The TOML file of docs/feeds/file.md; flags given on the command line win.
void load_config(const fs::path& file, Settings& s) {
  toml::table t;
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  for (auto&& [k, node] : t) {
    const std::string key(k.str());
    if (key == "hub") s.hub = text_of(node, file, key);
    else if (key == "dir") s.dir = text_of(node, file, key);
    else if (key == "outbox") s.outbox = text_of(node, file, key);
    else if (key == "poll_interval_ms") s.poll_interval = millis_of(node, file, key, 50, 3'600'000);
    else if (key == "settle_ms") s.settle = millis_of(node, file, key, 0, 3'600'000);
    else if (key == "curve") {
      try {
        s.curve = suqiu::sdk::read_curve_config(node, file);
      } catch (const std::runtime_error& e) {
        throw ConfigError(e.what());
      }
    } else {
      spdlog::warn("{}: unknown key '{}' ignored", where(node, file), key);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"suqiu-feed-file: the spool-folder feed of Suqiu.\n"
               "Sends JSON Lines files of intake records (DIR/*.jsonl) to the hub, line by line,\n"
               "and files each under DIR/done/ or DIR/failed/ once the hub has answered every line."};
  app.set_version_flag("--version", std::string("suqiu-feed-file ") + SUQIU_VERSION);
  std::optional<std::string> hub, config, dir, outbox;
  std::optional<int> settle_ms;
  bool once = false;
  int wait_s = 600;
  std::string log_level = "info";
  app.add_option("--hub", hub, "Hub ingest endpoint (default tcp://127.0.0.1:7450)");
  app.add_option("--config", config, "TOML configuration file")->check(CLI::ExistingFile);
  app.add_option("--dir", dir, "Spool folder (done/ and failed/ are made inside it)");
  app.add_option("--outbox", outbox, "Outbox file (default DIR/.outbox.db)");
  app.add_option("--settle-ms", settle_ms,
                 "Take a file only once it has not changed for this long (default 1000)")
      ->check(CLI::Range(0, 3'600'000));
  app.add_flag("--once", once,
               "Take the files present now, wait until they are filed, print a JSON summary and exit");
  app.add_option("--wait", wait_s, "With --once: seconds to wait for the hub's answers")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("file"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  Settings s;
  try {
    if (config) load_config(*config, s);
  } catch (const std::exception& e) {  // ConfigError, or a key file that cannot be read
    std::cerr << "suqiu-feed-file: " << e.what() << "\n";
    return kExitUsage;
  }
  if (hub) s.hub = *hub;
  if (dir) s.dir = *dir;
  if (outbox) s.outbox = *outbox;
  if (settle_ms) s.settle = std::chrono::milliseconds(*settle_ms);
  if (!s.dir) {
    std::cerr << "suqiu-feed-file: --dir (or dir in the configuration) is required\n";
    return kExitUsage;
  }

  suqiu::sdk::FeedOptions options;
  options.endpoint = s.hub;
  options.plugin = "file";
  options.version = SUQIU_VERSION;
  options.outbox = s.outbox ? *s.outbox : *s.dir / ".outbox.db";
  try {
    suqiu::sdk::apply_curve_config(s.curve, options);
    fs::create_directories(*s.dir);
    if (options.outbox.has_parent_path()) fs::create_directories(options.outbox.parent_path());
  } catch (const std::exception& e) {
    std::cerr << "suqiu-feed-file: " << e.what() << "\n";
    return kExitUsage;
  }

  suqiu::sdk::StopSignals stop_signals;
  int exit_code = kExitOk;
  nlohmann::ordered_json summary;
  try {
    zmq::context_t context;
    suqiu::sdk::FeedClient client(context, options);
    suqiu::filefeed::FileSpoolFeed feed(client, *s.dir, s.settle, once);
    feed.prepare();
    spdlog::info("watching {} for the hub at {} (outbox {}, settle {} ms)", s.dir->string(), s.hub,
                 options.outbox.string(), s.settle.count());

    bool stopped = false;
    auto next_scan = std::chrono::steady_clock::now();
    const auto deadline = next_scan + std::chrono::seconds(wait_s);
    // --once is done when the files of the first scan are filed and the
    // outbox is empty (records of an earlier run included).
    auto once_done = [&] {
      return feed.waiting() == 0 && feed.open_files() == 0 && client.pending() == 0;
    };
    while (!(stopped = stop_signals.requested())) {
      if (std::chrono::steady_clock::now() >= next_scan) {
        feed.scan();
        next_scan = std::chrono::steady_clock::now() + s.poll_interval;
      }
      if (once && (once_done() || std::chrono::steady_clock::now() >= deadline)) break;
      client.poll(std::min<std::chrono::milliseconds>(200ms, s.poll_interval));
      feed.finish_answered();
    }
    client.sync();

    const auto& t = feed.tally();
    summary = {{"files", t.files_done + t.files_failed},
               {"done", t.files_done},
               {"failed", t.files_failed},
               {"accepted", t.accepted},
               {"duplicates", t.duplicates},
               {"refused", t.refused}};
    if (client.pending() > 0) summary["pending"] = client.pending();
    if (feed.open_files() + feed.waiting() > 0) summary["waiting"] = feed.open_files() + feed.waiting();
    if (feed.stuck() > 0) summary["stuck"] = feed.stuck();
    if (feed.open_files() > 0 || client.pending() > 0)
      spdlog::warn("{} file(s) stay in {} and {} intake(s) in the outbox {}; the next start "
                   "takes them again",
                   feed.open_files(), s.dir->string(), client.pending(), options.outbox.string());
    spdlog::info("files done {}, failed {}; accepted {}, duplicates {}, refused {}{}", t.files_done,
                 t.files_failed, t.accepted, t.duplicates, t.refused,
                 stopped ? " (stopped by a signal)" : "");
    if (once && (t.files_failed > 0 || feed.stuck() > 0 || !once_done())) exit_code = kExitFailed;
  } catch (const suqiu::sdk::OutboxError& e) {
    spdlog::error("outbox {}: {} (is another suqiu-feed-file using it?)", options.outbox.string(),
                  e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  }
  if (once) std::cout << summary.dump() << std::endl;
  return exit_code;
}
