// One string or a list of strings from a rule table of the hub's TOML file
// (routing rules, keyword rules): `key = "x"` and `key = ["x", "y"]` both
// work; anything else is refused naming the rule (`where`) and the key.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace suqiu::classify {

inline std::vector<std::string> toml_strings(const toml::table& rule, const char* key,
                                             const std::string& where) {
  std::vector<std::string> out;
  const toml::node* n = rule.get(key);
  if (!n) return out;
  if (n->is_string()) {
    out.push_back(n->as_string()->get());
    return out;
  }
  const toml::array* a = n->as_array();
  if (!a) throw std::invalid_argument(where + ": " + key + " must be a string or an array of strings");
  for (const auto& e : *a) {
    if (!e.is_string()) throw std::invalid_argument(where + ": " + key + " must hold strings only");
    out.push_back(e.as_string()->get());
  }
  return out;
}

}  // namespace suqiu::classify
