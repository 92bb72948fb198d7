#include "workorder/csv_reader.h"

namespace suqiu::workorder {

std::vector<CsvRow> read_csv(std::string_view text, char delimiter) {
  std::vector<CsvRow> rows;
  std::size_t pos = 0;
  std::size_t line = 1;
  while (pos < text.size()) {
    CsvRow row;
    row.line = line;
    const std::size_t start = pos;
    std::string cell;
    bool quoted = false;       // inside a quoted cell
    bool was_quoted = false;   // this cell was quoted (text after its closing quote is a problem)
    bool ended = false;
    while (pos < text.size() && !ended) {
      const char c = text[pos];
      if (quoted) {
        if (c == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            cell += '"';
            pos += 2;
            continue;
          }
          quoted = false;
        } else {
          if (c == '\n') ++line;
          cell += c;
        }
        ++pos;
        continue;
      }
      if (c == delimiter) {
        row.cells.push_back(std::move(cell));
        cell.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        ended = true;
        continue;
      } else if (c == '"' && cell.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (was_quoted) {
        // "abc"x: the writer did not escape a quote; which text was meant is unknowable.
        if (row.problem.empty()) row.problem = "text after the closing quote of cell " + std::to_string(row.cells.size() + 1);
        cell += c;
      } else {
        cell += c;  // a quote inside an unquoted cell (5"寸) is kept, as Excel reads it
      }
      ++pos;
    }
    if (quoted) row.problem = "a quoted cell is not closed before the end of the file";
    row.cells.push_back(std::move(cell));
    row.raw = std::string(text.substr(start, pos - start));
    // The line end: LF, CRLF, or a lone CR (old Mac exports).
    if (pos < text.size() && text[pos] == '\r') {
      ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
    } else if (pos < text.size() && text[pos] == '\n') {
      ++pos;
    }
    ++line;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace suqiu::workorder
