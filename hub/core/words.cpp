#include "core/words.h"

#include <cstdlib>
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

std::string Words::source(std::string_view code) const {
  static const std::map<std::string_view, std::pair<std::string_view, std::string_view>> kNames = {
      {"12345", {"12345政务服务热线", "12345 hotline"}},
      {"12328", {"12328交通运输服务监督电话", "12328 transport hotline"}},
      {"reportbox", {"群众举报箱", "report box"}},
      {"walkin", {"来访", "walk-in"}},
      {"open311", {"Open311", "Open311"}},
  };
  auto it = kNames.find(code);
  if (it == kNames.end()) return std::string(code);
  return std::string(english_ ? it->second.second : it->second.first);
}

}  // namespace suqiu
