// The case list of the console's main window: the filters a user sets, one
// page of cases as the hub returned them (already restricted to a liaison's
// section and masked), and the cells the view shows. Loads through the
// `snapshot` op so that the session knows which events are newer; a search
// goes through `case.search`. Loads complete later, on the UI thread; the
// newest load wins over any still on its way.
#pragma once

#include <cstdint>
#include <functional>
#include <variant>
#include <string>
#include <vector>

#include "console_session.h"
#include "core/words.h"

namespace suqiu::console {

struct CaseFilter {
  std::vector<std::string> statuses;  // status codes; empty: all
  std::string section;       // a section code; empty: all the user may see
  bool overdue_only = false;
  bool awaiting_callback = false;  // closed, the call-back not made yet (待回访)
  std::string text;          // full-text search; empty: none
};

struct CaseRow {
  std::int64_t id = 0;
  std::string case_number, source, request_type, category, section, status;
  std::string received_at, deadline, subject, caller;
  std::string escalation;  // none, warning (预警), reminder (催办), supervision (督办)
  bool urgent = false, overdue = false, needs_review = false;
};

class CaseList {
 public:
  static constexpr int kPageSize = 100;

  CaseList(ConsoleSession& session, Words words) : session_(session), words_(words) {}

  void set_filter(CaseFilter filter);  // back to the first page
  const CaseFilter& filter() const { return filter_; }

  // Loads the current page; `done` gets nothing or the ApiError (the rows
  // stay as they were). A load overtaken by a newer one completes silently.
  using Done = std::function<void(Outcome<std::monostate>)>;
  void reload(Done done);
  void next_page(Done done);
  void previous_page(Done done);
  // A load is on its way.
  bool loading() const { return asked_ != answered_; }
  bool has_next() const { return offset_ + static_cast<std::int64_t>(rows_.size()) < total_; }
  bool has_previous() const { return offset_ > 0; }

  const std::vector<CaseRow>& rows() const { return rows_; }
  std::int64_t total() const { return total_; }
  // "1-100 / 400" in words: what the status bar says about the page.
  std::string page_summary() const;

  // The columns and one row's cells, in the same order.
  std::vector<std::string> column_titles() const;
  std::vector<std::string> cells(const CaseRow& row) const;
  // Every case the filter matches, page after page, for an export, and
  // whether the hub paged no further (several states at once: the first 1,000).
  struct Matching {
    nlohmann::json cases;
    bool truncated = false;
  };
  void all_matching(std::function<void(Outcome<Matching>)> done) const;

  // The row of a case on this page, or -1.
  int index_of(std::int64_t case_id) const;

 private:
  void apply(const nlohmann::json& data);

  ConsoleSession& session_;
  Words words_;
  CaseFilter filter_;
  std::vector<CaseRow> rows_;
  std::int64_t offset_ = 0;
  std::int64_t total_ = 0;
  bool total_exact_ = true;
  std::uint64_t asked_ = 0, answered_ = 0;
  Lifetime alive_;
};

// The states in which a case waits for this role to act (待办): an operator
// dispatches new and returned cases and reviews replies; a liaison signs for
// and works their section's; a leader reviews replies and rules on returns.
std::vector<std::string> to_do_statuses(Role role);

}  // namespace suqiu::console
