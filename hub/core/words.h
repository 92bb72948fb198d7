// Words for codes and labels in human output (the CLI, the console):
// Chinese by default, English when the locale (LC_ALL, LC_MESSAGES or LANG)
// says so. The hub only ever sends codes; this is where they become words.
#pragma once

#include <string>
#include <string_view>

#include "core/taxonomy.h"

namespace suqiu {

class Words {
 public:
  // Chooses the language from the environment.
  static Words from_environment();
  explicit Words(bool english) : english_(english) {}

  bool english() const { return english_; }
  // A label: pass the Chinese and the English text.
  std::string_view operator()(std::string_view zh, std::string_view en) const {
    return english_ ? en : zh;
  }
  std::string category(std::string_view code) const;
  std::string section(std::string_view code) const;
  std::string request_type(std::string_view code) const;
  std::string status(std::string_view code) const;
  std::string source(std::string_view code) const;
  std::string role(std::string_view code) const;

 private:
  bool english_;
};

// "2026-11-20T09:15:00+08:00" -> "2026-11-20 09:15", as people read times;
// anything else unchanged.
std::string short_time(std::string_view rfc3339);

// 0.925 -> "92.5%".
std::string percent_text(double share);

}  // namespace suqiu
