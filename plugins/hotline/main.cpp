// suqiu-feed-12345 and suqiu-feed-12328: a city's 12345 platform and the
// province's 12328 platform, both ways (docs/feeds/12345.md, 12328.md). One
// main for both: the platform's mapping (built in, or [mapping] in --config)
// is the only difference.
//
//   suqiu-feed-12345 [--hub ENDPOINT] [--config FILE] [--listen HOST:PORT] [--dir DIR]
//                    [--poll URL] [--steps URL] [--state DIR] [--once]
#include <signal.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>
#include <zmq.hpp>

#include "sdk/curve_config.h"
#include "sdk/stop_signals.h"
#include "workorder/work_order_exchange.h"

#ifndef SUQIU_VERSION
#define SUQIU_VERSION "0.0.0"
#endif

namespace fs = std::filesystem;
using suqiu::workorder::ExchangeOptions;

// The platform's default mapping, compiled in (plugins/workorder/mappings/).
extern const char* const kDefaultMapping;
extern const char* const kPlatform;

namespace {

std::string text(const toml::table& t, const char* key, const std::string& fallback) {
  if (auto v = t[key].value<std::string>()) return *v;
  if (t.contains(key)) throw std::runtime_error(std::string("[feed] ") + key + " must be a string");
  return fallback;
}

// host:port, or :port, or port.
std::pair<std::string, int> parse_listen(const std::string& s) {
  const auto colon = s.rfind(':');
  const std::string host = colon == std::string::npos ? "127.0.0.1" : s.substr(0, colon);
  const std::string port = colon == std::string::npos ? s : s.substr(colon + 1);
  int p = 0;
  try {
    p = std::stoi(port);
  } catch (const std::exception&) {
    throw std::runtime_error("--listen wants HOST:PORT, not '" + s + "'");
  }
  if (p < 0 || p > 65535) throw std::runtime_error("--listen: port out of range in '" + s + "'");
  return {host.empty() ? "127.0.0.1" : host, p};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string name = std::string("suqiu-feed-") + kPlatform;
  CLI::App app{name + " — the " + kPlatform + " platform's work orders in, the bureau's steps back", name};
  app.set_version_flag("--version", name + " " + SUQIU_VERSION);
  std::string hub = "tcp://127.0.0.1:7450", listen, dir, poll, steps, state, outbox;
  std::optional<std::string> config_file;
  bool once = false;
  app.add_option("--hub", hub, "The hub's ingest endpoint");
  app.add_option("--config", config_file, "TOML: [feed] settings and the platform's [mapping]")->check(CLI::ExistingFile);
  app.add_option("--listen", listen, "Take pushed work orders on HOST:PORT (POST /workorders)");
  app.add_option("--dir", dir, "Take exported files (*.json, *.csv, *.xml) from this folder");
  app.add_option("--poll", poll, "Poll the platform's API at this URL");
  app.add_option("--steps", steps, "POST the bureau's steps (sign-for, extension, return, result) to this URL");
  app.add_option("--state", state, "Folder for the outbox and the poll cursor (default: ./" + name + ".state)");
  app.add_option("--outbox", outbox, "The outbox file (default: STATE/outbox.db)");
  app.add_flag("--once", once, "Take the folder and one poll, wait for the hub's answers, exit");
  CLI11_PARSE(app, argc, argv);
  // The log goes to stderr; stdout carries what scripts read (the port, --once's counts).
  spdlog::set_default_logger(spdlog::stderr_color_mt("feed"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  try {
    toml::table config;
    if (config_file) config = toml::parse_file(*config_file);
    const toml::table feed = config["feed"].as_table() ? *config["feed"].as_table() : toml::table{};
    toml::table mapping_doc = config["mapping"].as_table() ? config : toml::parse(kDefaultMapping);

    ExchangeOptions o;
    o.mapping = suqiu::workorder::load_mapping(*mapping_doc["mapping"].as_table());
    o.feed.endpoint = text(feed, "hub", hub);
    o.feed.plugin = kPlatform;
    o.feed.version = SUQIU_VERSION;
    o.feed.sources = {o.mapping.source};
    o.state_dir = text(feed, "state", state.empty() ? "./" + name + ".state" : state);
    fs::create_directories(o.state_dir);
    o.feed.outbox = text(feed, "outbox", outbox.empty() ? (o.state_dir / "outbox.db").string() : outbox);
    if (const std::string l = text(feed, "listen", listen); !l.empty()) {
      std::tie(o.listen_host, o.listen_port) = parse_listen(l);
      if (o.listen_port == 0) o.listen_port = -1;  // any free port (tests)
    }
    o.push_token = text(feed, "push_token", "");
    o.push_secret = text(feed, "push_secret", "");
    if (auto v = feed["max_body_bytes"].value<std::int64_t>()) o.max_body = static_cast<std::size_t>(*v);
    o.poll_url = text(feed, "poll_url", poll);
    o.poll_token = text(feed, "poll_token", "");
    if (auto v = feed["poll_every_ms"].value<std::int64_t>()) o.poll_every = std::chrono::milliseconds(*v);
    o.drop_dir = text(feed, "dir", dir);
    o.drop_charset = text(feed, "charset", "");
    o.step_url = text(feed, "step_url", steps);
    o.step_token = text(feed, "step_token", "");
    if (config.contains("curve"))  // a hub off loopback
      suqiu::sdk::apply_curve_config(suqiu::sdk::read_curve_config(*config.get("curve"), *config_file), o.feed);

    std::signal(SIGPIPE, SIG_IGN);
    suqiu::sdk::StopSignals stop_signals;  // before any thread starts (ZeroMQ's, the HTTP server's)
    zmq::context_t context;
    suqiu::workorder::WorkOrderExchange exchange(context, o);
    exchange.start();
    if (exchange.push_port() > 0) std::cout << "listening " << exchange.push_port() << std::endl;
    exchange.run([&] { return stop_signals.requested(); }, once);
    const auto& c = exchange.counters();
    if (once)
      std::cout << "{\"accepted\":" << c.accepted << ",\"duplicates\":" << c.duplicates << ",\"rejected\":" << c.rejected
                << "}" << std::endl;
    return once && c.rejected > 0 ? 1 : 0;
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", name, e.what());
    return 2;
  }
}
