#include "sim/office_hours.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

namespace suqiu::sim {
namespace {

using namespace std::chrono;

struct Period {
  int begin, end;  // seconds of the local day
};
constexpr std::array<Period, 2> kPeriods = {{{8 * 3600 + 1800, 12 * 3600}, {14 * 3600 + 1800, 18 * 3600}}};

year_month_day next_day(year_month_day d) { return year_month_day{sys_days{d} + days{1}}; }

}  // namespace

bool OfficeHours::open(Timestamp t) const {
  const Timestamp local = t.in_offset(kBeijingOffsetMinutes);
  if (!calendar_.is_working_day(local.local_date())) return false;
  const int s = local.local_seconds_of_day();
  return std::any_of(kPeriods.begin(), kPeriods.end(), [s](const Period& p) { return s >= p.begin && s < p.end; });
}

Timestamp OfficeHours::after(Timestamp from, std::int64_t minutes) const {
  std::int64_t left = std::max<std::int64_t>(0, minutes) * 60;
  Timestamp local = from.in_offset(kBeijingOffsetMinutes);
  year_month_day day = local.local_date();
  int sod = local.local_seconds_of_day();
  // A case never waits more than a few weeks of working time; the bound
  // only guards against a calendar with no working day at all.
  for (int guard = 0; guard < 3650; ++guard) {
    if (calendar_.is_working_day(day)) {
      for (const Period& p : kPeriods) {
        if (sod >= p.end) continue;
        const int start = std::max(sod, p.begin);
        const int room = p.end - start;
        if (left <= room) return Timestamp::from_local(day, start + static_cast<int>(left));
        left -= room;
        sod = p.end;
      }
    }
    day = next_day(day);
    sod = 0;
  }
  return Timestamp::from_local(day, kPeriods[0].begin);
}

std::int64_t OfficeHours::minutes_between(Timestamp a, Timestamp b) const {
  if (b <= a) return 0;
  std::int64_t seconds = 0;
  const Timestamp la = a.in_offset(kBeijingOffsetMinutes), lb = b.in_offset(kBeijingOffsetMinutes);
  year_month_day day = la.local_date();
  const year_month_day last = lb.local_date();
  int sod = la.local_seconds_of_day();
  for (int guard = 0; guard < 3650; ++guard) {
    const bool final_day = day == last;
    const int until = final_day ? lb.local_seconds_of_day() : 24 * 3600;
    if (calendar_.is_working_day(day))
      for (const Period& p : kPeriods) seconds += std::max(0, std::min(p.end, until) - std::max(p.begin, sod));
    if (final_day) break;
    day = next_day(day);
    sod = 0;
  }
  return seconds / 60;
}

Timestamp OfficeHours::fraction(Timestamp from, Timestamp to, double f) const {
  const std::int64_t total = minutes_between(from, to);
  if (total <= 0) return from;
  return after(from, static_cast<std::int64_t>(std::llround(std::clamp(f, 0.0, 1.0) * static_cast<double>(total))));
}

}  // namespace suqiu::sim
