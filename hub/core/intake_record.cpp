#include "intake_record.h"

#include <array>

namespace suqiu {
namespace {

using nlohmann::json;

IntakeError missing(std::string field) {
  return {"E_FIELD_MISSING", field, "required field '" + field + "' is missing"};
}
IntakeError invalid(std::string field, std::string why) {
  return {"E_FIELD_INVALID", field, "field '" + field + "' " + why};
}

// Reads an optional string member; a present non-string is an error.
std::optional<IntakeError> read_string(const json& obj, const char* key, std::string_view path,
                                       std::size_t max_bytes, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  std::string field = std::string(path) + key;
  if (!it->is_string()) return invalid(field, "must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes)
    return invalid(field, "is longer than " + std::to_string(max_bytes) + " bytes");
  out = s;
  return std::nullopt;
}

std::optional<IntakeError> read_bool(const json& obj, const char* key, std::string_view path,
                                     bool& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) return invalid(std::string(path) + key, "must be true or false");
  out = it->get<bool>();
  return std::nullopt;
}

std::optional<IntakeError> read_time(const json& obj, const char* key,
                                     std::optional<Timestamp>& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return invalid(key, "must be an RFC 3339 time string");
  out = Timestamp::parse(it->get_ref<const std::string&>());
  if (!out)
    return invalid(key, "is not an RFC 3339 time (like 2026-11-26T09:15:00+08:00): '" +
                            it->get<std::string>().substr(0, 64) + "'");
  return std::nullopt;
}

bool plausible_phone(std::string_view p) {
  if (p.size() > 32) return false;
  int digits = 0;
  for (char c : p) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c != '-' && c != '+' && c != ' ' && c != '(' && c != ')')
      return false;
  }
  return digits >= 3;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  return true;
}

#define SUQIU_TRY(expr) \
  if (auto err = (expr)) return *err

IntakeParse parse_object(const json& o) {
  if (!o.is_object()) return IntakeError{"E_NOT_OBJECT", "", "an intake record must be a JSON object"};
  IntakeRecord r;

  // Required fields first, in the order DESIGN.md lists them.
  if (!o.contains("source") || o["source"].is_null()) return missing("source");
  SUQIU_TRY(read_string(o, "source", "", 64, r.source));
  if (r.source.empty()) return invalid("source", "must not be empty");
  for (char c : r.source)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return invalid("source", "may contain only a-z, 0-9, '_' and '-'");

  if (!o.contains("external_id") || o["external_id"].is_null()) return missing("external_id");
  SUQIU_TRY(read_string(o, "external_id", "", 128, r.external_id));
  if (r.external_id.empty()) return invalid("external_id", "must not be empty");

  if (!o.contains("received_at") || o["received_at"].is_null()) return missing("received_at");
  std::optional<Timestamp> received;
  SUQIU_TRY(read_time(o, "received_at", received));
  r.received_at = *received;

  if (!o.contains("content") || o["content"].is_null()) return missing("content");
  SUQIU_TRY(read_string(o, "content", "", kMaxContentBytes, r.content));
  if (r.content.find_first_not_of(" \t\r\n") == std::string::npos)
    return invalid("content", "must not be empty");

  // Optional fields.
  if (auto it = o.find("request_type"); it != o.end() && !it->is_null()) {
    if (!it->is_string()) return invalid("request_type", "must be a string");
    r.request_type = parse_request_type(it->get_ref<const std::string&>());
    if (!r.request_type)
      return invalid("request_type",
                     "must be one of complaint, report, inquiry, help, suggestion, praise");
  }
  if (auto it = o.find("category"); it != o.end() && !it->is_null()) {
    std::string category;
    SUQIU_TRY(read_string(o, "category", "", 64, category));
    if (!category.empty()) r.category = category;
  }
  SUQIU_TRY(read_string(o, "subject", "", kMaxShortFieldBytes, r.subject));

  if (auto it = o.find("caller"); it != o.end() && !it->is_null()) {
    if (!it->is_object()) return invalid("caller", "must be an object");
    SUQIU_TRY(read_string(*it, "name", "caller.", 128, r.caller.name));
    SUQIU_TRY(read_string(*it, "phone", "caller.", 32, r.caller.phone));
    if (!r.caller.phone.empty() && !plausible_phone(r.caller.phone))
      return invalid("caller.phone", "is not a phone number");
    SUQIU_TRY(read_bool(*it, "anonymous", "caller.", r.caller.anonymous));
    SUQIU_TRY(read_bool(*it, "confidential", "caller.", r.caller.confidential));
  }

  if (auto it = o.find("location"); it != o.end() && !it->is_null()) {
    if (!it->is_object()) return invalid("location", "must be an object");
    SUQIU_TRY(read_string(*it, "address", "location.", kMaxShortFieldBytes, r.location.address));
    for (auto [key, limit] : {std::pair{"lat", 90.0}, std::pair{"lon", 180.0}}) {
      auto c = it->find(key);
      if (c == it->end() || c->is_null()) continue;
      std::string field = std::string("location.") + key;
      if (!c->is_number()) return invalid(field, "must be a number");
      double v = c->get<double>();
      if (v < -limit || v > limit) return invalid(field, "is out of range");
      (std::string_view(key) == "lat" ? r.location.lat : r.location.lon) = v;
    }
  }

  SUQIU_TRY(read_time(o, "deadline", r.deadline));
  SUQIU_TRY(read_bool(o, "urgent", "", r.urgent));

  if (auto it = o.find("attachments"); it != o.end() && !it->is_null()) {
    if (!it->is_array()) return invalid("attachments", "must be an array");
    if (it->size() > 100) return invalid("attachments", "has more than 100 entries");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& a = (*it)[i];
      std::string path = "attachments[" + std::to_string(i) + "].";
      if (!a.is_object()) return invalid(path.substr(0, path.size() - 1), "must be an object");
      Attachment att;
      SUQIU_TRY(read_string(a, "name", path, kMaxShortFieldBytes, att.name));
      SUQIU_TRY(read_string(a, "sha256", path, 64, att.sha256));
      SUQIU_TRY(read_string(a, "uri", path, 2048, att.uri));
      SUQIU_TRY(read_string(a, "mime", path, 128, att.mime));
      if (!att.sha256.empty() && !is_hex64(att.sha256) && att.sha256 != "…")
        return invalid(path + "sha256", "must be 64 hexadecimal digits");
      r.attachments.push_back(std::move(att));
    }
  }

  if (auto it = o.find("upstream"); it != o.end() && !it->is_null()) {
    if (!it->is_object()) return invalid("upstream", "must be an object");
    r.upstream = *it;
  }
  return r;
}

#undef SUQIU_TRY

}  // namespace

IntakeParse parse_intake(const nlohmann::json& object) { return parse_object(object); }

IntakeParse parse_intake(std::string_view text) {
  if (text.size() > kMaxIntakeBytes)
    return IntakeError{"E_TOO_LARGE", "",
                       "record is larger than " + std::to_string(kMaxIntakeBytes) + " bytes"};
  // The parser would skip a byte order mark; the protocol allows none.
  if (text.starts_with("\xEF\xBB\xBF"))
    return IntakeError{"E_NOT_JSON", "", "not JSON: the record starts with a byte order mark"};
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for huge numbers
    std::string what = e.what();
    bool utf8 = what.find("UTF-8") != std::string::npos;
    return IntakeError{utf8 ? "E_BAD_UTF8" : "E_NOT_JSON", "",
                       (utf8 ? "invalid UTF-8: " : "not JSON: ") + what};
  }
  return parse_object(parsed);
}

bool is_builtin_source(std::string_view s) {
  static constexpr std::array<std::string_view, 5> kSources = {"12345", "12328", "reportbox",
                                                               "walkin", "open311"};
  for (auto b : kSources)
    if (b == s) return true;
  return false;
}

nlohmann::json IntakeRecord::to_json() const {
  json j = {{"source", source},
            {"external_id", external_id},
            {"received_at", received_at.to_string()},
            {"content", content}};
  if (request_type) j["request_type"] = to_code(*request_type);
  if (category) j["category"] = *category;
  if (!subject.empty()) j["subject"] = subject;
  json c = {{"name", caller.name}, {"phone", caller.phone}, {"anonymous", caller.anonymous}};
  if (caller.confidential) c["confidential"] = true;
  j["caller"] = c;
  if (!location.address.empty() || location.lat || location.lon) {
    json l = {{"address", location.address}};
    if (location.lat) l["lat"] = *location.lat;
    if (location.lon) l["lon"] = *location.lon;
    j["location"] = l;
  }
  if (deadline) j["deadline"] = deadline->to_string();
  if (urgent) j["urgent"] = true;
  if (!attachments.empty()) {
    json a = json::array();
    for (const auto& att : attachments)
      a.push_back({{"name", att.name}, {"sha256", att.sha256}, {"uri", att.uri}, {"mime", att.mime}});
    j["attachments"] = a;
  }
  if (!upstream.empty()) j["upstream"] = upstream;
  return j;
}

}  // namespace suqiu
