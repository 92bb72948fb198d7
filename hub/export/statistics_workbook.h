// The statistics as Excel workbooks: one period's (the console's 统计 and its
// export), and the annual report (suqiu report).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/statistics_report.h"
#include "core/words.h"

namespace suqiu::exporting {

// The statistics as one sheet: title and period, the total, each breakdown
// (name, count, share) and the indicators.
void write_statistics_xlsx(const StatisticsReport& report, const std::string& period_label,
                           const Words& words, const std::filesystem::path& file);

// The annual report: the year's statistics on one sheet, and each breakdown
// and indicator month by month (`months`: January to December) on another.
void write_annual_report_xlsx(int year, const StatisticsReport& whole, const std::vector<StatisticsReport>& months,
                              const Words& words, const std::filesystem::path& file);

}  // namespace suqiu::exporting
