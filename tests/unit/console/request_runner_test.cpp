// Requests off the window thread: a job runs on the request thread and its
// completion on the thread that runs the UI queue, after the call that
// started it has returned; a completion for a presenter (or window) that is
// gone is dropped; a newer load wins over one still on its way.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "hub_fixture.h"
#include "model/case_list.h"
#include "model/console_session.h"
#include "model/request_runner.h"
#include "ui_queue.h"

namespace suqiu::console {
namespace {

using namespace std::chrono_literals;
using server::testing::RunningHub;
using server::testing::TempDir;
using testing::UiQueue;

TEST(RequestRunner, AJobCompletesOnTheUiThreadAfterTheCallHasReturned) {
  UiQueue ui;
  RequestRunner runner(ui.post(), "test-requests");
  std::atomic<bool> release{false};
  std::thread::id worked_on;
  std::optional<int> got;
  std::thread::id completed_on;
  const auto before = std::chrono::steady_clock::now();
  runner.run<int>(
      [&] {
        worked_on = std::this_thread::get_id();
        while (!release) std::this_thread::sleep_for(1ms);  // a hub that takes its time
        return 42;
      },
      [&](Outcome<int> outcome) {
        completed_on = std::this_thread::get_id();
        got = outcome.value();
      });
  EXPECT_LT(std::chrono::steady_clock::now() - before, 100ms);  // the caller was not kept waiting
  EXPECT_EQ(runner.in_flight(), 1u);
  std::this_thread::sleep_for(50ms);
  EXPECT_GE(runner.waiting_for(), 50ms);
  EXPECT_FALSE(ui.run_until([&] { return got.has_value(); }, 100ms));  // still on its way
  release = true;
  ASSERT_TRUE(ui.run_until([&] { return got.has_value(); }));
  EXPECT_EQ(*got, 42);
  EXPECT_NE(worked_on, std::this_thread::get_id());
  EXPECT_EQ(completed_on, std::this_thread::get_id());
  EXPECT_EQ(runner.in_flight(), 0u);
  EXPECT_EQ(runner.waiting_for(), std::chrono::steady_clock::duration::zero());
}

TEST(RequestRunner, JobsRunInTheOrderGivenAndFailuresArriveAsOutcomes) {
  UiQueue ui;
  RequestRunner runner(ui.post(), "test-requests");
  std::vector<std::string> seen;
  runner.run<int>([] { return 1; }, [&](Outcome<int> o) { seen.push_back(std::to_string(o.value())); });
  runner.run<int>([]() -> int { throw ApiError("E_STATE", "moved on"); },
                  [&](Outcome<int> o) { seen.push_back(o.ok() ? "ok" : o.error().code()); });
  runner.run<int>([]() -> int { throw std::runtime_error("bad reply"); },
                  [&](Outcome<int> o) { seen.push_back(o.error().code() + " " + o.error().what()); });
  ASSERT_TRUE(ui.run_until([&] { return seen.size() == 3; }));
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "E_STATE", "E_INTERNAL bad reply"}));
  Outcome<int> failed(ApiError("E_TIMEOUT", "no answer"));
  EXPECT_THROW(failed.value(), ApiError);
}

TEST(RequestRunner, FinishingDropsWhatHasNotStartedAndRunsTheLastJob) {
  UiQueue ui;
  std::atomic<int> ran{0};
  std::atomic<bool> last{false};
  {
    RequestRunner runner(ui.post(), "test-requests");
    runner.run<int>([&] { std::this_thread::sleep_for(100ms); return ++ran; }, [](Outcome<int>) {});
    for (int i = 0; i < 5; ++i) runner.run<int>([&] { return ++ran; }, [](Outcome<int>) {});
    std::this_thread::sleep_for(20ms);  // the first has started
    runner.finish([&] { last = true; });
    runner.run<int>([&] { return ++ran; }, [](Outcome<int>) {});  // ignored
    EXPECT_EQ(runner.in_flight(), 0u);
  }
  EXPECT_EQ(ran, 1);
  EXPECT_TRUE(last);
}

TEST(Lifetime, AGuardedCompletionDoesNothingOnceItsOwnerIsGone) {
  int called = 0;
  std::function<void(int)> completion;
  {
    Lifetime owner;
    completion = owner.guard([&](int n) { called += n; });
    completion(1);
  }
  completion(10);
  EXPECT_EQ(called, 1);
}

class AnswersForThoseGone : public ::testing::Test {
 protected:
  void SetUp() override {
    server::testing::seed(dir_.path(), server::testing::default_users(), server::testing::default_records());
    hub_ = std::make_unique<RunningHub>(dir_.path());
    session_ = std::make_unique<ConsoleSession>(
        HubAddress{hub_->api->endpoint(), hub_->writer->events_endpoint(), {}}, ui_.post());
    std::optional<std::optional<std::string>> refused;
    session_->login("wang", "wang-password", [&](std::optional<std::string> r) { refused = r; });
    ASSERT_TRUE(ui_.run_until([&] { return refused.has_value(); }));
    ASSERT_FALSE(*refused) << **refused;
  }

  UiQueue ui_;
  TempDir dir_;
  std::unique_ptr<RunningHub> hub_;
  std::unique_ptr<ConsoleSession> session_;
};

TEST_F(AnswersForThoseGone, AListDestroyedBeforeItsAnswerCameIsNotTouchedAndDoesNotCallBack) {
  auto list = std::make_unique<CaseList>(*session_, Words(false));
  bool called = false;
  list->reload([&](Outcome<std::monostate>) { called = true; });
  EXPECT_TRUE(list->loading());
  list.reset();  // the window closed while the hub was answering
  ASSERT_TRUE(ui_.run_until([&] { return session_->requests_in_flight() == 0; }));
  EXPECT_FALSE(called);

  // The same request for a list that lives is answered.
  CaseList kept(*session_, Words(false));
  kept.reload([&](Outcome<std::monostate> o) { called = o.ok(); });
  EXPECT_TRUE(kept.rows().empty());  // not before the loop runs the completion
  ASSERT_TRUE(ui_.run_until([&] { return called; }));
  EXPECT_EQ(kept.rows().size(), 5u);
  EXPECT_FALSE(kept.loading());
}

TEST_F(AnswersForThoseGone, TheNewestLoadWinsOverOneStillOnItsWay) {
  CaseList list(*session_, Words(false));
  std::vector<std::string> done;
  list.reload([&](Outcome<std::monostate>) { done.push_back("all"); });
  list.set_filter({.text = "拒载"});  // the user searched before the first answer came
  list.reload([&](Outcome<std::monostate>) { done.push_back("search"); });
  ASSERT_TRUE(ui_.run_until([&] { return session_->requests_in_flight() == 0; }));
  EXPECT_EQ(done, std::vector<std::string>{"search"});
  ASSERT_EQ(list.rows().size(), 1u);
  EXPECT_EQ(list.rows()[0].subject, "出租车拒载");
}

TEST_F(AnswersForThoseGone, ASessionGoneBeforeTheAnswerDropsIt) {
  bool called = false;
  session_->ping([&](bool) { called = true; });
  session_.reset();  // finishes the request thread; the answer may already be queued
  ui_.run_until([] { return false; }, 300ms);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace suqiu::console
