// HotlineRhythm: when calls come in. A day's volume follows the week
// (Monday busiest, weekends and public holidays about half), its hours the
// desk's day (almost nothing at night, peaks mid-morning and early
// afternoon, a dip at lunch), and the channel mix the hour (the walk-in desk
// only in office hours, the 12328 line thin at night, letters and the web
// form at any hour). On some days a burst: many calls within hours about one
// event (a route changed, a road caved in, a ferry stopped).
//
// Pure: the same seed and day give the same arrivals.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "core/work_calendar.h"

namespace suqiu::sim {

inline constexpr std::array<std::string_view, 5> kSources = {"12345", "12328", "reportbox", "walkin", "open311"};

// Calls about one event, sharing its pinned slots (PhraseBook::bursts()).
struct Burst {
  std::size_t kind = 0;      // index into PhraseBook::bursts()
  std::uint64_t seed = 0;    // pins the event's place, route, plate, ...
  Timestamp start, end;
};

struct Arrival {
  Timestamp at;                 // received_at
  std::string_view source;      // one of kSources
  std::optional<std::size_t> burst;  // index into DayTraffic::bursts
};

struct DayTraffic {
  std::vector<Arrival> arrivals;  // by time
  std::vector<Burst> bursts;
};

class HotlineRhythm {
 public:
  // `calls_per_day`: the average over a week of ordinary days.
  explicit HotlineRhythm(double calls_per_day = 300, const WorkCalendar& calendar = WorkCalendar::builtin());

  // The day's volume relative to the average day (weekday, weekend, holiday).
  double day_factor(std::chrono::year_month_day day) const;
  // Expected calls in each local hour of the day (bursts not counted).
  std::array<double, 24> expected_by_hour(std::chrono::year_month_day day) const;
  // Relative weights of kSources for a call received at `at`.
  std::array<double, kSources.size()> source_weights(Timestamp at) const;
  // The office hours of a working day (08:30-12:00, 14:30-18:00)?
  bool office_hours(Timestamp at) const;

  // The arrivals of one local day, none after `until`.
  DayTraffic day(std::chrono::year_month_day day, std::uint64_t seed,
                 std::optional<Timestamp> until = std::nullopt) const;

  double calls_per_day() const { return calls_per_day_; }
  const WorkCalendar& calendar() const { return calendar_; }

 private:
  double calls_per_day_;
  const WorkCalendar& calendar_;
};

}  // namespace suqiu::sim
