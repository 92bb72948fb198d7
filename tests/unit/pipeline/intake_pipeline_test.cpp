// IntakePipeline end to end on a real SQLite store in a temporary folder:
// deadlines set at intake, default and configured routing, rejections into
// the dead-letter table, idempotent resends and suspected duplicates.
#include "pipeline/intake_pipeline.h"

#include <gtest/gtest.h>

#include "temp_dir.h"

#include <filesystem>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "classify/normalizer.h"
#include "pipeline/full_text_indexer.h"
#include "pipeline/pipeline_settings.h"

namespace {

using suqiu::IntakePipeline;
using suqiu::IntakeResult;
using suqiu::PipelineSettings;
using suqiu::RawIntake;
using Json = nlohmann::json;
namespace store = suqiu::store;

using suqiu::testing::TempDir;

const char* kTaxiComplaint =
    "市民来电反映：今天上午在人民大道中乘坐粤G·T2736出租车，司机不打表，一口价要50元，"
    "市民提出异议后司机态度恶劣，出言辱骂，要求相关部门核实处理并回复。";

Json intake(std::string external_id, std::string content,
            std::string received = "2026-11-26T09:15:00+08:00", std::string phone = "13800138000") {
  return {{"source", "12345"},
          {"external_id", std::move(external_id)},
          {"received_at", std::move(received)},
          {"request_type", "complaint"},
          {"caller", {{"name", "李先生"}, {"phone", std::move(phone)}, {"anonymous", false}}},
          {"subject", ""},
          {"content", std::move(content)}};
}

class IntakePipelineTest : public ::testing::Test {
 protected:
  IntakePipelineTest() : store_(store::Store::database_file(dir_.path()), store::Store::Access::writer) {}

  static std::shared_ptr<const suqiu::classify::Classifier> classifier() {
    static const auto model =
        std::make_shared<const suqiu::classify::Classifier>(suqiu::classify::Classifier::builtin());
    return model;
  }

  IntakePipeline pipeline(PipelineSettings settings = {}) {
    return IntakePipeline(store_, std::move(settings), classifier());
  }

  // One record through `p`; the line number lets dead letters be told apart.
  IntakeResult submit(IntakePipeline& p, const Json& record) {
    RawIntake raw{record.dump(), "intake_pipeline_test", ++line_, "tester"};
    auto results = p.submit(std::span<const RawIntake>(&raw, 1));
    EXPECT_EQ(results.size(), 1u);
    return results.front();
  }

  store::CaseDetail stored(const IntakeResult& r) {
    EXPECT_EQ(r.kind, IntakeResult::Kind::accepted) << r.error.field << ": " << r.error.message;
    auto d = store_.case_detail(r.case_id);
    EXPECT_TRUE(d.has_value());
    return d.value_or(store::CaseDetail{});
  }

  TempDir dir_;
  store::Store store_;
  std::int64_t line_ = 0;
};

TEST_F(IntakePipelineTest, ComplaintDeadlineIsFiveWorkingDaysAtEndOfDay) {
  auto p = pipeline();
  // Thursday: Fri, Mon, Tue, Wed, Thu -> the next Thursday at 18:00.
  auto thursday = stored(submit(p, intake("D-1", kTaxiComplaint, "2026-11-26T09:15:00+08:00")));
  EXPECT_EQ(thursday.summary.deadline, "2026-12-03T18:00:00+08:00");
  // Friday before National Day 2025: Sunday 28 September is a make-up working
  // day, 1-8 October are holidays -> Friday 10 October.
  auto friday = stored(submit(p, intake("D-2", kTaxiComplaint, "2025-09-26T10:00:00+08:00")));
  EXPECT_EQ(friday.summary.deadline, "2025-10-10T18:00:00+08:00");
}

TEST_F(IntakePipelineTest, AnEarlierUpstreamDeadlineWins) {
  auto p = pipeline();
  auto earlier = intake("D-1", kTaxiComplaint);
  earlier["deadline"] = "2026-11-30T12:00:00+08:00";
  EXPECT_EQ(stored(submit(p, earlier)).summary.deadline, "2026-11-30T12:00:00+08:00");
  auto later = intake("D-2", kTaxiComplaint);
  later["deadline"] = "2026-12-20T18:00:00+08:00";  // later than ours: ours stands
  EXPECT_EQ(stored(submit(p, later)).summary.deadline, "2026-12-03T18:00:00+08:00");
}

TEST_F(IntakePipelineTest, EachCategoryGoesToItsDefaultSection) {
  // DESIGN.md's table; the category is given on the record, so the
  // classifier keeps it whatever the text says.
  const std::pair<const char*, const char*> table[] = {
      {"taxi", "urban"},          {"ride_hailing", "urban"},        {"bus", "urban"},
      {"coach", "transport"},     {"freight", "transport"},         {"driver_training", "transport"},
      {"vehicle_repair", "transport"}, {"overload", "enforcement"}, {"illegal_operation", "enforcement"},
      {"road", "highway"},        {"waterway", "port"},             {"conduct", "supervision"},
      {"other", "office"},
  };
  auto p = pipeline();
  int n = 0;
  for (const auto& [category, section] : table) {
    ++n;
    auto record = intake("R-" + std::to_string(n), "来电人反映一件事情，请相关部门处理。第" + std::to_string(n) + "件。");
    record["category"] = category;
    auto d = stored(submit(p, record));
    EXPECT_EQ(d.summary.category, category);
    EXPECT_EQ(d.summary.section, section) << category;
    EXPECT_EQ(Json::parse(d.assisting_json), Json::array()) << category;
  }
  EXPECT_EQ(n, 13);
}

TEST_F(IntakePipelineTest, ConfiguredRoutingRuleFromToml) {
  auto config = toml::parse(R"(
[[routing.rule]]
name = "station-touts-from-12328"
source = "12328"
keywords = ["客运站", "汽车站"]
lead = "enforcement"
assist = ["transport", "enforcement"]
)");
  auto p = pipeline(suqiu::load_pipeline_settings(config));
  const char* text = "12328来电：赤坎客运站门口有人拉客，把乘客带上没有营运证的车。";
  auto matching = intake("T-1", text);
  matching["source"] = "12328";
  matching["category"] = "coach";
  auto d = stored(submit(p, matching));
  EXPECT_EQ(d.summary.section, "enforcement");
  EXPECT_EQ(Json::parse(d.assisting_json), Json::array({"transport"}));  // the lead is not repeated

  auto other_source = intake("T-2", text);  // 12345: the rule does not apply
  other_source["category"] = "coach";
  d = stored(submit(p, other_source));
  EXPECT_EQ(d.summary.section, "transport");

  auto no_keyword = intake("T-3", "12328来电：长途车超员，车上站着十几个人。");
  no_keyword["source"] = "12328";
  no_keyword["category"] = "coach";
  d = stored(submit(p, no_keyword));
  EXPECT_EQ(d.summary.section, "transport");
}

TEST_F(IntakePipelineTest, UnknownSourceAndCategoryAreRejectedIntoDeadLetters) {
  auto p = pipeline();
  auto bad_source = intake("B-1", kTaxiComplaint);
  bad_source["source"] = "wechat";
  auto r = submit(p, bad_source);
  EXPECT_EQ(r.kind, IntakeResult::Kind::rejected);
  EXPECT_EQ(r.error.code, "E_FIELD_INVALID");
  EXPECT_EQ(r.error.field, "source");
  EXPECT_NE(r.error.message.find("wechat"), std::string::npos) << r.error.message;

  auto bad_category = intake("B-2", kTaxiComplaint);
  bad_category["category"] = "parking";
  r = submit(p, bad_category);
  EXPECT_EQ(r.kind, IntakeResult::Kind::rejected);
  EXPECT_EQ(r.error.field, "category");
  EXPECT_NE(r.error.message.find("parking"), std::string::npos) << r.error.message;

  EXPECT_EQ(store_.dead_letter_count(), 2);
  auto dead = store_.dead_letters(10);
  ASSERT_EQ(dead.size(), 2u);
  std::set<std::string> fields;
  for (const auto& d : dead) {
    fields.insert(d.field);
    EXPECT_EQ(d.origin, "intake_pipeline_test");
    EXPECT_TRUE(d.line.has_value());
    EXPECT_EQ(d.code, "E_FIELD_INVALID");
    EXPECT_FALSE(Json::parse(d.raw).empty());  // the raw bytes, kept
  }
  EXPECT_EQ(fields, (std::set<std::string>{"source", "category"}));
  EXPECT_TRUE(store_.list_cases({}).empty());  // never a half-filled case
}

TEST_F(IntakePipelineTest, AResendOfTheSameWorkOrderIsTheSameCase) {
  auto p = pipeline();
  auto first = submit(p, intake("GD-1", kTaxiComplaint));
  ASSERT_EQ(first.kind, IntakeResult::Kind::accepted);
  auto again = submit(p, intake("GD-1", kTaxiComplaint));
  EXPECT_EQ(again.kind, IntakeResult::Kind::duplicate);
  EXPECT_EQ(again.case_id, first.case_id);
  EXPECT_EQ(again.case_no, first.case_no);
  EXPECT_EQ(store_.list_cases({}).size(), 1u);

  // Same external id from another source is another work order.
  auto other = intake("GD-1", kTaxiComplaint);
  other["source"] = "12328";
  auto third = submit(p, other);
  EXPECT_EQ(third.kind, IntakeResult::Kind::accepted);
  EXPECT_NE(third.case_id, first.case_id);
}

TEST_F(IntakePipelineTest, ARetypedMatterWithinThirtyDaysIsASuspectedDuplicate) {
  auto p = pipeline();
  auto first = stored(submit(p, intake("N-1", kTaxiComplaint, "2026-11-20T10:00:00+08:00", "13800138000")));
  EXPECT_FALSE(first.summary.duplicate_of.has_value());

  // Another caller, six days later, the same matter retyped by another
  // operator: a sentence added, a word changed.
  const char* retyped =
      "市民来电反映：今天上午在人民大道中乘坐粤G·T2736出租车，司机不打表，一口价要50元，"
      "市民提出异议后司机态度很恶劣，出言辱骂，要求相关部门核实处理并回复。已经反映过了。";
  auto second_r = submit(p, intake("N-2", retyped, "2026-11-26T09:15:00+08:00", "13900139000"));
  auto second = stored(second_r);
  ASSERT_TRUE(second_r.suspected_duplicate_of.has_value());
  EXPECT_EQ(*second_r.suspected_duplicate_of, first.summary.id);
  EXPECT_EQ(second.summary.duplicate_of, first.summary.id);
  ASSERT_TRUE(second.duplicate_score.has_value());
  EXPECT_GT(*second.duplicate_score, 0.6);

  // A different matter, the same day, another caller: not a duplicate.
  auto other_r = submit(p, intake("N-3", "群众来信反映：国道G325线麻章段路面坑洼严重，雨天积水，多次发生摩托车摔倒，请尽快修复。",
                                  "2026-11-26T11:00:00+08:00", "13700137000"));
  EXPECT_FALSE(stored(other_r).summary.duplicate_of.has_value());
  EXPECT_FALSE(other_r.suspected_duplicate_of.has_value());

  // The same text 45 days after the first: outside the window.
  auto late_r = submit(p, intake("N-4", kTaxiComplaint, "2027-01-04T10:00:00+08:00", "13600136000"));
  ASSERT_EQ(late_r.kind, IntakeResult::Kind::accepted);
  EXPECT_NE(late_r.suspected_duplicate_of, std::optional<std::int64_t>(first.summary.id));
}

}  // namespace

namespace {

std::size_t found(store::Store& s, const std::string& words) {
  store::CaseFilter f;
  f.text = suqiu::classify::normalise(words);
  return s.list_cases(f).size();
}

}  // namespace

TEST_F(IntakePipelineTest, FullTextIsSearchableAfterCommitOrOnceTheIndexerHasCaughtUp) {
  {
    auto p = pipeline();  // without a hub: commit() indexes
    submit(p, intake("FT-1", kTaxiComplaint));
    EXPECT_EQ(found(store_, "打表"), 1u);
  }
  auto p = pipeline();
  p.leave_full_text_to_indexer();  // as the hub's writer runs it
  submit(p, intake("FT-2", "網約車司機繞路多收費"));  // traditional: found by its simplified words
  submit(p, intake("FT-3", "网约车绕路"));
  EXPECT_EQ(found(store_, "绕路"), 0u);  // stored, not yet searchable
  store::Store reader(store::Store::database_file(dir_.path()), store::Store::Access::reader);
  suqiu::FullTextIndexer indexer(reader);  // the hub's SearchIndexer thread does this
  EXPECT_EQ(indexer.catch_up(1), 1u);
  EXPECT_EQ(found(store_, "绕路"), 1u);
  EXPECT_EQ(indexer.catch_up(64), 1u);  // fewer than asked: up to date
  EXPECT_EQ(indexer.catch_up(64), 0u);
  EXPECT_EQ(found(store_, "绕路"), 2u);
  EXPECT_EQ(found(store_, "打表"), 1u);  // indexed once, not twice
}
