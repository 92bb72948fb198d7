// CSV as platforms export it (RFC 4180 with the usual deviations): a header
// row, quoted cells with doubled quotes and line breaks inside, LF or CRLF,
// a configurable delimiter. Text in, rows out; private to the library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace suqiu::workorder {

struct CsvRow {
  std::size_t line = 1;             // 1-based physical line the row starts on
  std::vector<std::string> cells;
  std::string raw;                  // the row's text, without its line end
  std::string problem;              // "" or why the row cannot be read (a stray quote...)
};

// Every row, blank ones included (one empty cell); an unterminated quote makes
// the last row a problem row that runs to the end of the text.
std::vector<CsvRow> read_csv(std::string_view text, char delimiter);

}  // namespace suqiu::workorder
