#include "classify/segmenter.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "classify/normalizer.h"

namespace cls = suqiu::classify;

namespace {
bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST(Segmenter, TransportTermsStayWhole) {
  cls::Segmenter seg;
  struct Row {
    const char* text;
    const char* term;
  } rows[] = {
      {"网约车司机绕路多收费", "网约车"},
      {"泥头车超载撒漏严重", "泥头车"},
      {"治超站晚上没人值守", "治超站"},
      {"加强治超工作", "治超"},
      {"驾培行业乱收费", "驾培"},
      {"客运站门口黑车拉客", "客运站"},
      {"请问车牌号怎么查", "车牌号"},
      {"出租车拒载", "拒载"},
      {"办理道路运输证", "道路运输证"},
  };
  for (const auto& row : rows) {
    auto words = seg.words(cls::normalise(row.text));
    EXPECT_TRUE(has(words, row.term)) << row.text << " lost " << row.term;
  }
}

TEST(Segmenter, IcuSplitsOrdinaryWordsAndDropsPunctuation) {
  cls::Segmenter seg;
  auto words = seg.words(cls::normalise("司机态度恶劣，要求处理。"));
  EXPECT_TRUE(has(words, "司机"));
  EXPECT_TRUE(has(words, "态度"));
  EXPECT_FALSE(has(words, ","));
  EXPECT_FALSE(has(words, "."));
}

TEST(Segmenter, ExtraTermsFromTheBureau) {
  cls::Segmenter plain, custom({"观海长廊"});
  EXPECT_TRUE(has(custom.words("在观海长廊拦车"), "观海长廊"));
  EXPECT_FALSE(has(plain.words("在观海长廊拦车"), "观海长廊"));
}

TEST(Segmenter, FeaturesHaveWordsBigramsAndEntities) {
  cls::Segmenter seg;
  auto f = seg.features(cls::normalise("坐12路公交，粤G·T2736拒载"));
  EXPECT_TRUE(has(f, "w:公交"));
  EXPECT_TRUE(has(f, "w:#"));       // numbers fold to one feature
  EXPECT_TRUE(has(f, "b:拒载"));
  EXPECT_TRUE(has(f, "c:拒"));
  EXPECT_TRUE(has(f, "e:route"));
  EXPECT_TRUE(has(f, "e:plate"));
  // The hashed form is the same list, hashed.
  auto h = seg.feature_hashes(cls::normalise("坐12路公交，粤G·T2736拒载"));
  ASSERT_EQ(h.size(), f.size());
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_EQ(h[i], cls::Segmenter::feature_hash(f[i])) << f[i];
}

TEST(Segmenter, EmptyAndPunctuationOnly) {
  cls::Segmenter seg;
  EXPECT_TRUE(seg.words("").empty());
  EXPECT_TRUE(seg.words("...!!!").empty());
}
