// CaseStory: the life of a case at the desk, as the history mode plays it.
// Stories follow the lifecycle table (every step an action a role may take
// from the state the previous one left), and their shares come out as
// designed: inquiries answered on the call, other matters transferred,
// duplicates merged, most closings called back.
#include "sim/case_story.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/lifecycle.h"

namespace suqiu::sim {
namespace {

CaseFacts complaint() {
  CaseFacts f;
  f.source = "12345";
  f.hub_type = f.true_type = RequestType::complaint;
  f.hub_category = f.true_category = "taxi";
  f.hub_section = "urban";
  f.subject = "出租车拒载";
  f.object = "粤G·T2736";
  return f;
}

std::string actions(const std::vector<Step>& story) {
  std::string s;
  for (const auto& step : story) s += (s.empty() ? "" : " ") + step.action;
  return s;
}

// Plays the story on the lifecycle table: every step allowed for its role in
// the state the previous steps left (the section checks are the hub's).
void expect_lawful(const std::vector<Step>& story, RequestType type) {
  CaseStatus status = CaseStatus::received;
  for (const auto& step : story) {
    const Role role = step.actor == Actor::operator_ ? Role::operator_ : step.actor == Actor::leader ? Role::leader : Role::liaison;
    if (step.action == "reclassify") {
      ASSERT_TRUE(is_open(status)) << actions(story);
      continue;
    }
    if (step.action == "reply" && status == CaseStatus::received && type == RequestType::inquiry) {
      status = CaseStatus::closed;  // 直接办结
      continue;
    }
    const auto action = parse_case_action(step.action);
    ASSERT_TRUE(action) << step.action;
    const Transition t = transition(status, *action, role);
    ASSERT_TRUE(t) << step.action << " from " << to_code(status) << " by " << to_code(role) << ": " << actions(story);
    status = *t.to;
    if (step.action == "callback" && step.args.value("satisfaction", "") == "dissatisfied") status = CaseStatus::accepted;
    if (step.actor == Actor::liaison) {
      EXPECT_FALSE(step.section.empty());
    }
  }
}

TEST(CaseStory, AComplaintIsDispatchedSignedRepliedClosed) {
  std::map<std::string, int> first_four;
  for (std::uint64_t i = 0; i < 500; ++i) {
    SimRandom rng = SimRandom::derive(1, i);
    const auto story = CaseStory::plan(complaint(), rng);
    expect_lawful(story, RequestType::complaint);
    ASSERT_GE(story.size(), 2u);
    EXPECT_EQ(story[0].action, "dispatch");
    for (const auto& s : story) {
      if (s.actor == Actor::liaison && s.action != "return") {
        EXPECT_EQ(s.section, "urban") << actions(story);
      }
    }
    ++first_four[actions(std::vector<Step>(story.begin(), story.begin() + std::min<std::size_t>(4, story.size())))];
  }
  // The usual course is the commonest by far.
  EXPECT_GT(first_four["dispatch sign_for reply approve_close"], 330);
}

TEST(CaseStory, SharesComeOutAsDesigned) {
  int transferred = 0, merged = 0, direct = 0, called_back = 0, closed = 0, late = 0, replies = 0;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    SimRandom rng = SimRandom::derive(2, i);
    CaseFacts other = complaint();
    other.hub_category = other.true_category = "other";
    other.hub_section = "office";
    other.transfer_to = "区生态环境分局";
    const auto o = CaseStory::plan(other, rng);
    expect_lawful(o, RequestType::complaint);
    if (!o.empty() && o[0].action == "transfer") {
      ++transferred;
      EXPECT_EQ(o[0].args["to"], "区生态环境分局");
    }

    CaseFacts dup = complaint();
    dup.duplicate_of = 17;
    const auto d = CaseStory::plan(dup, rng);
    if (d.size() == 1 && d[0].action == "merge") {
      ++merged;
      EXPECT_EQ(d[0].args["into"], 17);
    }

    CaseFacts ask = complaint();
    ask.source = "12328";
    ask.hub_type = ask.true_type = RequestType::inquiry;
    const auto q = CaseStory::plan(ask, rng);
    expect_lawful(q, RequestType::inquiry);
    if (!q.empty() && q[0].action == "reply") {
      ++direct;
      EXPECT_EQ(q[0].delay.kind, Delay::Kind::clock);  // on the call
    }

    const auto c = CaseStory::plan(complaint(), rng);
    for (const auto& s : c) {
      closed += s.action == "approve_close";
      called_back += s.action == "callback";
      if (s.action == "reply") {
        ++replies;
        late += s.delay.kind == Delay::Kind::past_deadline;
        const std::string result = s.args["result"], reply = s.args["reply"];
        EXPECT_FALSE(result.empty());
        EXPECT_NE(reply.find(result), std::string::npos);  // the reply tells the citizen the result
      }
    }
  }
  EXPECT_NEAR(transferred / 2000.0, 0.85, 0.04);
  EXPECT_NEAR(merged / 2000.0, 0.75, 0.04);
  EXPECT_NEAR(direct / 2000.0, 0.8, 0.04);
  EXPECT_GT(called_back, closed * 0.8);
  EXPECT_LT(late, replies * 0.12);
}

TEST(CaseStory, AMisclassifiedCaseIsCorrectedOrSentBack) {
  int reclassified_first = 0, returned = 0;
  for (std::uint64_t i = 0; i < 400; ++i) {
    SimRandom rng = SimRandom::derive(3, i);
    CaseFacts f = complaint();
    f.hub_category = "road";  // the classifier's mistake
    f.hub_section = "highway";
    const auto story = CaseStory::plan(f, rng);
    expect_lawful(story, RequestType::complaint);
    if (story[0].action == "reclassify") {
      ++reclassified_first;
      EXPECT_EQ(story[0].args["category"], "taxi");
      // Then dispatched to the taxi's section (after a slip of the operator's, now and then).
      const Step* last_dispatch = nullptr;
      for (const auto& s : story)
        if (s.action == "dispatch") last_dispatch = &s;
      ASSERT_NE(last_dispatch, nullptr);
      EXPECT_EQ(last_dispatch->args["section"], "urban") << actions(story);
    } else {
      // Left as it was: the highway section sends it back, the desk corrects it.
      EXPECT_EQ(actions(std::vector<Step>(story.begin(), story.begin() + 4)), "dispatch return reclassify dispatch");
      EXPECT_EQ(story[1].section, "highway");
      EXPECT_EQ(story[3].args["section"], "urban");
      ++returned;
    }
  }
  EXPECT_NEAR(reclassified_first / 400.0, 0.85, 0.06);
  EXPECT_GT(returned, 0);
}

TEST(CaseStory, SameStreamSameStory) {
  SimRandom a = SimRandom::derive(9, 42), b = SimRandom::derive(9, 42);
  const auto x = CaseStory::plan(complaint(), a), y = CaseStory::plan(complaint(), b);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].action, y[i].action);
    EXPECT_EQ(x[i].args, y[i].args);
    EXPECT_EQ(x[i].delay.value, y[i].delay.value);
  }
}

TEST(CaseStory, DueTimes) {
  OfficeHours hours;
  const Timestamp prev = *Timestamp::parse("2026-11-26T09:00:00+08:00");
  const Timestamp deadline = *Timestamp::parse("2026-12-03T18:00:00+08:00");
  EXPECT_EQ(CaseStory::due({Delay::Kind::work, 90}, prev, deadline, hours), *Timestamp::parse("2026-11-26T10:30:00+08:00"));
  EXPECT_EQ(CaseStory::due({Delay::Kind::clock, 5}, prev, deadline, hours), *Timestamp::parse("2026-11-26T09:05:00+08:00"));
  EXPECT_LT(CaseStory::due({Delay::Kind::toward_deadline, 0.9}, prev, deadline, hours), deadline);
  EXPECT_GT(CaseStory::due({Delay::Kind::past_deadline, 60}, prev, deadline, hours), deadline);
  // Never at the same instant as the step before.
  EXPECT_GE(CaseStory::due({Delay::Kind::work, 0}, prev, deadline, hours).epoch, prev.epoch + 60);
  // A deadline already past: soon after, not before.
  EXPECT_GT(CaseStory::due({Delay::Kind::toward_deadline, 0.5}, deadline, prev, hours), deadline);
}

}  // namespace
}  // namespace suqiu::sim
