#include "classify/recent_cases.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cls = suqiu::classify;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kWindow = 30 * kDay;
constexpr std::int64_t kNow = 1'795'000'000;

cls::Fingerprint fp(std::uint64_t simhash, std::string phone = {}, std::int64_t ago_days = 0,
                    std::vector<std::string> objects = {}) {
  cls::Fingerprint f;
  f.simhash = simhash;
  f.phone = std::move(phone);
  f.received_epoch = kNow - ago_days * kDay;
  f.objects = std::move(objects);
  return f;
}

std::vector<std::int64_t> ids(const std::vector<cls::DuplicateCandidate>& found) {
  std::vector<std::int64_t> out;
  for (const auto& c : found) out.push_back(c.case_id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(RecentCases, FindsNearSimHashesSharingABandAndNothingFarther) {
  cls::RecentCases recent(kWindow);
  recent.add(1, fp(0x1111222233334444ULL));
  recent.add(2, fp(0x1111222233334444ULL ^ 0x7ULL));         // 3 bits off, in band 0
  recent.add(3, fp(0x1111222233334444ULL ^ 0x1F00000000ULL));  // 5 bits off
  recent.add(4, fp(0x9999888877776666ULL));                  // unrelated
  auto found = recent.candidates(fp(0x1111222233334444ULL), 4);
  EXPECT_EQ(ids(found), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ids(recent.candidates(fp(0x1111222233334444ULL), 5)), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(RecentCases, FindsTheSameCallerWhateverTheTextNewestFirstUpToTheLimit) {
  cls::RecentCases recent(kWindow);
  for (int i = 1; i <= 10; ++i) recent.add(i, fp(0xABCD000000000000ULL * i + i, "13800138000", 20 - i));
  recent.add(11, fp(0x5555, "13900000000"));
  auto found = recent.candidates(fp(0x1234567812345678ULL, "13800138000"), 4, 3);
  EXPECT_EQ(ids(found), (std::vector<std::int64_t>{8, 9, 10}));
  EXPECT_EQ(found[0].fingerprint.phone, "13800138000");
}

TEST(RecentCases, OnlyCasesWithinTheWindowOfTheIntake) {
  cls::RecentCases recent(kWindow);
  recent.add(1, fp(0x42, "13800138000", 40));
  recent.add(2, fp(0x42, "13800138000", 10));
  EXPECT_EQ(ids(recent.candidates(fp(0x42, "13800138000"), 4)), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(recent.size(), 2u);
  // Once a case of today is added, case 1 is more than the window behind
  // the newest case: dropped.
  recent.add(3, fp(0x99));
  EXPECT_EQ(recent.size(), 2u);
}

TEST(RecentCases, RollBackForgetsTheCasesOfAFailedBatch) {
  cls::RecentCases recent(kWindow);
  recent.add(1, fp(0x42, "13800138000"));
  const auto mark = recent.mark();
  recent.add(2, fp(0x42, "13800138000", 0, {"粤G·T2736"}));
  recent.add(3, fp(0x43, "13900000000"));
  recent.roll_back(mark);
  EXPECT_EQ(recent.size(), 1u);
  EXPECT_EQ(ids(recent.candidates(fp(0x42, "13800138000"), 4)), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(recent.candidates(fp(0x43, "13900000000"), 0).empty());
  EXPECT_TRUE(recent.repeated_objects(fp(0x77, {}, 0, {"粤G·T2736"})).empty());
  // Slots go on from where they were: a new case is found again.
  recent.add(4, fp(0x43, "13900000000"));
  EXPECT_EQ(ids(recent.candidates(fp(0x43, "13900000000"), 0)), (std::vector<std::int64_t>{4}));
}

TEST(RecentCases, RepeatedPlatesAndRoutesWithinTheWindow) {
  cls::RecentCases recent(kWindow);
  recent.add(1, fp(0x1, "", 5, {"粤G·T2736"}));
  recent.add(2, fp(0x2, "", 0, {"12路"}));
  auto repeated = recent.repeated_objects(fp(0x3, "", 0, {"粤G·T2736", "12路", "K3路"}));
  EXPECT_EQ(repeated, (std::vector<std::string>{"粤G·T2736", "12路"}));
  EXPECT_TRUE(cls::is_plate(repeated[0]));
  EXPECT_FALSE(cls::is_plate(repeated[1]));
  // 40 days later neither counts any more.
  auto later = fp(0x3, "", 0, {"粤G·T2736"});
  later.received_epoch += 40 * kDay;
  EXPECT_TRUE(recent.repeated_objects(later).empty());
}

TEST(RecentCases, CostDoesNotGrowWithTheNumberOfCases) {
  // 200,000 cases with random SimHashes: a lookup still sees only the few
  // cases of its four buckets.
  cls::RecentCases recent(kWindow);
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 1; i <= 200000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    recent.add(i, fp(x, std::to_string(13000000000LL + i), i % 25));
  }
  x ^= x << 13, x ^= x >> 7, x ^= x << 17;
  EXPECT_LE(recent.candidates(fp(x), 64).size(), 40u);  // ~3 per bucket on average
}

TEST(RecentCases, AFloodOfTheSameTextKeepsLookupsShort) {
  // 20,000 cases with one text (a template, a flood): a lookup takes the
  // newest few, not all of them.
  cls::RecentCases recent(kWindow);
  for (int i = 1; i <= 20000; ++i) recent.add(i, fp(0x4242424242424242ULL));
  auto found = recent.candidates(fp(0x4242424242424242ULL), 4);
  EXPECT_EQ(found.size(), 8u);
  EXPECT_EQ(ids(found).back(), 20000);  // the newest first
  EXPECT_EQ(recent.size(), 20000u);
}
