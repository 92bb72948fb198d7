// The work-order lifecycle (工单流程) of DESIGN.md as one table: for every case
// action, the states it may start from, the state it leads to and the roles
// that may take it. The hub checks every transition against this table; a
// liaison's section and a request type's special rules are checked on top of it
// by the caller (see CaseWorkflow in the pipeline).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "codes.h"

namespace suqiu {

enum class CaseAction {
  dispatch,            // 派单: to the lead section (again after a return)
  sign_for,            // 签收
  return_case,         // 退单: "not ours", with a reason
  transfer,            // 转办: not this bureau's business
  close_directly,      // 直接办结: an inquiry answered on the call
  merge,               // 合并: a duplicate, linked to its main case
  request_extension,   // 延期申请, before the deadline
  approve_extension,   // 延期审批
  reply,               // 答复: result and reply submitted for review
  approve_close,       // 审核报结
  reject_reply,        // 审核不通过, back to the section
  callback,            // 回访: 满意 / 基本满意 keep it closed
  reopen,              // 重办: 不满意 at call-back
  supervise,           // 督办
  progress,            // 阶段反馈: an interim note by the section, sent upstream
};
inline constexpr std::array kCaseActions = {
    CaseAction::dispatch,          CaseAction::sign_for,     CaseAction::return_case,
    CaseAction::transfer,          CaseAction::close_directly, CaseAction::merge,
    CaseAction::request_extension, CaseAction::approve_extension, CaseAction::reply,
    CaseAction::approve_close,     CaseAction::reject_reply, CaseAction::callback,
    CaseAction::reopen,            CaseAction::supervise,    CaseAction::progress};

std::string_view to_code(CaseAction a);
std::optional<CaseAction> parse_case_action(std::string_view code);

enum class TransitionError { none, wrong_state, wrong_role };

struct Transition {
  std::optional<CaseStatus> to;  // set when allowed
  TransitionError error = TransitionError::none;
  explicit operator bool() const { return to.has_value(); }
};

// The whole rule: may `role` take `action` on a case in `from`, and where does
// it lead? A wrong state is reported before a wrong role so that the user
// learns the case has moved on.
Transition transition(CaseStatus from, CaseAction action, Role role);

// The states a case is still being worked in (counted as open; deadlines run).
bool is_open(CaseStatus s);

}  // namespace suqiu
