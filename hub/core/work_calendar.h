// The bureau's working days: Monday to Friday, minus the official days off,
// plus the weekend days the State Council makes working days (调休上班). Every
// legal deadline (办理时限) is counted in these days, so a wrong day here is a
// wrongly overdue case.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string_view>

namespace suqiu {

class WorkCalendar {
 public:
  // An empty calendar: plain Monday-Friday, no year covered.
  WorkCalendar() = default;

  // The line format of data/calendar/cn-holidays.txt (documented at its top).
  // Throws std::invalid_argument whose message names the offending line.
  static WorkCalendar parse(std::string_view text);
  // Reads and parses a calendar file; the only I/O in hub/core. Throws
  // std::runtime_error when the file cannot be read, std::invalid_argument
  // (naming the file and line) when it is malformed.
  static WorkCalendar load(const std::filesystem::path& file);
  // data/calendar/cn-holidays.txt as compiled into the binary.
  static const WorkCalendar& builtin();

  // Outside the covered years this is plain Monday-Friday: callers that care
  // (the SLA timers, the admin CLI) check covers() and say so.
  bool is_working_day(std::chrono::year_month_day date) const;
  bool covers(std::chrono::year y) const;
  // A covered year whose arrangement was derived, not yet published.
  bool is_provisional(std::chrono::year y) const;

  // The n-th working day strictly after `from` (n > 0); the |n|-th working day
  // strictly before it (n < 0); `from` itself for n == 0.
  std::chrono::year_month_day add_working_days(std::chrono::year_month_day from, int n) const;
  // Working days in (a, b]; negative, -(working days in (b, a]), when b < a.
  int working_days_between(std::chrono::year_month_day a, std::chrono::year_month_day b) const;

 private:
  enum class DayKind { off, work };
  std::map<std::chrono::sys_days, DayKind> exceptions_;
  std::map<int, bool> years_;  // covered year -> provisional
};

}  // namespace suqiu
