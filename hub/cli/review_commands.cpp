// suqiu sample: the reproducible random draw of closed cases for review
// (双随机抽查); suqiu report: the annual report as a workbook.
#include <algorithm>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "case_query.h"
#include "commands.h"
#include "core/statistics_report.h"
#include "export/statistics_workbook.h"

namespace suqiu::cli {
namespace {

using nlohmann::json;

// The first `count` of a Fisher-Yates shuffle driven by mt19937_64's raw
// output, whose sequence the C++ standard fixes: the same cases and seed give
// the same draw on any machine (std::shuffle and the distributions do not).
std::vector<std::size_t> draw(std::size_t population, std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> order(population);
  for (std::size_t i = 0; i < population; ++i) order[i] = i;
  std::mt19937_64 gen(seed);
  count = std::min(count, population);
  for (std::size_t i = 0; i < count; ++i) std::swap(order[i], order[i + gen() % (population - i)]);
  order.resize(count);
  return order;
}

// The statistics of the days from `from` to `to_inclusive`.
json stats_for(CaseSource& source, std::chrono::year_month_day from, std::chrono::year_month_day to_inclusive) {
  if (source.hub)
    return source.hub->request("stats", {{"from", to_string(from)}, {"to", to_string(to_inclusive)}});
  const auto end = std::chrono::year_month_day{std::chrono::sys_days{to_inclusive} + std::chrono::days{1}};
  return statistics_json(source.local->store().statistics(from, end));
}

}  // namespace

void add_review_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* sample = app.add_subcommand("sample", "A reproducible random draw of closed cases for review (双随机抽查)");
  static CaseQuery query;
  static std::size_t count = 0;
  static std::uint64_t seed = 0;
  sample->add_option("--count", count, "How many cases to draw")->required()->check(CLI::PositiveNumber);
  sample->add_option("--seed", seed, "The draw's seed: the same seed and cases give the same draw")->required();
  add_query_options(*sample, query);
  add_common_options(*sample, ctx);
  sample->callback([&ctx] {
    if (query.filter.status && *query.filter.status != "closed")
      throw CLI::ValidationError("--status", "the draw is of closed cases");
    query.filter.status = "closed";
    CaseSource source(ctx);
    json closed = fetch_all(query, source);
    // The population in a fixed order, whatever order the store returned.
    std::vector<json> population(closed.begin(), closed.end());
    std::sort(population.begin(), population.end(),
              [](const json& a, const json& b) { return a.value("id", 0) < b.value("id", 0); });
    json drawn = json::array();
    for (std::size_t i : draw(population.size(), count, seed)) drawn.push_back(population[i]);
    json ids = json::array();
    for (const auto& c : drawn) ids.push_back(c.value("id", 0));
    if (source.local)  // who drew what, with which seed, out of how many: the inspection's trail
      source.local->store().audit({"admin", "sample", std::nullopt,
                            json{{"seed", seed}, {"count", count}, {"population", population.size()}, {"cases", ids}}.dump()});
    if (ctx.json) {
      std::cout << drawn.dump() << "\n";
      return;
    }
    const Words& w = ctx.words;
    std::cout << w("抽取 ", "Drew ") << drawn.size() << w(" 件，共 ", " of ") << population.size()
              << w(" 件已办结案件，种子 ", " closed cases, seed ") << seed << "\n";
    for (const auto& c : drawn)
      std::cout << c.value("case_number", c.value("case_no", std::string())) << "\t"
                << w.category(c.value("category", "")) << "\t" << w.section(c.value("section", "")) << "\t"
                << c.value("received_at", std::string()).substr(0, 10) << "\t" << c.value("subject", "") << "\n";
  });

  auto* report = app.add_subcommand("report", "The annual report: an Excel workbook of the year and its months");
  static int year = 0;
  static std::filesystem::path out_dir;
  report->add_option("--year", year, "The year, e.g. 2026")->required()->check(CLI::Range(2000, 2100));
  report->add_option("--out", out_dir, "The folder to write suqiu-report-YEAR.xlsx into")->required();
  add_common_options(*report, ctx, false);
  report->callback([&ctx, &exit_code] {
    using namespace std::chrono;
    CaseSource source(ctx);
    const auto y = std::chrono::year{year};
    const auto whole = StatisticsReport::from_json(
        stats_for(source, y / January / 1, y / December / 31), ctx.words);
    std::vector<StatisticsReport> months;
    for (unsigned m = 1; m <= 12; ++m) {
      const auto first = y / month{m} / 1;
      const auto last = year_month_day{y / month{m} / std::chrono::last};
      months.push_back(StatisticsReport::from_json(stats_for(source, first, last), ctx.words));
    }
    const auto file = out_dir / ("suqiu-report-" + std::to_string(year) + ".xlsx");
    try {
      std::filesystem::create_directories(out_dir);
      exporting::write_annual_report_xlsx(year, whole, months, ctx.words, file);
    } catch (const std::exception& e) {
      std::cerr << "suqiu: " << e.what() << "\n";
      exit_code = kExitFailed;
      return;
    }
    std::cerr << ctx.words("年度报告：", "annual report: ") << file.string() << ctx.words("，受理 ", ", ")
              << whole.total << ctx.words(" 件", " cases received") << "\n";
  });
}

}  // namespace suqiu::cli
