#include "case_views.h"

namespace suqiu {
namespace {

using nlohmann::json;

bool protected_identity(const store::CaseSummary& c) {
  return c.request_type == "report" || c.confidential;
}

void put_caller(json& j, const store::CaseSummary& c, const Viewer& v, std::string_view taken_by) {
  if (protected_identity(c) && !may_see_identity(v, c, taken_by)) {
    j["caller_name"] = c.caller_name.empty() ? "" : "***";
    j["caller_phone"] = c.caller_phone.empty() ? "" : "***";
    j["identity_protected"] = true;
    return;
  }
  j["caller_name"] = c.caller_name;
  j["caller_phone"] = v.role == Role::liaison ? mask_phone(c.caller_phone) : c.caller_phone;
  j["identity_protected"] = protected_identity(c);
}

// The protocol's `caller` object, from the flat keys put_caller decided on.
void put_caller_object(json& j, const store::CaseSummary& c) {
  j["caller"] = {{"name", j["caller_name"]}, {"phone", j["caller_phone"]}, {"anonymous", c.anonymous},
                 {"protected", j["identity_protected"]}};
}

json assisting_of(const std::string& text) {
  json a = json::parse(text, nullptr, false);
  return a.is_array() ? a : json::array();
}

json optional_rate(std::optional<double> r) { return r ? json(*r) : json(nullptr); }

}  // namespace

std::string mask_phone(std::string_view phone) {
  std::string digits;
  for (char ch : phone)
    if (ch >= '0' && ch <= '9') digits += ch;
  if (digits.empty()) return "";
  if (digits.size() >= 7) return digits.substr(0, 3) + "****" + digits.substr(digits.size() - 4);
  return std::string(digits.size() - std::min<std::size_t>(2, digits.size()), '*') +
         digits.substr(digits.size() - std::min<std::size_t>(2, digits.size()));
}

bool may_see_identity(const Viewer& v, const store::CaseSummary& c, std::string_view taken_by) {
  if (!protected_identity(c)) return v.role != Role::liaison;
  if (v.role == Role::leader) return true;
  return v.role == Role::operator_ && !v.name.empty() && v.name == taken_by;
}

json summary_json(const store::CaseSummary& c, const Viewer& v) {
  json j = {{"id", c.id},
            {"case_no", c.case_no},
            {"source", c.source},
            {"external_id", c.external_id},
            {"request_type", c.request_type},
            {"category", c.category},
            {"section", c.section},
            {"status", c.status},
            {"received_at", c.received_at},
            {"deadline", c.deadline},
            {"subject", c.subject},
            {"urgent", c.urgent},
            {"needs_review", c.needs_review},
            {"anonymous", c.anonymous},
            {"duplicate_of", c.duplicate_of ? json(*c.duplicate_of) : json(nullptr)}};
  j["assist"] = assisting_of(c.assisting_json);
  // The list never carries the taker, so only leaders see protected identities here.
  put_caller(j, c, v, {});
  put_caller_object(j, c);
  return j;
}

json detail_json(const store::CaseDetail& d, const Viewer& v) {
  json j = summary_json(d.summary, v);
  put_caller(j, d.summary, v, d.taken_by);
  put_caller_object(j, d.summary);
  j["content"] = d.content;
  j["address"] = d.address;
  j["lat"] = d.lat ? json(*d.lat) : json(nullptr);
  j["lon"] = d.lon ? json(*d.lon) : json(nullptr);
  j["taken_by"] = d.taken_by;
  j["assisting"] = json::parse(d.assisting_json, nullptr, false);
  j["confidence"] = d.confidence;
  j["duplicate_score"] = d.duplicate_score ? json(*d.duplicate_score) : json(nullptr);
  j["satisfaction"] = d.satisfaction ? json(*d.satisfaction) : json(nullptr);
  json history = json::array();
  for (const auto& e : d.history)
    history.push_back({{"at", Timestamp{e.at_ts}.to_string()},
                       {"actor", e.actor},
                       {"action", e.action},
                       {"from", e.from_status ? json(*e.from_status) : json(nullptr)},
                       {"to", e.to_status ? json(*e.to_status) : json(nullptr)},
                       {"detail", json::parse(e.detail, nullptr, false)}});
  j["history"] = history;
  return j;
}

json statistics_json(const store::Statistics& s) {
  return {{"total", s.total},
          {"by_source", s.by_source},
          {"by_request_type", s.by_request_type},
          {"by_category", s.by_category},
          {"by_section", s.by_section},
          {"by_status", s.by_status},
          {"on_time_rate", optional_rate(s.on_time_rate())},
          {"satisfaction_rate", optional_rate(s.satisfaction_rate())},
          {"duplicates", s.duplicates},
          {"closed_on_time", s.closed_on_time},
          {"closed_late", s.closed_late},
          {"callbacks", s.callbacks},
          {"returns", s.returns},
          {"needs_review", s.needs_review},
          {"repeat_plate", s.repeat_plate},
          {"repeat_route", s.repeat_route},
          {"answered_on_call", s.answered_on_call},
          {"inquiry_answered_on_call_rate", optional_rate(s.inquiries_answered_on_call_rate())},
          {"complaint_on_time_rate", optional_rate(s.complaints_on_time_rate())},
          {"complaint_satisfaction_rate", optional_rate(s.complaints_satisfaction_rate())},
          {"return_rate", optional_rate(s.return_rate())},
          {"callback_rate", optional_rate(s.callback_rate())}};
}

}  // namespace suqiu
