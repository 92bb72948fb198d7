#include "classify/fingerprint.h"

#include <random>

#include <gtest/gtest.h>

#include "classify/normalizer.h"

namespace cls = suqiu::classify;

namespace {
std::uint64_t fp(const char* raw) { return cls::simhash(cls::normalise(raw)); }

const char* kComplaint =
    "市民来电反映：今天上午在人民大道中乘坐粤G·T2736出租车，司机不打表，一口价要50元，"
    "市民提出异议后司机态度恶劣，出言辱骂，要求相关部门核实处理并回复。";
}  // namespace

TEST(Simhash, SpellingVariantsOfOneTextAreIdentical) {
  // Punctuation, spaces, full width and traditional characters all vanish in
  // normalisation and in the letters-only shingling.
  EXPECT_EQ(fp(kComplaint), fp("市民来电反映 今天上午在人民大道中乘坐粤Ｇ・Ｔ２７３６出租车 司机不打表 一口价要５０元 "
                               "市民提出异议后司机态度恶劣 出言辱骂 要求相关部门核实处理并回复"));
  EXPECT_EQ(fp(kComplaint), fp("市民來電反映：今天上午在人民大道中乘坐粤G·T2736出租車，司機不打表，一口價要50元，"
                               "市民提出異議後司機態度惡劣，出言辱罵，要求相關部門核實處理並回復。"));
}

TEST(Simhash, SmallEditsStayCloseUnrelatedTextsFar) {
  auto a = fp(kComplaint);
  auto edited = fp("市民来电反映：今天上午在人民大道中乘坐粤G·T2736出租车，司机不打表，一口价要60元，"
                   "市民提出异议后司机态度恶劣，出言辱骂，要求相关部门核实处理并回复。");
  EXPECT_LE(cls::hamming(a, edited), 6);
  auto unrelated = fp("群众来信反映：国道G325线麻章段路面坑洼严重，雨天积水，多次发生摩托车摔倒，请尽快修复。");
  EXPECT_GE(cls::hamming(a, unrelated), 16);
  EXPECT_DOUBLE_EQ(cls::text_similarity(a, a), 1.0);
  EXPECT_DOUBLE_EQ(cls::text_similarity(a, ~a), 0.0);
}

TEST(Simhash, ShortAndEmptyTexts) {
  EXPECT_EQ(cls::simhash(""), 0u);
  EXPECT_EQ(cls::simhash("..."), 0u);
  EXPECT_NE(cls::simhash("车"), 0u);
  EXPECT_EQ(fp("拒载"), fp("拒载!"));
}

TEST(SimhashBands, AnyPairWithinThreeBitsSharesABand) {
  // Pigeonhole: 3 flipped bits touch at most 3 of the 4 bands.
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 20000; ++trial) {
    std::uint64_t a = rng(), b = a;
    int flips = static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) b ^= std::uint64_t{1} << (rng() % 64);
    auto ba = cls::simhash_bands(a), bb = cls::simhash_bands(b);
    bool shared = false;
    for (int k = 0; k < 4; ++k) shared = shared || ba[k] == bb[k];
    ASSERT_TRUE(shared) << std::hex << a << " " << b;
  }
}

TEST(SimhashBands, BandsAreTheFourSixteenBitSlices) {
  auto b = cls::simhash_bands(0x1122334455667788ULL);
  EXPECT_EQ(b[0], 0x7788);
  EXPECT_EQ(b[1], 0x5566);
  EXPECT_EQ(b[2], 0x3344);
  EXPECT_EQ(b[3], 0x1122);
}
