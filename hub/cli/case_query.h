// The case filters the CLI's case commands share (case list, export, sample)
// and one page of cases through the hub (as its user sees them) or from the
// data folder (as the administrator sees them).
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hub_session.h"
#include "local_hub.h"
#include "pipeline/case_views.h"

namespace suqiu::cli {

// The local CLI acts as the system administrator: it sees what an admin may
// see (whistle-blowers' identities stay masked), and its reads are audited.
inline Viewer local_viewer() { return Viewer{"admin", Role::admin, std::nullopt}; }

// The filters as typed.
struct CaseQuery {
  store::CaseFilter filter;
  std::optional<std::string> from, to, search;
  bool overdue = false;
};

// --status --category --section --source --type --from --to --search
// --overdue --awaiting-callback.
void add_query_options(CLI::App& cmd, CaseQuery& q);

// Where the cases come from: the hub (--hub, as its user sees them) or the
// data folder (as the administrator sees them); exactly one is set.
struct CaseSource {
  std::unique_ptr<HubSession> hub;
  std::unique_ptr<LocalHub> local;
  explicit CaseSource(const Context& ctx);
};

// q.filter.limit cases from q.filter.offset, newest first.
nlohmann::json fetch_page(CaseQuery& q, CaseSource& source);
// Every case the query matches, page after page.
nlohmann::json fetch_all(CaseQuery& q, CaseSource& source);

}  // namespace suqiu::cli
