// suqiu-hub: the hub process. Keeps DIR/suqiu.db, binds the ingest, api and
// events endpoints (loopback by default; anything else needs CURVE keys),
// logs one line when it is ready, tells systemd, and stops cleanly on SIGTERM
// or SIGINT.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "server/hub.h"
#include "store/store.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"suqiu-hub — the Suqiu (诉求) hub: intake, case api, events", "suqiu-hub"};
  app.set_version_flag("--version", std::string("suqiu-hub ") + SUQIU_VERSION);
  std::optional<std::string> data, config_file, ingest, api, events;
  std::string log_level = "info";
  app.add_option("--data", data, "Data folder; the database is DIR/suqiu.db (created on first start)");
  app.add_option("--config", config_file, "TOML configuration (endpoints, plugins, routing, SLA)")
      ->check(CLI::ExistingFile);
  app.add_option("--ingest", ingest, "Ingest endpoint (default tcp://127.0.0.1:7450)");
  app.add_option("--api", api, "Api endpoint (default tcp://127.0.0.1:7451)");
  app.add_option("--events", events, "Events endpoint (default tcp://127.0.0.1:7452)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  try {
    auto config = suqiu::server::load_hub_config(config_file);
    if (data) config.data_dir = *data;
    if (ingest) config.ingest = *ingest;
    if (api) config.api = *api;
    if (events) config.events = *events;

    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    suqiu::server::Hub hub(config);
    hub.start();
    spdlog::info("suqiu-hub {} ready: ingest {} api {} events {} data {}", SUQIU_VERSION,
                 hub.ingest_endpoint(), hub.api_endpoint(), hub.events_endpoint(),
                 suqiu::store::Store::database_file(config.data_dir).string());
    sd_notify(0, "READY=1");
    while (!g_stop && !hub.failure()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    sd_notify(0, "STOPPING=1");
    if (auto failure = hub.failure()) {
      // Better a hub that stops and is restarted than one that looks alive.
      spdlog::critical("suqiu-hub stopping: {}", *failure);
      hub.stop();
      return 1;
    }
    spdlog::info("suqiu-hub stopping");
    hub.stop();
    spdlog::info("suqiu-hub stopped");
  } catch (const std::exception& e) {
    spdlog::error("suqiu-hub: {}", e.what());
    return 1;
  }
  return 0;
}
