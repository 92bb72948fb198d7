// suqiu case list / suqiu case show ID
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "hub_session.h"
#include "local_hub.h"
#include "classify/normalizer.h"
#include "pipeline/case_views.h"

namespace suqiu::cli {
namespace {

using nlohmann::json;

// The local CLI acts as the system administrator: it sees what an admin may
// see (whistle-blowers' identities stay masked), and its reads are audited.
Viewer local_viewer() { return Viewer{"admin", Role::admin, std::nullopt}; }

std::optional<std::int64_t> parse_day_start(const std::optional<std::string>& day, int add_days,
                                            const char* option) {
  if (!day) return std::nullopt;
  auto d = parse_date(*day);
  if (!d) throw CLI::ValidationError(option, "expects a date like 2026-11-26, got " + *day);
  auto shifted = std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{add_days}};
  return Timestamp::from_local(shifted, 0).epoch;
}

void print_case_table(const json& cases, const Words& w) {
  std::cout << w("编号", "Case") << "\t\t" << w("渠道", "Source") << "\t" << w("类型", "Type")
            << "\t" << w("类别", "Category") << "\t" << w("承办科室", "Section") << "\t"
            << w("状态", "Status") << "\t" << w("受理时间", "Received") << "\t\t"
            << w("办理时限", "Deadline") << "\t\t" << w("标题", "Subject") << "\n";
  for (const auto& c : cases) {
    std::cout << c["case_no"].get<std::string>() << "\t" << c["source"].get<std::string>() << "\t"
              << w.request_type(c["request_type"].get<std::string>()) << "\t"
              << w.category(c["category"].get<std::string>()) << "\t"
              << w.section(c["section"].get<std::string>()) << "\t"
              << w.status(c["status"].get<std::string>()) << "\t"
              << c["received_at"].get<std::string>().substr(0, 16) << "\t"
              << c["deadline"].get<std::string>().substr(0, 16) << "\t"
              << c["subject"].get<std::string>() << "\n";
  }
  if (cases.empty()) std::cout << w("（无）", "(none)") << "\n";
}

void print_case_detail(const json& c, const Words& w) {
  auto line = [](std::string_view label, const std::string& value) {
    std::cout << label << ": " << value << "\n";
  };
  line(w("编号", "Case"), c["case_no"].get<std::string>() + "  (#" + std::to_string(c["id"].get<std::int64_t>()) + ")");
  line(w("渠道", "Source"), w.source(c["source"].get<std::string>()) + "  " + c["external_id"].get<std::string>());
  line(w("类型", "Type"), w.request_type(c["request_type"].get<std::string>()));
  line(w("类别", "Category"), w.category(c["category"].get<std::string>()) + "  (" +
                                 std::to_string(c["confidence"].get<double>()).substr(0, 4) + ")");
  line(w("承办科室", "Section"), w.section(c["section"].get<std::string>()));
  line(w("状态", "Status"), w.status(c["status"].get<std::string>()));
  line(w("受理时间", "Received"), c["received_at"].get<std::string>());
  line(w("办理时限", "Deadline"), c["deadline"].get<std::string>());
  line(w("来电人", "Caller"), c["caller_name"].get<std::string>() + "  " + c["caller_phone"].get<std::string>());
  if (!c["address"].get<std::string>().empty()) line(w("地点", "Address"), c["address"].get<std::string>());
  if (!c["duplicate_of"].is_null())
    line(w("疑似重复", "Suspected duplicate of"), "#" + std::to_string(c["duplicate_of"].get<std::int64_t>()));
  line(w("标题", "Subject"), c["subject"].get<std::string>());
  line(w("内容", "Content"), c["content"].get<std::string>());
  std::cout << w("办理记录", "History") << ":\n";
  for (const auto& e : c["history"]) {
    std::cout << "  " << e["at"].get<std::string>() << "  " << e["actor"].get<std::string>() << "  "
              << e["action"].get<std::string>();
    if (!e["to"].is_null()) std::cout << " → " << w.status(e["to"].get<std::string>());
    std::cout << "\n";
  }
}

}  // namespace

void add_case_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cases = app.add_subcommand("case", "List and show cases");
  cases->require_subcommand(1);

  auto* list = cases->add_subcommand("list", "Cases, newest first, with filters");
  static store::CaseFilter filter;
  static std::optional<std::string> from, to, search;
  list->add_option("--status", filter.status, "received, assigned, accepted, replied, closed, ...");
  list->add_option("--category", filter.category, "taxi, bus, road, ...");
  list->add_option("--section", filter.section, "urban, transport, enforcement, ...");
  list->add_option("--source", filter.source, "12345, 12328, reportbox, ...");
  list->add_option("--type", filter.request_type, "complaint, report, inquiry, ...");
  list->add_option("--from", from, "Received on or after this day (YYYY-MM-DD)");
  list->add_option("--to", to, "Received on or before this day (YYYY-MM-DD)");
  list->add_option("--search", search, "Words that must occur in subject or content");
  list->add_option("--limit", filter.limit, "Page size (at most 1000)")->default_val(50);
  list->add_option("--offset", filter.offset, "Cases to skip")->default_val(0);
  add_common_options(*list, ctx);
  list->callback([&ctx] {
    filter.received_from_ts = parse_day_start(from, 0, "--from");
    filter.received_to_ts = parse_day_start(to, 1, "--to");
    json out = json::array();
    if (ctx.hub) {
      json args = {{"limit", filter.limit}, {"offset", filter.offset}};
      auto put = [&](const char* key, const std::optional<std::string>& v) {
        if (v) args[key] = *v;
      };
      put("status", filter.status);
      put("category", filter.category);
      put("section", filter.section);
      put("source", filter.source);
      put("request_type", filter.request_type);
      put("from", from);
      put("to", to);
      if (search) args["q"] = *search;
      out = HubSession(ctx).request(search ? "case.search" : "case.list", args)["items"];
    } else {
      LocalHub hub(ctx.require_data(), ctx.config);
      if (search) filter.text = classify::normalise(*search);
      for (const auto& c : hub.store().list_cases(filter)) out.push_back(summary_json(c, local_viewer()));
    }
    if (ctx.json)
      std::cout << out.dump() << "\n";
    else
      print_case_table(out, ctx.words);
  });

  auto* show = cases->add_subcommand("show", "One case with its history");
  static std::int64_t id = 0;
  show->add_option("ID", id, "Case id (the number after # in case list)")->required();
  add_common_options(*show, ctx);
  show->callback([&ctx, &exit_code] {
    if (ctx.hub) {
      json got = HubSession(ctx).request("case.get", {{"case_id", id}});
      json out = got["case"];
      out["history"] = got["history"];
      if (ctx.json)
        std::cout << out.dump() << "\n";
      else
        print_case_detail(out, ctx.words);
      return;
    }
    LocalHub hub(ctx.require_data(), ctx.config);
    auto detail = hub.store().case_detail(id);
    if (!detail) {
      std::cerr << "suqiu: " << ctx.words("没有编号为 ", "no case with id ") << id << "\n";
      exit_code = kExitFailed;
      return;
    }
    json out = detail_json(*detail, local_viewer());
    hub.store().audit({"admin", "read_case", id, json{{"via", "cli"}}.dump()});
    if (ctx.json)
      std::cout << out.dump() << "\n";
    else
      print_case_detail(out, ctx.words);
  });
}

}  // namespace suqiu::cli
