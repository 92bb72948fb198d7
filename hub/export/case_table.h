// A list of cases as a table people open in Excel: one row per case, the
// columns a desk reads (number, channel, type, category, section, state,
// received, deadline, overdue, subject, caller, phone), in words.
// The cases are the hub's JSON (api items or the store's views), already
// masked for whoever asked: a file never shows more than its reader may see.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/words.h"

namespace suqiu::exporting {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Table case_table(const nlohmann::json& cases, const Words& words);

// Each throws std::runtime_error naming the file when it cannot be written.
// xlsx: one sheet, the header bold and frozen, columns sized for Chinese text.
void write_xlsx(const Table& table, const std::string& sheet_name, const std::filesystem::path& file);
// CSV (RFC 4180) in UTF-8 with a byte-order mark, so that Excel reads the
// Chinese as Chinese.
void write_csv(const Table& table, const std::filesystem::path& file);

}  // namespace suqiu::exporting
