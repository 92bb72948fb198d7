// Dotted paths through nested JSON objects ("data.list", "caller.name"), as
// the mapping names a platform's fields, pages and steps. Private to the library.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace suqiu::workorder {

// The value at `path`; nullptr when a step is absent or not an object. A JSON
// null found there is returned as it is.
inline const nlohmann::json* at_path(const nlohmann::json& document, std::string_view path) {
  const nlohmann::json* at = &document;
  while (!path.empty()) {
    const auto dot = path.find('.');
    if (!at->is_object()) return nullptr;
    auto it = at->find(std::string(path.substr(0, dot)));
    if (it == at->end()) return nullptr;
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at;
}

// Writes `value` at `path`, making the objects on the way; a name already
// holding a value is replaced by the object (load_mapping refuses mappings
// where one field is a prefix of another).
inline void put_path(nlohmann::json& target, std::string_view path, nlohmann::json value) {
  nlohmann::json* at = &target;
  for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.')) {
    nlohmann::json& next = (*at)[std::string(path.substr(0, dot))];
    if (!next.is_object()) next = nlohmann::json::object();
    at = &next;
    path.remove_prefix(dot + 1);
  }
  (*at)[std::string(path)] = std::move(value);
}

}  // namespace suqiu::workorder
