// A platform's work order to an intake record (docs/intake-record.md), and the
// dispatch between orders and notices. The hub's parse_intake has the last
// word: what it refuses is reported against the platform's field.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "core/intake_record.h"
#include "workorder/platform_time.h"
#include "workorder/json_path.h"
#include "workorder/record_mapper.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;

// The platform field that maps to an intake path the hub named in a refusal
// ("attachments[2].sha256" -> "fj"); "" when none does (source, upstream).
std::string platform_field_of(const Mapping& m, std::string_view intake_path) {
  for (const auto& [platform, intake] : m.fields) {
    if (intake_path == intake) return platform;
    if (intake_path.starts_with(intake) &&
        (intake_path[intake.size()] == '[' || intake_path[intake.size()] == '.'))
      return platform;
  }
  return {};
}

std::optional<bool> boolean(const json& v, const Mapping& m) {
  if (v.is_boolean()) return v.get<bool>();
  const auto text = scalar_text(v);
  if (!text) return std::nullopt;
  const std::string t = trim(*text);
  if (auto it = m.booleans.find(t); it != m.booleans.end()) return it->second == "true";
  for (std::string_view yes : {"true", "1", "是", "Y", "y", "TRUE", "True"})
    if (t == yes) return true;
  for (std::string_view no : {"false", "0", "否", "N", "n", "FALSE", "False"})
    if (t == no) return false;
  return std::nullopt;
}

std::optional<double> number(const json& v) {
  if (v.is_number()) return v.get<double>();
  const auto text = scalar_text(v);
  if (!text) return std::nullopt;
  const std::string t = trim(*text);
  double d = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  // "inf" and "nan" parse, but JSON would write them as null: refused here.
  if (ec != std::errc() || end != t.data() + t.size() || t.empty() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// The file name at the end of a URL ("https://x/rec/a.wav?t=1" -> "a.wav").
std::string name_from_uri(std::string_view uri) {
  uri = uri.substr(0, uri.find_first_of("?#"));
  if (auto slash = uri.find_last_of('/'); slash != std::string_view::npos) uri.remove_prefix(slash + 1);
  return std::string(uri);
}

json attachment_from(const json& entry, const Mapping& m) {
  json a = json::object();
  if (entry.is_object()) {
    for (const auto& [platform, ours] : m.attachment_fields) {
      const json* v = find_field(entry, platform);
      if (v == nullptr || a.contains(ours)) continue;
      if (auto text = scalar_text(*v)) a[ours] = *text;
    }
  } else if (auto text = scalar_text(entry)) {
    a["uri"] = trim(*text);
  }
  if (!a.contains("name") && a.contains("uri")) a["name"] = name_from_uri(a["uri"].get<std::string>());
  return a;
}

bool looks_like_attachment(const json& o, const Mapping& m) {
  return std::any_of(m.attachment_fields.begin(), m.attachment_fields.end(),
                     [&](const auto& kv) { return o.contains(kv.first); });
}

// The platform's attachment list, however it comes: a JSON array of objects, one
// object, an XML wrapper (<fj><file>..</file><file>..</file></fj>), a JSON text
// in a CSV cell, or URLs separated by ';' or '|'. nullopt when it is none of these.
std::optional<json> attachments_from(const json& v, const Mapping& m, std::size_t depth = 0) {
  if (depth > kMaxNesting) return std::nullopt;  // a CSV cell's JSON is not depth-checked before
  json list = json::array();
  if (v.is_array()) {
    for (const auto& e : v) list.push_back(attachment_from(e, m));
    return list;
  }
  if (v.is_object()) {
    if (looks_like_attachment(v, m)) return json::array({attachment_from(v, m)});
    if (v.size() == 1 && (v.begin()->is_array() || v.begin()->is_object())) return attachments_from(*v.begin(), m, depth + 1);
    return std::nullopt;
  }
  const auto text = scalar_text(v);
  if (!text) return std::nullopt;
  const std::string t = trim(*text);
  if (t.starts_with('[') || t.starts_with('{')) {
    json parsed = json::parse(t, nullptr, false);
    if (parsed.is_discarded() || !(parsed.is_array() || parsed.is_object())) return std::nullopt;
    return attachments_from(parsed, m, depth + 1);
  }
  std::size_t start = 0;
  while (start <= t.size()) {
    const std::size_t end = std::min(t.find_first_of(";|\n", start), t.size());
    const std::string uri = trim(std::string_view(t).substr(start, end - start));
    if (!uri.empty()) list.push_back(attachment_from(json(uri), m));
    start = end + 1;
  }
  return list;
}

}  // namespace

const json* find_field(const json& record, std::string_view path) {
  if (!record.is_object() || path.empty()) return nullptr;
  const json* at = nullptr;
  if (auto it = record.find(std::string(path)); it != record.end()) {
    at = &*it;
  } else {
    at = &record;
    while (!path.empty()) {
      const auto cut = path.find_first_of("./");
      const std::string key(path.substr(0, cut));
      if (!at->is_object()) return nullptr;
      auto it2 = at->find(key);
      if (it2 == at->end()) return nullptr;
      at = &*it2;
      path = cut == std::string_view::npos ? std::string_view() : path.substr(cut + 1);
    }
  }
  if (at->is_null() || (at->is_string() && at->get_ref<const std::string&>().empty())) return nullptr;
  return at;
}

std::optional<std::string> scalar_text(const json& value) {
  switch (value.type()) {
    case json::value_t::string: return value.get<std::string>();
    case json::value_t::number_integer: return std::to_string(value.get<std::int64_t>());
    case json::value_t::number_unsigned: return std::to_string(value.get<std::uint64_t>());
    case json::value_t::number_float: return value.dump();
    case json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case json::value_t::object: {
      auto it = value.find("#text");
      if (it != value.end() && it->is_string()) return it->get<std::string>();
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

Mapped map_record(const json& record, const Mapping& m, std::size_t index, std::string_view raw) {
  if (!record.is_object()) return error(index, "E_NOT_OBJECT", "", "a record must be an object", raw);
  if (!m.notice_type_field.empty()) {
    if (const json* type = find_field(record, m.notice_type_field)) {
      const auto text = scalar_text(*type);
      const std::string value = text ? trim(*text) : std::string();
      if (auto kind = m.notice_kinds.find(value); kind != m.notice_kinds.end())
        return map_notice(record, kind->second, m, index, raw);
      if (std::find(m.order_type_values.begin(), m.order_type_values.end(), value) == m.order_type_values.end())
        return error(index, "E_FIELD_INVALID", m.notice_type_field,
                     "'" + value.substr(0, 64) + "' is neither a notice type (notice_kinds) nor a work order type",
                     raw);
    }
  }
  return map_order(record, m, index, raw);
}

Mapped map_order(const json& record, const Mapping& m, std::size_t index, std::string_view raw) {
  json intake = json::object();
  intake["source"] = m.source;
  json upstream = json::object();
  std::set<std::string> done;  // intake fields already filled: the first platform field wins
  for (const auto& entry : m.fields) {
    // Named, not bound: clang 14 (the fuzz build) cannot capture a structured binding.
    const std::string& platform = entry.first;
    const std::string& target = entry.second;
    const json* v = find_field(record, platform);
    if (v == nullptr || done.contains(target)) continue;
    auto invalid = [&](const std::string& why) {
      return error(index, "E_FIELD_INVALID", platform, "'" + platform + "' " + why, raw);
    };
    if (target.starts_with("upstream.")) {
      upstream[target.substr(9)] = *v;
    } else if (target == "received_at" || target == "deadline") {
      const auto text = scalar_text(*v);
      const auto t = text ? parse_platform_time(*text, m.time_formats, target == "deadline") : std::nullopt;
      if (!t) return invalid("is not a time in the platform's formats: '" + text.value_or("").substr(0, 64) + "'");
      intake[target] = t->to_string();
    } else if (target == "request_type" || target == "category") {
      const auto text = scalar_text(*v);
      if (!text) return invalid("must be a code");
      const std::string code = trim(*text);
      const auto& table = target == "request_type" ? m.request_types : m.categories;
      // An unknown code is left out: the hub's classifier decides from the text.
      if (auto it = table.find(code); it != table.end()) intake[target] = it->second;
    } else if (target == "caller.anonymous" || target == "caller.confidential" || target == "urgent") {
      const auto b = boolean(*v, m);
      if (!b) return invalid("must be yes or no (true/false, 1/0, 是/否 or a value of mapping.booleans)");
      put_path(intake, target, *b);
    } else if (target == "location.lat" || target == "location.lon") {
      const auto d = number(*v);
      if (!d) return invalid("must be a number of degrees");
      put_path(intake, target, *d);
    } else if (target == "attachments") {
      auto list = attachments_from(*v, m);
      if (!list) return invalid("is not a list of attachments");
      if (!list->empty()) intake["attachments"] = std::move(*list);
    } else {
      const auto text = scalar_text(*v);
      if (!text) return invalid("must be text, not an object or a list");
      put_path(intake, target, *text);
    }
    done.insert(target);
  }
  for (std::string_view required : {"external_id", "received_at", "content"}) {
    if (intake.contains(required)) continue;
    const std::string field = platform_field_of(m, required);
    return error(index, "E_FIELD_MISSING", field, "required field '" + field + "' is missing", raw);
  }
  const std::string external_id = intake["external_id"].get<std::string>();
  upstream["platform"] = m.source;
  upstream["order_no"] = external_id;
  upstream["record"] = record;  // the platform's own record, so a step back can quote any of it
  intake["upstream"] = std::move(upstream);

  std::string text = intake.dump();
  const auto checked = parse_intake(std::string_view(text));
  if (const auto* e = std::get_if<IntakeError>(&checked)) {
    const std::string field = platform_field_of(m, e->field);
    return error(index, e->code, field, e->message + (e->field.empty() ? "" : " (intake field " + e->field + ")"),
                 raw);
  }
  return Item{Item::Kind::order, index, std::move(text), external_id};
}

}  // namespace suqiu::workorder
