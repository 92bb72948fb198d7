#include "classify/router.h"

#include <gtest/gtest.h>

namespace cls = suqiu::classify;
using namespace std::literals;

namespace {

suqiu::IntakeRecord record(std::string source, std::string content, std::string address = {}) {
  suqiu::IntakeRecord r;
  r.source = std::move(source);
  r.external_id = "R-1";
  r.content = std::move(content);
  r.location.address = std::move(address);
  return r;
}

const char* kConfig = R"(
  [[routing.rule]]
  name = "overload-on-highways"
  category = "overload"
  keywords = ["国道", "省道"]
  lead = "enforcement"
  assist = ["highway"]

  [[routing.rule]]
  name = "12328-waterway"
  category = "waterway"
  source = "12328"
  lead = "port"
  assist = ["supervision", "port"]

  [[routing.rule]]
  name = "island-ferries"
  category = ["coach", "waterway"]
  area = ["硇洲", "東海島"]
  lead = "port"
  assist = ["transport"]

  [[routing.rule]]
  name = "airport-box"
  bbox = [21.20, 110.35, 21.25, 110.40]
  category = "taxi"
  lead = "urban"
  assist = ["enforcement"]
)";

}  // namespace

TEST(Router, DefaultsAreTheTaxonomysSections) {
  auto router = cls::Router::defaults(suqiu::Taxonomy::builtin());
  for (const auto& c : suqiu::Taxonomy::builtin().categories()) {
    auto r = router.route(record("12345", "任何内容"), c.code);
    EXPECT_EQ(r.lead_section, c.default_section) << c.code;
    EXPECT_TRUE(r.assisting_sections.empty());
    EXPECT_EQ(r.rule, "default");
  }
  // Unknown category: treated as other (转办 by the office).
  EXPECT_EQ(router.route(record("12345", "x"), "trains").lead_section, "office");
}

TEST(Router, CategoryAndKeywordRule) {
  auto router = cls::Router::from_toml(toml::parse(kConfig), suqiu::Taxonomy::builtin());
  auto r = router.route(record("12345", "國道G325有泥头车超载"), "overload");  // traditional 國
  EXPECT_EQ(r.rule, "overload-on-highways");
  EXPECT_EQ(r.lead_section, "enforcement");
  EXPECT_EQ(r.assisting_sections, std::vector<std::string>{"highway"});
  // Same category without the keyword: the default.
  EXPECT_EQ(router.route(record("12345", "砂石场泥头车超载"), "overload").rule, "default");
}

TEST(Router, SourceRule) {
  auto router = cls::Router::from_toml(toml::parse(kConfig), suqiu::Taxonomy::builtin());
  auto r = router.route(record("12328", "渡船超载"), "waterway");
  EXPECT_EQ(r.rule, "12328-waterway");
  // The lead is never also an assistant.
  EXPECT_EQ(r.assisting_sections, std::vector<std::string>{"supervision"});
  EXPECT_EQ(router.route(record("12345", "渡船超载"), "waterway").rule, "default");
}

TEST(Router, AreaRuleByAddress) {
  auto router = cls::Router::from_toml(toml::parse(kConfig), suqiu::Taxonomy::builtin());
  auto r = router.route(record("12345", "班车太少", "湛江市硇洲镇码头"), "coach");
  EXPECT_EQ(r.rule, "island-ferries");
  EXPECT_EQ(r.lead_section, "port");
  // Addresses are normalised like the rule: traditional spelling matches.
  EXPECT_EQ(router.route(record("12345", "班车太少", "东海岛客运站"), "coach").rule, "island-ferries");
  EXPECT_EQ(router.route(record("12345", "班车太少", "赤坎区"), "coach").rule, "default");
}

TEST(Router, AreaRuleByBoundingBox) {
  auto router = cls::Router::from_toml(toml::parse(kConfig), suqiu::Taxonomy::builtin());
  auto inside = record("12345", "机场出租车拒载");
  inside.location.lat = 21.22;
  inside.location.lon = 110.37;
  EXPECT_EQ(router.route(inside, "taxi").rule, "airport-box");
  auto outside = inside;
  outside.location.lat = 21.30;
  EXPECT_EQ(router.route(outside, "taxi").rule, "default");
  auto nowhere = record("12345", "机场出租车拒载");
  EXPECT_EQ(router.route(nowhere, "taxi").rule, "default");
}

TEST(Router, FirstMatchingRuleWins) {
  auto router = cls::Router::from_toml(toml::parse(R"(
    [[routing.rule]]
    name = "first"
    category = "bus"
    lead = "urban"
    [[routing.rule]]
    name = "second"
    category = "bus"
    lead = "office"
  )"sv),
                                       suqiu::Taxonomy::builtin());
  EXPECT_EQ(router.route(record("12345", "公交"), "bus").rule, "first");
}

TEST(Router, ConfigurationErrorsNameRuleAndField) {
  auto expect_error = [](std::string_view text, std::string_view fragment) {
    try {
      cls::Router::from_toml(toml::parse(text), suqiu::Taxonomy::builtin());
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error("[[routing.rule]]\nname='r'\ncategory='taxi'", "routing.rule[0] (r): lead must name one section");
  expect_error("[[routing.rule]]\nname='r'\ncategory='taxi'\nlead='police'", "unknown section police");
  expect_error("[[routing.rule]]\nname='r'\ncategory='trains'\nlead='urban'", "unknown category trains");
  expect_error("[[routing.rule]]\nname='r'\nlead='urban'\nassist=['nobody']", "unknown section nobody");
  expect_error("[[routing.rule]]\nname='r'\nlead='urban'\nbbox=[1,2,3]", "bbox");
  expect_error("[[routing.rule]]\nname='r'\nlead='urban'\ncatgory='taxi'", "unknown key catgory");
  expect_error("routing.rule = 3", "array of tables");
}
