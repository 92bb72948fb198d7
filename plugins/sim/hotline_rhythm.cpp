#include "sim/hotline_rhythm.h"

#include <algorithm>
#include <cmath>

#include "sim/phrase_book.h"
#include "sim/sim_random.h"

namespace suqiu::sim {
namespace {

using namespace std::chrono;

// Shares of a day's calls by local hour. A working day: the desk's two
// peaks (9-11, 14-17) and the lunch dip; a day off: later, flatter, more
// in the evening.
constexpr std::array<double, 24> kWorkingDayHours = {0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.6, 1.8, 4.5, 7.5, 8.5, 7.0,
                                                      3.8, 3.5, 6.0, 7.2, 6.8, 5.5, 3.2, 2.5, 2.2, 1.7, 1.1, 0.7};
constexpr std::array<double, 24> kDayOffHours = {0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2, 2.8, 5.0, 6.5, 6.2,
                                                  4.5, 4.2, 5.2, 5.8, 5.6, 4.8, 3.8, 3.4, 3.2, 2.4, 1.5, 0.9};

// Monday to Sunday, before scaling to an average of 1 over the week.
constexpr std::array<double, 7> kWeekdays = {1.18, 1.08, 1.05, 1.04, 0.98, 0.62, 0.55};
constexpr double kHoliday = 0.5;
constexpr double kWeekMean = (1.18 + 1.08 + 1.05 + 1.04 + 0.98 + 0.62 + 0.55) / 7;

// 12345, 12328, reportbox, walkin, open311 in a working-day hour.
constexpr std::array<double, 5> kSourceShares = {45, 32, 13, 6, 4};

// How often each kind of burst happens (PhraseBook::bursts() order), and
// the expected bursts per day.
constexpr std::array<double, 8> kBurstWeights = {2, 2, 1, 1, 1, 2, 1, 1};
constexpr double kBurstsPerDay = 0.35;

unsigned weekday_index(year_month_day d) {
  return weekday{sys_days{d}}.iso_encoding() - 1;  // Monday 0 .. Sunday 6
}

std::uint64_t day_key(year_month_day d) {
  return static_cast<std::uint64_t>(sys_days{d}.time_since_epoch().count());
}

}  // namespace

HotlineRhythm::HotlineRhythm(double calls_per_day, const WorkCalendar& calendar)
    : calls_per_day_(calls_per_day), calendar_(calendar) {}

double HotlineRhythm::day_factor(year_month_day day) const {
  const unsigned wd = weekday_index(day);
  const bool weekend = wd >= 5;
  const bool working = calendar_.is_working_day(day);
  double f;
  if (working) f = weekend ? kWeekdays[4] : kWeekdays[wd];   // 调休: a weekend worked is a quiet Friday
  else f = weekend ? kWeekdays[wd] : kHoliday;
  return f / kWeekMean;
}

std::array<double, 24> HotlineRhythm::expected_by_hour(year_month_day day) const {
  const auto& shape = calendar_.is_working_day(day) ? kWorkingDayHours : kDayOffHours;
  double total = 0;
  for (double h : shape) total += h;
  std::array<double, 24> out{};
  const double calls = calls_per_day_ * day_factor(day);
  for (std::size_t h = 0; h < 24; ++h) out[h] = calls * shape[h] / total;
  return out;
}

bool HotlineRhythm::office_hours(Timestamp at) const {
  const Timestamp local = at.in_offset(kBeijingOffsetMinutes);
  if (!calendar_.is_working_day(local.local_date())) return false;
  const int m = local.local_seconds_of_day() / 60;
  return (m >= 8 * 60 + 30 && m < 12 * 60) || (m >= 14 * 60 + 30 && m < 18 * 60);
}

std::array<double, kSources.size()> HotlineRhythm::source_weights(Timestamp at) const {
  std::array<double, 5> w = kSourceShares;
  const int hour = at.in_offset(kBeijingOffsetMinutes).local_seconds_of_day() / 3600;
  const bool night = hour >= 22 || hour < 7;
  if (!office_hours(at)) w[3] = 0;  // the desk is closed
  if (night) {
    w[1] *= 0.3;   // 12328 keeps a thin night shift
    w[2] *= 2.0;   // letters and the web form are written in the evening
    w[4] *= 1.5;
  }
  return w;
}

DayTraffic HotlineRhythm::day(year_month_day date, std::uint64_t seed, std::optional<Timestamp> until) const {
  SimRandom rng = SimRandom::derive(seed, day_key(date), 0x7261'7465);  // "rate"
  DayTraffic out;
  // Days differ beyond the week's pattern: ±12 %.
  const double noise = rng.uniform(0.88, 1.12);
  const auto expected = expected_by_hour(date);
  auto add = [&](Timestamp at, std::optional<std::size_t> burst) {
    if (until && at > *until) return;
    const auto w = source_weights(at);
    out.arrivals.push_back({at, kSources[rng.weighted(w)], burst});
  };
  for (int h = 0; h < 24; ++h) {
    const int n = rng.poisson(expected[static_cast<std::size_t>(h)] * noise);
    for (int i = 0; i < n; ++i) add(Timestamp::from_local(date, h * 3600 + rng.between(0, 3599)), std::nullopt);
  }

  // Bursts: their size follows the desk's size (a small desk hears fewer callers about one event).
  const auto& kinds = PhraseBook::builtin().bursts();
  const double scale = std::clamp(calls_per_day_ / 300.0, 0.2, 3.0);
  const int bursts = rng.poisson(kBurstsPerDay);
  for (int b = 0; b < bursts; ++b) {
    Burst burst;
    burst.kind = rng.weighted(std::span<const double>(kBurstWeights.data(), std::min(kBurstWeights.size(), kinds.size())));
    const BurstKind& kind = kinds[burst.kind];
    burst.seed = rng.next();
    const int start_s = rng.between(7 * 3600, 18 * 3600);
    const int hours = rng.between(kind.min_hours, kind.max_hours);
    const int end_s = std::min(24 * 3600 - 1, start_s + hours * 3600);
    burst.start = Timestamp::from_local(date, start_s);
    burst.end = Timestamp::from_local(date, end_s);
    const int calls = std::max(2, static_cast<int>(std::lround(rng.between(kind.min_calls, kind.max_calls) * scale)));
    out.bursts.push_back(burst);
    for (int i = 0; i < calls; ++i) {
      // Most calls come early in the event, fewer as it drags on.
      const double u = rng.unit();
      add(Timestamp::from_local(date, start_s + static_cast<int>((end_s - start_s) * u * u)), out.bursts.size() - 1);
    }
  }
  std::stable_sort(out.arrivals.begin(), out.arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
  return out;
}

}  // namespace suqiu::sim
