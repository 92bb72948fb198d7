#include "statistics.h"

#include <xlsxwriter.h>

#include <stdexcept>

namespace suqiu::console {

using nlohmann::json;

std::string Period::label(const Words& w) const {
  if (!from && !to) return std::string(w("全部", "all time"));
  return (from ? *from : std::string(w("最早", "the start"))) + std::string(w(" 至 ", " to ")) +
         (to ? *to : std::string(w("今天", "today")));
}

StatisticsReport load_statistics(ConsoleSession& session, const Words& words, const Period& period) {
  json args = json::object();
  if (period.from) args["from"] = *period.from;
  if (period.to) args["to"] = *period.to;
  return StatisticsReport::from_json(session.request("stats", args), words);
}

void write_statistics_xlsx(const StatisticsReport& report, const std::string& period_label, const Words& w,
                           const std::filesystem::path& file) {
  lxw_workbook* book = workbook_new(file.c_str());
  if (!book) throw std::runtime_error("cannot create " + file.string());
  lxw_worksheet* sheet = workbook_add_worksheet(book, std::string(w("诉求统计", "Statistics")).c_str());
  lxw_format* title = workbook_add_format(book);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* share = workbook_add_format(book);
  format_set_num_format(share, "0.0%");
  worksheet_set_column(sheet, 0, 0, 34, nullptr);
  worksheet_set_column(sheet, 1, 2, 12, nullptr);

  lxw_row_t row = 0;
  auto text = [&](lxw_col_t col, const std::string& s, lxw_format* f = nullptr) {
    worksheet_write_string(sheet, row, col, s.c_str(), f);
  };
  text(0, std::string(w("交通运输诉求受理统计", "Transport requests: statistics")), title);
  ++row;
  text(0, std::string(w("统计期间：", "Period: ")) + period_label);
  row += 2;
  text(0, std::string(w("受理总数", "Total received")), bold);
  worksheet_write_number(sheet, row, 1, static_cast<double>(report.total), bold);
  row += 2;
  for (const auto& t : report.tables) {
    text(0, t.title, bold);
    text(1, std::string(w("件数", "Count")), bold);
    text(2, std::string(w("占比", "Share")), bold);
    ++row;
    for (const auto& r : t.rows) {
      text(0, r.name);
      worksheet_write_number(sheet, row, 1, static_cast<double>(r.count), nullptr);
      worksheet_write_number(sheet, row, 2, r.share, share);
      ++row;
    }
    ++row;
  }
  text(0, std::string(w("指标", "Indicators")), bold);
  ++row;
  for (const auto& i : report.indicators) {
    text(0, i.name);
    text(1, i.value);
    ++row;
  }
  if (lxw_error e = workbook_close(book); e != LXW_NO_ERROR)
    throw std::runtime_error("cannot write " + file.string() + ": " + lxw_strerror(e));
}

}  // namespace suqiu::console
