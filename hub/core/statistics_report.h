// The statistics of `stats` (the api op, `suqiu stats --json`) as people read
// them: each breakdown a table of names, counts and shares, biggest first,
// then the indicators a bureau is judged on. Shared by the CLI's text, the
// console's window and its Excel export, so that all three say the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/words.h"

namespace suqiu {

struct StatisticsReport {
  struct Row {
    std::string code, name;
    std::int64_t count = 0;
    double share = 0;  // of the total received, 0..1
  };
  struct Table {
    std::string title;  // 按渠道
    std::vector<Row> rows;
  };
  struct Indicator {
    std::string name, value;  // 按时办结率, "92.5%" or "—"
  };

  std::int64_t total = 0;
  std::vector<Table> tables;
  std::vector<Indicator> indicators;

  static StatisticsReport from_json(const nlohmann::json& stats, const Words& words);
  // "受理总数  400", each table with its rows indented, then the indicators.
  std::string as_text(const Words& words) const;
};

}  // namespace suqiu
