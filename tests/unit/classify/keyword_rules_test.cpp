#include "classify/keyword_rules.h"

#include <gtest/gtest.h>

#include "classify/normalizer.h"

namespace cls = suqiu::classify;
using namespace std::literals;

TEST(KeywordRules, FromTomlAndApplyInOrder) {
  auto config = toml::parse(R"(
    [[classify.rule]]
    name = "泥头车超载"
    any = ["泥头车", "渣土车"]
    all = "超载"
    category = "overload"
    request_type = "report"

    [[classify.rule]]
    name = "工资不归本局"
    any = ["拖欠工资", "欠薪"]
    none = ["运费"]
    category = "other"

    [[classify.rule]]
    name = "表扬"
    any = ["锦旗"]
    request_type = "praise"
  )"sv);
  auto rules = cls::KeywordRules::from_toml(config, suqiu::Taxonomy::builtin());
  ASSERT_EQ(rules.rules().size(), 3u);

  auto d = rules.apply(cls::normalise("有泥头车严重超载"));
  EXPECT_EQ(d.category, "overload");
  EXPECT_EQ(d.request_type, suqiu::RequestType::report);
  EXPECT_EQ(d.fired, std::vector<std::string>{"泥头车超载"});

  // all-keyword missing: no match.
  EXPECT_TRUE(rules.apply(cls::normalise("泥头车撒漏")).fired.empty());
  // Keywords are normalised, so traditional text matches too.
  EXPECT_EQ(rules.apply(cls::normalise("公司拖欠工資三個月")).category, "other");
  EXPECT_EQ(rules.apply(cls::normalise("公司拖欠工资")).category, "other");
  // none-keyword vetoes.
  EXPECT_TRUE(rules.apply(cls::normalise("拖欠工资和运费")).fired.empty());
  // Two rules: the first category wins, both are named.
  auto two = rules.apply(cls::normalise("送锦旗，感谢帮忙讨回拖欠工资"));
  EXPECT_EQ(two.category, "other");
  EXPECT_EQ(two.request_type, suqiu::RequestType::praise);
  EXPECT_EQ(two.fired.size(), 2u);
}

TEST(KeywordRules, NoTableMeansNoRules) {
  EXPECT_TRUE(cls::KeywordRules::from_toml(toml::parse("[hub]\nx=1"sv), suqiu::Taxonomy::builtin()).empty());
}

TEST(KeywordRules, ErrorsNameTheRuleAndTheField) {
  auto expect_error = [](std::string_view toml_text, std::string_view fragment) {
    try {
      cls::KeywordRules::from_toml(toml::parse(toml_text), suqiu::Taxonomy::builtin());
      ADD_FAILURE() << "no error for " << toml_text;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error("[[classify.rule]]\nname='x'\nany=['a']\ncategory='trains'", "unknown category trains");
  expect_error("[[classify.rule]]\nname='x'\nany=['a']\nrequest_type='moan'", "classify.rule[0] (x): unknown request_type");
  expect_error("[[classify.rule]]\nname='x'\ncategory='taxi'", "needs keywords");
  expect_error("[[classify.rule]]\nname='x'\nany=['a']", "sets neither");
  expect_error("[[classify.rule]]\nany=[1]\ncategory='taxi'", "strings only");
}
