#include "case_query.h"

#include "classify/normalizer.h"

namespace suqiu::cli {

using nlohmann::json;

namespace {

std::optional<std::int64_t> parse_day_start(const std::optional<std::string>& day, int add_days,
                                            const char* option) {
  if (!day) return std::nullopt;
  auto d = parse_date(*day);
  if (!d) throw CLI::ValidationError(option, "expects a date like 2026-11-26, got " + *day);
  auto shifted = std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{add_days}};
  return Timestamp::from_local(shifted, 0).epoch;
}

}  // namespace

void add_query_options(CLI::App& cmd, CaseQuery& q) {
  cmd.add_option("--status", q.filter.status, "received, assigned, accepted, replied, closed, ...");
  cmd.add_option("--category", q.filter.category, "taxi, bus, road, ...");
  cmd.add_option("--section", q.filter.section, "urban, transport, enforcement, ...");
  cmd.add_option("--source", q.filter.source, "12345, 12328, reportbox, ...");
  cmd.add_option("--type", q.filter.request_type, "complaint, report, inquiry, ...");
  cmd.add_option("--from", q.from, "Received on or after this day (YYYY-MM-DD)");
  cmd.add_option("--to", q.to, "Received on or before this day (YYYY-MM-DD)");
  cmd.add_option("--search", q.search, "Words that must occur in subject or content");
  cmd.add_flag("--overdue", q.overdue, "Open cases past their deadline (超期)");
  cmd.add_flag("--awaiting-callback", q.filter.awaiting_callback, "Closed cases not called back yet (待回访)");
}

// One page (q.filter.limit from q.filter.offset) through the hub (as its
// user sees it) or the data folder (as the administrator sees it).
json fetch_page(CaseQuery& q, CaseSource& source) {
  q.filter.received_from_ts = parse_day_start(q.from, 0, "--from");
  q.filter.received_to_ts = parse_day_start(q.to, 1, "--to");
  json out = json::array();
  if (source.hub) {
    json args = {{"limit", q.filter.limit}, {"offset", q.filter.offset}};
    auto put = [&](const char* key, const std::optional<std::string>& v) {
      if (v) args[key] = *v;
    };
    put("status", q.filter.status);
    put("category", q.filter.category);
    put("section", q.filter.section);
    put("source", q.filter.source);
    put("request_type", q.filter.request_type);
    put("from", q.from);
    put("to", q.to);
    if (q.search) args["q"] = *q.search;
    if (q.overdue) args["overdue"] = true;
    if (q.filter.awaiting_callback) args["awaiting_callback"] = true;
    return source.hub->request(q.search ? "case.search" : "case.list", args)["items"];
  }
  if (q.search) q.filter.text = classify::normalise(*q.search);
  if (q.overdue) q.filter.overdue_at = Timestamp::now().epoch;
  for (const auto& c : source.local->store().list_cases(q.filter)) out.push_back(summary_json(c, local_viewer()));
  return out;
}

CaseSource::CaseSource(const Context& ctx) {
  if (ctx.hub)
    hub = std::make_unique<HubSession>(ctx);
  else
    local = std::make_unique<LocalHub>(ctx.require_data(), ctx.config);
}

json fetch_all(CaseQuery& q, CaseSource& source) {
  json all = json::array();
  q.filter.limit = 500;  // the most the hub serves in a page
  for (q.filter.offset = 0;; q.filter.offset += q.filter.limit) {
    json page = fetch_page(q, source);
    for (auto& c : page) all.push_back(std::move(c));
    if (static_cast<int>(page.size()) < q.filter.limit) break;
  }
  return all;
}

}  // namespace suqiu::cli
