// The reason file beside a failed spool file: valid JSON, one refused line per
// text line in line order, saying who refused it, with code and field.
#include "file/reason_file.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace suqiu::filefeed {
namespace {

using nlohmann::json;

ReasonFile sample() {
  ReasonFile r;
  r.file = "12345-20261126.jsonl";
  r.failed_at = "2026-11-26T09:20:01+08:00";
  r.lines = 12;
  r.records = 10;
  r.stored = 9;
  r.refused_here = {{4, "E_NOT_JSON", "", "not JSON: column 2: syntax error"},
                    {11, "E_FIELD_MISSING", "content", "required field 'content' is missing"}};
  r.refused_by_hub = {{7, "E_FIELD_INVALID", "category", "field 'category' names an unknown category '出租车'"}};
  return r;
}

TEST(ReasonFile, IsJsonWithEveryRefusalInLineOrder) {
  const auto text = format_reason_file(sample());
  const auto j = json::parse(text);
  EXPECT_EQ(j["file"], "12345-20261126.jsonl");
  EXPECT_EQ(j["failed_at"], "2026-11-26T09:20:01+08:00");
  EXPECT_EQ(j["lines"], 12);
  EXPECT_EQ(j["records"], 10);
  EXPECT_EQ(j["stored"], 9);
  ASSERT_EQ(j["refused"].size(), 3u);
  EXPECT_EQ(j["refused"][0], json({{"line", 4}, {"by", "feed"}, {"code", "E_NOT_JSON"}, {"field", ""},
                                   {"reason", "not JSON: column 2: syntax error"}}));
  EXPECT_EQ(j["refused"][1]["line"], 7);
  EXPECT_EQ(j["refused"][1]["by"], "hub");
  EXPECT_EQ(j["refused"][1]["field"], "category");
  EXPECT_EQ(j["refused"][2]["line"], 11);
  EXPECT_EQ(j["refused"][2]["by"], "feed");
  EXPECT_EQ(j["refused"][2]["code"], "E_FIELD_MISSING");
}

TEST(ReasonFile, OneRefusalPerTextLine) {
  // grep 'E_FIELD' failed/*.reason.json finds each refused line on its own.
  std::istringstream in(format_reason_file(sample()));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_NE(lines[1].find("\"line\":4"), std::string::npos);
  EXPECT_NE(lines[2].find("\"line\":7"), std::string::npos);
  EXPECT_NE(lines[3].find("\"line\":11"), std::string::npos);
  EXPECT_EQ(lines[4], "]}");
  // Chinese stays readable, not \u-escaped.
  EXPECT_NE(lines[2].find("出租车"), std::string::npos);
}

TEST(ReasonFile, ABrokenCharacterInAReasonStillGivesJson) {
  // The hub quotes at most 64 bytes of a bad value, which may cut a character.
  auto r = sample();
  r.refused_by_hub[0].reason = "field 'category' names an unknown category '\xE5\x87'";
  EXPECT_NO_THROW(json::parse(format_reason_file(r)));
}

TEST(ReasonFile, AWholeFileRefusal) {
  ReasonFile r;
  r.file = "big.jsonl";
  r.failed_at = "2026-11-26T09:20:01+08:00";
  r.refused_here = {{0, "E_TOO_LARGE", "", "the file is larger than 67108864 bytes; split it"}};
  const auto j = json::parse(format_reason_file(r));
  EXPECT_EQ(j["refused"][0]["line"], 0);
  EXPECT_EQ(j["records"], 0);
}

}  // namespace
}  // namespace suqiu::filefeed
