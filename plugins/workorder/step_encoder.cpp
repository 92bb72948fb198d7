#include "workorder/step_encoder.h"

#include "core/timestamp.h"
#include "workorder/platform_time.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;

const json* at_path(const json& body, std::string_view path) {
  const json* at = &body;
  while (!path.empty()) {
    const auto dot = path.find('.');
    if (!at->is_object()) return nullptr;
    auto it = at->find(std::string(path.substr(0, dot)));
    if (it == at->end()) return nullptr;
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at->is_null() ? nullptr : at;
}

// Writes at a dotted platform path ("data.gdbh"), making the objects on the
// way; a name already holding a value is replaced by the object (load_mapping
// refuses mappings where one field is a prefix of another).
void put(json& body, std::string_view path, json value) {
  json* at = &body;
  for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.')) {
    json& next = (*at)[std::string(path.substr(0, dot))];
    if (!next.is_object()) next = json::object();
    at = &next;
    path.remove_prefix(dot + 1);
  }
  (*at)[std::string(path)] = std::move(value);
}

}  // namespace

std::optional<std::string> encode_step(const json& result, const Mapping& m) {
  if (!result.is_object()) return std::nullopt;
  const json* kind = at_path(result, "kind");
  if (kind == nullptr || !kind->is_string()) return std::nullopt;
  const auto code = m.step_kinds.find(kind->get<std::string>());
  if (code == m.step_kinds.end()) return std::nullopt;

  json body = json::object();
  for (const auto& [platform, value] : m.step_constants) put(body, platform, value);
  for (const auto& [key, platform] : m.step_fields) {
    if (key == "kind") {
      put(body, platform, code->second);
      continue;
    }
    const json* value = at_path(result, key);
    // The platform's own order number, as it sent it, addresses the order.
    if (key == "external_id")
      if (const json* order_no = at_path(result, "upstream.order_no"); order_no && order_no->is_string())
        value = order_no;
    if (value == nullptr) continue;  // a key this kind does not carry (days on a closing)
    if ((key == "at" || key == "deadline") && value->is_string() && !m.step_time_format.empty()) {
      if (const auto t = Timestamp::parse(value->get<std::string>())) {
        put(body, platform, format_platform_time(*t, m.step_time_format));
        continue;
      }
    }
    put(body, platform, *value);
  }
  return body.dump();
}

}  // namespace suqiu::workorder
