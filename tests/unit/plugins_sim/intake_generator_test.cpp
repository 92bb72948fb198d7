// IntakeGenerator: the same seed gives the same records; every record is one
// the hub takes (parse_intake, known source and category); the channels,
// categories and request types come in the designed proportions; texts are
// composed, not copied; callers and plates recur as at a real desk.
#include "sim/intake_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/intake_record.h"
#include "core/taxonomy.h"
#include "sim/hotline_rhythm.h"
#include "sim/phrase_book.h"

namespace suqiu::sim {
namespace {

using namespace std::chrono;
using nlohmann::json;

// A week of a desk's traffic (Monday 23 to Sunday 29 November 2026), bursts
// included, and at least `n` records: the traffic of the week, then more
// days if needed.
std::vector<SimIntake> traffic(std::uint64_t seed, std::size_t n) {
  const HotlineRhythm& rhythm = IntakeGenerator::default_rhythm();
  IntakeGenerator g(seed);
  std::vector<SimIntake> out;
  for (sys_days d = sys_days{2026y / November / 23}; out.size() < n; d += days{1}) {
    const DayTraffic day = rhythm.day(year_month_day{d}, seed);
    for (const auto& a : day.arrivals) {
      out.push_back(g.next(a.at, a.source, a.burst ? &day.bursts[*a.burst] : nullptr));
      if (a.burst) out.back().burst = a.burst;
    }
  }
  return out;
}

class GeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { records_ = new std::vector<SimIntake>(traffic(20261127, 5000)); }
  static void TearDownTestSuite() { delete records_; }
  static const std::vector<SimIntake>& records() { return *records_; }
  static std::vector<SimIntake>* records_;
};
std::vector<SimIntake>* GeneratorTest::records_ = nullptr;

TEST(GeneratorSeed, SameSeedSameRecords) {
  const auto a = traffic(7, 600), b = traffic(7, 600);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i].json, b[i].json) << "record " << i;
}

TEST(GeneratorSeed, OtherSeedOtherRecords) {
  const auto a = traffic(7, 300), b = traffic(8, 300);
  std::set<std::string> contents;
  for (const auto& r : a) contents.insert(json::parse(r.json)["content"]);
  int shared = 0;
  for (const auto& r : b) shared += contents.count(json::parse(r.json)["content"]);
  EXPECT_LT(shared, 5);
}

TEST(GeneratorSeed, SameTimesSameRecordsWithoutARhythm) {
  // Live mode: the caller gives only the time; the mix of the hour draws the channel.
  IntakeGenerator a(3), b(3);
  const Timestamp t = *Timestamp::parse("2026-11-26T10:00:00+08:00");
  for (int i = 0; i < 200; ++i) ASSERT_EQ(a.next({t.epoch + i, 480}).json, b.next({t.epoch + i, 480}).json);
}

TEST_F(GeneratorTest, EveryRecordPassesTheHubsValidation) {
  const Taxonomy& taxonomy = Taxonomy::builtin();
  std::set<std::pair<std::string, std::string>> ids;
  for (const auto& r : records()) {
    auto parsed = parse_intake(std::string_view(r.json));
    ASSERT_TRUE(std::holds_alternative<IntakeRecord>(parsed))
        << std::get<IntakeError>(parsed).code << " " << std::get<IntakeError>(parsed).field << ": " << r.json;
    const auto& rec = std::get<IntakeRecord>(parsed);
    EXPECT_TRUE(is_builtin_source(rec.source)) << rec.source;
    if (rec.category) {
      EXPECT_NE(taxonomy.category(*rec.category), nullptr) << *rec.category;
    }
    EXPECT_NE(taxonomy.category(r.category), nullptr) << r.category;
    EXPECT_EQ(rec.received_at.epoch, r.received_at.epoch);
    EXPECT_TRUE(ids.insert({rec.source, rec.external_id}).second) << "external_id twice: " << rec.external_id;
    // Nothing of the templates' marks is left in what a citizen sees.
    EXPECT_EQ(rec.content.find_first_of("{}[]|"), std::string::npos) << rec.content;
    EXPECT_EQ(rec.subject.find_first_of("{}[]|"), std::string::npos) << rec.subject;
    EXPECT_LT(rec.content.size(), 1500u);
  }
}

TEST_F(GeneratorTest, TextsAreNotCopies) {
  std::map<std::string, int> contents;
  for (const auto& r : records()) ++contents[json::parse(r.json)["content"].get<std::string>()];
  int copies = 0;
  for (const auto& [text, n] : contents) copies += n - 1;
  EXPECT_LT(copies, static_cast<int>(records().size() * 0.02)) << copies << " exact copies";
  std::set<std::string> matters;
  for (const auto& r : records()) matters.insert(r.matter);
  EXPECT_GT(matters.size(), 100u);  // nearly every matter of the phrase book comes up in a week
}

TEST_F(GeneratorTest, ChannelsComeInTheDesignedMix) {
  std::map<std::string, double> share;
  for (const auto& r : records()) share[r.source] += 1.0 / static_cast<double>(records().size());
  EXPECT_NEAR(share["12345"], 0.47, 0.06);
  EXPECT_NEAR(share["12328"], 0.30, 0.06);
  EXPECT_NEAR(share["reportbox"], 0.14, 0.05);
  EXPECT_GT(share["walkin"], 0.015);
  EXPECT_LT(share["walkin"], 0.07);
  EXPECT_GT(share["open311"], 0.02);
  EXPECT_LT(share["open311"], 0.07);
}

TEST_F(GeneratorTest, CategoriesAndTypesInPlausibleProportions) {
  std::map<std::string, int> category, type;
  for (const auto& r : records()) {
    ++category[r.category];
    ++type[std::string(to_code(r.request_type))];
  }
  const double n = static_cast<double>(records().size());
  for (const auto& c : Taxonomy::builtin().categories()) EXPECT_GT(category[c.code], 0) << c.code;
  // Buses and taxis lead, waterways and conduct are rare.
  EXPECT_GT(category["bus"] / n, 0.12);
  EXPECT_GT(category["taxi"] / n, 0.10);
  EXPECT_LT(category["waterway"] / n, 0.06);
  EXPECT_LT(category["conduct"] / n, 0.07);
  EXPECT_GT(category["bus"], category["coach"]);
  // Complaints lead, then reports and inquiries; praise is the rarest.
  EXPECT_NEAR(type["complaint"] / n, 0.43, 0.08);
  EXPECT_GT(type["report"], type["praise"]);
  EXPECT_GT(type["inquiry"], type["praise"]);
  EXPECT_LT(type["praise"] / n, 0.08);
  for (const char* t : {"complaint", "report", "inquiry", "help", "suggestion", "praise"}) EXPECT_GT(type[t], 0) << t;
}

TEST_F(GeneratorTest, ChannelsWriteTheirOwnWay) {
  for (const auto& r : records()) {
    const json j = json::parse(r.json);
    const std::string content = j["content"];
    if (r.source == "12345") {
      EXPECT_TRUE(j["external_id"].get<std::string>().starts_with("GD-ZJ-")) << r.external_id;
      EXPECT_EQ(j["upstream"]["platform"], "12345");
      EXPECT_EQ(j["upstream"]["order_no"], r.external_id);
    } else if (r.source == "12328") {
      EXPECT_TRUE(r.external_id.starts_with("12328-440800-")) << r.external_id;
    } else if (r.source == "reportbox") {
      EXPECT_TRUE(r.external_id.starts_with("JB")) << r.external_id;
      EXPECT_TRUE(j["upstream"].contains("retrieval_code"));
      EXPECT_EQ(content.find("来电人"), std::string::npos) << content;  // letters speak for themselves
    } else if (r.source == "walkin") {
      EXPECT_TRUE(r.external_id.starts_with("CT-")) << r.external_id;
      EXPECT_TRUE(HotlineRhythm().office_hours(r.received_at)) << r.received_at.to_string();
    }
  }
}

TEST_F(GeneratorTest, CallersLookReal) {
  const std::regex phone(R"((1[3-9]\d{9})|(0759-[23]\d{6})|(\+852 [569]\d{3} \d{4}))");
  int anonymous = 0, named = 0, titled_names = 0, confidential_reports = 0, reports = 0;
  for (const auto& r : records()) {
    if (!r.caller_phone.empty()) {
      EXPECT_TRUE(std::regex_match(r.caller_phone, phone)) << r.caller_phone;
    }
    anonymous += r.anonymous;
    if (!r.caller_name.empty()) {
      ++named;
      for (const char* title : {"先生", "女士", "小姐", "阿姨", "师傅", "伯"}) titled_names += r.caller_name.ends_with(title);
    }
    if (r.request_type == RequestType::report) {
      ++reports;
      confidential_reports += r.confidential || r.anonymous;
    }
  }
  const double n = static_cast<double>(records().size());
  EXPECT_GT(anonymous / n, 0.05);
  EXPECT_LT(anonymous / n, 0.35);
  EXPECT_GT(titled_names, named * 0.7);  // 李先生, 王女士 more than full names
  EXPECT_GT(confidential_reports, reports / 2);  // whistle-blowers mostly hide
}

TEST_F(GeneratorTest, CallersAndObjectsRecur) {
  int repeats = 0, again = 0;
  std::map<std::string, int> phones, objects;
  for (const auto& r : records()) {
    if (!r.caller_phone.empty()) ++phones[r.caller_phone];
    if (!r.object.empty()) ++objects[r.object];
    repeats += r.repeat_caller;
    if (r.again) {
      ++again;
      EXPECT_NE(json::parse(r.json)["content"].get<std::string>().find("反映"), std::string::npos);
      EXPECT_GT(phones[r.caller_phone], 1) << "a repeat without an earlier call from " << r.caller_phone;
    }
  }
  const double n = static_cast<double>(records().size());
  EXPECT_NEAR(repeats / n, 0.065, 0.03);
  EXPECT_GT(again, repeats / 3);
  int plates_named_thrice = 0, routes_named_often = 0;
  for (const auto& [object, count] : objects) {
    if (object.find("·") != std::string::npos && count >= 3) ++plates_named_thrice;
    if (object.ends_with("路") && count >= 20) ++routes_named_often;
  }
  EXPECT_GE(plates_named_thrice, 5);   // the usual suspects (粤G·T…)
  EXPECT_GE(routes_named_often, 3);    // the busiest routes (18路, …)
}

TEST_F(GeneratorTest, ObjectsAreNamedInTheText) {
  for (const auto& r : records()) {
    if (r.object.empty()) continue;
    const std::string content = json::parse(r.json)["content"];
    if (r.object.ends_with("路")) {
      EXPECT_NE(content.find(r.object), std::string::npos) << r.object << " in " << content;
    } else {
      // A plate is spelled as callers do (粤G·T2736, 粤GT2736, 粤G T2736, 粤G-T2736).
      const std::string tail = r.object.substr(r.object.find("·") + std::string("·").size());
      EXPECT_NE(content.find(tail), std::string::npos) << r.object << " in " << content;
    }
  }
}

TEST(GeneratorBursts, CallsOfABurstShareTheirEvent) {
  const HotlineRhythm& rhythm = IntakeGenerator::default_rhythm();
  IntakeGenerator g(99);
  int bursts_seen = 0;
  for (sys_days d = sys_days{2026y / October / 1}; d < sys_days{2026y / December / 1}; d += days{1}) {
    const DayTraffic day = rhythm.day(year_month_day{d}, 99);
    std::map<std::size_t, std::set<std::string>> objects_by_burst;
    std::map<std::size_t, int> calls;
    for (const auto& a : day.arrivals) {
      const SimIntake s = g.next(a.at, a.source, a.burst ? &day.bursts[*a.burst] : nullptr);
      if (!a.burst) continue;
      ++calls[*a.burst];
      EXPECT_GE(a.at, day.bursts[*a.burst].start);
      EXPECT_LE(a.at, day.bursts[*a.burst].end);
      // Bursts about one route or one taxi name only it.
      const auto& pinned = PhraseBook::builtin().bursts()[day.bursts[*a.burst].kind].pinned;
      const bool about_an_object = std::find(pinned.begin(), pinned.end(), "route") != pinned.end() ||
                                   std::find(pinned.begin(), pinned.end(), "taxi") != pinned.end();
      if (about_an_object && !s.object.empty()) objects_by_burst[*a.burst].insert(s.object);
    }
    for (const auto& [b, n] : calls) {
      ++bursts_seen;
      EXPECT_GE(n, 2);
      // A route change is about one route, a bad taxi about one plate.
      EXPECT_LE(objects_by_burst[b].size(), 1u);
    }
  }
  EXPECT_GT(bursts_seen, 10);  // about one day in three
}

TEST(GeneratorRunTag, LiveRunsDoNotCollide) {
  GeneratorOptions o;
  o.run_tag = "093015";
  IntakeGenerator tagged(1, o), plain(1);
  const Timestamp t = *Timestamp::parse("2026-11-26T10:00:00+08:00");
  for (int i = 0; i < 50; ++i) {
    const SimIntake a = tagged.next(t, "12345"), b = plain.next(t, "12345");
    EXPECT_NE(a.external_id.find("-093015-"), std::string::npos) << a.external_id;
    EXPECT_NE(a.external_id, b.external_id);
  }
}

}  // namespace
}  // namespace suqiu::sim
