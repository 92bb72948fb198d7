// The compiled-in holiday calendar against the State Council's notices as
// written in the brief (not read back from the data file), plus the parser's
// error messages and the day arithmetic.
#include "core/work_calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include "core/timestamp.h"

namespace suqiu {
namespace {

using namespace std::chrono;

year_month_day d(const char* text) {
  auto date = parse_date(text);
  if (!date) throw std::invalid_argument(text);
  return *date;
}

struct Block {
  const char* first;
  const char* last;
};

// 放假 as published for 2025 and 2026, weekend days inside a block included.
const Block kDaysOff[] = {
    {"2025-01-01", "2025-01-01"},  // 元旦
    {"2025-01-28", "2025-02-04"},  // 春节
    {"2025-04-04", "2025-04-06"},  // 清明
    {"2025-05-01", "2025-05-05"},  // 劳动节
    {"2025-05-31", "2025-06-02"},  // 端午
    {"2025-10-01", "2025-10-08"},  // 国庆、中秋
    {"2026-01-01", "2026-01-03"},  // 元旦
    {"2026-02-15", "2026-02-23"},  // 春节
    {"2026-04-04", "2026-04-06"},  // 清明
    {"2026-05-01", "2026-05-05"},  // 劳动节
    {"2026-06-19", "2026-06-21"},  // 端午
    {"2026-09-25", "2026-09-27"},  // 中秋
    {"2026-10-01", "2026-10-07"},  // 国庆
};

// 调休上班: every weekend day made a working day in 2025 and 2026.
const char* const kWorkingWeekendDays[] = {
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
};

bool is_weekend(year_month_day date) {
  weekday wd{sys_days{date}};
  return wd == Saturday || wd == Sunday;
}

const WorkCalendar& cal() { return WorkCalendar::builtin(); }

TEST(WorkCalendarTest, BuiltinCoversThreeYearsWith2027Provisional) {
  EXPECT_FALSE(cal().covers(year{2024}));
  EXPECT_TRUE(cal().covers(year{2025}));
  EXPECT_TRUE(cal().covers(year{2026}));
  EXPECT_TRUE(cal().covers(year{2027}));
  EXPECT_FALSE(cal().covers(year{2028}));
  EXPECT_FALSE(cal().is_provisional(year{2025}));
  EXPECT_FALSE(cal().is_provisional(year{2026}));
  EXPECT_TRUE(cal().is_provisional(year{2027}));
}

TEST(WorkCalendarTest, EveryWorkingWeekendDayIsAWorkingDay) {
  for (const char* text : kWorkingWeekendDays) {
    SCOPED_TRACE(text);
    ASSERT_TRUE(is_weekend(d(text))) << "the table itself is wrong";
    EXPECT_TRUE(cal().is_working_day(d(text)));
  }
}

TEST(WorkCalendarTest, EveryDayOffIsOff) {
  for (const Block& block : kDaysOff)
    for (sys_days day{d(block.first)}; day <= sys_days{d(block.last)}; day += days{1}) {
      SCOPED_TRACE(to_string(year_month_day{day}));
      EXPECT_FALSE(cal().is_working_day(year_month_day{day}));
    }
}

// Every day of 2025 and 2026, so a stray line in the data file (an extra day
// off, a weekday marked off by typo) fails here too.
TEST(WorkCalendarTest, EveryOtherDayFollowsTheWeek) {
  std::set<sys_days> off, work;
  for (const Block& block : kDaysOff)
    for (sys_days day{d(block.first)}; day <= sys_days{d(block.last)}; day += days{1})
      off.insert(day);
  for (const char* text : kWorkingWeekendDays) work.insert(sys_days{d(text)});

  for (sys_days day{d("2025-01-01")}; day <= sys_days{d("2026-12-31")}; day += days{1}) {
    year_month_day date{day};
    bool expected = work.contains(day) || (!off.contains(day) && !is_weekend(date));
    EXPECT_EQ(cal().is_working_day(date), expected) << to_string(date);
  }
}

TEST(WorkCalendarTest, OrdinaryWeekendsAreOff) {
  EXPECT_FALSE(cal().is_working_day(d("2026-11-28")));  // Saturday
  EXPECT_FALSE(cal().is_working_day(d("2026-11-29")));  // Sunday
  EXPECT_TRUE(cal().is_working_day(d("2026-11-27")));   // Friday
  EXPECT_TRUE(cal().is_working_day(d("2026-11-30")));   // Monday
}

// 365 days minus the weekend days minus the 13 statutory days (2024 rules):
// 调休 only moves days, so each correctly arranged year has 248 working days.
TEST(WorkCalendarTest, EachCoveredYearHas248WorkingDays) {
  EXPECT_EQ(cal().working_days_between(d("2024-12-31"), d("2025-12-31")), 248);
  EXPECT_EQ(cal().working_days_between(d("2025-12-31"), d("2026-12-31")), 248);
  EXPECT_EQ(cal().working_days_between(d("2026-12-31"), d("2027-12-31")), 248);
}

// The provisional 2027 arrangement never asks for more than six working days
// in a row, the rule the recent notices keep to.
TEST(WorkCalendarTest, Provisional2027HasNoLongWorkingStretch) {
  int run = 0, longest = 0;
  for (sys_days day{d("2027-01-01")}; day <= sys_days{d("2027-12-31")}; day += days{1}) {
    run = cal().is_working_day(year_month_day{day}) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  EXPECT_LE(longest, 6);
  EXPECT_FALSE(cal().is_working_day(d("2027-02-05")));  // 除夕
  EXPECT_FALSE(cal().is_working_day(d("2027-10-01")));
  EXPECT_TRUE(cal().is_working_day(d("2027-10-09")));  // Saturday, 调休
}

TEST(WorkCalendarTest, UncoveredYearsArePlainMondayToFriday) {
  EXPECT_TRUE(cal().is_working_day(d("2030-10-01")));  // a Tuesday; no calendar for 2030
  EXPECT_FALSE(cal().is_working_day(d("2030-10-05")));
  WorkCalendar empty;
  EXPECT_FALSE(empty.covers(year{2026}));
  EXPECT_TRUE(empty.is_working_day(d("2026-10-01")));
}

TEST(WorkCalendarTest, AddWorkingDaysOverNationalDay2025) {
  // Fri 9/26 → Sun 9/28 (调休) = 1, 9/29 = 2, 9/30 = 3, 10/1–10/8 off, 10/9 = 4.
  EXPECT_EQ(cal().add_working_days(d("2025-09-26"), 1), d("2025-09-28"));
  EXPECT_EQ(cal().add_working_days(d("2025-09-26"), 4), d("2025-10-09"));
  EXPECT_EQ(cal().add_working_days(d("2025-09-26"), 5), d("2025-10-10"));
  EXPECT_EQ(cal().add_working_days(d("2025-09-26"), 6), d("2025-10-11"));  // Saturday, 调休
  // Strictly after: starting on a working day does not count that day.
  EXPECT_EQ(cal().add_working_days(d("2026-11-26"), 1), d("2026-11-27"));
  // From a day off, the first working day after it.
  EXPECT_EQ(cal().add_working_days(d("2026-10-03"), 1), d("2026-10-08"));
}

TEST(WorkCalendarTest, AddWorkingDaysBackwardsAndZero) {
  EXPECT_EQ(cal().add_working_days(d("2026-11-30"), 0), d("2026-11-30"));
  EXPECT_EQ(cal().add_working_days(d("2026-11-30"), -1), d("2026-11-27"));
  EXPECT_EQ(cal().add_working_days(d("2026-10-08"), -1), d("2026-09-30"));
  EXPECT_EQ(cal().add_working_days(d("2026-02-24"), -1), d("2026-02-14"));  // Saturday, 调休
}

TEST(WorkCalendarTest, WorkingDaysBetweenIsHalfOpen) {
  EXPECT_EQ(cal().working_days_between(d("2026-11-26"), d("2026-11-26")), 0);
  EXPECT_EQ(cal().working_days_between(d("2026-11-26"), d("2026-12-03")), 5);
  EXPECT_EQ(cal().working_days_between(d("2026-12-03"), d("2026-11-26")), -5);
  EXPECT_EQ(cal().working_days_between(d("2025-09-26"), d("2025-10-10")), 5);
  EXPECT_EQ(cal().working_days_between(d("2026-09-30"), d("2026-10-07")), 0);
}

// The closed-form count agrees with walking day by day, across covered and
// uncovered years and both directions.
TEST(WorkCalendarTest, WorkingDaysBetweenMatchesAddWorkingDays) {
  std::mt19937 random(20261126);
  std::uniform_int_distribution<int> start(0, 5 * 365), span(-400, 400);
  for (int i = 0; i < 2000; ++i) {
    sys_days a = sys_days{d("2023-06-01")} + days{start(random)};
    int n = span(random);
    year_month_day from{a};
    year_month_day to = cal().add_working_days(from, n);
    SCOPED_TRACE(to_string(from) + " + " + std::to_string(n));
    if (n >= 0) {
      EXPECT_EQ(cal().working_days_between(from, to), n);
    } else {
      // Backwards, `from` itself is in (to, from] and counts when it works.
      EXPECT_EQ(cal().working_days_between(to, from), -n - 1 + cal().is_working_day(from));
    }
  }
}

TEST(WorkCalendarTest, ParseAcceptsCommentsBlankLinesCrlfAndBom) {
  auto parsed = WorkCalendar::parse(
      "\xEF\xBB\xBF# test calendar\r\n"
      "\r\n"
      "year 2026\r\n"
      "2026-10-01\toff\t国庆节   # Thursday\r\n"
      "  2026-10-10 work 国庆节调休\r\n"
      "2026-10-02 off");  // no final newline, no name
  EXPECT_TRUE(parsed.covers(year{2026}));
  EXPECT_FALSE(parsed.is_provisional(year{2026}));
  EXPECT_FALSE(parsed.is_working_day(d("2026-10-01")));
  EXPECT_FALSE(parsed.is_working_day(d("2026-10-02")));
  EXPECT_TRUE(parsed.is_working_day(d("2026-10-10")));
  EXPECT_TRUE(parsed.is_working_day(d("2026-10-05")));  // not listed here
}

TEST(WorkCalendarTest, ParseEmptyTextIsAnEmptyCalendar) {
  auto parsed = WorkCalendar::parse("");
  EXPECT_FALSE(parsed.covers(year{2026}));
}

std::string parse_error(const std::string& text) {
  try {
    WorkCalendar::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

// One row per way a hand-edited file goes wrong; each message names the line.
TEST(WorkCalendarTest, ParseErrorsNameTheLine) {
  struct Row {
    std::string text;
    std::string expected;  // a substring of the message
  };
  const Row rows[] = {
      {"year 2026\n2026-13-01 off x\n", "calendar line 2: "},                   // no 13th month
      {"year 2026\n2026-02-30 off x\n", "calendar line 2: "},                   // no Feb 30
      {"year 2026\n\n# c\n2026/10/01 off\n", "calendar line 4: "},              // wrong separator
      {"year 2026\n2026-10-01 holiday\n", "calendar line 2: expected \"off\" or \"work\""},
      {"year 2026\n2026-10-01\n", "calendar line 2: expected \"off\" or \"work\""},
      {"year 2026\n2026-09-21 work x\n", "calendar line 2: 2026-09-21 is a weekday"},
      {"year 2026\n2026-10-01 off\n2026-10-01 off\n", "calendar line 3: 2026-10-01 is already listed on line 2"},
      {"year 2026\n2027-01-01 off\n", "calendar line 2: 2027-01-01 lies in a year not declared"},
      {"2026-10-01 off\nyear 2026\n", "calendar line 1: "},  // year must come first
      {"year 26\n", "calendar line 1: expected a four-digit year"},
      {"year 2026 draft\n", "calendar line 1: unknown year flag \"draft\""},
      {"year 2026 provisional extra\n", "calendar line 1: unexpected text"},
      {"year 2026\nyear 2026\n", "calendar line 2: year 2026 is declared twice"},
      {"year 2026\r\nnonsense\r\n", "calendar line 2: expected \"year YYYY\" or a date"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.text);
    EXPECT_NE(parse_error(row.text).find(row.expected), std::string::npos) << parse_error(row.text);
  }
}

TEST(WorkCalendarTest, LoadReadsTheDataFileLikeTheBuiltin) {
  auto loaded = WorkCalendar::load(std::filesystem::path(SUQIU_DATA_DIR) / "calendar" / "cn-holidays.txt");
  for (sys_days day{d("2024-12-01")}; day <= sys_days{d("2028-01-31")}; day += days{1})
    ASSERT_EQ(loaded.is_working_day(year_month_day{day}), cal().is_working_day(year_month_day{day}))
        << to_string(year_month_day{day});
  EXPECT_TRUE(loaded.is_provisional(year{2027}));
}

TEST(WorkCalendarTest, LoadErrorsNameTheFile) {
  auto missing = std::filesystem::temp_directory_path() / "suqiu-no-such-calendar.txt";
  EXPECT_THROW(WorkCalendar::load(missing), std::runtime_error);

  auto bad = std::filesystem::temp_directory_path() /
             ("suqiu-bad-calendar-" + std::to_string(std::random_device{}()) + ".txt");
  {
    std::ofstream out(bad);
    out << "year 2026\n2026-10-01 off\n2026-10-01 ofF\n";
  }
  try {
    WorkCalendar::load(bad);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    std::string message = e.what();
    EXPECT_NE(message.find(bad.string()), std::string::npos) << message;
    EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  }
  std::filesystem::remove(bad);
}

}  // namespace
}  // namespace suqiu
