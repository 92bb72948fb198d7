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

// A platform field by name: a member of that exact name (a CSV header "ldr.xm"),
// else a path through nested objects split at '.' or '/'. nullptr when absent,
// null or "" (an empty CSV cell is the only way a CSV says "absent").
const nlohmann::json* find_field(const nlohmann::json& record, std::string_view path);
// Strings as they are, numbers written out, an XML leaf with attributes by its
// "#text"; nullopt for objects and arrays.
std::optional<std::string> scalar_text(const nlohmann::json& value);

}  // namespace suqiu::workorder
