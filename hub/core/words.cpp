#include "core/words.h"

#include <cstdlib>
#include <cstdio>
#include <map>

#include "core/codes.h"

namespace suqiu {

Words Words::from_environment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return Words(std::string_view(v).substr(0, 2) == "en");
  }
  return Words(false);
}

std::string Words::category(std::string_view code) const {
  if (auto* c = Taxonomy::builtin().category(code)) return english_ ? c->name_en : c->name_zh;
  return std::string(code);
}

std::string Words::section(std::string_view code) const {
  if (auto* s = Taxonomy::builtin().section(code)) return english_ ? s->name_en : s->name_zh;
  return std::string(code);
}

std::string Words::request_type(std::string_view code) const {
  auto t = parse_request_type(code);
  if (!t || english_) return std::string(code);
  return std::string(name_zh(*t));
}

std::string Words::status(std::string_view code) const {
  auto s = parse_case_status(code);
  if (!s || english_) return std::string(code);
  return std::string(name_zh(*s));
}

namespace {
// code -> (Chinese, English)
using Names = std::map<std::string_view, std::pair<std::string_view, std::string_view>>;

std::string name_in(const Names& names, std::string_view code, bool english) {
  auto it = names.find(code);
  if (it == names.end()) return std::string(code);
  return std::string(english ? it->second.second : it->second.first);
}
}  // namespace

std::string Words::source(std::string_view code) const {
  static const Names kNames = {
      {"12345", {"12345政务服务热线", "12345 hotline"}},
      {"12328", {"12328交通运输服务监督电话", "12328 transport hotline"}},
      {"reportbox", {"群众举报箱", "report box"}},
      {"walkin", {"来访", "walk-in"}},
      {"open311", {"Open311", "Open311"}},
  };
  return name_in(kNames, code, english_);
}

std::string Words::role(std::string_view code) const {
  static const Names kNames = {
      {"operator", {"话务员", "operator"}},
      {"liaison", {"科室联络员", "liaison"}},
      {"leader", {"领导", "leader"}},
      {"admin", {"管理员", "admin"}},
  };
  return name_in(kNames, code, english_);
}

std::string short_time(std::string_view t) {
  if (t.size() < 16 || t[10] != 'T') return std::string(t);
  std::string out(t.substr(0, 16));
  out[10] = ' ';
  return out;
}

std::string percent_text(double share) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

}  // namespace suqiu
