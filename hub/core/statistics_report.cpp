#include "statistics_report.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace suqiu {

using nlohmann::json;

namespace {

std::string percent(const json& rate) { return rate.is_number() ? percent_text(rate.get<double>()) : "—"; }

std::string count_of(const json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_number() ? std::to_string(it->get<std::int64_t>()) : "0";
}

}  // namespace

StatisticsReport StatisticsReport::from_json(const json& s, const Words& w) {
  StatisticsReport r;
  r.total = s.value("total", std::int64_t{0});
  auto table = [&](std::string_view zh, std::string_view en, const char* key,
                   const std::function<std::string(std::string_view)>& name) {
    Table t{std::string(w(zh, en)), {}};
    auto it = s.find(key);
    if (it != s.end() && it->is_object())
      for (auto& [code, n] : it->items()) {
        const auto count = n.is_number() ? n.get<std::int64_t>() : 0;
        t.rows.push_back({code, name(code), count, r.total > 0 ? static_cast<double>(count) / r.total : 0});
      }
    std::sort(t.rows.begin(), t.rows.end(), [](const Row& a, const Row& b) {
      return a.count != b.count ? a.count > b.count : a.code > b.code;
    });
    r.tables.push_back(std::move(t));
  };
  table("按渠道", "By source", "by_source", [&](auto c) { return w.source(c); });
  table("按诉求类型", "By request type", "by_request_type", [&](auto c) { return w.request_type(c); });
  table("按类别", "By category", "by_category", [&](auto c) { return w.category(c); });
  table("按承办科室", "By section", "by_section", [&](auto c) { return w.section(c); });
  table("按状态", "By status", "by_status", [&](auto c) { return w.status(c); });
  auto indicator = [&](std::string_view zh, std::string_view en, std::string value) {
    r.indicators.push_back({std::string(w(zh, en)), std::move(value)});
  };
  indicator("按时办结率", "On-time rate", percent(s.value("on_time_rate", json())));
  indicator("回访满意率", "Satisfaction rate", percent(s.value("satisfaction_rate", json())));
  // The 12328 assessment's three, then 12345's return and call-back rates.
  indicator("信息咨询类即时答复率", "Inquiries answered on the call", percent(s.value("inquiry_answered_on_call_rate", json())));
  indicator("投诉举报类限时办结率", "Complaints and reports closed in time", percent(s.value("complaint_on_time_rate", json())));
  indicator("投诉举报类回访满意率", "Complaints and reports: satisfied at call-back", percent(s.value("complaint_satisfaction_rate", json())));
  indicator("退单率", "Return rate", percent(s.value("return_rate", json())));
  indicator("回访率", "Call-back rate", percent(s.value("callback_rate", json())));
  indicator("疑似重复", "Suspected duplicates", count_of(s, "duplicates"));
  indicator("待人工确认分类", "Awaiting classification review", count_of(s, "needs_review"));
  indicator("同一车牌重复投诉", "Repeated complaints, same plate", count_of(s, "repeat_plate"));
  indicator("同一线路重复投诉", "Repeated complaints, same route", count_of(s, "repeat_route"));
  return r;
}

std::string StatisticsReport::as_text(const Words& w) const {
  std::string out = std::string(w("受理总数", "Total received")) + "  " + std::to_string(total) + "\n";
  for (const auto& t : tables) {
    out += t.title + "\n";
    for (const auto& row : t.rows) out += "  " + row.name + "  " + std::to_string(row.count) + "\n";
  }
  for (const auto& i : indicators) out += i.name + "  " + i.value + "\n";
  return out;
}

}  // namespace suqiu
