#include "workorder/work_order_parser.h"

#include "workorder/json_path.h"

#include <set>

#include <nlohmann/json.hpp>

#include "workorder/charset.h"
#include "workorder/csv_reader.h"
#include "workorder/record_mapper.h"
#include "workorder/xml_reader.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;

ItemError whole(std::string code, std::string field, std::string reason, std::string_view raw) {
  return {0, std::move(code), std::move(field), std::move(reason), std::string(raw)};
}

void add(Batch& batch, Mapped mapped) {
  if (auto* item = std::get_if<Item>(&mapped)) batch.items.push_back(std::move(*item));
  else batch.errors.push_back(std::move(std::get<ItemError>(mapped)));
}

// Deeper than kMaxNesting, counted on the text before parsing: nlohmann's dump
// and the hub's validators recurse.
bool too_deep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool is_record(const json& document, const Mapping& m) {
  if (!m.notice_type_field.empty() && find_field(document, m.notice_type_field) != nullptr) return true;
  for (const auto& [platform, intake] : m.fields)
    if (intake == "external_id" && find_field(document, platform) != nullptr) return true;
  return false;
}

void decode_json(std::string_view text, const Mapping& m, Batch& batch) {
  if (too_deep(text)) {
    batch.errors.push_back(whole("E_NOT_JSON", "", "nested deeper than " + std::to_string(kMaxNesting), text));
    return;
  }
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    // The whole body is unreadable: one error for it, as the interface says.
    batch.errors.push_back(whole("E_NOT_JSON", "", std::string("not JSON: ") + e.what(), text));
    return;
  }
  if (!m.cursor_path.empty()) {
    if (const json* cursor = at_path(document, m.cursor_path)) {
      if (auto text_cursor = scalar_text(*cursor); text_cursor && !text_cursor->empty() && !cursor->is_boolean())
        batch.next_cursor = *text_cursor;
    }
  }
  const json* items = &document;
  if (!m.items_path.empty()) {
    items = at_path(document, m.items_path);
    // One mapping serves the poller's pages and the push server's bodies: a
    // body that is itself a record (it has the order number or the notice
    // type), or a bare array of records, is taken as it is.
    if (items == nullptr && (document.is_array() || is_record(document, m))) items = &document;
    if (items == nullptr) {
      batch.errors.push_back(whole("E_FIELD_MISSING", m.items_path,
                                   "no '" + m.items_path + "' (mapping.items_path) in the document", text));
      return;
    }
    if (items->is_null()) return;  // an empty page written as null
  }
  if (items->is_array()) {
    for (std::size_t i = 0; i < items->size(); ++i) add(batch, map_record((*items)[i], m, i, (*items)[i].dump()));
  } else if (items->is_object()) {
    add(batch, map_record(*items, m, 0, items == &document ? std::string(text) : items->dump()));
  } else {
    batch.errors.push_back(
        whole("E_NOT_OBJECT", m.items_path, "the records must be an object or an array of objects", text));
  }
}

void decode_csv(std::string_view text, const Mapping& m, Batch& batch) {
  const std::vector<CsvRow> rows = read_csv(text, m.csv_delimiter);
  auto blank_row = [](const CsvRow& r) {
    return r.problem.empty() && r.cells.size() == 1 && r.cells[0].find_first_not_of(" \t") == std::string::npos;
  };
  std::size_t h = 0;
  while (h < rows.size() && blank_row(rows[h])) ++h;
  if (h == rows.size()) return;  // an export with no header and no rows: nothing to do
  const CsvRow& header_row = rows[h];
  if (!header_row.problem.empty()) {
    batch.errors.push_back(whole("E_BAD_CSV", "", "the header row: " + header_row.problem, text));
    return;
  }
  std::vector<std::string> header;
  std::set<std::string> seen;
  for (const auto& cell : header_row.cells) {
    const auto first = cell.find_first_not_of(" \t");
    const std::string name = first == std::string::npos ? std::string()
                                                        : cell.substr(first, cell.find_last_not_of(" \t") - first + 1);
    if (!name.empty() && !seen.insert(name).second) {
      batch.errors.push_back(whole("E_BAD_CSV", name, "the header names column '" + name + "' twice", text));
      return;
    }
    header.push_back(name);
  }
  for (std::size_t r = h + 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (blank_row(row)) continue;
    // Counted from the header, so that line = index + 2 when the header is line 1.
    const std::size_t index = row.line - header_row.line - 1;
    if (!row.problem.empty()) {
      batch.errors.push_back({index, "E_BAD_CSV", "", row.problem, row.raw});
      continue;
    }
    bool extra = false;
    for (std::size_t c = header.size(); c < row.cells.size(); ++c) extra = extra || !row.cells[c].empty();
    if (extra) {
      batch.errors.push_back({index, "E_BAD_CSV", "",
                              std::to_string(row.cells.size()) + " cells under a header of " +
                                  std::to_string(header.size()),
                              row.raw});
      continue;
    }
    // Fewer cells than columns: the missing ones are empty (Excel drops trailing empty cells).
    json record = json::object();
    for (std::size_t c = 0; c < header.size() && c < row.cells.size(); ++c)
      if (!header[c].empty()) record[header[c]] = row.cells[c];
    add(batch, map_record(record, m, index, row.raw));
  }
}

void decode_xml(std::string_view text, const Mapping& m, Batch& batch) {
  XmlDocument doc = read_xml(text, m.xml_record, m.cursor_path);
  if (!doc.problem.empty()) {
    batch.errors.push_back(whole("E_BAD_XML", "", doc.problem, text));
    return;
  }
  batch.next_cursor = std::move(doc.cursor);
  for (std::size_t i = 0; i < doc.records.size(); ++i) {
    XmlRecord& r = doc.records[i];
    if (!r.problem.empty()) batch.errors.push_back({i, "E_BAD_XML", "", r.problem, r.raw});
    else add(batch, map_record(r.record, m, i, r.raw));
  }
}

}  // namespace

std::string ItemError::to_string() const {
  return "record " + std::to_string(index) + ": " + code + (field.empty() ? "" : " [" + field + "]") + ": " + reason;
}

Batch decode_batch(std::string_view bytes, Format format, const Mapping& mapping, std::string_view charset) {
  Batch batch;
  std::string declared(charset);
  // An XML file says its own encoding; a declared charset (Content-Type) wins.
  if (declared.empty() && format == Format::xml) {
    declared = xml_declared_encoding(bytes);
    if (!parse_charset(declared)) declared.clear();
  }
  if (!declared.empty() && !parse_charset(declared)) {
    batch.errors.push_back(whole("E_BAD_UTF8", "", "unknown charset '" + declared.substr(0, 64) +
                                                       "' (UTF-8, GB18030, GBK or GB2312)", bytes));
    return batch;
  }
  const std::optional<std::string> text = to_utf8(bytes, declared);
  if (!text) {
    batch.errors.push_back(whole("E_BAD_UTF8", "",
                                 declared.empty() ? "the bytes are neither UTF-8 nor GB18030"
                                                  : "the bytes are not valid " + declared,
                                 bytes));
    return batch;
  }
  switch (format) {
    case Format::json: decode_json(*text, mapping, batch); break;
    case Format::csv: decode_csv(*text, mapping, batch); break;
    case Format::xml: decode_xml(*text, mapping, batch); break;
  }
  return batch;
}

}  // namespace suqiu::workorder
