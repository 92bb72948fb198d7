#include "curve_config.h"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "protocol/curve_keys.h"

namespace suqiu::sdk {
namespace {

std::string where(const toml::node& node, const std::filesystem::path& file) {
  return file.string() + ":" + std::to_string(node.source().begin.line);
}

}  // namespace

CurveConfig read_curve_config(const toml::node& node, const std::filesystem::path& file) {
  const auto* curve = node.as_table();
  if (!curve) throw std::runtime_error(where(node, file) + ": [curve] must be a table");
  CurveConfig c;
  for (auto&& [k, value] : *curve) {
    const std::string key = "curve." + std::string(k.str());
    if (!value.is_string()) throw std::runtime_error(where(value, file) + ": '" + key + "' must be a string");
    const std::string text = *value.value<std::string>();
    if (key == "curve.key_file") c.key_file = text;
    else if (key == "curve.server_key") c.server_key = text;
    else if (key == "curve.server_key_file") c.server_key = protocol::load_key_file(text).public_key;
    else spdlog::warn("{}: unknown key '{}' ignored", where(value, file), key);
  }
  return c;
}

void apply_curve_config(const CurveConfig& curve, FeedOptions& options) {
  if (curve.key_file) options.client_keys = protocol::load_key_file(*curve.key_file);
  if (options.client_keys && curve.server_key.empty())
    throw std::runtime_error("curve.key_file is set but the hub's key (curve.server_key) is not");
  options.server_public_key = curve.server_key;
}

}  // namespace suqiu::sdk
