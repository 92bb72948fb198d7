#include "case_table.h"

#include <fstream>
#include <stdexcept>

#include "core/lifecycle.h"
#include "core/timestamp.h"
#include "workbook.h"

namespace suqiu::exporting {

using nlohmann::json;

namespace {

std::string text(const json& c, const char* key) {
  auto it = c.find(key);
  if (it == c.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// The api's items say it; the store's views leave it to the reader.
bool overdue(const json& c) {
  if (auto it = c.find("overdue"); it != c.end() && it->is_boolean()) return it->get<bool>();
  const auto status = parse_case_status(text(c, "status"));
  const auto deadline = Timestamp::parse(text(c, "deadline"));
  return status && is_open(*status) && deadline && deadline->epoch < Timestamp::now().epoch;
}

}  // namespace

Table case_table(const json& cases, const Words& w) {
  Table t;
  for (auto [zh, en] : {std::pair{"编号", "Number"}, {"渠道", "Channel"}, {"外部编号", "External id"},
                        {"类型", "Type"}, {"类别", "Category"}, {"承办科室", "Section"}, {"状态", "Status"},
                        {"受理时间", "Received"}, {"办理时限", "Deadline"}, {"超期", "Overdue"},
                        {"标题", "Subject"}, {"来电人", "Caller"}, {"联系电话", "Phone"}})
    t.header.emplace_back(w(zh, en));
  for (const auto& c : cases) {
    if (!c.is_object()) continue;
    std::string number = text(c, "case_number");
    if (number.empty()) number = text(c, "case_no");
    t.rows.push_back({number, w.source(text(c, "source")), text(c, "external_id"),
                      w.request_type(text(c, "request_type")), w.category(text(c, "category")),
                      w.section(text(c, "section")), w.status(text(c, "status")), short_time(text(c, "received_at")),
                      short_time(text(c, "deadline")),
                      overdue(c) ? std::string(w("是", "yes")) : std::string(),
                      text(c, "subject"), text(c, "caller_name"), text(c, "caller_phone")});
  }
  return t;
}

void write_xlsx(const Table& table, const std::string& sheet_name, const std::filesystem::path& file) {
  Workbook wb(file);
  lxw_worksheet* sheet = workbook_add_worksheet(wb.book, sheet_name.c_str());
  lxw_format* bold = workbook_add_format(wb.book);
  format_set_bold(bold);
  lxw_col_t col = 0;
  for (const auto& h : table.header) {
    worksheet_write_string(sheet, 0, col, h.c_str(), bold);
    // Wide enough for a case number, a date or a section's name; the subject wider.
    const double width = col == 0 ? 20 : (col == 10 ? 40 : 16);
    worksheet_set_column(sheet, col, col, width, nullptr);
    ++col;
  }
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_row_t row = 1;
  for (const auto& r : table.rows) {
    col = 0;
    for (const auto& cell : r) worksheet_write_string(sheet, row, col++, cell.c_str(), nullptr);
    ++row;
  }
  if (!table.rows.empty())
    worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                         static_cast<lxw_col_t>(table.header.size() - 1));
  wb.close();
}

void write_csv(const Table& table, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot create " + file.string());
  out << "\xEF\xBB\xBF";
  auto line = [&](const std::vector<std::string>& cells) {
    bool first = true;
    for (const auto& cell : cells) {
      if (!first) out << ',';
      first = false;
      if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        out << cell;
        continue;
      }
      out << '"';
      for (char ch : cell) out << (ch == '"' ? "\"\"" : std::string(1, ch));
      out << '"';
    }
    out << "\r\n";
  };
  line(table.header);
  for (const auto& r : table.rows) line(r);
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace suqiu::exporting
