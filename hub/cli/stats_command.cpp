// suqiu stats: counts by source, type, category, section and status, with the
// indicators leadership is judged on. Served from write-time counters.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "hub_session.h"
#include "local_hub.h"
#include "core/statistics_report.h"
#include "pipeline/case_views.h"

namespace suqiu::cli {

using nlohmann::json;

void add_stats_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("stats", "Statistics of the cases received (all, or a period)");
  static std::optional<std::string> from, to;
  cmd->add_option("--from", from, "First day received (YYYY-MM-DD)");
  cmd->add_option("--to", to, "Last day received (YYYY-MM-DD)");
  add_common_options(*cmd, ctx);
  cmd->callback([&ctx, &exit_code] {
    (void)exit_code;
    auto day = [](const std::optional<std::string>& s, int add, const char* opt)
        -> std::optional<std::chrono::year_month_day> {
      if (!s) return std::nullopt;
      auto d = parse_date(*s);
      if (!d) throw CLI::ValidationError(opt, "expects a date like 2026-11-26, got " + *s);
      return std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{add}};
    };
    json s;
    if (ctx.hub) {
      json args = json::object();
      if (from) args["from"] = *from;
      if (to) args["to"] = *to;
      s = HubSession(ctx).request("stats", args);
    } else {
      LocalHub hub(ctx.require_data(), ctx.config);
      s = statistics_json(hub.store().statistics(day(from, 0, "--from"), day(to, 1, "--to")));
    }
    if (ctx.json) {
      std::cout << s.dump() << "\n";
      return;
    }
    std::cout << StatisticsReport::from_json(s, ctx.words).as_text(ctx.words);
  });
}

}  // namespace suqiu::cli
