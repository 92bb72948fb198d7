// Intake validation: a table of records and the field each must be refused for.
#include "core/intake_record.h"

#include <gtest/gtest.h>

namespace suqiu {
namespace {

const char* kValid = R"({"source":"12345","external_id":"GD-ZJ-20261126-000123",
 "received_at":"2026-11-26T09:15:00+08:00","request_type":"complaint",
 "caller":{"name":"李先生","phone":"13800138000","anonymous":false},
 "subject":"出租车拒载","content":"在开发区大道乘坐出租车时司机拒载",
 "location":{"address":"湛江开发区人民大道中","lat":21.2,"lon":110.4},
 "deadline":"2026-12-03T18:00:00+08:00",
 "attachments":[{"name":"call.wav","sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","uri":"file:///x","mime":"audio/wav"}],
 "upstream":{"order":"A1"}})";

TEST(IntakeRecord, ParsesTheDesignExample) {
  auto parsed = parse_intake(std::string_view(kValid));
  ASSERT_TRUE(std::holds_alternative<IntakeRecord>(parsed));
  const auto& r = std::get<IntakeRecord>(parsed);
  EXPECT_EQ(r.source, "12345");
  EXPECT_EQ(r.external_id, "GD-ZJ-20261126-000123");
  EXPECT_EQ(r.received_at.to_string(), "2026-11-26T09:15:00+08:00");
  EXPECT_EQ(r.request_type, RequestType::complaint);
  EXPECT_EQ(r.caller.phone, "13800138000");
  ASSERT_TRUE(r.location.lat);
  EXPECT_DOUBLE_EQ(*r.location.lat, 21.2);
  ASSERT_TRUE(r.deadline);
  EXPECT_EQ(r.attachments.size(), 1u);
  EXPECT_EQ(r.upstream["order"], "A1");
}

TEST(IntakeRecord, RoundTripsThroughJson) {
  auto r = std::get<IntakeRecord>(parse_intake(std::string_view(kValid)));
  auto again = parse_intake(r.to_json());
  ASSERT_TRUE(std::holds_alternative<IntakeRecord>(again));
  EXPECT_EQ(std::get<IntakeRecord>(again).to_json(), r.to_json());
}

struct BadCase {
  const char* why;
  std::string json;
  const char* code;
  const char* field;
};

std::string with(const std::string& key, const std::string& value) {
  auto j = nlohmann::json::parse(kValid);
  if (value == "<remove>")
    j.erase(key);
  else
    j[key] = nlohmann::json::parse(value);
  return j.dump();
}

TEST(IntakeRecord, RefusesWithTheFieldNamed) {
  const BadCase cases[] = {
      {"no content", with("content", "<remove>"), "E_FIELD_MISSING", "content"},
      {"blank content", with("content", R"("   ")"), "E_FIELD_INVALID", "content"},
      {"no source", with("source", "<remove>"), "E_FIELD_MISSING", "source"},
      {"no external id", with("external_id", "<remove>"), "E_FIELD_MISSING", "external_id"},
      {"empty external id", with("external_id", R"("")"), "E_FIELD_INVALID", "external_id"},
      {"no time", with("received_at", "<remove>"), "E_FIELD_MISSING", "received_at"},
      {"bad time", with("received_at", R"("2026-13-45 25:00")"), "E_FIELD_INVALID", "received_at"},
      {"time without zone", with("received_at", R"("2026-11-26T09:15:00")"), "E_FIELD_INVALID", "received_at"},
      {"number as content", with("content", "42"), "E_FIELD_INVALID", "content"},
      {"unknown type", with("request_type", R"("rant")"), "E_FIELD_INVALID", "request_type"},
      {"bad source chars", with("source", R"("12345; drop")"), "E_FIELD_INVALID", "source"},
      {"caller not object", with("caller", R"("x")"), "E_FIELD_INVALID", "caller"},
      {"letters as phone", with("caller", R"({"phone":"call me"})"), "E_FIELD_INVALID", "caller.phone"},
      {"latitude out of range", with("location", R"({"lat":91})"), "E_FIELD_INVALID", "location.lat"},
      {"bad deadline", with("deadline", R"("tomorrow")"), "E_FIELD_INVALID", "deadline"},
      {"attachment hash", with("attachments", R"([{"sha256":"xyz"}])"), "E_FIELD_INVALID", "attachments[0].sha256"},
      {"upstream array", with("upstream", "[1]"), "E_FIELD_INVALID", "upstream"},
      {"array record", "[1,2]", "E_NOT_OBJECT", ""},
      {"not json", "hello there", "E_NOT_JSON", ""},
      {"truncated", R"({"source":"12345")", "E_NOT_JSON", ""},
      {"bad utf-8", "{\"source\":\"\xff\xfe\"}", "E_BAD_UTF8", ""},
      {"number too large", R"({"source":8E4133})", "E_NOT_JSON", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    auto parsed = parse_intake(std::string_view(c.json));
    ASSERT_TRUE(std::holds_alternative<IntakeError>(parsed));
    const auto& e = std::get<IntakeError>(parsed);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.field, c.field);
    EXPECT_FALSE(e.message.empty());
  }
}

TEST(IntakeRecord, RefusesOversizedRecord) {
  std::string huge(kMaxIntakeBytes + 1, ' ');
  auto e = std::get<IntakeError>(parse_intake(std::string_view(huge)));
  EXPECT_EQ(e.code, "E_TOO_LARGE");
}

TEST(Timestamp, ParsesAndFormatsRfc3339) {
  auto t = Timestamp::parse("2026-11-26T01:15:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->in_offset(kBeijingOffsetMinutes).to_string(), "2026-11-26T09:15:00+08:00");
  EXPECT_TRUE(Timestamp::parse("2026-11-26T09:15:00.123+08:00"));
  EXPECT_FALSE(Timestamp::parse("2026-02-30T09:15:00+08:00"));
  EXPECT_FALSE(Timestamp::parse("2026-11-26T24:00:00+08:00"));
  EXPECT_FALSE(Timestamp::parse("2026-11-26T09:15:00+0800"));
  auto early = Timestamp::parse("2026-11-25T23:30:00Z");  // already the 26th in Beijing
  EXPECT_EQ(std::chrono::year_month_day(early->in_offset(480).local_date()),
            std::chrono::year_month_day(std::chrono::year{2026} / 11 / 26));
}

}  // namespace
}  // namespace suqiu
