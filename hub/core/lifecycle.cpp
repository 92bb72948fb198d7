#include "lifecycle.h"

#include <initializer_list>

namespace suqiu {
namespace {

using S = CaseStatus;
using R = Role;

struct Rule {
  CaseAction action;
  std::string_view code;
  std::initializer_list<CaseStatus> from;
  std::optional<CaseStatus> to;  // nullopt: the case keeps its state
  std::initializer_list<Role> roles;
};

// One row per action. Keep it in the order of the lifecycle.
const Rule kRules[] = {
    {CaseAction::dispatch, "dispatch", {S::received, S::returned}, S::assigned, {R::operator_, R::leader}},
    {CaseAction::sign_for, "sign_for", {S::assigned}, S::accepted, {R::liaison, R::leader}},
    {CaseAction::return_case, "return", {S::assigned, S::accepted}, S::returned, {R::liaison}},
    {CaseAction::transfer, "transfer", {S::received, S::returned}, S::transferred, {R::operator_, R::leader}},
    {CaseAction::close_directly, "close_directly", {S::received}, S::closed, {R::operator_}},
    {CaseAction::merge, "merge", {S::received, S::assigned, S::returned}, S::merged, {R::operator_, R::leader}},
    {CaseAction::request_extension, "extend_request", {S::accepted}, std::nullopt, {R::liaison}},
    {CaseAction::approve_extension, "extend_approve", {S::accepted}, std::nullopt, {R::leader}},
    {CaseAction::reply, "reply", {S::accepted}, S::replied, {R::liaison}},
    {CaseAction::approve_close, "approve_close", {S::replied}, S::closed, {R::operator_, R::leader}},
    {CaseAction::reject_reply, "reject_reply", {S::replied}, S::accepted, {R::operator_, R::leader}},
    {CaseAction::callback, "callback", {S::closed}, std::nullopt, {R::operator_}},
    // 重办 ruled by a leader (after a review, a complaint about the closing);
    // an operator reopens through a dissatisfied call-back.
    {CaseAction::reopen, "reopen", {S::closed}, S::accepted, {R::leader}},
    {CaseAction::supervise, "supervise", {S::received, S::assigned, S::accepted, S::replied, S::returned}, std::nullopt, {R::leader}},
    {CaseAction::progress, "progress", {S::accepted}, std::nullopt, {R::liaison}},
};

const Rule& rule_for(CaseAction a) {
  for (const auto& r : kRules)
    if (r.action == a) return r;
  return kRules[0];  // unreachable: every action has a row (tested)
}

template <class T>
bool contains(std::initializer_list<T> list, T value) {
  for (auto v : list)
    if (v == value) return true;
  return false;
}

}  // namespace

std::string_view to_code(CaseAction a) { return rule_for(a).code; }

std::optional<CaseAction> parse_case_action(std::string_view code) {
  for (const auto& r : kRules)
    if (r.code == code) return r.action;
  return std::nullopt;
}

Transition transition(CaseStatus from, CaseAction action, Role role) {
  const Rule& rule = rule_for(action);
  if (!contains(rule.from, from)) return {std::nullopt, TransitionError::wrong_state};
  if (!contains(rule.roles, role)) return {std::nullopt, TransitionError::wrong_role};
  return {rule.to.value_or(from), TransitionError::none};
}

bool is_open(CaseStatus s) {
  switch (s) {
    case S::received:
    case S::assigned:
    case S::accepted:
    case S::replied:
    case S::returned:
      return true;
    case S::closed:
    case S::transferred:
    case S::merged:
      return false;
  }
  return false;
}

}  // namespace suqiu
