// What a viewer may see of a case, as JSON: the one place where protected
// fields are masked (DESIGN.md, Confidentiality). The hub's api replies and
// the CLI's local mode both print these, so the shapes are the same everywhere.
//
//  - A whistle-blower's identity (request type `report`, or a caller marked
//    confidential) is shown only to the operator who took the case and to
//    leaders; everyone else sees "***".
//  - A liaison never sees a full phone number (138****8000).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/codes.h"
#include "store/case_types.h"

namespace suqiu {

struct Viewer {
  std::string name;
  Role role = Role::operator_;
  std::optional<std::string> section;  // a liaison's section
};

// "13800138000" -> "138****8000"; short numbers keep only their last two digits.
std::string mask_phone(std::string_view phone);

// True when reading this case's caller identity in full must be audited and
// is allowed for `viewer`.
bool may_see_identity(const Viewer& viewer, const store::CaseSummary& c, std::string_view taken_by);

nlohmann::json summary_json(const store::CaseSummary& c, const Viewer& viewer);
nlohmann::json detail_json(const store::CaseDetail& c, const Viewer& viewer);
nlohmann::json statistics_json(const store::Statistics& s);

}  // namespace suqiu
