// An instant with the UTC offset it was written in. Intake records carry RFC
// 3339 times; the bureau's calendar reasons in local civil days (+08:00).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace suqiu {

// The bureau's local offset: China Standard Time has no daylight saving.
inline constexpr int kBeijingOffsetMinutes = 8 * 60;

struct Timestamp {
  std::int64_t epoch = 0;   // seconds since 1970-01-01T00:00:00Z
  int offset_minutes = kBeijingOffsetMinutes;

  static Timestamp now(int offset_minutes = kBeijingOffsetMinutes);
  // Strict RFC 3339 (date-time with "T", seconds, optional fraction, Z or ±hh:mm).
  static std::optional<Timestamp> parse(std::string_view text);
  // Same instant written in the given offset.
  Timestamp in_offset(int minutes) const { return {epoch, minutes}; }

  // "2026-11-26T09:15:00+08:00"
  std::string to_string() const;
  // The civil date at this offset.
  std::chrono::year_month_day local_date() const;
  // Seconds since local midnight.
  int local_seconds_of_day() const;
  // The instant of local civil time `date` + `seconds_of_day` at `offset_minutes`.
  static Timestamp from_local(std::chrono::year_month_day date, int seconds_of_day,
                              int offset_minutes = kBeijingOffsetMinutes);

  friend bool operator==(const Timestamp& a, const Timestamp& b) { return a.epoch == b.epoch; }
  friend auto operator<=>(const Timestamp& a, const Timestamp& b) { return a.epoch <=> b.epoch; }
};

// For simulation and tests only: a process-wide source of "now" for
// Timestamp::now(), so that a past can be played through the hub's own store
// and workflow (suqiu-feed-sim --history). The source returns seconds since
// the epoch and must be safe to call from any thread; nullptr, the default,
// is the system clock. Setting it is thread-safe (an atomic swap), and costs
// Timestamp::now() one atomic load while it is unset.
using NowSource = std::int64_t (*)();
void set_now_source(NowSource source);

// "2026-11-26"
std::string to_string(std::chrono::year_month_day date);
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

}  // namespace suqiu
