// OfficeHours: the desk's working time, for the history mode's delays. The
// bureau works 08:30-12:00 and 14:30-18:00 on the working days of the
// calendar (调休 included); "three working hours later" skips nights,
// lunches, weekends and holidays, as a case's real handling does.
#pragma once

#include <cstdint>

#include "core/timestamp.h"
#include "core/work_calendar.h"

namespace suqiu::sim {

class OfficeHours {
 public:
  explicit OfficeHours(const WorkCalendar& calendar = WorkCalendar::builtin()) : calendar_(calendar) {}

  // Inside a working period?
  bool open(Timestamp t) const;
  // `minutes` of working time after `from` (from the next opening when the
  // office is closed at `from`).
  Timestamp after(Timestamp from, std::int64_t minutes) const;
  // Working minutes in [a, b); 0 when b <= a.
  std::int64_t minutes_between(Timestamp a, Timestamp b) const;
  // The point `fraction` (0..1) of the working time from `from` to `to`;
  // `from` when there is none.
  Timestamp fraction(Timestamp from, Timestamp to, double fraction) const;

 private:
  const WorkCalendar& calendar_;
};

}  // namespace suqiu::sim
