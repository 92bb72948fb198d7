// One platform record (already parsed: a JSON object, a CSV row as header ->
// cell, an XML element as nested objects) to an intake record or a notice
// body, through the mapping. Private to the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "workorder/mapping.h"
#include "workorder/work_order_parser.h"

namespace suqiu::workorder {

using Mapped = std::variant<Item, ItemError>;

// Orders and notices alike; `raw` goes into an error as it is.
Mapped map_record(const nlohmann::json& record, const Mapping& mapping, std::size_t index, std::string_view raw);
Mapped map_order(const nlohmann::json& record, const Mapping& mapping, std::size_t index, std::string_view raw);
Mapped map_notice(const nlohmann::json& record, const std::string& kind, const Mapping& mapping, std::size_t index,
                  std::string_view raw);

// The record's own text with the spaces around it gone (CSV cells, XML leaves).
inline std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n' ||
                        s.front() == '\f' || s.front() == '\v'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n' ||
                        s.back() == '\f' || s.back() == '\v'))
    s.remove_suffix(1);
  return std::string(s);
}

// A refusal of record `index`, naming the platform's field; `raw` is kept for the dead letter.
inline ItemError error(std::size_t index, std::string code, std::string field, std::string reason,
                       std::string_view raw) {
  return {index, std::move(code), std::move(field), std::move(reason), std::string(raw)};
}

// A platform field by name: a member of that exact name (a CSV header "ldr.xm"),
// else a path through nested objects split at '.' or '/'. nullptr when absent,
// null or "" (an empty CSV cell is the only way a CSV says "absent").
const nlohmann::json* find_field(const nlohmann::json& record, std::string_view path);
// Strings as they are, numbers written out, an XML leaf with attributes by its
// "#text"; nullopt for objects and arrays.
std::optional<std::string> scalar_text(const nlohmann::json& value);

}  // namespace suqiu::workorder
