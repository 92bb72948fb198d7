#include "classify/duplicate_judge.h"

#include <gtest/gtest.h>

#include "classify/fingerprint.h"

namespace cls = suqiu::classify;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1'795'000'000;

suqiu::IntakeRecord intake(std::string content, std::string phone = {}, std::int64_t ago_days = 0) {
  suqiu::IntakeRecord r;
  r.source = "12345";
  r.external_id = "D";
  r.content = std::move(content);
  r.caller.phone = std::move(phone);
  r.received_at.epoch = kNow - ago_days * kDay;
  return r;
}

cls::DuplicateCandidate stored(std::int64_t id, const suqiu::IntakeRecord& r, std::string_view category = {}) {
  return {id, cls::fingerprint(r, category)};
}

const char* kTaxi =
    "市民来电反映：今天上午在人民大道中乘坐粤G·T2736出租车，司机不打表，一口价要50元，"
    "市民提出异议后司机态度恶劣，出言辱骂，要求相关部门核实处理并回复。";

}  // namespace

TEST(DuplicateJudge, MustMatch) {
  cls::DuplicateJudge judge;
  struct Pair {
    const char* why;
    suqiu::IntakeRecord earlier, later;
  } pairs[] = {
      {"the same work order resent by another channel, other caller",
       intake(kTaxi, "13800138000", 3), intake(kTaxi, "13900139000")},
      {"the same text in full width and traditional characters",
       intake(kTaxi, "", 2),
       intake("市民來電反映：今天上午在人民大道中乘坐粤Ｇ・Ｔ２７３６出租車，司機不打表，一口價要５０元，"
              "市民提出異議後司機態度惡劣，出言辱罵，要求相關部門核實處理並回復。")},
      {"the same caller, the same matter in other words",
       intake(kTaxi, "13800138000", 5),
       intake("来电人再次反映：粤G·T2736出租车司机不打表，一口价要了50元，还辱骂乘客，至今没人处理。",
              "+86 138-0013-8000")},
  };
  for (const auto& p : pairs) {
    auto candidate = stored(7, p.earlier);
    auto m = judge.judge(cls::fingerprint(p.later), candidate);
    ASSERT_TRUE(m.has_value()) << p.why << " hamming "
                               << cls::hamming(cls::fingerprint(p.later).simhash, candidate.fingerprint.simhash);
    EXPECT_EQ(m->case_id, 7);
    EXPECT_GT(m->score, 0.6) << p.why;
  }
}

TEST(DuplicateJudge, MustNotMatch) {
  cls::DuplicateJudge judge;
  struct Pair {
    const char* why;
    suqiu::IntakeRecord earlier, later;
  } pairs[] = {
      {"another taxi (different plate) with the same complaint template",
       intake(kTaxi, "13800138000", 1),
       intake("市民来电反映：今天上午在人民大道中乘坐粤G·B8812出租车，司机不打表，一口价要50元，"
              "市民提出异议后司机态度恶劣，出言辱骂，要求相关部门核实处理并回复。", "13900139000")},
      {"the same text but outside the 30-day window",
       intake(kTaxi, "13800138000", 45), intake(kTaxi, "13800138000")},
      {"the same caller about an unrelated matter",
       intake(kTaxi, "13800138000", 2),
       intake("请问网约车驾驶员证怎么办理，需要考试吗，私家车可以转为网约车吗", "13800138000")},
      {"different callers, similar topic, different text",
       intake("12路公交车到站不停直接开走，市民在海滨大道站等了四十分钟", "13700137000", 1),
       intake("12路公交车司机开车玩手机，急刹车导致老人摔倒", "13600136000")},
  };
  for (const auto& p : pairs) {
    auto candidate = stored(9, p.earlier);
    EXPECT_FALSE(judge.judge(cls::fingerprint(p.later), candidate).has_value()) << p.why;
  }
}

TEST(DuplicateJudge, SamePhoneNeedsTheSameCategoryWhenKnown) {
  cls::DuplicateJudge judge;
  auto earlier = intake(kTaxi, "13800138000", 2);
  auto later = intake("来电人再次反映：粤G·T2736出租车司机不打表，一口价要了50元，还辱骂乘客，至今没人处理。",
                      "13800138000");
  EXPECT_TRUE(judge.judge(cls::fingerprint(later, "taxi"), stored(1, earlier, "taxi")));
  EXPECT_FALSE(judge.judge(cls::fingerprint(later, "taxi"), stored(1, earlier, "conduct")));
}

TEST(DuplicateJudge, BestMatchPrefersTheHighestScoreThenTheMostRecent) {
  cls::DuplicateJudge judge;
  auto incoming = cls::fingerprint(intake(kTaxi, "13800138000"));
  std::vector<cls::DuplicateCandidate> candidates{
      stored(1, intake(kTaxi, "13900139000", 10)),
      stored(2, intake(kTaxi, "13800138000", 20)),  // same text and same caller: highest score
      stored(3, intake("国道G325线路面坑洼", "13700137000", 1)),
  };
  auto best = judge.best_match(incoming, candidates);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->case_id, 2);
  EXPECT_TRUE(best->same_phone);
  EXPECT_DOUBLE_EQ(best->score, 1.0);

  candidates.erase(candidates.begin() + 1);
  candidates.push_back(stored(4, intake(kTaxi, "13900139000", 2)));
  best = judge.best_match(incoming, candidates);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->case_id, 4);  // equal scores: the more recent case
  EXPECT_FALSE(judge.best_match(incoming, {}).has_value());
}

TEST(DuplicateJudge, PhoneKeyAndFingerprintFields) {
  EXPECT_EQ(cls::phone_key("+86 138-0013-8000"), "13800138000");
  EXPECT_EQ(cls::phone_key("１３８００１３８０００"), "13800138000");
  EXPECT_EQ(cls::phone_key(""), "");
  auto f = cls::fingerprint(intake("坐12路公交，粤G·T2736跟车", "13800138000", 0), "bus");
  EXPECT_EQ(f.category, "bus");
  EXPECT_EQ(f.received_epoch, kNow);
  EXPECT_EQ(f.objects, (std::vector<std::string>{"12路", "粤G·T2736"}));
}

TEST(DuplicateJudge, ThresholdsAreConfigurable) {
  auto earlier = intake("公路护栏被撞坏很久了一直没有修复，雨天很危险", "13700137000", 1);
  auto later = intake("公路护栏被撞坏很久了，一直没有修复，下雨天很危险", "13600136000");
  const int distance = cls::hamming(cls::fingerprint(earlier).simhash, cls::fingerprint(later).simhash);
  cls::DuplicateOptions options;
  options.text_max_hamming = distance;
  EXPECT_TRUE(cls::DuplicateJudge(options).judge(cls::fingerprint(later), stored(1, earlier)));
  options.text_max_hamming = distance - 1;
  EXPECT_FALSE(cls::DuplicateJudge(options).judge(cls::fingerprint(later), stored(1, earlier)));
  options.window_seconds = 3600;
  options.text_max_hamming = 64;
  EXPECT_FALSE(cls::DuplicateJudge(options).judge(cls::fingerprint(later), stored(1, earlier)));
}

TEST(DuplicateJudge, DefaultTextThresholdIsFourBits) {
  // Another caller: only the text counts. Four flipped bits (in three bands,
  // so the store still finds the pair) are the same matter, five are not.
  cls::DuplicateJudge judge;
  EXPECT_EQ(judge.options().text_max_hamming, 4);
  cls::Fingerprint incoming;
  incoming.simhash = 0x0123456789ABCDEFULL;
  incoming.phone = "13900139000";
  incoming.received_epoch = kNow;
  cls::DuplicateCandidate four{5, incoming}, five{6, incoming};
  four.fingerprint.phone = five.fingerprint.phone = "13800138000";
  four.fingerprint.simhash ^= (1ULL << 0) | (1ULL << 17) | (1ULL << 18) | (1ULL << 40);
  five.fingerprint.simhash = four.fingerprint.simhash ^ (1ULL << 41);
  auto m = judge.judge(incoming, four);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->hamming, 4);
  EXPECT_FALSE(m->same_phone);
  EXPECT_FALSE(judge.judge(incoming, five).has_value());
}
