// Deadlines and the escalation ladder on the builtin calendar. Each expected
// date is counted by hand in the comment beside it.
#include "core/sla_policy.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace suqiu {
namespace {

Timestamp at(const char* text) {
  auto t = Timestamp::parse(text);
  if (!t) throw std::invalid_argument(text);
  return *t;
}

std::string deadline_of(RequestType type, const char* received,
                        std::optional<Timestamp> upstream = std::nullopt) {
  return SlaPolicy{}.deadline(type, at(received), upstream).to_string();
}

TEST(SlaPolicyTest, DefaultsAreThoseOfTheDesign) {
  SlaPolicy policy;
  EXPECT_EQ(policy.working_days(RequestType::inquiry), 1);
  EXPECT_EQ(policy.working_days(RequestType::help), 3);
  EXPECT_EQ(policy.working_days(RequestType::complaint), 5);
  EXPECT_EQ(policy.working_days(RequestType::praise), 5);
  EXPECT_EQ(policy.working_days(RequestType::suggestion), 10);
  EXPECT_EQ(policy.working_days(RequestType::report), 15);
  EXPECT_EQ(policy.rules().sign_for_days, 1);
  EXPECT_EQ(policy.rules().end_of_day_seconds, 18 * 3600);
}

// DESIGN.md's intake record: Thu 11/26 → Fri 27 = 1, Mon 30 = 2, 12/1 = 3, 12/2 = 4, 12/3 = 5.
TEST(SlaPolicyTest, DesignExample) {
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-26T09:15:00+08:00"),
            "2026-12-03T18:00:00+08:00");
}

TEST(SlaPolicyTest, EveryRequestTypeFromTheSameThursday) {
  const char* received = "2026-11-26T09:15:00+08:00";
  EXPECT_EQ(deadline_of(RequestType::inquiry, received), "2026-11-27T18:00:00+08:00");
  EXPECT_EQ(deadline_of(RequestType::help, received), "2026-12-01T18:00:00+08:00");
  EXPECT_EQ(deadline_of(RequestType::praise, received), "2026-12-03T18:00:00+08:00");
  // 6 = Fri 12/4, 7..10 = Mon 12/7 .. Thu 12/10.
  EXPECT_EQ(deadline_of(RequestType::suggestion, received), "2026-12-10T18:00:00+08:00");
  // 11 = Fri 12/11, 12..15 = Mon 12/14 .. Thu 12/17.
  EXPECT_EQ(deadline_of(RequestType::report, received), "2026-12-17T18:00:00+08:00");
}

// The Friday before National Day 2025: Sat 9/27 off, Sun 9/28 (调休) = 1,
// 9/29 = 2, 9/30 = 3, 10/1–10/8 off, 10/9 = 4, 10/10 = 5.
TEST(SlaPolicyTest, FridayBeforeNationalDay2025) {
  EXPECT_EQ(deadline_of(RequestType::complaint, "2025-09-26T10:00:00+08:00"),
            "2025-10-10T18:00:00+08:00");
}

// 2026-09-25 is 中秋, a Friday: 9/26–27 off, 9/28 = 1, 9/29 = 2, 9/30 = 3,
// 10/1–10/7 off, 10/8 = 4, 10/9 = 5.
TEST(SlaPolicyTest, ReceivedOnMidAutumn2026) {
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-09-25T11:00:00+08:00"),
            "2026-10-09T18:00:00+08:00");
}

// In the middle of National Day 2026: 10/8 = 1, 10/9 = 2, Sat 10/10 (调休) = 3,
// Mon 10/12 = 4, 10/13 = 5.
TEST(SlaPolicyTest, ReceivedOnAHoliday) {
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-10-03T10:00:00+08:00"),
            "2026-10-13T18:00:00+08:00");
}

// Late on a Friday counts like any hour of the Friday: Mon 11/30 = 1 .. Fri 12/4 = 5.
TEST(SlaPolicyTest, ReceivedLateOnFridayEvening) {
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-27T23:59:59+08:00"),
            "2026-12-04T18:00:00+08:00");
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-27T18:30:00+08:00"),
            "2026-12-04T18:00:00+08:00");
}

// A feed writing UTC: 16:30Z on Thursday is already Friday 00:30 in the
// bureau, so counting starts Saturday, not Friday.
TEST(SlaPolicyTest, ReceiptDayIsTheBureausLocalDay) {
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-26T16:30:00Z"),
            "2026-12-04T18:00:00+08:00");
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-26T15:59:59Z"),
            "2026-12-03T18:00:00+08:00");
}

// Fri 2/13: Sat 2/14 (调休) = 1, 2/15–2/23 off, Tue 2/24 = 2, 2/25 = 3, 2/26 = 4,
// 2/27 = 5, Sat 2/28 (调休) = 6, 3/2..3/6 = 7..11, 3/9..3/12 = 12..15.
TEST(SlaPolicyTest, ReportAcrossSpringFestival2026) {
  EXPECT_EQ(deadline_of(RequestType::report, "2026-02-13T16:00:00+08:00"),
            "2026-03-12T18:00:00+08:00");
}

TEST(SlaPolicyTest, EarlierUpstreamDeadlineWins) {
  auto upstream = at("2026-12-01T12:00:00+08:00");
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-26T09:15:00+08:00", upstream),
            "2026-12-01T12:00:00+08:00");
}

TEST(SlaPolicyTest, LaterUpstreamDeadlineLoses) {
  auto upstream = at("2026-12-10T18:00:00+08:00");
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-26T09:15:00+08:00", upstream),
            "2026-12-03T18:00:00+08:00");
  // Equal instants in another offset: ours, written in the bureau's offset.
  EXPECT_EQ(deadline_of(RequestType::complaint, "2026-11-26T09:15:00+08:00",
                        at("2026-12-03T10:00:00Z")),
            "2026-12-03T18:00:00+08:00");
}

TEST(SlaPolicyTest, SignDeadlineIsTheEndOfTheNextWorkingDay) {
  SlaPolicy policy;
  EXPECT_EQ(policy.sign_deadline(at("2026-11-26T09:30:00+08:00")).to_string(),
            "2026-11-27T18:00:00+08:00");
  // Over a weekend: Friday afternoon → Monday.
  EXPECT_EQ(policy.sign_deadline(at("2026-11-27T15:00:00+08:00")).to_string(),
            "2026-11-30T18:00:00+08:00");
  // Into a 调休 Saturday.
  EXPECT_EQ(policy.sign_deadline(at("2026-10-09T15:00:00+08:00")).to_string(),
            "2026-10-10T18:00:00+08:00");
  // Over National Day.
  EXPECT_EQ(policy.sign_deadline(at("2026-09-30T17:00:00+08:00")).to_string(),
            "2026-10-08T18:00:00+08:00");
}

struct LadderRow {
  const char* now;
  Escalation expected;
};

void expect_ladder(const SlaPolicy& policy, const char* deadline,
                   const std::vector<LadderRow>& rows) {
  for (const LadderRow& row : rows)
    EXPECT_EQ(to_code(policy.escalation(at(deadline), at(row.now))), to_code(row.expected))
        << "deadline " << deadline << ", now " << row.now;
}

// Deadline Thursday 18:00: warning all Thursday, reminder from 18:00,
// supervision once Friday has ended too.
TEST(SlaPolicyTest, EscalationOnAnOrdinaryWeek) {
  expect_ladder(SlaPolicy{}, "2026-12-03T18:00:00+08:00",
                {
                    {"2026-11-26T09:15:00+08:00", Escalation::none},
                    {"2026-12-02T23:59:59+08:00", Escalation::none},
                    {"2026-12-03T00:00:00+08:00", Escalation::warning},
                    {"2026-12-03T17:59:59+08:00", Escalation::warning},
                    {"2026-12-03T18:00:00+08:00", Escalation::reminder},
                    {"2026-12-04T17:59:59+08:00", Escalation::reminder},
                    {"2026-12-04T18:00:00+08:00", Escalation::supervision},
                    {"2027-01-04T09:00:00+08:00", Escalation::supervision},
                });
}

// Deadline on a Friday: the weekend does not count as a working day overdue.
TEST(SlaPolicyTest, EscalationOverAWeekend) {
  expect_ladder(SlaPolicy{}, "2026-12-04T18:00:00+08:00",
                {
                    {"2026-12-03T23:00:00+08:00", Escalation::none},
                    {"2026-12-04T08:00:00+08:00", Escalation::warning},
                    {"2026-12-05T12:00:00+08:00", Escalation::reminder},
                    {"2026-12-07T17:59:59+08:00", Escalation::reminder},
                    {"2026-12-07T18:00:00+08:00", Escalation::supervision},
                });
  // Deadline on a Monday: no warning over the weekend before it.
  expect_ladder(SlaPolicy{}, "2026-11-30T18:00:00+08:00",
                {
                    {"2026-11-27T20:00:00+08:00", Escalation::none},
                    {"2026-11-29T23:59:59+08:00", Escalation::none},
                    {"2026-11-30T00:00:00+08:00", Escalation::warning},
                });
}

// Deadline the day before National Day 2026: overdue through the holiday is
// still only a reminder; supervision at the end of 10/8, the next working day.
TEST(SlaPolicyTest, EscalationOverNationalDay) {
  expect_ladder(SlaPolicy{}, "2026-09-30T18:00:00+08:00",
                {
                    {"2026-09-30T09:00:00+08:00", Escalation::warning},
                    {"2026-10-05T12:00:00+08:00", Escalation::reminder},
                    {"2026-10-08T17:59:59+08:00", Escalation::reminder},
                    {"2026-10-08T18:00:00+08:00", Escalation::supervision},
                });
}

// An upstream deadline at noon on a day off: the warning starts on the last
// working day before it, supervision after the next working day has ended.
TEST(SlaPolicyTest, EscalationForAnUpstreamDeadlineOnADayOff) {
  SlaPolicy policy;
  auto deadline = at("2026-10-03T12:00:00+08:00");
  EXPECT_EQ(policy.warning_point(deadline).to_string(), "2026-09-30T00:00:00+08:00");
  EXPECT_EQ(policy.supervision_point(deadline).to_string(), "2026-10-08T18:00:00+08:00");
  // At 00:00 sharp nothing of that day is left to work: the day before warns.
  EXPECT_EQ(policy.warning_point(at("2026-12-03T00:00:00+08:00")).to_string(),
            "2026-12-02T00:00:00+08:00");
}

TEST(SlaPolicyTest, WarningLeadIsConfigurable) {
  SlaPolicy policy;
  policy.set_warning_lead_days(2);
  EXPECT_EQ(policy.warning_point(at("2026-12-03T18:00:00+08:00")).to_string(),
            "2026-12-02T00:00:00+08:00");
  EXPECT_EQ(policy.warning_point(at("2026-11-30T18:00:00+08:00")).to_string(),
            "2026-11-27T00:00:00+08:00");
  policy.set_warning_lead_days(0);  // no 预警 at all
  expect_ladder(policy, "2026-12-03T18:00:00+08:00",
                {
                    {"2026-12-03T17:59:59+08:00", Escalation::none},
                    {"2026-12-03T18:00:00+08:00", Escalation::reminder},
                });
}

TEST(SlaPolicyTest, SupervisionDelayIsConfigurable) {
  SlaPolicy policy;
  policy.set_supervision_after_days(2);
  EXPECT_EQ(policy.supervision_point(at("2026-12-03T18:00:00+08:00")).to_string(),
            "2026-12-07T18:00:00+08:00");
  policy.set_supervision_after_days(0);
  expect_ladder(policy, "2026-12-03T18:00:00+08:00",
                {{"2026-12-03T18:00:00+08:00", Escalation::supervision}});
}

TEST(SlaPolicyTest, NextEscalationWalksTheLadder) {
  SlaPolicy policy;
  auto deadline = at("2026-12-03T18:00:00+08:00");
  auto step = [&](const char* now) {
    auto next = policy.next_escalation(deadline, at(now));
    return next ? next->to_string() : std::string("none");
  };
  EXPECT_EQ(step("2026-11-26T09:15:00+08:00"), "2026-12-03T00:00:00+08:00");
  EXPECT_EQ(step("2026-12-03T00:00:00+08:00"), "2026-12-03T18:00:00+08:00");
  EXPECT_EQ(step("2026-12-03T18:00:00+08:00"), "2026-12-04T18:00:00+08:00");
  EXPECT_EQ(step("2026-12-04T18:00:00+08:00"), "none");
}

TEST(SlaPolicyTest, EscalationCodes) {
  EXPECT_EQ(to_code(Escalation::none), "none");
  EXPECT_EQ(to_code(Escalation::warning), "warning");
  EXPECT_EQ(to_code(Escalation::reminder), "reminder");
  EXPECT_EQ(to_code(Escalation::supervision), "supervision");
}

TEST(SlaPolicyTest, OnTimeIncludesTheDeadlineItself) {
  auto deadline = at("2026-12-03T18:00:00+08:00");
  EXPECT_TRUE(SlaPolicy::on_time(deadline, at("2026-12-03T17:00:00+08:00")));
  EXPECT_TRUE(SlaPolicy::on_time(deadline, at("2026-12-03T18:00:00+08:00")));
  EXPECT_TRUE(SlaPolicy::on_time(deadline, at("2026-12-03T10:00:00Z")));
  EXPECT_FALSE(SlaPolicy::on_time(deadline, at("2026-12-03T18:00:01+08:00")));
}

TEST(SlaPolicyTest, RulesFromAStructAndSetters) {
  SlaRules rules;
  rules.complaint_days = 3;
  rules.end_of_day_seconds = 17 * 3600 + 30 * 60;
  SlaPolicy policy(rules);
  EXPECT_EQ(policy.deadline(RequestType::complaint, at("2026-11-26T09:15:00+08:00")).to_string(),
            "2026-12-01T17:30:00+08:00");
  policy.set_working_days(RequestType::complaint, 10);
  policy.set_end_of_day(18 * 3600);
  EXPECT_EQ(policy.deadline(RequestType::complaint, at("2026-11-26T09:15:00+08:00")).to_string(),
            "2026-12-10T18:00:00+08:00");
  policy.set_sign_for_days(2);
  EXPECT_EQ(policy.sign_deadline(at("2026-11-27T15:00:00+08:00")).to_string(),
            "2026-12-01T18:00:00+08:00");
}

TEST(SlaPolicyTest, RejectedRulesLeaveThePolicyUnchanged) {
  SlaPolicy policy;
  EXPECT_THROW(policy.set_working_days(RequestType::report, 0), std::invalid_argument);
  EXPECT_THROW(policy.set_sign_for_days(-1), std::invalid_argument);
  EXPECT_THROW(policy.set_warning_lead_days(-1), std::invalid_argument);
  EXPECT_THROW(policy.set_end_of_day(0), std::invalid_argument);
  EXPECT_THROW(policy.set_end_of_day(24 * 3600 + 1), std::invalid_argument);
  EXPECT_EQ(policy.working_days(RequestType::report), 15);
  EXPECT_EQ(policy.rules().sign_for_days, 1);
  EXPECT_EQ(policy.rules().end_of_day_seconds, 18 * 3600);
  SlaRules bad;
  bad.help_days = 0;
  EXPECT_THROW(SlaPolicy{bad}, std::invalid_argument);
}

// A policy works on any calendar, e.g. one a province loads from its own file.
TEST(SlaPolicyTest, UsesTheCalendarItIsGiven) {
  auto calendar = WorkCalendar::parse("year 2026\n2026-11-27 off 地方假日\n");
  SlaPolicy policy({}, calendar);
  // Fri 11/27 off: Mon 11/30 = 1.
  EXPECT_EQ(policy.deadline(RequestType::inquiry, at("2026-11-26T09:15:00+08:00")).to_string(),
            "2026-11-30T18:00:00+08:00");
}

}  // namespace
}  // namespace suqiu
