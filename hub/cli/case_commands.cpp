// suqiu case list / suqiu case show ID
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "case_query.h"
#include "commands.h"
#include "hub_session.h"
#include "local_hub.h"
#include "classify/normalizer.h"
#include "export/case_table.h"
#include "pipeline/case_views.h"

namespace suqiu::cli {
namespace {

using nlohmann::json;

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
  static CaseQuery query;
  add_query_options(*list, query);
  list->add_option("--limit", query.filter.limit, "Page size (at most 1000)")->default_val(50);
  list->add_option("--offset", query.filter.offset, "Cases to skip")->default_val(0);
  add_common_options(*list, ctx);
  list->callback([&ctx] {
    CaseSource source(ctx);
    const json out = fetch_page(query, source);
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

void add_export_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("export", "Cases with the filters of case list, as an Excel workbook or CSV");
  static CaseQuery query;
  static std::string format = "xlsx";
  static std::filesystem::path out_file;
  add_query_options(*cmd, query);
  cmd->add_option("--format", format, "xlsx or csv")->check(CLI::IsMember({"xlsx", "csv"}))->default_val("xlsx");
  cmd->add_option("--out", out_file, "The file to write")->required();
  add_common_options(*cmd, ctx, false);
  cmd->callback([&ctx, &exit_code] {
    CaseSource source(ctx);
    json all = fetch_all(query, source);
    const auto table = exporting::case_table(all, ctx.words);
    try {
      if (format == "csv")
        exporting::write_csv(table, out_file);
      else
        exporting::write_xlsx(table, std::string(ctx.words("案件", "Cases")), out_file);
    } catch (const std::exception& e) {
      std::cerr << "suqiu: " << e.what() << "\n";
      exit_code = kExitFailed;
      return;
    }
    if (source.local) source.local->store().audit({"admin", "export", std::nullopt, json{{"cases", all.size()}, {"file", out_file.string()}}.dump()});
    std::cerr << ctx.words("已导出 ", "exported ") << all.size() << ctx.words(" 件到 ", " cases to ") << out_file.string() << "\n";
  });
}

}  // namespace suqiu::cli
