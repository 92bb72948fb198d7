// suqiu-feed-reportbox: the report-box (群众举报箱) feed. Watches a drop folder
// for intake records (*.jsonl) and letters (*.json), sends them to the hub
// through the plugin SDK and files them under done/ or rejected/
// (docs/plugins.md).
//
//   suqiu-feed-reportbox --dir DIR [--hub ENDPOINT] [--config FILE] [--outbox FILE] [--once]
//
// With --once: takes what is in the folder, waits until the hub has acked or
// rejected everything, prints {"files":N,"accepted":N,"duplicates":N,"rejected":N}
// and exits 0 only when nothing was rejected (1 otherwise, 2 on a usage or
// configuration error). Without it: scans the folder every poll interval until
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

#include "protocol/curve_keys.h"
#include "reportbox/report_box_feed.h"
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
constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;

struct Settings {
  std::string hub = "tcp://127.0.0.1:7450";
  std::optional<fs::path> dir;
  std::optional<fs::path> outbox;
  std::chrono::milliseconds poll_interval{1000};
  suqiu::sdk::CurveConfig curve;
};

std::string where(const toml::node& node, const fs::path& file) {
  const auto& src = node.source();
  return file.string() + ":" + std::to_string(src.begin.line);
}

// The TOML file of docs/plugins.md; flags given on the command line win.
void load_config(const fs::path& file, Settings& s) {
  toml::table t;
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  auto text = [&](const toml::node& n, const char* key) {
    if (!n.is_string()) throw std::runtime_error(where(n, file) + ": '" + key + "' must be a string");
    return *n.value<std::string>();
  };
  for (auto&& [k, node] : t) {
    const std::string key(k.str());
    if (key == "hub") s.hub = text(node, "hub");
    else if (key == "dir") s.dir = text(node, "dir");
    else if (key == "outbox") s.outbox = text(node, "outbox");
    else if (key == "poll_interval_ms") {
      auto v = node.value<std::int64_t>();
      if (!node.is_integer() || !v || *v < 50 || *v > 3'600'000)
        throw std::runtime_error(where(node, file) + ": 'poll_interval_ms' must be an integer from 50 to 3600000");
      s.poll_interval = std::chrono::milliseconds(*v);
    } else if (key == "curve") {
      s.curve = suqiu::sdk::read_curve_config(node, file);
    } else {
      spdlog::warn("{}: unknown key '{}' ignored", where(node, file), key);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"suqiu-feed-reportbox: the report box (群众举报箱) feed of Suqiu.\n"
               "Sends intake records (*.jsonl) and letters (*.json) from a drop folder to the hub."};
  app.set_version_flag("--version", std::string("suqiu-feed-reportbox ") + SUQIU_VERSION);
  std::optional<std::string> hub, config, dir, outbox;
  bool once = false;
  int wait_s = 600;
  std::string log_level = "info";
  app.add_option("--hub", hub, "Hub ingest endpoint (default tcp://127.0.0.1:7450)");
  app.add_option("--config", config, "TOML configuration file")->check(CLI::ExistingFile);
  app.add_option("--dir", dir, "Drop folder to watch (done/ and rejected/ are made inside it)");
  app.add_option("--outbox", outbox, "Outbox file (default DIR/.outbox.db)");
  app.add_flag("--once", once,
               "Take what is in the folder, wait for the hub's answers, print a JSON summary and exit");
  app.add_option("--wait", wait_s, "With --once: seconds to wait for the hub's answers")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("reportbox");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));

  Settings s;
  try {
    if (config) load_config(*config, s);
  } catch (const std::exception& e) {
    std::cerr << "suqiu-feed-reportbox: " << e.what() << "\n";
    return kExitUsage;
  }
  if (hub) s.hub = *hub;
  if (dir) s.dir = *dir;
  if (outbox) s.outbox = *outbox;
  if (!s.dir) {
    std::cerr << "suqiu-feed-reportbox: --dir (or dir in the configuration) is required\n";
    return kExitUsage;
  }

  suqiu::sdk::FeedOptions options;
  options.endpoint = s.hub;
  options.plugin = "reportbox";
  options.version = SUQIU_VERSION;
  options.sources = {"reportbox"};
  options.outbox = s.outbox ? *s.outbox : *s.dir / ".outbox.db";
  try {
    suqiu::sdk::apply_curve_config(s.curve, options);
    fs::create_directories(*s.dir);
    if (options.outbox.has_parent_path()) fs::create_directories(options.outbox.parent_path());
  } catch (const std::exception& e) {
    std::cerr << "suqiu-feed-reportbox: " << e.what() << "\n";
    return kExitUsage;
  }

  suqiu::sdk::StopSignals stop_signals;
  int exit_code = kExitOk;
  nlohmann::ordered_json summary;
  try {
    zmq::context_t context;
    suqiu::sdk::FeedClient client(context, options);
    suqiu::reportbox::ReportBoxFeed feed(client, *s.dir, /*settle=*/!once);
    feed.prepare();
    spdlog::info("watching {} for the hub at {} (outbox {})", s.dir->string(), s.hub,
                 options.outbox.string());

    bool stopped = false;
    if (once) {
      feed.scan();
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
      while (client.pending() > 0 && std::chrono::steady_clock::now() < deadline) {
        if (stop_signals.requested()) {
          stopped = true;
          break;
        }
        client.poll(100ms);
      }
      client.sync();
    } else {
      auto next_scan = std::chrono::steady_clock::now();
      while (!(stopped = stop_signals.requested())) {
        if (std::chrono::steady_clock::now() >= next_scan) {
          feed.scan();
          next_scan = std::chrono::steady_clock::now() + s.poll_interval;
        }
        client.poll(std::min<std::chrono::milliseconds>(200ms, s.poll_interval));
      }
    }

    const auto& t = feed.tally();
    summary = {{"files", t.files},
               {"accepted", t.accepted},
               {"duplicates", t.duplicates},
               {"rejected", t.rejected}};
    if (client.pending() > 0) {
      summary["pending"] = client.pending();
      spdlog::warn("{} intake(s) not yet acked by the hub stay in the outbox {} and are resent "
                   "on the next start",
                   client.pending(), options.outbox.string());
    }
    spdlog::info("files {}, accepted {}, duplicates {}, rejected {}{}", t.files, t.accepted,
                 t.duplicates, t.rejected, stopped ? " (stopped by a signal)" : "");
    if (once && (t.rejected > 0 || client.pending() > 0)) exit_code = kExitRejected;
  } catch (const suqiu::sdk::OutboxError& e) {
    spdlog::error("outbox {}: {} (is another suqiu-feed-reportbox using it?)",
                  options.outbox.string(), e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  }
  if (once) std::cout << summary.dump() << std::endl;
  return exit_code;
}
