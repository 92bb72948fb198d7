// OfficeHours: working time skips lunch, nights, weekends and holidays; and
// the clock override of hub/core (set_now_source) that the history mode
// plays its past under.
#include "sim/office_hours.h"

#include <gtest/gtest.h>

namespace suqiu::sim {
namespace {

Timestamp at(const char* text) { return *Timestamp::parse(text); }

TEST(OfficeHours, OpenInOfficeHoursOfWorkingDays) {
  OfficeHours hours;
  EXPECT_TRUE(hours.open(at("2026-11-26T08:30:00+08:00")));
  EXPECT_FALSE(hours.open(at("2026-11-26T08:29:59+08:00")));
  EXPECT_FALSE(hours.open(at("2026-11-26T12:00:00+08:00")));
  EXPECT_TRUE(hours.open(at("2026-11-26T14:30:00+08:00")));
  EXPECT_FALSE(hours.open(at("2026-11-26T18:00:00+08:00")));
  EXPECT_FALSE(hours.open(at("2026-11-28T10:00:00+08:00")));  // Saturday
  EXPECT_FALSE(hours.open(at("2026-10-02T10:00:00+08:00")));  // 国庆
}

TEST(OfficeHours, AfterSkipsLunchNightsAndWeekends) {
  OfficeHours hours;
  EXPECT_EQ(hours.after(at("2026-11-26T09:00:00+08:00"), 60), at("2026-11-26T10:00:00+08:00"));
  EXPECT_EQ(hours.after(at("2026-11-26T11:30:00+08:00"), 60), at("2026-11-26T15:00:00+08:00"));
  EXPECT_EQ(hours.after(at("2026-11-26T17:30:00+08:00"), 60), at("2026-11-27T09:00:00+08:00"));
  // Friday evening to Monday morning.
  EXPECT_EQ(hours.after(at("2026-11-27T17:50:00+08:00"), 20), at("2026-11-30T08:40:00+08:00"));
  // Closed: from the next opening.
  EXPECT_EQ(hours.after(at("2026-11-26T02:00:00+08:00"), 0), at("2026-11-26T08:30:00+08:00"));
  EXPECT_EQ(hours.after(at("2026-11-26T22:00:00+08:00"), 30), at("2026-11-27T09:00:00+08:00"));
}

TEST(OfficeHours, MinutesBetweenAndFraction) {
  OfficeHours hours;
  // A working day is seven hours.
  EXPECT_EQ(hours.minutes_between(at("2026-11-26T00:00:00+08:00"), at("2026-11-27T00:00:00+08:00")), 420);
  EXPECT_EQ(hours.minutes_between(at("2026-11-27T17:00:00+08:00"), at("2026-11-30T09:30:00+08:00")), 120);
  EXPECT_EQ(hours.minutes_between(at("2026-11-27T17:00:00+08:00"), at("2026-11-27T16:00:00+08:00")), 0);
  const Timestamp from = at("2026-11-26T08:30:00+08:00"), to = at("2026-11-27T18:00:00+08:00");
  EXPECT_EQ(hours.fraction(from, to, 0.5), at("2026-11-26T18:00:00+08:00"));  // the same working instant as 27th 08:30
  EXPECT_EQ(hours.fraction(from, to, 0), from);
  EXPECT_EQ(hours.fraction(to, from, 0.5), to);
}

std::int64_t fixed_now() { return 1'790'000'000; }

TEST(NowSource, OverridesTimestampNowAndGoesBack) {
  set_now_source(&fixed_now);
  EXPECT_EQ(Timestamp::now().epoch, 1'790'000'000);
  EXPECT_EQ(Timestamp::now(0).offset_minutes, 0);
  set_now_source(nullptr);
  EXPECT_GT(Timestamp::now().epoch, 1'700'000'000);
  EXPECT_NE(Timestamp::now().epoch, 1'790'000'000);
}

}  // namespace
}  // namespace suqiu::sim
