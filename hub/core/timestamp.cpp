#include "timestamp.h"

#include <atomic>
#include <charconv>
#include <cstdio>

namespace suqiu {
namespace {

using namespace std::chrono;

bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  std::from_chars(s.data() + pos, s.data() + pos + n, out);
  return true;
}

// Unset (nullptr) but in simulations and tests.
std::atomic<NowSource> now_source{nullptr};

}  // namespace

void set_now_source(NowSource source) { now_source.store(source, std::memory_order_release); }

Timestamp Timestamp::now(int offset_minutes) {
  if (NowSource source = now_source.load(std::memory_order_acquire)) return {source(), offset_minutes};
  auto secs = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  return {secs, offset_minutes};
}

std::optional<year_month_day> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d))
    return std::nullopt;
  year_month_day date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<Timestamp> Timestamp::parse(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  if (s.size() < 20) return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  int hh, mm, ss;
  if (!read_digits(s, 11, 2, hh) || s[13] != ':' || !read_digits(s, 14, 2, mm) || s[16] != ':' ||
      !read_digits(s, 17, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;
  int offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  if (ss == 60) ss = 59;  // leap second: keep the instant inside the minute
  return from_local(*date, hh * 3600 + mm * 60 + ss, offset);
}

Timestamp Timestamp::from_local(year_month_day date, int seconds_of_day, int offset_minutes) {
  auto days = sys_days{date}.time_since_epoch().count();
  std::int64_t epoch =
      static_cast<std::int64_t>(days) * 86400 + seconds_of_day - offset_minutes * 60LL;
  return {epoch, offset_minutes};
}

year_month_day Timestamp::local_date() const {
  std::int64_t local = epoch + offset_minutes * 60LL;
  std::int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  return year_month_day{sys_days{std::chrono::days{days}}};
}

int Timestamp::local_seconds_of_day() const {
  std::int64_t local = epoch + offset_minutes * 60LL;
  std::int64_t r = local % 86400;
  return static_cast<int>(r < 0 ? r + 86400 : r);
}

std::string to_string(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string Timestamp::to_string() const {
  auto d = local_date();
  int sod = local_seconds_of_day();
  char buf[40];
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  if (offset_minutes == 0)
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", suqiu::to_string(d).c_str(), sod / 3600,
                  sod / 60 % 60, sod % 60);
  else
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", suqiu::to_string(d).c_str(),
                  sod / 3600, sod / 60 % 60, sod % 60, offset_minutes < 0 ? '-' : '+', off / 60,
                  off % 60);
  return buf;
}

}  // namespace suqiu
