// A front that cannot go on must not leave a hub that looks alive and is not.
// Shutting the hub's ZeroMQ context down takes every socket away at once, as
// a broken socket would: each front reports that it cannot go on, the hub
// says so (Hub::failure, which suqiu-hub turns into exit status 1 so that
// systemd starts it again), and it still stops cleanly with its data intact.
#include "fault_hub.h"

namespace suqiu::faults {
namespace {

TEST_F(FaultHubTest, FrontsWhoseSocketsAreGoneStopTheHub) {
  start_hub();
  auto p = plugin();
  ASSERT_TRUE(p->submit("s1", intake_record("S-1")).value_or(IntakeReply{}).ack);
  EXPECT_FALSE(hub_->failure()) << "a hub that serves reports no failure";

  const std::size_t mark = problems_->mark();
  ASSERT_EQ(zmq_ctx_shutdown(hub_->context().handle()), 0);
  const auto until = Clock::now() + 5s;
  while (!hub_->failure() && Clock::now() < until) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(hub_->failure()) << "the fronts lost their sockets and the hub did not notice";
  const std::string what = *hub_->failure();
  EXPECT_TRUE(what.starts_with("ingest") || what.starts_with("writer") || what.starts_with("api")) << what;
  EXPECT_FALSE(problems_->since(mark).empty()) << "no log line said why";

  stop_hub();  // returns: no thread waits for a socket that is gone
  EXPECT_EQ(exactly_once(db_file(), "S-", {"S-1"}), "");
  expect_audit_intact();
}

}  // namespace
}  // namespace suqiu::faults
