#include "case_list.h"

#include <algorithm>

namespace suqiu::console {

using nlohmann::json;

std::vector<std::string> to_do_statuses(Role role) {
  switch (role) {
    case Role::operator_: return {"received", "returned", "replied"};
    case Role::liaison: return {"assigned", "accepted"};
    case Role::leader: return {"replied", "returned"};
    case Role::admin: return {};
  }
  return {};
}

void CaseList::set_filter(CaseFilter filter) {
  filter_ = std::move(filter);
  offset_ = 0;
}

namespace {
json filter_args(const CaseFilter& filter, std::int64_t limit, std::int64_t offset) {
  json args = {{"limit", limit}, {"offset", offset}};
  if (filter.statuses.size() == 1) args["status"] = filter.statuses.front();
  if (filter.statuses.size() > 1) args["status"] = filter.statuses;
  if (!filter.section.empty()) args["section"] = filter.section;
  if (filter.overdue_only) args["overdue"] = true;
  if (filter.awaiting_callback) args["awaiting_callback"] = true;
  if (!filter.text.empty()) args["q"] = filter.text;
  return args;
}
}  // namespace

void CaseList::all_matching(std::function<void(Outcome<Matching>)> done) const {
  session_.call<Matching>(
      [filter = filter_](HubApi& api) {
        constexpr std::int64_t kExportPage = 200;
        Matching all{json::array(), false};
        const char* op = filter.text.empty() ? "case.list" : "case.search";
        for (std::int64_t offset = 0;; offset += kExportPage) {
          json page;
          try {
            page = api.request(op, filter_args(filter, kExportPage, offset))["items"];
          } catch (const ApiError& e) {
            if (e.field() != "offset") throw;
            all.truncated = true;  // the hub's limit for merged queries
            break;
          }
          for (auto& c : page) all.cases.push_back(std::move(c));
          if (static_cast<std::int64_t>(page.size()) < kExportPage) break;
        }
        return all;
      },
      std::move(done));
}

void CaseList::reload(Done done) {
  const std::uint64_t ask = ++asked_;
  session_.request(filter_.text.empty() ? "snapshot" : "case.search", filter_args(filter_, kPageSize, offset_),
                   alive_.guard([this, ask, done = std::move(done)](Outcome<json> outcome) {
                     if (ask != asked_) return;  // a newer load is on its way
                     answered_ = ask;
                     if (!outcome.ok()) return done(outcome.error());
                     apply(outcome.value());
                     done(std::monostate{});
                   }));
}

void CaseList::apply(const json& data) {
  std::vector<CaseRow> rows;
  for (const auto& c : data.value("items", json::array())) {
    CaseRow r;
    r.id = c.value("id", std::int64_t{0});
    r.case_number = c.value("case_number", c.value("case_no", std::string()));
    r.source = c.value("source", "");
    r.request_type = c.value("request_type", "");
    r.category = c.value("category", "");
    r.section = c.value("section", "");
    r.status = c.value("status", "");
    r.received_at = c.value("received_at", "");
    r.deadline = c.value("deadline", "");
    r.subject = c.value("subject", "");
    r.caller = c.value("caller_name", "");
    r.urgent = c.value("urgent", false);
    r.overdue = c.value("overdue", false);
    r.needs_review = c.value("needs_review", false);
    r.escalation = c.value("escalation", "none");
    rows.push_back(std::move(r));
  }
  rows_ = std::move(rows);
  total_ = data.value("total", std::int64_t{0});
  total_exact_ = data.value("total_exact", true);
  // A search has no sequence: any later event marks it stale, which is what
  // a search result should be after a change.
  if (data.contains("seq")) session_.synchronise(data["seq"].get<std::int64_t>());
}

void CaseList::next_page(Done done) {
  if (!has_next() || loading()) return;
  offset_ += kPageSize;
  reload(std::move(done));
}

void CaseList::previous_page(Done done) {
  if (!has_previous() || loading()) return;
  offset_ = std::max<std::int64_t>(0, offset_ - kPageSize);
  reload(std::move(done));
}

std::string CaseList::page_summary() const {
  if (rows_.empty()) return std::string(words_("没有案件", "no cases"));
  std::string out = std::to_string(offset_ + 1) + "-" +
                    std::to_string(offset_ + static_cast<std::int64_t>(rows_.size()));
  // Without an exact count the hub says only whether another page exists.
  if (total_exact_) out += " / " + std::to_string(total_);
  return std::string(words_("第 ", "")) + out + std::string(words_(" 件", ""));
}

std::vector<std::string> CaseList::column_titles() const {
  const Words& w = words_;
  // What a desk works by first: the case, its state, what it is about and
  // when it is due; where it came from last.
  return {std::string(w("编号", "Number")),     std::string(w("状态", "Status")),
          std::string(w("标题", "Subject")),    std::string(w("办理时限", "Deadline")),
          std::string(w("类别", "Category")),   std::string(w("承办科室", "Section")),
          std::string(w("渠道", "Channel")),    std::string(w("类型", "Type")),
          std::string(w("受理时间", "Received"))};
}

std::vector<std::string> CaseList::cells(const CaseRow& r) const {
  std::string status = words_.status(r.status);
  if (r.overdue)
    status += std::string(words_("（超期）", " (overdue)"));
  else if (r.escalation == "warning")
    status += std::string(words_("（预警）", " (due soon)"));
  else if (r.escalation == "reminder")
    status += std::string(words_("（催办）", " (reminded)"));
  std::string subject = r.subject;
  if (r.urgent) subject = std::string(words_("【紧急】", "[urgent] ")) + subject;
  return {r.case_number,
          status,
          subject,
          short_time(r.deadline),
          words_.category(r.category),
          words_.section(r.section),
          words_.source(r.source),
          words_.request_type(r.request_type),
          short_time(r.received_at)};
}

int CaseList::index_of(std::int64_t case_id) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == case_id) return static_cast<int>(i);
  return -1;
}

}  // namespace suqiu::console
