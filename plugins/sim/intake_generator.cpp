#include "sim/intake_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "sim/phrase_book.h"
#include "sim/text_composer.h"

namespace suqiu::sim {
namespace {

using namespace std::chrono;
using nlohmann::ordered_json;

constexpr std::array<std::string_view, 13> kCategories = {
    "taxi", "ride_hailing", "bus", "coach", "freight", "driver_training", "vehicle_repair",
    "overload", "illegal_operation", "road", "waterway", "conduct", "other"};
// A district bureau's mix: buses and taxis most, conduct and waterways least.
constexpr std::array<double, 13> kCategoryShares = {15, 10, 17, 5.5, 4, 5, 3, 4, 8, 11, 3.5, 3, 9};

// complaint, report, inquiry, help, suggestion, praise, per category (kCategories order).
constexpr std::array<std::array<double, 6>, 13> kTypeShares = {{
    {55, 5, 15, 8, 7, 10},   // taxi
    {50, 8, 20, 7, 8, 7},    // ride_hailing
    {50, 2, 18, 6, 16, 8},   // bus
    {45, 5, 25, 10, 8, 7},   // coach
    {25, 45, 15, 5, 10, 0},  // freight
    {55, 10, 20, 5, 7, 3},   // driver_training
    {60, 10, 15, 5, 7, 3},   // vehicle_repair
    {15, 70, 5, 0, 10, 0},   // overload
    {15, 75, 5, 0, 5, 0},    // illegal_operation
    {35, 5, 10, 25, 25, 0},  // road
    {40, 10, 25, 10, 10, 5}, // waterway
    {40, 45, 0, 0, 5, 10},   // conduct
    {60, 0, 25, 15, 0, 0},   // other
}};

constexpr std::array<RequestType, 6> kTypes = {RequestType::complaint, RequestType::report,  RequestType::inquiry,
                                               RequestType::help,      RequestType::suggestion, RequestType::praise};

// How a channel shifts the mix (multipliers on the shares above).
double category_factor(std::string_view source, std::string_view category) {
  if (source == "reportbox") {
    if (category == "illegal_operation" || category == "conduct") return 2.2;
    if (category == "overload") return 1.8;
    if (category == "freight") return 1.5;
    if (category == "bus" || category == "taxi") return 0.75;
  } else if (source == "12328") {
    if (category == "other") return 0.4;  // the transport line; other matters go to 12345
    if (category == "taxi" || category == "ride_hailing" || category == "coach") return 1.25;
  } else if (source == "walkin") {
    if (category == "driver_training" || category == "vehicle_repair") return 2.0;
    if (category == "conduct") return 1.5;
  } else if (source == "open311") {
    if (category == "road") return 2.5;  // photographed potholes, broken stops
    if (category == "bus" || category == "illegal_operation") return 1.4;
    if (category == "other") return 0.5;
  }
  return 1.0;
}

double type_factor(std::string_view source, RequestType t) {
  if (source == "reportbox") {
    switch (t) {
      case RequestType::report: return 2.5;
      case RequestType::suggestion: return 1.5;
      case RequestType::inquiry: return 0.3;
      case RequestType::help: return 0.5;
      default: return 1.0;
    }
  }
  if (source == "12328" && t == RequestType::inquiry) return 1.3;
  if (source == "walkin") {
    if (t == RequestType::inquiry) return 1.5;
    if (t == RequestType::help) return 1.3;
    if (t == RequestType::report) return 0.6;
  }
  if (source == "open311") {
    if (t == RequestType::suggestion) return 1.5;
    if (t == RequestType::report) return 1.2;
    if (t == RequestType::inquiry) return 0.5;
    if (t == RequestType::praise) return 0.3;
  }
  return 1.0;
}

constexpr std::array<std::string_view, 39> kMobilePrefixes = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181",
    "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199"};
constexpr std::string_view kPlateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::array<std::string_view, 5> kOtherProvinces = {"桂K", "琼A", "湘D", "粤K", "粤J"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"一", "二", "三", "四", "五", "六", "日"};

std::string digits(SimRandom& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.below(10)));
  return s;
}

std::string pick(SimRandom& rng, std::span<const std::string_view> pool) {
  return pool.empty() ? std::string() : std::string(pool[rng.below(pool.size())]);
}

std::string pool_pick(SimRandom& rng, std::string_view name) { return pick(rng, PhraseBook::builtin().pool(name)); }

std::string month_day(year_month_day d) {
  return std::to_string(static_cast<unsigned>(d.month())) + "月" + std::to_string(static_cast<unsigned>(d.day())) + "日";
}

std::string hex64(SimRandom& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 64; ++i) s.push_back(kHex[rng.below(16)]);
  return s;
}

// Six decimals, as a GPS fix is written: the double nearest the printed
// value, so that the record shows "21.262378", not "21.262377999999998".
double micro_degrees(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return std::strtod(buf, nullptr);
}

constexpr std::size_t kCallerMemory = 1500;  // about five days of a desk's callers

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The channel's way of writing: "call" (an operator's third person), "web"
// (网友留言), "letter" (the writer's first person), "visit" (the desk),
// "app" (Open311 photo reports).
std::string_view who_for(std::string_view style) {
  if (style == "letter") return "我";
  if (style == "visit") return "来访人";
  if (style == "web") return "网友";
  if (style == "app") return "市民";
  return "来电人";
}

std::string_view type_code(RequestType t) { return to_code(t); }

}  // namespace

const HotlineRhythm& IntakeGenerator::default_rhythm() {
  static const HotlineRhythm rhythm;
  return rhythm;
}

IntakeGenerator::IntakeGenerator(std::uint64_t seed, GeneratorOptions options, const HotlineRhythm& rhythm)
    : seed_(seed), options_(std::move(options)), rhythm_(rhythm), rng_(SimRandom::derive(seed, 0x696e'7461'6b65)) {
  // The usual suspects: plates that keep coming back at this desk.
  SimRandom pool_rng = SimRandom::derive(seed, 0x686f'7473);  // "hots"
  std::string ignored;
  auto fill = [&](std::vector<Plate>& hot, std::string_view kind, int n) {
    std::swap(rng_, pool_rng);
    for (int i = 0; i < n; ++i) {
      ignored.clear();
      const double keep = options_.hot_object_share;
      options_.hot_object_share = 0;  // fresh plates only
      plate(kind, ignored);
      options_.hot_object_share = keep;
      hot.push_back({ignored, ignored});
    }
    std::swap(rng_, pool_rng);
  };
  fill(hot_taxis_, "taxi", 40);
  fill(hot_cars_, "car", 20);
  fill(hot_trucks_, "truck", 15);
  fill(hot_private_, "private", 10);
  // ... and the desk's busiest routes.
  const std::size_t routes = PhraseBook::builtin().pool("route").size();
  while (hot_routes_.size() < std::min<std::size_t>(10, routes)) {
    const std::size_t r = pool_rng.below(routes);
    if (std::find(hot_routes_.begin(), hot_routes_.end(), r) == hot_routes_.end()) hot_routes_.push_back(r);
  }
}

std::string IntakeGenerator::plate(std::string_view kind, std::string& object) {
  std::vector<Plate>* hot = kind == "taxi"      ? &hot_taxis_
                            : kind == "car"     ? &hot_cars_
                            : kind == "truck"   ? &hot_trucks_
                            : kind == "private" ? &hot_private_
                                                : nullptr;
  std::string canonical;
  if (hot && !hot->empty() && rng_.chance(options_.hot_object_share)) {
    canonical = (*hot)[rng_.zipf(hot->size())].canonical;
  } else {
    auto letter = [&] { return std::string(1, kPlateLetters[rng_.below(kPlateLetters.size())]); };
    std::string province = "粤G";
    std::string body;
    if (kind == "taxi") {
      body = rng_.chance(0.8) ? "T" + digits(rng_, 4) : "D" + digits(rng_, 5);
    } else if (kind == "car") {
      body = rng_.chance(0.7) ? (rng_.chance(0.8) ? "D" : "F") + digits(rng_, 5) : letter() + digits(rng_, 4);
    } else if (kind == "truck") {
      if (rng_.chance(0.15)) province = std::string(kOtherProvinces[rng_.below(kOtherProvinces.size())]);
      body = letter() + digits(rng_, 4);
    } else {  // coach, private
      body = letter() + digits(rng_, 4);
      if (kind == "private" && rng_.chance(0.3)) body = letter() + letter() + digits(rng_, 3);
    }
    canonical = province + "·" + body;
  }
  if (object.empty()) object = canonical;
  // Callers and operators spell plates every way; the hub folds them.
  const std::string province_letter = canonical.substr(0, canonical.find("·"));
  const std::string body = canonical.substr(canonical.find("·") + std::string("·").size());
  const double u = rng_.unit();
  if (u < 0.55) return canonical;
  if (u < 0.80) return province_letter + body;
  if (u < 0.92) return province_letter + " " + body;
  return province_letter + "-" + body;
}

std::string IntakeGenerator::phone() {
  const double u = rng_.unit();
  if (u < 0.91) return std::string(kMobilePrefixes[rng_.below(kMobilePrefixes.size())]) + digits(rng_, 8);
  if (u < 0.98) return "0759-" + std::string(rng_.chance(0.5) ? "2" : "3") + digits(rng_, 6);
  return "+852 " + std::string(1, "569"[rng_.below(3)]) + digits(rng_, 3) + " " + digits(rng_, 4);
}

std::string IntakeGenerator::when_phrase(Timestamp at) {
  const Timestamp local = at.in_offset(kBeijingOffsetMinutes);
  const int hour = local.local_seconds_of_day() / 3600;
  const year_month_day today = local.local_date();
  const auto resolve = [](std::string_view) { return std::string(); };
  std::vector<std::string> today_forms;
  if (hour >= 9) today_forms.push_back("今天早上[7|8]点多");
  if (hour >= 11) today_forms.push_back("今天上午");
  if (hour >= 13) today_forms.push_back("今天中午");
  if (hour >= 16) today_forms.push_back("今天下午[2|3]点左右");
  if (hour >= 19) today_forms.push_back("今天傍晚");
  if (hour >= 2) today_forms.push_back("[半个小时|一个多小时]前");
  today_forms.push_back("刚才");
  const std::array<double, 5> weights = {0.3, 0.32, 0.1, 0.18, 0.1};
  switch (rng_.weighted(weights)) {
    case 0:
      return TextComposer::expand(today_forms[rng_.below(today_forms.size())], rng_, resolve);
    case 1:
      return TextComposer::expand("[昨天上午|昨天下午|昨天傍晚|昨晚[8|9|10|11]点多|昨天早上[7|8]点左右]", rng_, resolve);
    case 2:
      return TextComposer::expand("前天[上午|下午|晚上]", rng_, resolve);
    case 3: {
      const year_month_day d{sys_days{today} - days{rng_.between(2, 6)}};
      return month_day(d) + TextComposer::expand("[上午|下午|晚上|中午|[8|9|10|15|16|19|20]时许]", rng_, resolve);
    }
    default: {
      const sys_days then = sys_days{today} - days{rng_.between(2, 6)};
      const unsigned wd_then = weekday{then}.iso_encoding() - 1;
      const unsigned wd_today = weekday{sys_days{today}}.iso_encoding() - 1;
      const bool same_week = (sys_days{today} - then).count() <= static_cast<int>(wd_today) && wd_then < wd_today;
      return std::string(same_week ? "本周" : "上周") + std::string(kWeekdayNames[wd_then]) +
             TextComposer::expand("[上午|下午|晚上]", rng_, resolve);
    }
  }
}

std::string IntakeGenerator::external_id(std::string_view source, Timestamp at) {
  const year_month_day d = at.in_offset(kBeijingOffsetMinutes).local_date();
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  long& serial = serials_[{std::string(source), date}];
  const std::string tag = options_.run_tag.empty() ? "" : options_.run_tag + "-";
  auto padded = [](long n, int width) {
    std::string s = std::to_string(n);
    return s.size() < static_cast<std::size_t>(width) ? std::string(width - s.size(), '0') + s : s;
  };
  // Serials start above those of the bundled samples (data/samples), so that
  // both can share a folder (`make run`) without being taken as resends.
  if (source == "12345") {
    // The platform numbers every order of the city; the bureau sees some.
    serial = serial == 0 ? rng_.between(1000, 1400) : serial + rng_.between(1, 12);
    return "GD-ZJ-" + std::string(date) + "-" + tag + padded(serial, 6);
  }
  if (source == "12328") {
    serial = serial == 0 ? rng_.between(100, 120) : serial + rng_.between(1, 4);
    return "12328-440800-" + std::string(date) + tag + padded(serial, 5);
  }
  serial = serial == 0 ? 101 : serial + 1;
  if (source == "reportbox") return "JB" + std::string(date) + tag + padded(serial, 5);
  if (source == "walkin") return "CT-" + std::string(date) + "-" + tag + padded(serial, 4);
  return "SR-" + std::string(date) + "-" + tag + padded(serial, 5);  // open311
}

std::size_t IntakeGenerator::draw_matter(std::string_view source) {
  const PhraseBook& book = PhraseBook::builtin();
  std::array<double, kCategories.size()> cw{};
  for (std::size_t i = 0; i < kCategories.size(); ++i)
    cw[i] = kCategoryShares[i] * category_factor(source, kCategories[i]);
  const std::size_t c = rng_.weighted(cw);
  std::array<double, kTypes.size()> tw{};
  std::array<std::vector<std::size_t>, kTypes.size()> candidates;
  for (std::size_t t = 0; t < kTypes.size(); ++t) {
    candidates[t] = book.matters_of(kCategories[c], kTypes[t]);
    tw[t] = candidates[t].empty() ? 0 : kTypeShares[c][t] * type_factor(source, kTypes[t]);
  }
  const auto& chosen = candidates[rng_.weighted(tw)];
  return chosen[rng_.below(chosen.size())];
}

void IntakeGenerator::draw_caller(SimIntake& s, std::string_view source) {
  const bool report = s.request_type == RequestType::report;
  auto name = [&] {
    const std::string surname = pool_pick(rng_, "surname");
    const std::array<double, 7> forms = {38, 34, 5, 5, 5, 3, source == "walkin" ? 40.0 : 10.0};
    switch (rng_.weighted(forms)) {
      case 0: return surname + "先生";
      case 1: return surname + "女士";
      case 2: return surname + "小姐";
      case 3: return surname + "阿姨";
      case 4: return surname + "师傅";
      case 5: return surname + "伯";
      default: return surname + pool_pick(rng_, "given");
    }
  };
  if (source == "reportbox") {
    s.anonymous = rng_.chance(report ? 0.55 : 0.3);
    if (s.anonymous) {
      if (rng_.chance(0.4)) s.caller_phone = phone();
    } else {
      s.caller_name = name();
      if (rng_.chance(0.85)) s.caller_phone = phone();
      s.confidential = rng_.chance(report ? 0.6 : 0.05);
    }
    return;
  }
  if (source == "walkin") {
    s.caller_phone = rng_.chance(0.9) ? phone() : "";
    s.anonymous = rng_.chance(report ? 0.2 : 0.02);
    if (!s.anonymous) s.caller_name = name();
    s.confidential = report && rng_.chance(0.5);
    return;
  }
  if (source == "open311") {
    s.caller_phone = std::string(kMobilePrefixes[rng_.below(kMobilePrefixes.size())]) + digits(rng_, 8);
    s.anonymous = rng_.chance(0.05);
    if (!s.anonymous && rng_.chance(0.6)) s.caller_name = name();
    s.confidential = report && rng_.chance(0.3);
    return;
  }
  // The hotlines know the number that called.
  s.caller_phone = phone();
  s.anonymous = rng_.chance(report ? 0.4 : 0.1);
  if (!s.anonymous && rng_.chance(0.88)) s.caller_name = name();
  s.confidential = report ? (!s.anonymous && rng_.chance(0.5)) : rng_.chance(0.02);
}

const IntakeGenerator::Slots& IntakeGenerator::burst_slots(const Burst& burst) {
  auto [it, fresh] = bursts_.try_emplace(burst.seed);
  if (fresh) {
    // The event's pinned slots, drawn from its own stream.
    SimRandom event(burst.seed);
    std::swap(rng_, event);
    const BurstKind& kind = PhraseBook::builtin().bursts()[burst.kind];
    SimIntake none;
    std::string object;
    for (std::string_view pin : kind.pinned) {
      // "slot=pool": the slot drawn from a pool of its own (the stations of a station burst).
      if (const auto eq = pin.find('='); eq != std::string_view::npos)
        it->second.emplace(std::string(pin.substr(0, eq)), pool_pick(rng_, pin.substr(eq + 1)));
      else
        resolve(pin, it->second, none, object);
    }
    std::swap(rng_, event);
  }
  return it->second;
}

std::string IntakeGenerator::resolve(std::string_view slot, Slots& slots, const SimIntake& s, std::string& object) {
  if (auto it = slots.find(slot); it != slots.end()) {
    // A pinned or earlier object names the record's object too.
    if (object.empty() && (slot == "taxi" || slot == "car" || slot == "truck" || slot == "coachplate" ||
                           slot == "private" || slot == "route")) {
      auto canon = slots.find(std::string(slot) + "#");
      if (canon != slots.end()) object = canon->second;
    }
    return it->second;
  }
  std::string value;
  if (slot == "when") {
    value = when_phrase(s.received_at);
  } else if (slot == "taxi" || slot == "car" || slot == "truck" || slot == "coachplate" || slot == "private") {
    std::string canonical;
    value = plate(slot, canonical);
    slots.emplace(std::string(slot) + "#", canonical);
    if (object.empty()) object = canonical;
  } else if (slot == "route") {
    const auto routes = PhraseBook::builtin().pool("route");
    // The busiest routes draw most of the complaints.
    value = std::string(rng_.chance(0.5) ? routes[hot_routes_[rng_.zipf(hot_routes_.size())]]
                                         : routes[rng_.below(routes.size())]);
    slots.emplace("route#", value);
    if (object.empty()) object = value;
  } else if (slot == "busno") {
    value = "自编号" + std::to_string(rng_.between(1, 2)) + digits(rng_, 3);
  } else if (slot == "amount_s") {
    value = std::to_string(rng_.between(12, 35)) + "元";
  } else if (slot == "amount_m") {
    value = std::to_string(rng_.between(40, 180)) + "元";
  } else if (slot == "amount_l") {
    value = std::to_string(rng_.between(80, 600) * 10) + "元";
  } else if (slot == "fee") {
    value = std::to_string(rng_.between(30, 68) * 100) + "元";
  } else if (slot == "master") {
    value = pool_pick(rng_, "surname") + "师傅";
  } else if (slot == "overcrowd") {
    static constexpr std::array<int, 6> kSeats = {19, 35, 39, 45, 49, 53};
    const int seats = kSeats[rng_.below(kSeats.size())];
    value = "核载" + std::to_string(seats) + "人，实际坐了" + std::to_string(seats + rng_.between(3, 12)) + "人";
  } else {
    value = pool_pick(rng_, slot);  // place, dest, stop, station, city, highway, ...
  }
  slots.emplace(std::string(slot), value);
  return value;
}

std::string IntakeGenerator::compose_text(SimIntake& s, Slots& slots, std::string_view who, std::string_view source,
                                          std::string_view style, const CallerMemory* previous) {
  const PhraseBook& book = PhraseBook::builtin();
  const Matter& m = book.matters()[*book.matter(s.matter)];
  const std::string type(type_code(m.type));
  slots["who"] = std::string(who);
  std::string object;
  TextComposer::Resolver resolver = [&](std::string_view slot) { return resolve(slot, slots, s, object); };
  auto expand = [&](std::string_view pattern) { return TextComposer::expand(pattern, rng_, resolver); };
  auto pick_where = [&](std::string_view pool, auto keep) {
    std::vector<std::string_view> options;
    for (auto p : book.pool(pool))
      if (keep(p)) options.push_back(p);
    if (options.empty()) options.assign(book.pool(pool).begin(), book.pool(pool).end());
    return options.empty() ? std::string() : expand(options[rng_.below(options.size())]);
  };

  std::string text;
  bool salutation = false;
  if (previous) {
    slots["previous"] = month_day(previous->at.in_offset(kBeijingOffsetMinutes).local_date());
    text += expand(pick(rng_, book.pool("repeat.lead")));
  } else if (style == "letter") {
    if (rng_.chance(0.6)) {
      salutation = true;
      text += pool_pick(rng_, "salutation");
    }
    text += pick_where("letter." + type, [](std::string_view p) { return !starts_with(p, "网友"); });
  } else if (style == "web" && source == "reportbox") {
    text += pick_where("letter." + type, [](std::string_view p) { return starts_with(p, "网友"); });
  } else {
    const bool web = style == "web";
    text += pick_where("opener." + std::string(source) + "." + type,
                       [web](std::string_view p) { return starts_with(p, "网友") == web; });
  }
  text += expand(m.body);

  // Details, the demand, a wish about the call-back, a letter's ending.
  // Only a caller who asked for it says they will not be named.
  std::vector<std::string_view> details;
  for (auto d : book.pool("detail." + type))
    if (s.anonymous || s.confidential || d.find("不愿透露姓名") == std::string_view::npos) details.push_back(d);
  if (!details.empty() && rng_.chance(0.45)) {
    const std::size_t first = rng_.below(details.size());
    text += expand(details[first]);
    if (details.size() > 1 && rng_.chance(0.3)) text += expand(details[(first + 1 + rng_.below(details.size() - 1)) % details.size()]);
  }
  if (rng_.chance(0.85)) text += expand(pick(rng_, book.pool("closer." + type)));
  if (style == "call" && rng_.chance(0.25)) text += expand(pick(rng_, book.pool("callback_wish")));
  if (salutation && rng_.chance(0.5)) text += pool_pick(rng_, "signoff");

  s.subject = expand(m.subject);
  if (previous && rng_.chance(0.5)) s.subject = "再次反映：" + s.subject;
  if (s.object.empty()) s.object = object;
  return text;
}

SimIntake IntakeGenerator::next(Timestamp at, std::string_view source_in, const Burst* burst) {
  const PhraseBook& book = PhraseBook::builtin();
  SimIntake s;
  s.received_at = at.in_offset(kBeijingOffsetMinutes);
  std::string_view source = source_in;
  if (source.empty()) source = kSources[rng_.weighted(rhythm_.source_weights(at))];
  s.source = std::string(source);

  // Who calls, about what.
  Slots slots;
  std::optional<CallerMemory> previous;
  std::size_t matter = 0;
  bool known_caller = false;
  if (burst) {
    const BurstKind& kind = book.bursts()[burst->kind];
    matter = *book.matter(kind.matters[rng_.below(kind.matters.size())]);
    slots = burst_slots(*burst);
  } else if (!callers_.empty() && rng_.chance(options_.repeat_caller_share)) {
    // Anyone heard in the last days (the memory holds about five of them).
    const CallerMemory& heard = callers_[rng_.below(callers_.size())];
    known_caller = true;
    s.repeat_caller = true;
    s.caller_name = heard.name;
    s.caller_phone = heard.phone;
    s.anonymous = heard.anonymous;
    s.confidential = heard.confidential;
    if (rng_.chance(options_.same_matter_share)) {
      matter = heard.matter;
      slots = heard.slots;
      s.again = true;  // the object is the one the new text names, if it names it again
      previous = heard;
    } else {
      matter = draw_matter(source);
    }
  } else {
    matter = draw_matter(source);
  }
  const Matter& m = book.matters()[matter];
  s.matter = std::string(m.key);
  s.category = std::string(m.category);
  s.request_type = m.type;
  s.transfer_to = std::string(m.transfer_to);

  // The channel's style and its upstream data.
  ordered_json upstream = ordered_json::object();
  std::string style = "call";
  if (source == "12345") {
    const std::array<double, 4> channels = {70, 12, 10, 8};
    static constexpr std::array<std::string_view, 4> kChannels = {"电话", "微信公众号", "粤省事", "网站"};
    const std::size_t ch = rng_.weighted(channels);
    if (ch == 1 || ch == 3) style = "web";
    static constexpr std::array<std::string_view, 3> kLevels = {"市级", "区级", "省级"};
    const std::array<double, 3> levels = {60, 30, 10};
    upstream["platform"] = "12345";
    upstream["dispatch_level"] = kLevels[rng_.weighted(levels)];
    upstream["channel"] = kChannels[ch];
    upstream["operator_no"] = "ZJ0" + digits(rng_, 3);
  } else if (source == "12328") {
    upstream["platform"] = "12328";
    upstream["region_code"] = "440800";
    upstream["dispatch_level"] = rng_.chance(0.7) ? "省级" : "市级";
    upstream["operator_no"] = "8" + digits(rng_, 3);
  } else if (source == "reportbox") {
    const std::array<double, 3> boxes = {50, 20, 30};
    static constexpr std::array<std::string_view, 3> kBoxes = {"web", "email", "paper"};
    const std::size_t box = rng_.weighted(boxes);
    style = box == 0 && rng_.chance(0.6) ? "web" : "letter";
    if (box == 2) s.received_at.epoch -= s.received_at.epoch % 60;  // a hand-logged letter: whole minutes
    upstream["box"] = kBoxes[box];
    std::string code;
    for (int i = 0; i < 6; ++i) code.push_back("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[rng_.below(32)]);
    upstream["retrieval_code"] = code;
  } else if (source == "walkin") {
    style = rng_.chance(0.7) ? "visit" : "call";
  } else if (source == "open311") {
    style = "app";
    upstream["platform"] = "open311";
  }
  if (!known_caller) draw_caller(s, s.source);

  s.external_id = external_id(s.source, s.received_at);
  if (upstream.contains("platform") && s.source != "open311") upstream["order_no"] = s.external_id;
  if (s.source == "open311") upstream["service_request_id"] = s.external_id;

  // A call taken at the desk is written down as the hotlines write.
  const std::string content =
      compose_text(s, slots, who_for(style), style == "call" && s.source == "walkin" ? "12345" : s.source, style,
                   previous ? &*previous : nullptr);

  // The record, in the field order of docs/intake-record.md.
  ordered_json r;
  r["source"] = s.source;
  r["external_id"] = s.external_id;
  r["received_at"] = s.received_at.to_string();
  static const std::map<std::string_view, std::array<double, 2>> given = {
      // share of records carrying request_type, and category
      {"12345", {0.9, 0.08}}, {"12328", {0.95, 0.55}}, {"reportbox", {0.35, 0.0}},
      {"walkin", {0.75, 0.35}}, {"open311", {1.0, 0.9}}};
  const auto& share = given.at(s.source);
  if (rng_.chance(share[0])) r["request_type"] = type_code(s.request_type);
  if (rng_.chance(share[1])) r["category"] = s.category;
  if (!s.caller_name.empty() || !s.caller_phone.empty() || s.anonymous || s.confidential) {
    ordered_json caller = {{"name", s.caller_name}, {"phone", s.caller_phone}, {"anonymous", s.anonymous}};
    if (s.confidential) caller["confidential"] = true;
    r["caller"] = caller;
  }
  if (s.source != "walkin" || rng_.chance(0.5)) r["subject"] = s.subject;
  r["content"] = content;

  // Where: the first place-like slot the text named.
  static const std::map<std::string_view, double> located = {
      {"12345", 0.6}, {"12328", 0.5}, {"reportbox", 0.4}, {"walkin", 0.3}, {"open311", 0.95}};
  if (rng_.chance(located.at(s.source))) {
    std::string address;
    for (const char* key : {"place", "stop", "dest", "station", "pier", "estate"}) {
      if (auto it = slots.find(key); it != slots.end()) {
        address = it->second + (std::string_view(key) == "stop" ? "公交站" : "");
        break;
      }
    }
    if (address.empty())
      if (auto it = slots.find("highway"); it != slots.end())
        address = it->second + (slots.count("spot") ? slots.at("spot") : "");
    if (!address.empty()) {
      ordered_json location = {{"address", (rng_.chance(0.5) ? "湛江市" : "") + address}};
      if (s.source == "open311" || rng_.chance(0.5)) {
        location["lat"] = micro_degrees(rng_.uniform(21.17, 21.29));
        location["lon"] = micro_degrees(rng_.uniform(110.32, 110.46));
      }
      r["location"] = location;
    }
  }
  // The platforms' own deadlines (办理时限), some earlier than the hub's.
  if ((s.source == "12345" && rng_.chance(0.3)) || (s.source == "12328" && rng_.chance(0.15))) {
    static constexpr std::array<int, 6> kDays = {3, 5, 5, 7, 10, 15};
    const auto date = rhythm_.calendar().add_working_days(s.received_at.local_date(), kDays[rng_.below(kDays.size())]);
    r["deadline"] = Timestamp::from_local(date, 18 * 3600).to_string();
  }
  if (rng_.chance(s.request_type == RequestType::help ? 0.35 : 0.01)) r["urgent"] = true;
  const bool hotline = s.source == "12345" || s.source == "12328";
  if (rng_.chance(hotline ? 0.12 : s.source == "walkin" ? 0.05 : 0.25)) {
    ordered_json a;
    if (hotline) {
      a = {{"name", "录音-" + s.external_id + ".wav"}, {"sha256", hex64(rng_)},
           {"uri", "https://hotline.zhanjiang.example/rec/" + s.external_id + ".wav"}, {"mime", "audio/wav"}};
    } else {
      const std::string file = "IMG_" + digits(rng_, 8) + "_" + digits(rng_, 6) + ".jpg";
      a = {{"name", file}, {"sha256", hex64(rng_)},
           {"uri", "https://reportbox.zhanjiang.example/att/" + s.external_id + "/" + file}, {"mime", "image/jpeg"}};
    }
    r["attachments"] = ordered_json::array({a});
  }
  if (!upstream.empty()) r["upstream"] = upstream;
  s.json = r.dump();

  // Remember the caller: some call again.
  if (!s.caller_phone.empty() && !burst) {
    CallerMemory heard{s.caller_name, s.caller_phone, s.anonymous, s.confidential, matter, {}, s.received_at};
    for (const auto& [k, v] : slots)
      if (k != "when" && k != "often" && k != "who" && k != "previous") heard.slots.emplace(k, v);
    callers_.push_back(std::move(heard));
    if (callers_.size() > kCallerMemory) callers_.pop_front();
  }
  return s;
}

}  // namespace suqiu::sim
