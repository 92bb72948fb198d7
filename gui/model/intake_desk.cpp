#include "intake_desk.h"

#include <random>

#include "core/codes.h"
#include "core/timestamp.h"

namespace suqiu::console {

using nlohmann::json;

namespace {
TakenIntake taken_of(const json& data, const Words& w) {
  const json& c = data.at("case");
  TakenIntake t;
  t.case_id = c.value("id", std::int64_t{0});
  t.case_number = c.value("case_number", c.value("case_no", std::string()));
  t.duplicate = data.value("duplicate", false);
  t.request_type = w.request_type(c.value("request_type", ""));
  t.category = w.category(c.value("category", ""));
  t.section = w.section(c.value("section", ""));
  t.deadline = short_time(c.value("deadline", ""));
  return t;
}
}  // namespace

IntakeDesk::IntakeDesk(ConsoleSession& session, Words words) : session_(session), words_(words) {}

std::vector<std::pair<std::string, std::string>> IntakeDesk::sources() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* code : {"12328", "12345", "walkin", "reportbox"}) out.emplace_back(code, words_.source(code));
  return out;
}

std::vector<std::pair<std::string, std::string>> IntakeDesk::request_types() const {
  std::vector<std::pair<std::string, std::string>> out{{"", std::string(words_("自动判断", "decide automatically"))}};
  for (RequestType t : kRequestTypes) out.emplace_back(std::string(to_code(t)), words_.request_type(to_code(t)));
  return out;
}

std::string IntakeDesk::new_external_id() const {
  // Unique without coordination: who took it, when to the second, and 32 random bits.
  std::random_device rd;
  char tail[9];
  std::snprintf(tail, sizeof tail, "%08x", rd());
  std::string when = Timestamp::now().to_string();  // 2026-11-27T18:54:00+08:00
  std::string digits;
  for (char c : when.substr(0, 19))
    if (c >= '0' && c <= '9') digits += c;
  return "DESK-" + session_.who().user + "-" + digits + "-" + tail;
}

void IntakeDesk::take(const NewIntake& in, const std::string& external_id, std::function<void(Taken)> done) {
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
  if (blank(in.content)) return done(std::string(words_("诉求内容：必须填写", "what the caller says: required")));
  json record = {{"source", in.source},
                 {"external_id", external_id},
                 {"received_at", Timestamp::now().to_string()},
                 {"content", in.content},
                 {"caller", {{"name", in.caller_name}, {"phone", in.caller_phone}, {"anonymous", in.anonymous},
                             {"confidential", in.confidential}}}};
  if (!blank(in.subject)) record["subject"] = in.subject;
  if (!blank(in.address)) record["location"] = {{"address", in.address}};
  if (!in.request_type.empty()) record["request_type"] = in.request_type;
  if (in.urgent) record["urgent"] = true;
  // A copy of the words: the completion may outlive this desk.
  session_.request("case.create", {{"record", record}}, [w = words_, done = std::move(done)](Outcome<json> outcome) {
    if (!outcome.ok()) {
      const ApiError& e = outcome.error();
      return done(e.field().empty() ? std::string(e.what()) : e.field() + ": " + e.what());
    }
    done(taken_of(outcome.value(), w));
  });
}

}  // namespace suqiu::console
