#include "platform_notice.h"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace suqiu {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<NoticeKind, std::string_view>, 6> kKinds{{
    {NoticeKind::reminder, "reminder"},
    {NoticeKind::supervision, "supervision"},
    {NoticeKind::withdrawn, "withdrawn"},
    {NoticeKind::return_ruling, "return_ruling"},
    {NoticeKind::extension_ruling, "extension_ruling"},
    {NoticeKind::callback, "callback"},
}};

IntakeError missing(const std::string& field) {
  return {"E_FIELD_MISSING", field, "required field '" + field + "' is missing"};
}
IntakeError invalid(const std::string& field, const std::string& why) {
  return {"E_FIELD_INVALID", field, "field '" + field + "' " + why};
}

// A string member: nullopt when absent (or null), an error when not a string
// of 1..max bytes.
std::variant<std::optional<std::string>, IntakeError> text(const json& o, const char* key, std::size_t max) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return invalid(key, "must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.empty()) return invalid(key, "must not be empty");
  if (s.size() > max) return invalid(key, "is longer than " + std::to_string(max) + " bytes");
  return std::optional<std::string>{s};
}

}  // namespace

std::string_view to_code(NoticeKind kind) {
  for (const auto& [k, code] : kKinds)
    if (k == kind) return code;
  return "reminder";  // unreachable: every kind is in the table
}

std::optional<NoticeKind> parse_notice_kind(std::string_view code) {
  for (const auto& [k, c] : kKinds)
    if (c == code) return k;
  return std::nullopt;
}

NoticeParse parse_notice(std::string_view json_text) {
  if (json_text.size() > kMaxIntakeBytes)
    return IntakeError{"E_TOO_LARGE", "", "notice is larger than " + std::to_string(kMaxIntakeBytes) + " bytes"};
  if (json_text.starts_with("\xEF\xBB\xBF"))
    return IntakeError{"E_NOT_JSON", "", "not JSON: the notice starts with a byte order mark"};
  json o;
  try {
    o = json::parse(json_text);
  } catch (const json::exception& e) {
    const std::string what = e.what();
    const bool utf8 = what.find("UTF-8") != std::string::npos;
    return IntakeError{utf8 ? "E_BAD_UTF8" : "E_NOT_JSON", "", (utf8 ? "invalid UTF-8: " : "not JSON: ") + what};
  }
  if (!o.is_object()) return IntakeError{"E_NOT_OBJECT", "", "a notice is a JSON object"};

  PlatformNotice n;
  // The required strings, in the order of the document's table.
  for (auto [key, out, max] : {std::tuple{"source", &n.source, std::size_t{64}},
                               std::tuple{"external_id", &n.external_id, std::size_t{128}},
                               std::tuple{"notice_id", &n.notice_id, std::size_t{128}}}) {
    auto v = text(o, key, max);
    if (auto* e = std::get_if<IntakeError>(&v)) return *e;
    auto& s = std::get<std::optional<std::string>>(v);
    if (!s) return missing(key);
    *out = *s;
  }
  auto kind = text(o, "kind", 64);
  if (auto* e = std::get_if<IntakeError>(&kind)) return *e;
  const auto& kind_code = std::get<std::optional<std::string>>(kind);
  if (!kind_code) return missing("kind");
  auto parsed_kind = parse_notice_kind(*kind_code);
  if (!parsed_kind) return invalid("kind", "is not a notice kind: '" + kind_code->substr(0, 64) + "'");
  n.kind = *parsed_kind;

  auto at = text(o, "at", 64);
  if (auto* e = std::get_if<IntakeError>(&at)) return *e;
  const auto& at_text = std::get<std::optional<std::string>>(at);
  if (!at_text) return missing("at");
  auto at_time = Timestamp::parse(*at_text);
  if (!at_time) return invalid("at", "is not an RFC 3339 time (like 2026-11-26T09:15:00+08:00)");
  n.at = *at_time;

  auto note = text(o, "note", kMaxNoticeNoteBytes);
  if (auto* e = std::get_if<IntakeError>(&note)) return *e;
  n.note = std::get<std::optional<std::string>>(note).value_or("");

  if (n.kind == NoticeKind::return_ruling || n.kind == NoticeKind::extension_ruling) {
    auto it = o.find("approved");
    if (it == o.end() || it->is_null()) return missing("approved");
    if (!it->is_boolean()) return invalid("approved", "must be true or false");
    n.approved = it->get<bool>();
  }
  if (n.kind == NoticeKind::extension_ruling) {
    auto d = text(o, "deadline", 64);
    if (auto* e = std::get_if<IntakeError>(&d)) return *e;
    if (const auto& t = std::get<std::optional<std::string>>(d)) {
      n.deadline = Timestamp::parse(*t);
      if (!n.deadline) return invalid("deadline", "is not an RFC 3339 time");
    }
  }
  if (n.kind == NoticeKind::callback) {
    auto s = text(o, "satisfaction", 64);
    if (auto* e = std::get_if<IntakeError>(&s)) return *e;
    const auto& sat = std::get<std::optional<std::string>>(s);
    if (!sat) return missing("satisfaction");
    if (*sat != "satisfied" && *sat != "basically_satisfied" && *sat != "dissatisfied")
      return invalid("satisfaction", "must be satisfied, basically_satisfied or dissatisfied");
    n.satisfaction = *sat;
  }
  return n;
}

}  // namespace suqiu
