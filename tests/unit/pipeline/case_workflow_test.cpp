// The case workflow on a real store: the wire's actions checked against state,
// role and section, each action's arguments, the upstream result queued when
// a case is closed, and the escalation ladder.
#include "pipeline/case_workflow.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "pipeline/intake_pipeline.h"

namespace suqiu {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Workflow : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("suqiu-wf-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    store_ = std::make_unique<store::Store>(store::Store::database_file(dir_), store::Store::Access::writer);
    auto classifier = std::shared_ptr<const classify::Classifier>(&classify::Classifier::builtin(),
                                                                  [](const classify::Classifier*) {});
    pipeline_ = std::make_unique<IntakePipeline>(*store_, PipelineSettings{}, classifier);
    workflow_ = std::make_unique<CaseWorkflow>(*store_, Taxonomy::builtin(), sla_);
  }
  void TearDown() override {
    workflow_.reset();
    pipeline_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  // A complaint about a taxi (section urban), received now so the deadline is ahead.
  std::int64_t intake(const std::string& id, const std::string& type = "complaint",
                      const std::string& category = "taxi") {
    json r = {{"source", "12345"},        {"external_id", id},
              {"received_at", Timestamp::now().to_string()},
              {"request_type", type},     {"category", category},
              {"content", "出租车司机拒载"}, {"caller", {{"name", "李先生"}, {"phone", "13800138000"}}},
              {"upstream", {{"order", id}}}};
    std::vector<RawIntake> batch = {{r.dump(), "test", std::nullopt, "op1"}};
    return pipeline_->submit(batch)[0].case_id;
  }
  ActionOutcome act(const Viewer& who, std::int64_t id, const std::string& action, json args = json::object()) {
    return workflow_->apply(who, id, action, args);
  }
  fs::path dir_;
  SlaPolicy sla_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<IntakePipeline> pipeline_;
  std::unique_ptr<CaseWorkflow> workflow_;
  Viewer op_{"op1", Role::operator_, std::nullopt};
  Viewer urban_{"wang", Role::liaison, "urban"};
  Viewer port_{"zhao", Role::liaison, "port"};
  Viewer leader_{"chen", Role::leader, std::nullopt};
  Viewer admin_{"root", Role::admin, std::nullopt};
};

TEST_F(Workflow, FullLifecycleQueuesTheResultUpstream) {
  auto id = intake("W-1");
  EXPECT_TRUE(act(op_, id, "dispatch", {{"section", "urban"}, {"assist", {"enforcement"}}}).ok);
  EXPECT_TRUE(act(urban_, id, "sign_for").ok);
  auto reply = act(urban_, id, "reply", {{"result", "已约谈驾驶员"}, {"reply", "您反映的问题已查实处理"}});
  ASSERT_TRUE(reply.ok) << reply.message;
  EXPECT_EQ(reply.case_json["status"], "replied");
  auto close = act(op_, id, "approve_close");
  ASSERT_TRUE(close.ok) << close.message;
  EXPECT_TRUE(close.result_queued);
  auto results = store_->pending_results(10);
  // The platform follows the bureau's steps: 签收, then 办结反馈. The section's
  // reply stays in the bureau until the desk approves it.
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(json::parse(results[0].body)["kind"], "signed_for");
  auto body = json::parse(results[1].body);
  EXPECT_EQ(body["kind"], "closed");
  EXPECT_EQ(body["reply"], "您反映的问题已查实处理");
  EXPECT_EQ(body["upstream"]["order"], "W-1");

  EXPECT_TRUE(act(op_, id, "callback", {{"satisfaction", "satisfied"}}).ok);
  // One call-back per closing: a second would count twice in the rates.
  auto again = act(op_, id, "callback", {{"satisfaction", "basically_satisfied"}});
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.code, "E_STATE");
  auto stats = store_->statistics();
  EXPECT_EQ(stats.closed_on_time, 1);
  EXPECT_EQ(stats.satisfied, 1);
  EXPECT_EQ(stats.basically_satisfied, 0);
  EXPECT_GT(close.seq, reply.seq);  // sequences grow with every event
}

TEST_F(Workflow, DissatisfiedCallBackReopens) {
  auto id = intake("W-2");
  act(op_, id, "dispatch", {{"section", "urban"}});
  act(urban_, id, "sign_for");
  act(urban_, id, "reply", {{"result", "x"}, {"reply", "y"}});
  act(op_, id, "approve_close");
  auto cb = act(op_, id, "callback", {{"satisfaction", "dissatisfied"}});
  ASSERT_TRUE(cb.ok) << cb.message;
  EXPECT_EQ(cb.case_json["status"], "accepted");
  EXPECT_EQ(store_->statistics().dissatisfied, 1);
  // Redone and closed again: that closing gets its own call-back.
  act(urban_, id, "reply", {{"result", "x2"}, {"reply", "y2"}});
  ASSERT_TRUE(act(op_, id, "approve_close").ok);
  EXPECT_TRUE(act(op_, id, "callback", {{"satisfaction", "satisfied"}}).ok);
}

TEST_F(Workflow, ReopenIsALeadersRulingBackToTheSection) {
  auto id = intake("W-3");
  act(op_, id, "dispatch", {{"section", "urban"}});
  act(urban_, id, "sign_for");
  act(urban_, id, "reply", {{"result", "x"}, {"reply", "y"}});
  ASSERT_TRUE(act(op_, id, "approve_close").ok);
  auto by_operator = act(op_, id, "reopen", {{"reason", "抽查发现答复不实"}});
  EXPECT_FALSE(by_operator.ok);
  EXPECT_EQ(by_operator.code, "E_FORBIDDEN");
  auto by_leader = act(leader_, id, "reopen", {{"reason", "抽查发现答复不实"}});
  ASSERT_TRUE(by_leader.ok) << by_leader.message;
  EXPECT_EQ(by_leader.case_json["status"], "accepted");
  EXPECT_TRUE(act(urban_, id, "reply", {{"result", "重新处理"}, {"reply", "已重新核查"}}).ok);
}

TEST_F(Workflow, RolesSectionsAndStatesAreEnforced) {
  auto id = intake("W-3");
  EXPECT_EQ(act(urban_, id, "dispatch").code, "E_FORBIDDEN");      // liaisons do not dispatch
  EXPECT_EQ(act(urban_, id, "sign_for").code, "E_STATE");          // not assigned yet
  act(op_, id, "dispatch", {{"section", "urban"}});
  EXPECT_EQ(act(port_, id, "sign_for").code, "E_FORBIDDEN");       // another section's case
  EXPECT_EQ(act(admin_, id, "sign_for").code, "E_FORBIDDEN");
  EXPECT_TRUE(act(urban_, id, "accept").ok);                       // alias of sign_for
  EXPECT_EQ(act(urban_, id, "approve_close").code, "E_STATE");
  act(urban_, id, "reply", {{"result", "x"}, {"reply", "y"}});
  EXPECT_EQ(act(urban_, id, "approve_close").code, "E_FORBIDDEN"); // the desk reviews, not the section
  EXPECT_EQ(act(op_, id, "teleport").code, "E_ARG_INVALID");
  EXPECT_EQ(act(op_, 999999, "dispatch").code, "E_NOT_FOUND");
}

TEST_F(Workflow, ArgumentsAreChecked) {
  auto id = intake("W-4");
  auto bad_section = act(op_, id, "dispatch", {{"section", "kitchen"}});
  EXPECT_EQ(bad_section.code, "E_ARG_INVALID");
  EXPECT_EQ(bad_section.field, "section");
  act(op_, id, "dispatch", {{"section", "urban"}});
  auto no_reason = act(urban_, id, "return");
  EXPECT_EQ(no_reason.code, "E_ARG_MISSING");
  EXPECT_EQ(no_reason.field, "reason");
  EXPECT_TRUE(act(urban_, id, "return", {{"reason", "属于港航管理科职责"}}).ok);
  EXPECT_EQ(store_->statistics().returns, 1);
  EXPECT_TRUE(act(op_, id, "dispatch", {{"section", "port"}}).ok);
  EXPECT_EQ(store_->case_summary(id)->section, "port");
  EXPECT_EQ(store_->statistics().by_section["port"], 1);
}

TEST_F(Workflow, InquiryAnsweredOnTheCallClosesAtOnce) {
  auto id = intake("W-5", "inquiry", "driver_training");
  auto r = act(op_, id, "reply", {{"reply", "报名需携带身份证和体检表"}});
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.case_json["status"], "closed");
  EXPECT_EQ(store_->statistics().closed_on_time, 1);
}

TEST_F(Workflow, ExtensionMovesTheDeadlineByWorkingDays) {
  auto id = intake("W-6");
  act(op_, id, "dispatch", {{"section", "urban"}});
  act(urban_, id, "sign_for");
  auto before = store_->case_summary(id)->deadline_ts;
  EXPECT_EQ(act(leader_, id, "extend_approve", {{"approve", true}}).code, "E_STATE");  // nothing asked
  EXPECT_TRUE(act(urban_, id, "extend_request", {{"days", 5}, {"reason", "需现场取证"}}).ok);
  EXPECT_EQ(act(urban_, id, "extend_approve", {{"approve", true}}).code, "E_FORBIDDEN");
  ASSERT_TRUE(act(leader_, id, "extend_approve", {{"approve", true}}).ok);
  auto after = *store_->case_summary(id);
  Timestamp old{before, kBeijingOffsetMinutes};
  auto expected = sla_.end_of_day(sla_.calendar().add_working_days(old.local_date(), 5));
  EXPECT_EQ(after.deadline_ts, expected.epoch);
  EXPECT_FALSE(after.extension_days);
}

TEST_F(Workflow, MergeAndReclassify) {
  auto a = intake("W-7");
  auto b = intake("W-8");
  EXPECT_EQ(act(op_, b, "merge", {{"into", b}}).code, "E_ARG_INVALID");
  EXPECT_TRUE(act(op_, b, "merge", {{"into", a}}).ok);
  EXPECT_EQ(store_->case_summary(b)->duplicate_of, a);
  EXPECT_EQ(act(urban_, a, "reclassify", {{"category", "bus"}}).code, "E_FORBIDDEN");
  EXPECT_TRUE(act(op_, a, "reclassify", {{"category", "bus"}}).ok);
  EXPECT_EQ(store_->statistics().by_category["bus"], 1);
  // The case left its old category's count: two cases, two counted, none below zero.
  std::int64_t counted = 0;
  for (const auto& [code, n] : store_->statistics().by_category) {
    EXPECT_FALSE(code.empty());
    EXPECT_GE(n, 0) << code;
    counted += n;
  }
  EXPECT_EQ(counted, 2);
  EXPECT_EQ(store_->corrections().size(), 1u);
}

TEST_F(Workflow, EscalationClimbsTheLadderOnce) {
  auto id = intake("W-9");
  auto c = *store_->case_summary(id);
  Timestamp deadline{c.deadline_ts, kBeijingOffsetMinutes};
  Timestamp late = deadline;
  late.epoch += 1;
  auto first = workflow_->escalate(late);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].level, "reminder");
  EXPECT_TRUE(workflow_->escalate(late).empty());  // not twice for the same level
  Timestamp much_later = deadline;
  much_later.epoch += 10 * 86400;
  auto second = workflow_->escalate(much_later);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].level, "supervision");
  EXPECT_TRUE(workflow_->escalate(much_later).empty());
}

}  // namespace
}  // namespace suqiu

// ---- the steps that go back to the platform, and its notices (protocol 1.1) ----

namespace suqiu {
namespace {

std::vector<std::string> result_kinds(store::Store& s) {
  std::vector<std::string> kinds;
  for (const auto& r : s.pending_results(50)) kinds.push_back(nlohmann::json::parse(r.body)["kind"]);
  return kinds;
}

PlatformNotice notice(const std::string& external_id, const std::string& id, NoticeKind kind) {
  PlatformNotice n;
  n.source = "12345";
  n.external_id = external_id;
  n.notice_id = id;
  n.kind = kind;
  n.at = Timestamp::now();
  n.note = "平台通知";
  return n;
}

TEST_F(Workflow, EachStepTheBureauTakesGoesUpstream) {
  auto id = intake("S-1");
  act(op_, id, "dispatch", {{"section", "urban"}});
  ASSERT_TRUE(act(urban_, id, "sign_for").ok);
  auto progress = act(urban_, id, "progress", {{"note", "已联系驾驶员，正在调查"}});
  ASSERT_TRUE(progress.ok) << progress.message;
  EXPECT_FALSE(act(op_, id, "progress", {{"note", "x"}}).ok) << "an interim note is the section's";
  EXPECT_EQ(act(urban_, id, "progress").code, "E_ARG_MISSING");
  ASSERT_TRUE(act(urban_, id, "extend_request", {{"days", 3}, {"reason", "需调取监控"}}).ok);
  ASSERT_TRUE(act(leader_, id, "extend_approve", {{"approve", true}}).ok);
  EXPECT_EQ(result_kinds(*store_), (std::vector<std::string>{"signed_for", "progress", "extension_request"}));
  auto results = store_->pending_results(50);
  auto ext = json::parse(results[2].body);
  EXPECT_EQ(ext["reply"], "需调取监控");
  EXPECT_EQ(ext["days"], 3);
  EXPECT_FALSE(ext["deadline"].get<std::string>().empty());
  EXPECT_EQ(json::parse(results[1].body)["reply"], "已联系驾驶员，正在调查");

  auto other = intake("S-2", "complaint", "other");
  ASSERT_TRUE(act(op_, other, "transfer", {{"to", "市场监管局"}, {"reason", "非本局职责"}}).ok);
  auto last = json::parse(store_->pending_results(50).back().body);
  EXPECT_EQ(last["kind"], "return_request");
  EXPECT_EQ(last["to"], "市场监管局");
  EXPECT_EQ(last["reply"], "非本局职责");
}

TEST_F(Workflow, PlatformNoticesChangeTheCaseOnce) {
  auto id = intake("N-1");
  act(op_, id, "dispatch", {{"section", "urban"}});
  auto r = workflow_->apply_notice(notice("N-1", "CB-1", NoticeKind::reminder));
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.case_id, id);
  EXPECT_EQ(r.event, "notice_reminder");
  EXPECT_EQ(store_->case_summary(id)->escalation, "reminder");
  auto again = workflow_->apply_notice(notice("N-1", "CB-1", NoticeKind::reminder));
  EXPECT_TRUE(again.ok && again.duplicate) << "a resent notice changes nothing";
  EXPECT_EQ(workflow_->apply_notice(notice("N-1", "DB-1", NoticeKind::supervision)).ok, true);
  EXPECT_EQ(store_->case_summary(id)->escalation, "supervision");

  auto unknown = workflow_->apply_notice(notice("N-404", "X-1", NoticeKind::reminder));
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.code, "E_NOT_FOUND");
  EXPECT_EQ(unknown.field, "external_id");

  // 撤单: closed as withdrawn, not counted as closed in time or late.
  ASSERT_TRUE(workflow_->apply_notice(notice("N-1", "CD-1", NoticeKind::withdrawn)).ok);
  EXPECT_EQ(store_->case_summary(id)->status, "closed");
  EXPECT_EQ(store_->statistics().closed_on_time + store_->statistics().closed_late, 0);
  EXPECT_TRUE(result_kinds(*store_).empty()) << "a withdrawal sends nothing back";
  store::CaseFilter awaiting;
  awaiting.awaiting_callback = true;
  EXPECT_TRUE(store_->list_cases(awaiting).empty()) << "a withdrawn case owes no call-back (待回访)";
}

TEST_F(Workflow, RulingsAndTheCallBackFromThePlatform) {
  auto id = intake("R-1", "complaint", "other");
  ASSERT_TRUE(act(op_, id, "transfer", {{"to", "市场监管局"}, {"reason", "非本局职责"}}).ok);
  auto refused = notice("R-1", "TH-1", NoticeKind::return_ruling);
  refused.approved = false;
  ASSERT_TRUE(workflow_->apply_notice(refused).ok);
  EXPECT_EQ(store_->case_summary(id)->status, "assigned") << "a refused return goes back to the section";

  auto ext = notice("R-1", "YQ-1", NoticeKind::extension_ruling);
  ext.approved = true;
  ext.deadline = *Timestamp::parse("2099-01-05T18:00:00+08:00");
  ASSERT_TRUE(workflow_->apply_notice(ext).ok);
  EXPECT_EQ(store_->case_summary(id)->deadline, "2099-01-05T18:00:00+08:00");

  auto done = intake("R-2");
  act(op_, done, "dispatch", {{"section", "urban"}});
  act(urban_, done, "sign_for");
  act(urban_, done, "reply", {{"result", "x"}, {"reply", "y"}});
  ASSERT_TRUE(act(op_, done, "approve_close").ok);
  auto rating = notice("R-2", "HF-1", NoticeKind::callback);
  rating.satisfaction = "dissatisfied";
  ASSERT_TRUE(workflow_->apply_notice(rating).ok);
  EXPECT_EQ(store_->case_summary(done)->status, "accepted") << "不满意 at the platform's call-back: 重办";
  EXPECT_EQ(store_->statistics().dissatisfied, 1);
}

TEST_F(Workflow, InquiryAnsweredOnTheCallCountsAsAnsweredOnTheCall) {
  auto id = intake("Q-1", "inquiry");
  auto r = act(op_, id, "reply", {{"reply", "出租车起步价为8元"}});
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.case_json["status"], "closed");
  EXPECT_EQ(store_->statistics().answered_on_call, 1);
}

}  // namespace
}  // namespace suqiu
