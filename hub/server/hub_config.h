// The hub's configuration: DESIGN.md's flags over the TOML file over the
// defaults. Binding anything but loopback requires CURVE keys.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "pipeline/intake_pipeline.h"
#include "protocol/curve_keys.h"

namespace suqiu::server {

// A plugin the hub starts and supervises ([[plugin]] in the TOML file).
struct PluginSpec {
  std::string name;
  std::string command;            // executable path
  std::vector<std::string> args;  // extra arguments; --hub is added by the hub
};

struct HubConfig {
  std::filesystem::path data_dir = "data";
  std::string ingest = "tcp://127.0.0.1:7450";
  std::string api = "tcp://127.0.0.1:7451";
  std::string events = "tcp://127.0.0.1:7452";
  std::optional<protocol::CurveKeyPair> server_keys;  // [security] key_file
  std::vector<protocol::AllowedKey> allowed_keys;     // [security] allow_file
  int heartbeat_ms = 2000;
  int liveness = 3;
  int window = 1024;                // intakes a plugin may keep in flight (bigger batches under load)
  int escalation_interval_s = 60;   // how often the timers look at deadlines
  int session_idle_hours = 12;
  std::vector<PluginSpec> plugins;
  PipelineSettings pipeline;
  toml::table raw;                  // the whole file, for the classifier's rules

  // True when every endpoint is loopback (127.0.0.1, ::1, localhost, inproc, ipc).
  bool loopback_only() const;
  // Throws std::runtime_error when an endpoint is off loopback without keys.
  void check_security() const;
};

// Reads FILE (when given); throws std::runtime_error naming the file, line and key.
HubConfig load_hub_config(const std::optional<std::filesystem::path>& file);

}  // namespace suqiu::server
