#include "server/session_table.h"

#include <gtest/gtest.h>

#include <set>

using namespace suqiu;
using namespace suqiu::server;
using namespace std::chrono_literals;

namespace {

const Viewer kOperator{"wang", Role::operator_, std::nullopt};
const Viewer kLiaison{"zhao", Role::liaison, "urban"};

}  // namespace

TEST(SessionTable, TokensAreLongRandomHex) {
  SessionTable t(12h);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto o = t.open(kOperator);
    EXPECT_EQ(o.token.size(), 64u);
    EXPECT_EQ(o.token.find_first_not_of("0123456789abcdef"), std::string::npos) << o.token;
    EXPECT_TRUE(seen.insert(o.token).second);
  }
  EXPECT_EQ(t.size(), 100u);
}

TEST(SessionTable, TouchReturnsTheViewerAndUnknownTokensNothing) {
  SessionTable t(12h);
  auto o = t.open(kLiaison);
  auto v = t.touch(o.token);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->name, "zhao");
  EXPECT_EQ(v->role, Role::liaison);
  EXPECT_EQ(v->section, "urban");
  EXPECT_FALSE(t.touch(""));
  EXPECT_FALSE(t.touch("not-a-token"));
  EXPECT_FALSE(t.touch(o.token.substr(0, 63)));
}

TEST(SessionTable, IdleSessionsExpireAndUseExtendsThem) {
  SessionTable t(1h);
  const auto t0 = SessionTable::Clock::now();
  auto o = t.open(kOperator, t0);
  EXPECT_EQ(o.expires_at, t0 + 1h);
  // Used at 50 minutes: alive until 1 h 50 min.
  EXPECT_TRUE(t.touch(o.token, t0 + 50min));
  EXPECT_TRUE(t.touch(o.token, t0 + 100min));
  // Idle for a whole hour: gone, and forgotten.
  EXPECT_FALSE(t.touch(o.token, t0 + 160min));
  EXPECT_EQ(t.size(), 0u);
}

TEST(SessionTable, ExpireForgetsOnlyIdleSessions) {
  SessionTable t(1h);
  const auto t0 = SessionTable::Clock::now();
  auto old_session = t.open(kOperator, t0);
  auto fresh = t.open(kLiaison, t0 + 30min);
  EXPECT_EQ(t.expire(t0 + 61min), 1u);
  EXPECT_FALSE(t.touch(old_session.token, t0 + 61min));
  EXPECT_TRUE(t.touch(fresh.token, t0 + 61min));
}

TEST(SessionTable, CloseEndsOneSessionAndCloseUserAllOfAUser) {
  SessionTable t(12h);
  auto a = t.open(kOperator);
  auto b = t.open(kOperator);
  auto c = t.open(kLiaison);
  EXPECT_TRUE(t.close(a.token));
  EXPECT_FALSE(t.close(a.token));
  EXPECT_FALSE(t.touch(a.token));
  EXPECT_TRUE(t.touch(b.token));
  EXPECT_EQ(t.close_user("wang"), 1u);
  EXPECT_FALSE(t.touch(b.token));
  EXPECT_TRUE(t.touch(c.token));
}

TEST(SessionTable, RefusesANonPositiveExpiry) {
  EXPECT_THROW(SessionTable(0s), std::invalid_argument);
}
