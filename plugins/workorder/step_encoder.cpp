#include "workorder/step_encoder.h"

#include "core/timestamp.h"
#include "workorder/json_path.h"
#include "workorder/platform_time.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;

}  // namespace

std::optional<std::string> encode_step(const json& result, const Mapping& m) {
  if (!result.is_object()) return std::nullopt;
  const json* kind = at_path(result, "kind");
  if (kind == nullptr || !kind->is_string()) return std::nullopt;
  const auto code = m.step_kinds.find(kind->get<std::string>());
  if (code == m.step_kinds.end()) return std::nullopt;

  json body = json::object();
  for (const auto& [platform, value] : m.step_constants) put_path(body, platform, value);
  for (const auto& [key, platform] : m.step_fields) {
    if (key == "kind") {
      put_path(body, platform, code->second);
      continue;
    }
    const json* value = at_path(result, key);
    // The platform's own order number, as it sent it, addresses the order.
    if (key == "external_id")
      if (const json* order_no = at_path(result, "upstream.order_no"); order_no && order_no->is_string())
        value = order_no;
    if (value == nullptr || value->is_null()) continue;  // a key this kind does not carry (days on a closing)
    if ((key == "at" || key == "deadline") && value->is_string() && !m.step_time_format.empty()) {
      if (const auto t = Timestamp::parse(value->get<std::string>())) {
        put_path(body, platform, format_platform_time(*t, m.step_time_format));
        continue;
      }
    }
    put_path(body, platform, *value);
  }
  return body.dump();
}

}  // namespace suqiu::workorder
