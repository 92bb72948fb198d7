#include "statistics_workbook.h"

#include "workbook.h"

namespace suqiu::exporting {

namespace {

// The statistics on one sheet of `book`: title and period, the total, each
// breakdown (name, count, share) and the indicators.
void statistics_sheet(lxw_workbook* book, const std::string& sheet_name, const StatisticsReport& report,
                      const std::string& period_label, const Words& w) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, sheet_name.c_str());
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
  auto put = [&](lxw_col_t col, const std::string& s, lxw_format* f = nullptr) {
    worksheet_write_string(sheet, row, col, s.c_str(), f);
  };
  put(0, std::string(w("交通运输诉求受理统计", "Transport requests: statistics")), title);
  ++row;
  put(0, std::string(w("统计期间：", "Period: ")) + period_label);
  row += 2;
  put(0, std::string(w("受理总数", "Total received")), bold);
  worksheet_write_number(sheet, row, 1, static_cast<double>(report.total), bold);
  row += 2;
  for (const auto& t : report.tables) {
    put(0, t.title, bold);
    put(1, std::string(w("件数", "Count")), bold);
    put(2, std::string(w("占比", "Share")), bold);
    ++row;
    for (const auto& r : t.rows) {
      put(0, r.name);
      worksheet_write_number(sheet, row, 1, static_cast<double>(r.count), nullptr);
      worksheet_write_number(sheet, row, 2, r.share, share);
      ++row;
    }
    ++row;
  }
  put(0, std::string(w("指标", "Indicators")), bold);
  ++row;
  for (const auto& i : report.indicators) {
    put(0, i.name);
    put(1, i.value);
    ++row;
  }
}

// Each breakdown month by month: a row per name, a column per month and the
// year's total; then the indicators per month.
void monthly_sheet(lxw_workbook* book, const StatisticsReport& year, const std::vector<StatisticsReport>& months,
                   const Words& w) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, std::string(w("按月", "By month")).c_str());
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  worksheet_set_column(sheet, 0, 0, 30, nullptr);
  worksheet_set_column(sheet, 1, 13, 8, nullptr);
  lxw_row_t row = 0;
  auto header = [&](const std::string& title) {
    worksheet_write_string(sheet, row, 0, title.c_str(), bold);
    for (std::size_t m = 0; m < months.size(); ++m)
      worksheet_write_string(sheet, row, static_cast<lxw_col_t>(m + 1),
                             (std::to_string(m + 1) + std::string(w("月", ""))).c_str(), bold);
    worksheet_write_string(sheet, row, static_cast<lxw_col_t>(months.size() + 1),
                           std::string(w("全年", "Year")).c_str(), bold);
    ++row;
  };
  header(std::string(w("受理总数", "Total received")));
  for (std::size_t m = 0; m < months.size(); ++m)
    worksheet_write_number(sheet, row - 1, static_cast<lxw_col_t>(m + 1), static_cast<double>(months[m].total), bold);
  worksheet_write_number(sheet, row - 1, static_cast<lxw_col_t>(months.size() + 1), static_cast<double>(year.total), bold);
  ++row;
  for (std::size_t t = 0; t < year.tables.size(); ++t) {
    header(year.tables[t].title);
    for (const auto& r : year.tables[t].rows) {  // the year's order: biggest first
      worksheet_write_string(sheet, row, 0, r.name.c_str(), nullptr);
      for (std::size_t m = 0; m < months.size(); ++m) {
        std::int64_t n = 0;
        if (t < months[m].tables.size())
          for (const auto& mr : months[m].tables[t].rows)
            if (mr.code == r.code) n = mr.count;
        worksheet_write_number(sheet, row, static_cast<lxw_col_t>(m + 1), static_cast<double>(n), nullptr);
      }
      worksheet_write_number(sheet, row, static_cast<lxw_col_t>(months.size() + 1), static_cast<double>(r.count), nullptr);
      ++row;
    }
    ++row;
  }
  header(std::string(w("指标", "Indicators")));
  for (std::size_t i = 0; i < year.indicators.size(); ++i) {
    worksheet_write_string(sheet, row, 0, year.indicators[i].name.c_str(), nullptr);
    for (std::size_t m = 0; m < months.size(); ++m)
      if (i < months[m].indicators.size())
        worksheet_write_string(sheet, row, static_cast<lxw_col_t>(m + 1), months[m].indicators[i].value.c_str(), nullptr);
    worksheet_write_string(sheet, row, static_cast<lxw_col_t>(months.size() + 1), year.indicators[i].value.c_str(), nullptr);
    ++row;
  }
}

}  // namespace

void write_statistics_xlsx(const StatisticsReport& report, const std::string& period_label, const Words& w,
                           const std::filesystem::path& file) {
  Workbook wb(file);
  statistics_sheet(wb.book, std::string(w("诉求统计", "Statistics")), report, period_label, w);
  wb.close();
}

void write_annual_report_xlsx(int year, const StatisticsReport& whole, const std::vector<StatisticsReport>& months,
                              const Words& w, const std::filesystem::path& file) {
  Workbook wb(file);
  statistics_sheet(wb.book, std::string(w("全年", "Year")), whole, std::to_string(year) + std::string(w("年", "")), w);
  monthly_sheet(wb.book, whole, months, w);
  wb.close();
}

}  // namespace suqiu::exporting
