// suqiu stats: counts by source, type, category, section and status, with the
// indicators leadership is judged on. Served from write-time counters.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "hub_session.h"
#include "local_hub.h"
#include "pipeline/case_views.h"

namespace suqiu::cli {
namespace {

using nlohmann::json;

std::string percent(const json& rate) {
  if (rate.is_null()) return "—";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", rate.get<double>() * 100);
  return buf;
}

void print_counts(std::string_view label, const json& counts,
                  const std::function<std::string(std::string_view)>& name) {
  std::vector<std::pair<std::int64_t, std::string>> rows;
  for (auto& [code, n] : counts.items()) rows.push_back({n.get<std::int64_t>(), code});
  std::sort(rows.rbegin(), rows.rend());
  std::cout << label << "\n";
  for (const auto& [n, code] : rows) std::cout << "  " << name(code) << "  " << n << "\n";
}

}  // namespace

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
    const Words& w = ctx.words;
    std::cout << w("受理总数", "Total received") << "  " << s["total"] << "\n";
    print_counts(w("按渠道", "By source"), s["by_source"], [&](auto c) { return w.source(c); });
    print_counts(w("按诉求类型", "By request type"), s["by_request_type"], [&](auto c) { return w.request_type(c); });
    print_counts(w("按类别", "By category"), s["by_category"], [&](auto c) { return w.category(c); });
    print_counts(w("按承办科室", "By section"), s["by_section"], [&](auto c) { return w.section(c); });
    print_counts(w("按状态", "By status"), s["by_status"], [&](auto c) { return w.status(c); });
    std::cout << w("按时办结率", "On-time rate") << "  " << percent(s["on_time_rate"]) << "\n"
              << w("回访满意率", "Satisfaction rate") << "  " << percent(s["satisfaction_rate"]) << "\n"
              << w("疑似重复", "Suspected duplicates") << "  " << s["duplicates"] << "\n"
              << w("待人工确认分类", "Awaiting classification review") << "  " << s["needs_review"] << "\n"
              << w("同一车牌重复投诉", "Repeated complaints, same plate") << "  " << s.value("repeat_plate", 0) << "\n"
              << w("同一线路重复投诉", "Repeated complaints, same route") << "  " << s.value("repeat_route", 0) << "\n";
  });
}

}  // namespace suqiu::cli
