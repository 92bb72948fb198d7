// HotlineRhythm: few calls at night, peaks mid-morning and early afternoon,
// fewer at weekends and on holidays, the walk-in desk only in office hours,
// and the same seed gives the same day.
#include "sim/hotline_rhythm.h"

#include <gtest/gtest.h>

#include <array>
#include <map>

namespace suqiu::sim {
namespace {

using namespace std::chrono;

// Four weeks of November 2026 (no public holiday in it).
constexpr year_month_day kFirst = 2026y / November / 2;  // a Monday

int local_hour(Timestamp t) { return t.in_offset(kBeijingOffsetMinutes).local_seconds_of_day() / 3600; }

TEST(HotlineRhythm, ADayOfTheDesk) {
  HotlineRhythm rhythm(300);
  std::array<int, 24> by_hour{};
  std::array<int, 7> by_weekday{};
  int total = 0;
  for (int d = 0; d < 28; ++d) {
    const year_month_day day{sys_days{kFirst} + days{d}};
    for (const auto& a : rhythm.day(day, 5).arrivals) {
      ++by_hour[static_cast<std::size_t>(local_hour(a.at))];
      ++by_weekday[weekday{sys_days{day}}.iso_encoding() - 1];
      ++total;
    }
  }
  // About the volume asked for.
  EXPECT_NEAR(total / 28.0, 300, 30);
  // Nights are quiet: 00:00-06:00 under 3 % of the calls.
  int night = 0;
  for (int h = 0; h < 6; ++h) night += by_hour[static_cast<std::size_t>(h)];
  EXPECT_LT(night, total * 0.03);
  // Peaks mid-morning and early afternoon, a dip at lunch.
  EXPECT_GT(by_hour[10], 2 * by_hour[12] - by_hour[12] / 2);
  EXPECT_GT(by_hour[15], by_hour[13]);
  EXPECT_GT(by_hour[10], by_hour[20]);
  EXPECT_GT(by_hour[9] + by_hour[10] + by_hour[11], total / 5);
  // Weekends about half of a weekday; Monday the busiest.
  const double weekday_mean = (by_weekday[0] + by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 5.0;
  const double weekend_mean = (by_weekday[5] + by_weekday[6]) / 2.0;
  EXPECT_LT(weekend_mean, 0.7 * weekday_mean);
  EXPECT_GT(weekend_mean, 0.35 * weekday_mean);
  EXPECT_GT(by_weekday[0], by_weekday[4]);
}

TEST(HotlineRhythm, HolidaysAreQuiet) {
  HotlineRhythm rhythm(300);
  // 国庆: 1 October 2026 is a Thursday off; 22 October a plain Thursday.
  EXPECT_LT(rhythm.day_factor(2026y / October / 1), 0.6);
  EXPECT_GT(rhythm.day_factor(2026y / October / 22), 0.9);
}

TEST(HotlineRhythm, TheDeskIsOpenOnlyInOfficeHours) {
  HotlineRhythm rhythm(300);
  std::map<std::string_view, int> walkins_outside;
  for (int d = 0; d < 14; ++d) {
    const year_month_day day{sys_days{kFirst} + days{d}};
    for (const auto& a : rhythm.day(day, 11).arrivals)
      if (a.source == "walkin" && !rhythm.office_hours(a.at)) ++walkins_outside[a.source];
  }
  EXPECT_TRUE(walkins_outside.empty());
  EXPECT_TRUE(rhythm.office_hours(*Timestamp::parse("2026-11-26T09:00:00+08:00")));
  EXPECT_FALSE(rhythm.office_hours(*Timestamp::parse("2026-11-26T12:30:00+08:00")));
  EXPECT_FALSE(rhythm.office_hours(*Timestamp::parse("2026-11-28T10:00:00+08:00")));  // Saturday
  // 12328 keeps a thin night shift.
  const auto night = rhythm.source_weights(*Timestamp::parse("2026-11-26T02:00:00+08:00"));
  const auto day = rhythm.source_weights(*Timestamp::parse("2026-11-26T10:00:00+08:00"));
  EXPECT_LT(night[1] / night[0], day[1] / day[0]);
  EXPECT_EQ(night[3], 0);
}

TEST(HotlineRhythm, SameSeedSameDayAndBurstsHappen) {
  HotlineRhythm rhythm(300);
  const auto a = rhythm.day(2026y / November / 26, 42), b = rhythm.day(2026y / November / 26, 42);
  ASSERT_EQ(a.arrivals.size(), b.arrivals.size());
  for (std::size_t i = 0; i < a.arrivals.size(); ++i) {
    EXPECT_EQ(a.arrivals[i].at, b.arrivals[i].at);
    EXPECT_EQ(a.arrivals[i].source, b.arrivals[i].source);
  }
  int days_with_bursts = 0;
  for (int d = 0; d < 60; ++d) days_with_bursts += !rhythm.day(year_month_day{sys_days{kFirst} + days{d}}, 42).bursts.empty();
  EXPECT_GT(days_with_bursts, 8);
  EXPECT_LT(days_with_bursts, 40);
}

TEST(HotlineRhythm, NothingAfterUntil) {
  HotlineRhythm rhythm(300);
  const Timestamp until = *Timestamp::parse("2026-11-26T11:00:00+08:00");
  const auto t = rhythm.day(2026y / November / 26, 1, until);
  ASSERT_FALSE(t.arrivals.empty());
  for (const auto& a : t.arrivals) EXPECT_LE(a.at, until);
}

}  // namespace
}  // namespace suqiu::sim
