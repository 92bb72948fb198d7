// The fixed codes of DESIGN.md: request types, case states, roles and case
// actions. The hub speaks these codes; only the console and the CLI turn them
// into words (i18n/).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace suqiu {

enum class RequestType { complaint, report, inquiry, help, suggestion, praise };
inline constexpr std::array kRequestTypes = {
    RequestType::complaint, RequestType::report,     RequestType::inquiry,
    RequestType::help,      RequestType::suggestion, RequestType::praise};

enum class CaseStatus {
  received,     // 已受理
  assigned,     // 已派单, waiting for the section to sign for it
  accepted,     // 办理中
  replied,      // 待审核
  closed,       // 已办结
  returned,     // 已退单
  transferred,  // 已转办
  merged,       // 已合并
};
inline constexpr std::array kCaseStatuses = {
    CaseStatus::received, CaseStatus::assigned, CaseStatus::accepted,
    CaseStatus::replied,  CaseStatus::closed,   CaseStatus::returned,
    CaseStatus::transferred, CaseStatus::merged};

enum class Role { operator_, liaison, leader, admin };
inline constexpr std::array kRoles = {Role::operator_, Role::liaison, Role::leader,
                                      Role::admin};

std::string_view to_code(RequestType t);
std::string_view to_code(CaseStatus s);
std::string_view to_code(Role r);
std::optional<RequestType> parse_request_type(std::string_view code);
std::optional<CaseStatus> parse_case_status(std::string_view code);
std::optional<Role> parse_role(std::string_view code);

// Chinese display names, used where no catalog is loaded (CLI default output).
std::string_view name_zh(RequestType t);
std::string_view name_zh(CaseStatus s);

}  // namespace suqiu
