#include "work_calendar.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "timestamp.h"

namespace suqiu {

// Defined in the builtin_calendar.cpp that CMake generates from the data file.
std::string_view builtin_calendar_text();

namespace {

using namespace std::chrono;

bool is_weekend(sys_days d) {
  auto wd = weekday{d};
  return wd == Saturday || wd == Sunday;
}

// Monday-Friday days in (epoch anchor, d], as a running count: the difference
// of two values is the number of weekdays between them, without a loop.
long long weekdays_through(sys_days d) {
  // 1970-01-05 was a Monday; floor division keeps the count monotonic before it.
  long long m = d.time_since_epoch().count() - 4;
  long long weeks = m >= 0 ? m / 7 : -((-m + 6) / 7);
  long long r = m - weeks * 7;  // 0 = Monday .. 6 = Sunday
  return weeks * 5 + (r < 5 ? r + 1 : 5);
}

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// Splits off the first whitespace-separated token of `s`.
std::string_view next_token(std::string_view& s) {
  s = trim(s);
  auto end = s.find_first_of(" \t");
  auto token = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view{} : trim(s.substr(end));
  return token;
}

[[noreturn]] void bad_line(int line, const std::string& why) {
  throw std::invalid_argument("calendar line " + std::to_string(line) + ": " + why);
}

}  // namespace

WorkCalendar WorkCalendar::parse(std::string_view text) {
  WorkCalendar cal;
  std::map<sys_days, int> first_line;  // to name both lines of a duplicate
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // editors on Windows add a BOM
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (line.ends_with('\r')) line.remove_suffix(1);
    line = trim(line);
    if (line.empty()) continue;

    std::string_view first = next_token(line);
    if (first == "year") {
      std::string_view y = next_token(line);
      int value = 0;
      if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string_view::npos)
        bad_line(line_no, "expected a four-digit year after \"year\", got \"" + std::string(y) + "\"");
      std::from_chars(y.data(), y.data() + y.size(), value);
      std::string_view flag = next_token(line);
      if (!flag.empty() && flag != "provisional")
        bad_line(line_no, "unknown year flag \"" + std::string(flag) + "\" (only \"provisional\")");
      if (!line.empty()) bad_line(line_no, "unexpected text after the year");
      if (!cal.years_.emplace(value, flag == "provisional").second)
        bad_line(line_no, "year " + std::string(y) + " is declared twice");
      continue;
    }

    auto date = parse_date(first);
    if (!date)
      bad_line(line_no, "expected \"year YYYY\" or a date YYYY-MM-DD, got \"" + std::string(first) + "\"");
    std::string_view kind_text = next_token(line);
    DayKind kind;
    if (kind_text == "off")
      kind = DayKind::off;
    else if (kind_text == "work")
      kind = DayKind::work;
    else
      bad_line(line_no, "expected \"off\" or \"work\" after " + std::string(first) + ", got \"" +
                            std::string(kind_text) + "\"");
    // The rest of the line is the holiday's name, for people reading the file.

    if (!cal.years_.contains(static_cast<int>(date->year())))
      bad_line(line_no, std::string(first) + " lies in a year not declared above it (\"year " +
                            std::string(first.substr(0, 4)) + "\")");
    sys_days day{*date};
    if (kind == DayKind::work && !is_weekend(day))
      bad_line(line_no, std::string(first) +
                            " is a weekday; only a Saturday or Sunday can be made a working day");
    if (auto [it, fresh] = first_line.emplace(day, line_no); !fresh)
      bad_line(line_no, std::string(first) + " is already listed on line " + std::to_string(it->second));
    cal.exceptions_.emplace(day, kind);
  }
  return cal;
}

WorkCalendar WorkCalendar::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read calendar " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("error reading calendar " + file.string());
  try {
    return parse(text.str());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(file.string() + ": " + e.what());
  }
}

const WorkCalendar& WorkCalendar::builtin() {
  // A malformed data file fails the unit tests, so this never throws in a release.
  static const WorkCalendar calendar = parse(builtin_calendar_text());
  return calendar;
}

bool WorkCalendar::is_working_day(year_month_day date) const {
  sys_days day{date};
  if (auto it = exceptions_.find(day); it != exceptions_.end()) return it->second == DayKind::work;
  return !is_weekend(day);
}

bool WorkCalendar::covers(year y) const { return years_.contains(static_cast<int>(y)); }

bool WorkCalendar::is_provisional(year y) const {
  auto it = years_.find(static_cast<int>(y));
  return it != years_.end() && it->second;
}

year_month_day WorkCalendar::add_working_days(year_month_day from, int n) const {
  sys_days day{from};
  const days step{n > 0 ? 1 : -1};
  for (int left = n > 0 ? n : -n; left > 0;) {
    day += step;
    if (is_working_day(year_month_day{day})) --left;
  }
  return year_month_day{day};
}

int WorkCalendar::working_days_between(year_month_day a, year_month_day b) const {
  sys_days from{a}, to{b};
  if (to < from) return -working_days_between(b, a);
  long long count = weekdays_through(to) - weekdays_through(from);
  // Correct the plain weekday count by the listed days in (from, to].
  for (auto it = exceptions_.upper_bound(from); it != exceptions_.end() && it->first <= to; ++it) {
    bool weekend = is_weekend(it->first);
    if (it->second == DayKind::work && weekend) ++count;
    if (it->second == DayKind::off && !weekend) --count;
  }
  return static_cast<int>(count);
}

}  // namespace suqiu
