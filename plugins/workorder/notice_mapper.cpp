// A platform's notice about an order it sent (催办, 督办, 撤单, 退单审核, 延期审核,
// 回访) to a NOTICE body (docs/protocol.md 4.6), checked by the hub's own
// parse_notice.
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "core/platform_notice.h"
#include "workorder/platform_time.h"
#include "workorder/json_path.h"
#include "workorder/record_mapper.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// A notice id for platforms that give none: 128 bits of two FNV-1a hashes of
// the source and the record as canonical JSON (members sorted, no spaces), so
// the same notice sent twice, or in another format's whitespace, gets the same
// id and the hub applies it once.
std::string derived_notice_id(const Mapping& m, const json& record) {
  const std::string text = m.source + '\n' + record.dump();
  char buf[40];
  std::snprintf(buf, sizeof buf, "h%016llx%016llx", static_cast<unsigned long long>(fnv1a(text, 0xcbf29ce484222325ULL)),
                static_cast<unsigned long long>(fnv1a(text, 0x84222325cbf29ce4ULL)));
  return buf;
}

std::string platform_field_of(const Mapping& m, std::string_view notice_field) {
  for (const auto& [platform, ours] : m.notice_fields)
    if (ours == notice_field) return platform;
  return {};
}

}  // namespace

Mapped map_notice(const json& record, const std::string& kind, const Mapping& m, std::size_t index,
                  std::string_view raw) {
  json notice = {{"source", m.source}, {"kind", kind}};
  const bool ruling = kind == "return_ruling" || kind == "extension_ruling";
  for (const auto& entry : m.notice_fields) {
    // Named, not bound: clang 14 (the fuzz build) cannot capture a structured binding.
    const std::string& platform = entry.first;
    const std::string& target = entry.second;
    const json* v = find_field(record, platform);
    if (v == nullptr || notice.contains(target)) continue;
    auto invalid = [&](const std::string& why) {
      return error(index, "E_FIELD_INVALID", platform, "'" + platform + "' " + why, raw);
    };
    const auto text = scalar_text(*v);
    if (target == "approved") {
      if (!ruling) continue;  // only a ruling approves or refuses
      std::optional<bool> yes;
      if (v->is_boolean()) yes = v->get<bool>();
      else if (text && m.approved.contains(trim(*text))) yes = m.approved.at(trim(*text)) == "true";
      else if (text && (trim(*text) == "true" || trim(*text) == "false")) yes = trim(*text) == "true";
      if (!yes) return invalid("is not a ruling of mapping.approved: '" + text.value_or("").substr(0, 64) + "'");
      notice["approved"] = *yes;
    } else if (target == "satisfaction") {
      if (kind != "callback") continue;
      const std::string value = text ? trim(*text) : std::string();
      if (auto it = m.satisfaction.find(value); it != m.satisfaction.end()) notice["satisfaction"] = it->second;
      else if (value == "satisfied" || value == "basically_satisfied" || value == "dissatisfied")
        notice["satisfaction"] = value;
      else return invalid("is not a rating of mapping.satisfaction: '" + value.substr(0, 64) + "'");
    } else if (target == "at" || target == "deadline") {
      if (target == "deadline" && kind != "extension_ruling") continue;
      const auto t = text ? parse_platform_time(*text, m.time_formats, target == "deadline") : std::nullopt;
      if (!t) return invalid("is not a time in the platform's formats: '" + text.value_or("").substr(0, 64) + "'");
      notice[target] = t->to_string();
    } else {
      if (!text) return invalid("must be text, not an object or a list");
      notice[target] = *text;
    }
  }
  for (std::string_view required : {"external_id", "at"}) {
    if (notice.contains(required)) continue;
    const std::string field = platform_field_of(m, required);
    return error(index, "E_FIELD_MISSING", field, "required field '" + field + "' is missing", raw);
  }
  if (ruling && !notice.contains("approved")) {
    const std::string field = platform_field_of(m, "approved");
    return error(index, "E_FIELD_MISSING", field, "a " + kind + " needs its ruling ('" + field + "')", raw);
  }
  if (kind == "callback" && !notice.contains("satisfaction")) {
    const std::string field = platform_field_of(m, "satisfaction");
    return error(index, "E_FIELD_MISSING", field, "a callback needs its rating ('" + field + "')", raw);
  }
  if (!notice.contains("notice_id")) notice["notice_id"] = derived_notice_id(m, record);

  std::string text = notice.dump();
  const auto checked = parse_notice(std::string_view(text));
  if (const auto* e = std::get_if<IntakeError>(&checked)) {
    const std::string field = platform_field_of(m, e->field);
    return error(index, e->code, field, e->message + (e->field.empty() ? "" : " (notice field " + e->field + ")"),
                 raw);
  }
  return Item{Item::Kind::notice, index, std::move(text), notice["external_id"].get<std::string>()};
}

}  // namespace suqiu::workorder
