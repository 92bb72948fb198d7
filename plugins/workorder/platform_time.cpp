#include "workorder/platform_time.h"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace suqiu::workorder {
namespace {

using namespace std::chrono;

constexpr std::string_view kConversions = "YmdHMSfzsQ%";

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads between `min` and `max` digits at `pos`.
std::optional<std::int64_t> digits(std::string_view text, std::size_t& pos, std::size_t min, std::size_t max) {
  std::int64_t value = 0;
  std::size_t n = 0;
  while (pos < text.size() && n < max && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++n;
  }
  if (n < min) return std::nullopt;
  return value;
}

// Z, ±hh:mm, ±hhmm or ±hh, in minutes.
std::optional<int> offset(std::string_view text, std::size_t& pos) {
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
    return 0;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
  const int sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  auto hours = digits(text, pos, 2, 2);
  if (!hours || *hours > 23) return std::nullopt;
  std::int64_t minutes = 0;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    auto m = digits(text, pos, 2, 2);
    if (!m || *m > 59) return std::nullopt;
    minutes = *m;
  }
  return sign * static_cast<int>(*hours * 60 + minutes);
}

std::optional<Timestamp> parse_with(std::string_view text, std::string_view format, bool end_of_day) {
  std::int64_t year = -1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::optional<int> zone;
  std::optional<std::int64_t> epoch;
  bool has_hour = false;
  std::size_t pos = 0;
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%' || f + 1 == format.size()) {
      if (pos >= text.size() || text[pos] != format[f]) return std::nullopt;
      ++pos;
      continue;
    }
    std::optional<std::int64_t> v;
    switch (format[++f]) {
      case 'Y': v = digits(text, pos, 4, 4); if (v) year = *v; break;
      case 'm': v = digits(text, pos, 1, 2); if (v) month = *v; break;
      case 'd': v = digits(text, pos, 1, 2); if (v) day = *v; break;
      case 'H': v = digits(text, pos, 1, 2); if (v) { hour = *v; has_hour = true; } break;
      case 'M': v = digits(text, pos, 1, 2); if (v) minute = *v; break;
      case 'S': v = digits(text, pos, 1, 2); if (v) second = *v; break;
      case 'f': v = digits(text, pos, 1, 9); break;
      case 's': v = digits(text, pos, 1, 12); if (v) epoch = *v; break;
      case 'Q': v = digits(text, pos, 1, 15); if (v) epoch = *v / 1000; break;
      case 'z': {
        zone = offset(text, pos);
        if (!zone) return std::nullopt;
        v = 0;
        break;
      }
      case '%':
        if (pos >= text.size() || text[pos] != '%') return std::nullopt;
        ++pos;
        v = 0;
        break;
      default: return std::nullopt;
    }
    if (!v) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (epoch) return Timestamp{*epoch, kBeijingOffsetMinutes};
  if (year < 0) return std::nullopt;
  const year_month_day date{std::chrono::year(static_cast<int>(year)), std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (second == 60) second = 59;  // a leap second stays inside its minute, as the hub keeps it
  int seconds_of_day = static_cast<int>(hour * 3600 + minute * 60 + second);
  if (!has_hour && end_of_day) seconds_of_day = 24 * 3600 - 1;
  return Timestamp::from_local(date, seconds_of_day, zone.value_or(kBeijingOffsetMinutes))
      .in_offset(kBeijingOffsetMinutes);
}

}  // namespace

std::string time_format_problem(std::string_view format) {
  bool date = false, epoch = false;
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%') continue;
    if (f + 1 == format.size()) return "ends with a lone '%'";
    const char c = format[++f];
    if (kConversions.find(c) == std::string_view::npos)
      return std::string("has an unknown conversion '%") + c + "'";
    if (c == 'Y') date = true;
    if (c == 's' || c == 'Q') epoch = true;
  }
  if (!date && !epoch) return "has no %Y (nor %s or %Q)";
  return {};
}

std::optional<Timestamp> parse_platform_time(std::string_view text, const std::vector<std::string>& formats,
                                             bool date_means_end_of_day) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (auto rfc = Timestamp::parse(text)) return rfc->in_offset(kBeijingOffsetMinutes);
  for (const auto& format : formats)
    if (auto t = parse_with(text, format, date_means_end_of_day)) return t;
  return std::nullopt;
}

std::string format_platform_time(const Timestamp& at, std::string_view format) {
  const Timestamp local = at.in_offset(kBeijingOffsetMinutes);
  const year_month_day date = local.local_date();
  const int sod = local.local_seconds_of_day();
  std::string out;
  char buf[32];
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%' || f + 1 == format.size()) {
      out += format[f];
      continue;
    }
    switch (format[++f]) {
      case 'Y': std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(date.year())); break;
      case 'm': std::snprintf(buf, sizeof buf, "%02u", static_cast<unsigned>(date.month())); break;
      case 'd': std::snprintf(buf, sizeof buf, "%02u", static_cast<unsigned>(date.day())); break;
      case 'H': std::snprintf(buf, sizeof buf, "%02d", sod / 3600); break;
      case 'M': std::snprintf(buf, sizeof buf, "%02d", sod / 60 % 60); break;
      case 'S': std::snprintf(buf, sizeof buf, "%02d", sod % 60); break;
      case 'f': std::snprintf(buf, sizeof buf, "000"); break;
      case 'z': std::snprintf(buf, sizeof buf, "+0800"); break;
      case 's': std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(at.epoch)); break;
      case 'Q': std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(at.epoch) * 1000); break;
      case '%': std::snprintf(buf, sizeof buf, "%%"); break;
      default: std::snprintf(buf, sizeof buf, "%%%c", format[f]); break;
    }
    out += buf;
  }
  return out;
}

}  // namespace suqiu::workorder
