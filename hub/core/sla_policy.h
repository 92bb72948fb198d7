// The legal deadlines (办理时限) of a case and the escalation ladder around
// them, in working days of a WorkCalendar. Pure arithmetic on timestamps: the
// hub's timers ask it when to raise 预警/催办/督办, the store keeps its answers.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "codes.h"
#include "timestamp.h"
#include "work_calendar.h"

namespace suqiu {

// The escalation ladder of DESIGN.md, in the order a late case climbs it.
enum class Escalation {
  none,
  warning,      // 预警: the deadline's last working day(s) have begun
  reminder,     // 催办: the deadline has passed
  supervision,  // 督办: overdue by a whole working day, a leader takes over
};
// "none", "warning", "reminder", "supervision"
std::string_view to_code(Escalation e);
// The mark a case carries, as stored; anything unknown counts as none.
Escalation parse_escalation(std::string_view code);

// What the configuration ([sla] in the hub's TOML) can change. Day counts are
// working days; DESIGN.md gives the defaults.
struct SlaRules {
  int inquiry_days = 1;
  int help_days = 3;
  int complaint_days = 5;
  int praise_days = 5;
  int suggestion_days = 10;
  int report_days = 15;
  int sign_for_days = 1;  // 签收 of an assigned case
  // 预警 covers the last N working days up to the deadline; 0 turns it off.
  int warning_lead_days = 1;
  // 督办 once overdue through the end of the N-th working day after the
  // deadline's day; 0 means 督办 right at the deadline.
  int supervision_after_days = 1;
  int end_of_day_seconds = 18 * 3600;  // a working day ends at 18:00 local
  int offset_minutes = kBeijingOffsetMinutes;
};

class SlaPolicy {
 public:
  // Throws std::invalid_argument on a rule out of range (a negative or zero
  // day count where one is needed, an end of day outside the day).
  explicit SlaPolicy(SlaRules rules = {}, WorkCalendar calendar = WorkCalendar::builtin());

  const SlaRules& rules() const { return rules_; }
  const WorkCalendar& calendar() const { return calendar_; }

  int working_days(RequestType type) const;
  void set_working_days(RequestType type, int days);
  void set_sign_for_days(int days);
  void set_warning_lead_days(int days);
  void set_supervision_after_days(int days);
  void set_end_of_day(int seconds_of_day);

  // End of the working day on `date`, in the bureau's offset.
  Timestamp end_of_day(std::chrono::year_month_day date) const;

  // Counted from the day after receipt (so the hour of receipt, even late on a
  // Friday or on a holiday, never matters): the end of the N-th working day
  // after the local date of `received`. An earlier upstream deadline wins, as
  // given. Beyond the calendar's covered years this counts plain Mon-Fri.
  Timestamp deadline(RequestType type, Timestamp received,
                     std::optional<Timestamp> upstream_deadline = std::nullopt) const;
  // The end of the sign_for_days-th working day after the day of assignment.
  Timestamp sign_deadline(Timestamp assigned) const;

  // The ladder, for any deadline (ours, or an upstream one at any hour):
  //  - warning from the start (00:00 local) of the last working day that
  //    begins before the deadline, moved back warning_lead_days - 1 further
  //    working days. For an 18:00 deadline on a Thursday that is Thursday
  //    00:00; for a deadline on a Monday, Monday 00:00 (not the Friday).
  //  - reminder from the deadline itself (now >= deadline).
  //  - supervision from the end of the supervision_after_days-th working day
  //    after the deadline's day: by then the case has stayed overdue for a
  //    whole working day. Thursday 18:00 -> Friday 18:00.
  // Every boundary is inclusive: at exactly the point the new level holds.
  Timestamp warning_point(Timestamp deadline) const;
  Timestamp supervision_point(Timestamp deadline) const;
  Escalation escalation(Timestamp deadline, Timestamp now) const;
  // When escalation() will next change, for the hub's timers; nullopt once at
  // supervision, the top of the ladder.
  std::optional<Timestamp> next_escalation(Timestamp deadline, Timestamp now) const;

  // Closed at the deadline itself still counts as on time.
  static bool on_time(Timestamp deadline, Timestamp closed) { return closed <= deadline; }

 private:
  std::chrono::year_month_day local_date(Timestamp t) const;

  SlaRules rules_;
  WorkCalendar calendar_;
};

}  // namespace suqiu
