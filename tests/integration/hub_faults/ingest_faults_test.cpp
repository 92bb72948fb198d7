// Ingest under store faults: an I/O error, a full disk, a failed fsync or a
// busy write lock while intakes arrive. Each failed intake is NACKed with a
// transient code (never ACKed, never refused for good), the hub keeps
// answering, and once the fault clears every intake is stored exactly once.
#include "fault_hub.h"

#include <sys/prctl.h>

#include <atomic>

#include "sdk/feed_client.h"

namespace suqiu::faults {
namespace {

struct IngestFault {
  const char* name;
  vfs::Op op;
  std::string_view file;
  int error;
};

std::ostream& operator<<(std::ostream& os, const IngestFault& f) { return os << f.name; }

class IngestFaults : public FaultHubTest, public ::testing::WithParamInterface<IngestFault> {};

// Each ACK names the case that holds that intake.
void expect_acks_in_file(const fs::path& db_file, const std::map<std::string, std::string>& external_of_cid,
                         const std::map<std::string, IntakeReply>& replies) {
  DbCheck db(db_file);
  for (const auto& [cid, r] : replies) {
    if (!r.ack) continue;
    auto it = external_of_cid.find(cid);
    ASSERT_NE(it, external_of_cid.end());
    EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM cases WHERE id = " + std::to_string(r.case_id) +
                        " AND external_id = '" + it->second + "'"),
              1)
        << "ACK of " << cid << " names case " << r.case_id << ", which does not hold " << it->second;
  }
}

// The case ids of the "created" events published until `limit` passes.
std::set<std::int64_t> created_events(zmq::socket_t& sub, std::chrono::milliseconds limit) {
  std::set<std::int64_t> ids;
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    if (!protocol::wait_readable(sub, 50ms)) continue;
    auto frames = protocol::recv_frames(sub, zmq::recv_flags::dontwait);
    if (!frames) continue;
    auto decoded = protocol::decode_event(*frames);
    if (auto* e = std::get_if<protocol::Event>(&decoded); e && e->body.value("event", "") == "created")
      ids.insert(e->body.value("case_id", std::int64_t{0}));
  }
  return ids;
}

TEST_P(IngestFaults, FailedBatchIsNackedTransientlyThenStoredOnce) {
  start_hub();
  auto p = plugin();
  auto reader = api("wang");
  // The events front: consoles hear of every case stored, and of no other.
  zmq::socket_t events(ctx_, zmq::socket_type::sub);
  events.set(zmq::sockopt::linger, 0);
  events.set(zmq::sockopt::subscribe, "case.");
  events.connect(hub_->events_endpoint());
  std::this_thread::sleep_for(200ms);  // the subscription reaches the hub
  std::set<std::string> sent{"F-warm"};
  const auto warm = p->submit("warm", intake_record("F-warm"));
  ASSERT_TRUE(warm && warm->ack);
  const std::int64_t warm_case = warm->case_id;

  const int id = vfs::arm({GetParam().op, std::string(GetParam().file), GetParam().error, 0, -1});
  const std::size_t mark = problems_->mark();
  std::set<std::string> cids;
  std::map<std::string, std::string> external;
  for (int i = 0; i < 5; ++i) {  // one at a time: five failed batches
    const std::string cid = "c" + std::to_string(i), ext = "F-" + std::to_string(i);
    p->submit(cid, intake_record(ext));
    cids.insert(cid);
    external[cid] = ext;
    sent.insert(ext);
  }
  auto replies = p->wait(cids, 1s);
  const auto lines = problems_->since(mark);
  EXPECT_LE(lines.size(), cids.size()) << "more than one log line per failed intake:" << joined(lines);
  EXPECT_GT(vfs::injected_by(id), 0u) << "the fault never hit the hub";
  ASSERT_EQ(replies.size(), cids.size()) << "intakes left unanswered while the store failed";
  for (const auto& [cid, r] : replies) {
    EXPECT_FALSE(r.ack) << cid << " was ACKed while every commit failed";
    if (!r.ack) {
      EXPECT_TRUE(transient_nack(r.code)) << cid << " NACKed " << r.code << ", which is final";
    }
  }
  // Reads go on meanwhile.
  auto who = reader->request("whoami");
  EXPECT_TRUE(who.ok) << who.code << " " << who.message;
  auto list = reader->request("case.list", {{"limit", 5}});
  EXPECT_TRUE(list.ok) << list.code << " " << list.message;

  vfs::clear_all();
  for (const auto& cid : cids) {
    p->forget(cid);
    p->send_intake(cid, intake_record(external[cid]));
  }
  replies = p->wait(cids, 10s);
  ASSERT_EQ(replies.size(), cids.size());
  for (const auto& [cid, r] : replies) {
    EXPECT_TRUE(r.ack) << cid << " after the fault: NACK " << r.code;
    EXPECT_FALSE(r.duplicate) << cid << " was stored by the batch that failed";
  }
  auto after = p->submit("after", intake_record("F-after"));
  sent.insert("F-after");
  ASSERT_TRUE(after && after->ack) << "the hub does not take intakes after the fault";
  std::set<std::int64_t> acked{after->case_id};
  for (const auto& [cid, r] : replies) acked.insert(r.case_id);
  const auto heard = created_events(events, 1s);
  for (auto id : acked) EXPECT_TRUE(heard.count(id)) << "case " << id << " was stored but no event said so";
  for (auto id : heard)  // the warm-up's event may come before the subscription took
    EXPECT_TRUE(acked.count(id) || id == warm_case) << "an event for case " << id << ", which the test did not store";

  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "F-", sent), "");
  expect_acks_in_file(db_file(), external, replies);
  expect_audit_intact();
}

INSTANTIATE_TEST_SUITE_P(
    Store, IngestFaults,
    ::testing::Values(IngestFault{"wal_write_ioerr", vfs::Op::write, vfs::file::wal, SQLITE_IOERR_WRITE},
                      IngestFault{"wal_disk_full", vfs::Op::write, vfs::file::wal, SQLITE_FULL},
                      IngestFault{"wal_fsync", vfs::Op::sync, vfs::file::wal, SQLITE_IOERR_FSYNC}),
    [](const auto& info) { return std::string(info.param.name); });

// A write lock busy for less than the busy timeout: intakes wait, then are
// ACKed; the api answers meanwhile.
TEST_F(FaultHubTest, BriefBusyDelaysIntakesButLosesNone) {
  start_hub();
  auto p = plugin();
  auto reader = api("wang");
  ASSERT_TRUE(p->submit("warm", intake_record("B-warm")).value_or(IntakeReply{}).ack);
  const int id = vfs::arm({vfs::Op::shm_lock, std::string(vfs::file::shm), SQLITE_BUSY, 0, -1, "hub-writer", 0});
  std::set<std::string> cids, sent{"B-warm"};
  for (int i = 0; i < 3; ++i) {
    p->send_intake("b" + std::to_string(i), intake_record("B-" + std::to_string(i)));
    cids.insert("b" + std::to_string(i));
    sent.insert("B-" + std::to_string(i));
  }
  std::this_thread::sleep_for(500ms);
  EXPECT_GT(vfs::injected_by(id), 0u) << "the writer never met the busy lock";
  auto who = reader->request("whoami");
  EXPECT_TRUE(who.ok) << "the api did not answer while the writer waited: " << who.code;
  vfs::clear_all();
  auto replies = p->wait(cids, 10s);
  ASSERT_EQ(replies.size(), cids.size());
  for (const auto& [cid, r] : replies)
    if (!r.ack) {
      EXPECT_TRUE(transient_nack(r.code)) << cid << ": " << r.code;
      auto again = p->submit(cid, intake_record("B-" + cid.substr(1)));
      EXPECT_TRUE(again && again->ack);
    }
  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "B-", sent), "");
  expect_audit_intact();
}

// The window the hub announces is the most a plugin may have in flight: with
// the writer held up, intakes past it are answered E_BUSY at once, those
// within it wait for the store and are ACKed.
TEST_F(FaultHubTest, IntakesPastTheWindowAreAnsweredBusy) {
  start_hub(true, 60, 4);
  auto p = plugin();
  vfs::arm({vfs::Op::shm_lock, std::string(vfs::file::shm), SQLITE_BUSY, 0, -1, "hub-writer", 0});
  std::set<std::string> cids, sent;
  for (int i = 0; i < 10; ++i) {
    p->send_intake("w" + std::to_string(i), intake_record("W-" + std::to_string(i)));
    cids.insert("w" + std::to_string(i));
    sent.insert("W-" + std::to_string(i));
  }
  std::this_thread::sleep_for(300ms);
  vfs::clear_all();
  auto replies = p->wait(cids, 10s);
  ASSERT_EQ(replies.size(), cids.size());
  int acked = 0, busy = 0;
  for (const auto& [cid, r] : replies) {
    if (r.ack) ++acked;
    if (r.code == "E_BUSY") ++busy;
  }
  EXPECT_EQ(acked, 4) << "the window is 4";
  EXPECT_EQ(busy, 6);
  for (const auto& [cid, r] : replies)
    if (!r.ack) {
      auto again = p->submit(cid, intake_record("W-" + cid.substr(1)));
      EXPECT_TRUE(again && again->ack) << cid;
    }
  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "W-", sent), "");
}

// Busy for longer than the store's busy timeout (10 s): the intakes are
// answered with a transient NACK, not left hanging, and taken after.
TEST_F(FaultHubTest, BusyBeyondTheTimeoutIsNackedTransiently) {
  start_hub();
  auto p = plugin();
  auto reader = api("wang");
  vfs::arm({vfs::Op::shm_lock, std::string(vfs::file::shm), SQLITE_BUSY, 0, -1, "hub-writer", 0});
  std::set<std::string> cids{"x0", "x1"}, sent{"X-0", "X-1"};
  p->send_intake("x0", intake_record("X-0"));
  p->send_intake("x1", intake_record("X-1"));
  std::this_thread::sleep_for(1s);
  auto who = reader->request("whoami");
  EXPECT_TRUE(who.ok) << "the api did not answer while the writer waited: " << who.code;
  auto replies = p->wait(cids, 25s);
  EXPECT_EQ(replies.size(), cids.size()) << "intakes left unanswered behind a busy lock";
  for (const auto& [cid, r] : replies) {
    EXPECT_FALSE(r.ack) << cid << " ACKed though the write lock was never had";
    if (!r.ack) {
      EXPECT_TRUE(transient_nack(r.code)) << cid << " NACKed " << r.code;
    }
  }
  vfs::clear_all();
  for (const auto& cid : cids) {
    p->forget(cid);
    p->send_intake(cid, intake_record("X-" + cid.substr(1)));
  }
  replies = p->wait(cids, 10s);
  ASSERT_EQ(replies.size(), cids.size());
  for (const auto& [cid, r] : replies) EXPECT_TRUE(r.ack) << cid << ": " << r.code;
  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "X-", sent), "");
  expect_audit_intact();
}

// A plugin on the real SDK streams intakes while faults come and go at chosen
// points of the stream; the SDK resends what was NACKed, and in the end each
// intake is in the file once and each ACK names its case.
TEST_F(FaultHubTest, SdkFeedStreamsThroughFaults) {
  start_hub();
  constexpr int kCount = 1200;
  std::map<std::string, std::string> external_of_cid;
  std::map<std::string, std::int64_t> acked;  // cid -> case id
  std::set<std::string> sent;
  sdk::FeedCounters counters;
  bool flushed = false;
  std::vector<int> ids;
  std::thread feed([&] {
    prctl(PR_SET_NAME, "test-feed", 0, 0, 0);
    zmq::context_t ctx;
    sdk::FeedOptions o;
    o.endpoint = hub_->ingest_endpoint();
    o.plugin = "stream-feed";
    o.sources = {"12345"};
    o.outbox = dir_.path() / "outbox.db";
    o.ack_timeout = 3s;
    o.busy_backoff = 100ms;
    sdk::FeedClient client(ctx, o);
    client.on_outcome([&](const sdk::IntakeOutcome& out) {
      if (out.kind != sdk::IntakeOutcome::Kind::rejected) acked[out.cid] = out.case_id;
    });
    for (int i = 0; i < kCount; ++i) {
      // The moments: a few failed WAL writes, failed fsyncs, a full disk for
      // a while, a busy write lock for a while.
      if (i == 200) ids.push_back(vfs::arm({vfs::Op::write, std::string(vfs::file::wal), SQLITE_IOERR_WRITE, 0, 3}));
      if (i == 400) ids.push_back(vfs::arm({vfs::Op::sync, std::string(vfs::file::wal), SQLITE_IOERR_FSYNC, 0, 2}));
      if (i == 600) ids.push_back(vfs::arm({vfs::Op::write, std::string(vfs::file::wal), SQLITE_FULL, 0, -1}));
      if (i == 700) vfs::clear(ids.back());
      if (i == 900)
        ids.push_back(vfs::arm({vfs::Op::shm_lock, std::string(vfs::file::shm), SQLITE_BUSY, 0, -1, "hub-writer", 0}));
      if (i == 1000) vfs::clear(ids.back());
      const std::string ext = "S-" + std::to_string(i);
      external_of_cid[client.submit(intake_record(ext))] = ext;
      sent.insert(ext);
      if (i % 10 == 9) client.poll(std::chrono::milliseconds(15));
    }
    flushed = client.flush(40s);
    counters = client.counters();
  });
  feed.join();
  std::uint64_t hits = 0;
  for (int id : ids) hits += vfs::injected_by(id);
  EXPECT_GT(hits, 0u) << "no fault met the stream";
  EXPECT_TRUE(flushed) << "intakes still pending in the outbox";
  EXPECT_EQ(counters.rejected, 0u) << "intakes refused for good under transient faults";
  EXPECT_GT(counters.transient_nacks, 0u) << "no store failure reached the feed as a transient NACK";
  EXPECT_EQ(counters.accepted + counters.duplicates, static_cast<std::uint64_t>(kCount));

  auto reader = api("wang");
  auto who = reader->request("whoami");
  EXPECT_TRUE(who.ok) << who.code;
  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "S-", sent), "");
  DbCheck db(db_file());
  std::size_t wrong = 0;
  for (const auto& [cid, case_id] : acked)
    if (db.scalar("SELECT COUNT(*) FROM cases WHERE id = " + std::to_string(case_id) + " AND external_id = '" +
                  external_of_cid[cid] + "'") != 1)
      ++wrong;
  EXPECT_EQ(wrong, 0u) << "ACKs naming a case that does not hold the intake";
  EXPECT_EQ(acked.size(), static_cast<std::size_t>(kCount));
  expect_audit_intact();
}

}  // namespace
}  // namespace suqiu::faults
