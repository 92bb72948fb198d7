#include "hub_config.h"

#include <stdexcept>

#include "pipeline/pipeline_settings.h"
#include "protocol/endpoints.h"

namespace suqiu::server {
namespace {

std::string where(const toml::node& n) {
  return "line " + std::to_string(n.source().begin.line);
}

int read_int(const toml::table& t, std::string_view key, int fallback, int lo, int hi,
             std::string_view section) {
  auto node = t[key];
  if (!node) return fallback;
  auto v = node.value<std::int64_t>();
  if (!v || *v < lo || *v > hi)
    throw std::runtime_error("[" + std::string(section) + "] " + std::string(key) + " (" +
                             where(*node.node()) + ") must be a whole number from " +
                             std::to_string(lo) + " to " + std::to_string(hi));
  return static_cast<int>(*v);
}

}  // namespace

bool HubConfig::loopback_only() const {
  return protocol::is_loopback_endpoint(ingest) && protocol::is_loopback_endpoint(api) &&
         protocol::is_loopback_endpoint(events);
}

void HubConfig::check_security() const {
  if (loopback_only() || server_keys) return;
  for (const auto& ep : {ingest, api, events})
    if (!protocol::is_loopback_endpoint(ep))
      throw std::runtime_error("refusing to bind " + ep +
                               " off loopback without CURVE keys: set [security] key_file "
                               "(make one with `suqiu keys gen`) and allow_file");
}

HubConfig load_hub_config(const std::optional<std::filesystem::path>& file) {
  HubConfig c;
  if (!file) return c;
  try {
    c.raw = read_config_file(*file);
    const toml::table& t = c.raw;
    if (auto hub = t["hub"].as_table()) {
      if (auto v = (*hub)["data"].value<std::string>()) c.data_dir = *v;
      if (auto v = (*hub)["ingest"].value<std::string>()) c.ingest = *v;
      if (auto v = (*hub)["api"].value<std::string>()) c.api = *v;
      if (auto v = (*hub)["events"].value<std::string>()) c.events = *v;
      c.heartbeat_ms = read_int(*hub, "heartbeat_ms", c.heartbeat_ms, 100, 60000, "hub");
      c.liveness = read_int(*hub, "liveness", c.liveness, 2, 20, "hub");
      c.window = read_int(*hub, "window", c.window, 1, 10000, "hub");
      c.escalation_interval_s =
          read_int(*hub, "escalation_interval_s", c.escalation_interval_s, 1, 3600, "hub");
      c.session_idle_hours = read_int(*hub, "session_idle_hours", c.session_idle_hours, 1, 720, "hub");
    }
    if (auto sec = t["security"].as_table()) {
      if (auto key = (*sec)["key_file"].value<std::string>())
        c.server_keys = protocol::load_key_file(*key);
      if (auto allow = (*sec)["allow_file"].value<std::string>())
        c.allowed_keys = protocol::load_allow_list(*allow);
    }
    if (auto plugins = t["plugin"].as_array()) {
      for (std::size_t i = 0; i < plugins->size(); ++i) {
        auto p = (*plugins)[i].as_table();
        std::string at = "[[plugin]] #" + std::to_string(i + 1);
        if (!p) throw std::runtime_error(at + " must be a table");
        PluginSpec spec;
        spec.name = (*p)["name"].value_or(std::string());
        spec.command = (*p)["command"].value_or(std::string());
        if (spec.name.empty()) throw std::runtime_error(at + " needs a name");
        if (spec.command.empty()) throw std::runtime_error(at + " (" + spec.name + ") needs a command");
        if (auto args = (*p)["args"].as_array())
          for (auto& a : *args) {
            auto s = a.value<std::string>();
            if (!s) throw std::runtime_error(at + " (" + spec.name + ") args must be strings");
            spec.args.push_back(*s);
          }
        c.plugins.push_back(std::move(spec));
      }
    }
    c.pipeline = load_pipeline_settings(t);
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    if (what.rfind(file->string(), 0) == 0) throw;
    throw std::runtime_error(file->string() + ": " + what);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(file->string() + ": " + e.what());
  }
  return c;
}

}  // namespace suqiu::server
