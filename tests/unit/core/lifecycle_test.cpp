// The lifecycle table, checked exhaustively: every state × action × role has
// exactly the outcome written down here, so a change to the rules shows up as a
// failing row rather than as a surprise in production.
#include "core/lifecycle.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

namespace suqiu {
namespace {

using S = CaseStatus;
using A = CaseAction;
using R = Role;

struct Expected {
  std::set<S> from;
  std::optional<S> to;  // nullopt: stays
  std::set<R> roles;
};

const std::map<A, Expected>& expected_rules() {
  static const std::map<A, Expected> rules = {
      {A::dispatch, {{S::received, S::returned}, S::assigned, {R::operator_, R::leader}}},
      {A::sign_for, {{S::assigned}, S::accepted, {R::liaison, R::leader}}},
      {A::return_case, {{S::assigned, S::accepted}, S::returned, {R::liaison}}},
      {A::transfer, {{S::received, S::returned}, S::transferred, {R::operator_, R::leader}}},
      {A::close_directly, {{S::received}, S::closed, {R::operator_}}},
      {A::merge, {{S::received, S::assigned, S::returned}, S::merged, {R::operator_, R::leader}}},
      {A::request_extension, {{S::accepted}, std::nullopt, {R::liaison}}},
      {A::approve_extension, {{S::accepted}, std::nullopt, {R::leader}}},
      {A::reply, {{S::accepted}, S::replied, {R::liaison}}},
      {A::approve_close, {{S::replied}, S::closed, {R::operator_, R::leader}}},
      {A::reject_reply, {{S::replied}, S::accepted, {R::operator_, R::leader}}},
      {A::callback, {{S::closed}, std::nullopt, {R::operator_}}},
      {A::reopen, {{S::closed}, S::accepted, {R::leader}}},
      {A::supervise,
       {{S::received, S::assigned, S::accepted, S::replied, S::returned}, std::nullopt, {R::leader}}},
      {A::progress, {{S::accepted}, std::nullopt, {R::liaison}}},
  };
  return rules;
}

TEST(Lifecycle, EveryActionHasARule) {
  EXPECT_EQ(expected_rules().size(), kCaseActions.size());
}

TEST(Lifecycle, EveryStateActionRoleCombination) {
  int checked = 0;
  for (S from : kCaseStatuses)
    for (A action : kCaseActions)
      for (R role : kRoles) {
        const Expected& e = expected_rules().at(action);
        Transition t = transition(from, action, role);
        SCOPED_TRACE(std::string(to_code(from)) + " / " + std::string(to_code(action)) + " / " +
                     std::string(to_code(role)));
        if (!e.from.count(from)) {
          EXPECT_FALSE(t);
          EXPECT_EQ(t.error, TransitionError::wrong_state);
        } else if (!e.roles.count(role)) {
          EXPECT_FALSE(t);
          EXPECT_EQ(t.error, TransitionError::wrong_role);
        } else {
          ASSERT_TRUE(t);
          EXPECT_EQ(*t.to, e.to.value_or(from));
        }
        ++checked;
      }
  EXPECT_EQ(checked, 8 * 15 * 4);
}

TEST(Lifecycle, AdminTakesNoCaseAction) {
  for (S from : kCaseStatuses)
    for (A action : kCaseActions) EXPECT_FALSE(transition(from, action, R::admin));
}

TEST(Lifecycle, ClosedMergedTransferredAreNotOpen) {
  EXPECT_TRUE(is_open(S::received));
  EXPECT_TRUE(is_open(S::returned));
  EXPECT_TRUE(is_open(S::replied));
  EXPECT_FALSE(is_open(S::closed));
  EXPECT_FALSE(is_open(S::merged));
  EXPECT_FALSE(is_open(S::transferred));
}

TEST(Lifecycle, ActionCodesRoundTrip) {
  std::set<std::string_view> seen;
  for (A a : kCaseActions) {
    auto code = to_code(a);
    EXPECT_TRUE(seen.insert(code).second) << "duplicate code " << code;
    EXPECT_EQ(parse_case_action(code), a);
  }
  EXPECT_FALSE(parse_case_action("delete"));
}

TEST(Lifecycle, AWholeCaseFromIntakeToCallBack) {
  S s = S::received;
  s = *transition(s, A::dispatch, R::operator_).to;
  s = *transition(s, A::sign_for, R::liaison).to;
  s = *transition(s, A::reply, R::liaison).to;
  EXPECT_EQ(s, S::replied);
  s = *transition(s, A::approve_close, R::operator_).to;
  EXPECT_EQ(s, S::closed);
  EXPECT_FALSE(transition(s, A::reopen, R::operator_));  // an operator reopens by a 不满意 call-back
  s = *transition(s, A::reopen, R::leader).to;           // 重办 ruled by a leader
  EXPECT_EQ(s, S::accepted);
}

}  // namespace
}  // namespace suqiu
