// The statistics a leader reads before a meeting: the hub's `stats` for a
// period (restricted to their section for a liaison, by the hub), as a
// StatisticsReport; hub/export writes it as a workbook.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "console_session.h"
#include "core/statistics_report.h"

namespace suqiu::console {

struct Period {
  std::optional<std::string> from, to;  // days received, YYYY-MM-DD, both included
  // "2026-11-01 至 2026-11-30", "全部" when open on both ends.
  std::string label(const Words& words) const;
};

// `done` gets the report or the ApiError (E_ARG_INVALID names `from` or `to`
// for a bad day).
void load_statistics(ConsoleSession& session, const Words& words, const Period& period,
                     std::function<void(Outcome<StatisticsReport>)> done);

}  // namespace suqiu::console
