// The real suqiu-hub process against bad input on its ingest socket
// (docs/protocol.md sections 1.2, 2, 3 and 4.4): raw DEALER sockets send
// truncated frames, a wrong version, invalid UTF-8, JSON that is not an intake,
// a 100 MB message and a flood. Each gets an ERROR or NACK with its code (or is
// cut off by the size limit, which the hub logs), rejected intakes that carried
// data land in the dead-letter table with their raw bytes, and the hub keeps
// serving a well-behaved peer. One hub serves the whole suite; the last test
// stops it with SIGTERM and expects exit status 0.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <iostream>
#include <random>

#include <zmq.hpp>

#include "hub_process.h"
#include "protocol/codec.h"
#include "protocol/sockets.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using suqiu::protocol::Frames;
using suqiu::testing::HubProcess;
using Clock = std::chrono::steady_clock;
namespace proto = suqiu::protocol;

// A peer speaking the protocol by hand on a DEALER.
class RawPeer {
 public:
  RawPeer(zmq::context_t& context, const std::string& endpoint,
          const std::function<void(zmq::socket_t&)>& tune = {})
      : socket_(context, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    if (tune) tune(socket_);
    socket_.connect(endpoint);
  }

  void send(const Frames& frames) { ASSERT_TRUE(proto::send_frames(socket_, frames)); }
  void send(const proto::Message& m) { send(proto::encode(m)); }

  // The next message from the hub that is not a HEARTBEAT; nullopt on timeout.
  // A reply the client-side codec cannot decode fails the test.
  std::optional<proto::Message> next(std::chrono::milliseconds timeout = 5000ms) {
    const auto until = Clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0 || !proto::wait_readable(socket_, left)) return std::nullopt;
      auto frames = proto::recv_frames(socket_, zmq::recv_flags::dontwait);
      if (!frames) continue;
      auto decoded = proto::decode(*frames, proto::kClientLimits);
      if (auto* err = std::get_if<proto::DecodeError>(&decoded)) {
        ADD_FAILURE() << "undecodable reply from the hub: " << err->code << " " << err->reason;
        return std::nullopt;
      }
      auto& m = std::get<proto::Message>(decoded);
      if (std::holds_alternative<proto::Heartbeat>(m)) continue;
      return m;
    }
  }

  proto::Welcome hello(const std::string& plugin) {
    send(proto::Hello{plugin, "1.0.0", plugin + "-" + std::to_string(std::random_device{}()),
                      {"intake"}, {"12345", "12328"}});
    auto m = next();
    if (!m || !std::holds_alternative<proto::Welcome>(*m)) {
      ADD_FAILURE() << "no WELCOME after HELLO";
      return {};
    }
    return std::get<proto::Welcome>(*m);
  }

  zmq::socket_t& socket() { return socket_; }

  // A peer that never reads its replies and keeps its receive buffers small,
  // so that they back up into the hub at once rather than into the kernel's.
  // A send that the hub does not take gives up after 200 ms (to be retried).
  static std::function<void(zmq::socket_t&)> unread_buffers() {
    return [](zmq::socket_t& s) {
      s.set(zmq::sockopt::rcvhwm, 1);
      s.set(zmq::sockopt::rcvbuf, 4096);
      s.set(zmq::sockopt::sndtimeo, 200);
    };
  }

 private:
  zmq::socket_t socket_;
};

// A valid intake record with its own external id.
std::string intake(const std::string& external_id) {
  return nlohmann::json{{"source", "12345"},
                        {"external_id", external_id},
                        {"received_at", "2026-11-26T09:15:00+08:00"},
                        {"caller", {{"name", "李先生"}, {"phone", "13800138000"}, {"anonymous", false}}},
                        {"subject", "出租车拒载"},
                        {"content", "在开发区大道乘坐出租车时司机拒载，请核实处理。"}}
      .dump();
}

Frames intake_frames(const std::string& cid, const std::string& body) {
  return {std::string(proto::kSignature), "INTAKE", nlohmann::json{{"cid", cid}}.dump(), body};
}

// A peer that sends `count` valid intakes as fast as the hub takes them and
// never reads a reply (only its WELCOME, if asked to), on its own thread.
//
// Such a flood has stalled for good in about one run of a hundred under load,
// with the hub serving everyone else; the cause is not found. What is known:
// libzmq 4.3.4 does not notice that a connection closed while the socket's
// input is stopped, which it is for good in a peer that never reads, and its
// sends then time out for ever (python3-zmq shows it in a few lines). So when
// its sends make no progress for kStall, the flooder opens a new connection
// and goes on, once; a second stall fails the test.
class Flooder {
 public:
  static constexpr auto kStall = 5s;

  Flooder(zmq::context_t& context, std::string endpoint, std::string plugin, std::string prefix,
          int count, bool read_welcome)
      : context_(context),
        endpoint_(std::move(endpoint)),
        plugin_(std::move(plugin)),
        prefix_(std::move(prefix)),
        count_(count),
        read_welcome_(read_welcome),
        thread_([this] { run(); }) {}
  ~Flooder() { stop(); }

  int sent() const { return sent_; }
  bool registered() const { return registered_; }
  int reconnects() const { return reconnects_; }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    for (;;) {
      RawPeer peer(context_, endpoint_, RawPeer::unread_buffers());
      peer.send(proto::Hello{plugin_, "1.0.0", plugin_ + "-1", {"intake"}, {"12345"}});
      if (read_welcome_) registered_ = peer.next(5s).has_value();
      auto progress = Clock::now();
      while (sent_ < count_ && !stop_ && Clock::now() - progress < kStall) {
        const int i = sent_;
        // A send the hub does not take times out (sndtimeo) and is tried again.
        if (proto::send_frames(peer.socket(), intake_frames(plugin_ + std::to_string(i),
                                                            intake(prefix_ + "-" + std::to_string(i))))) {
          ++sent_;
          progress = Clock::now();
        }
      }
      if (sent_ == count_ || stop_ || reconnects_ == 1) {
        // Keep the connection, and the replies it never reads, until told to stop.
        while (!stop_) std::this_thread::sleep_for(10ms);
        return;
      }
      ++reconnects_;
    }
  }

  zmq::context_t& context_;
  const std::string endpoint_, plugin_, prefix_;
  const int count_;
  const bool read_welcome_;
  std::atomic<int> sent_{0};
  std::atomic<bool> registered_{false};
  std::atomic<int> reconnects_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: it starts with everything above in place
};

class HubBadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = fs::temp_directory_path() / ("suqiu-hub-input-" + std::to_string(std::random_device{}()));
    fs::create_directories(data_);
    // SUQIU_HUB_EXE in the environment tries another build of the hub.
    const char* exe = std::getenv("SUQIU_HUB_EXE");
    hub_ = new HubProcess(exe && *exe ? exe : SUQIU_HUB_EXE, data_);
    ASSERT_TRUE(hub_->wait_ready(60s)) << "the hub did not say ready:\n" << hub_->output();
    context_ = new zmq::context_t(1);
  }
  static void TearDownTestSuite() {
    delete context_;
    context_ = nullptr;
    if (hub_ && hub_->alive()) hub_->stop(20s);
    delete hub_;
    hub_ = nullptr;
    fs::remove_all(data_);
  }
  void SetUp() override { ASSERT_TRUE(hub_ && hub_->alive()) << "the hub is gone"; }

  // A flooder that had to reconnect passed, but what the hub logged meanwhile
  // is worth having next to the test's result.
  static void note_reconnects(const Flooder& flooder) {
    RecordProperty("flooder_reconnects", flooder.reconnects());
    if (flooder.reconnects() > 0)
      std::cerr << "note: the flooder's connection stalled and it reconnected; the hub said:\n"
                << log_tail() << "\n";
  }

  // The end of what the hub logged, for a failure message.
  static std::string log_tail() {
    const std::string log = hub_->output();
    return log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
  }

  // A run-unique prefix, so that external ids never collide across tests.
  static std::string unique(const std::string& what) {
    static const std::string run = std::to_string(std::random_device{}());
    static int n = 0;
    return "BAD-" + run + "-" + what + "-" + std::to_string(++n);
  }

  // The hub's ERROR for the last message; fails the test on anything else.
  static proto::Error expect_error(RawPeer& peer) {
    auto m = peer.next();
    if (!m) {
      ADD_FAILURE() << "no reply";
      return {};
    }
    if (auto* e = std::get_if<proto::Error>(&*m)) return *e;
    ADD_FAILURE() << "expected ERROR, got " << proto::type_name(*m);
    return {};
  }
  // The code of an ERROR or NACK, whichever came (protocol §3: NACK when the
  // intake's cid could be read, ERROR otherwise).
  static std::string error_or_nack_code(RawPeer& peer) {
    auto m = peer.next();
    if (!m) return "(no reply)";
    if (auto* e = std::get_if<proto::Error>(&*m)) return e->code;
    if (auto* n = std::get_if<proto::Nack>(&*m)) return n->code;
    return "(" + std::string(proto::type_name(*m)) + ")";
  }
  static proto::Nack expect_nack(RawPeer& peer, const std::string& cid) {
    auto m = peer.next();
    if (!m) {
      ADD_FAILURE() << "no reply for " << cid;
      return {};
    }
    if (auto* n = std::get_if<proto::Nack>(&*m)) {
      EXPECT_EQ(n->cid, cid);
      return *n;
    }
    ADD_FAILURE() << "expected NACK for " << cid << ", got " << proto::type_name(*m);
    return {};
  }
  static void expect_ack(RawPeer& peer, const std::string& cid) {
    auto m = peer.next();
    ASSERT_TRUE(m) << "no ACK for " << cid;
    auto* ack = std::get_if<proto::Ack>(&*m);
    ASSERT_TRUE(ack) << "expected ACK for " << cid << ", got " << proto::type_name(*m);
    EXPECT_EQ(ack->cid, cid);
    EXPECT_GT(ack->case_id, 0);
    EXPECT_FALSE(ack->case_number.empty());
  }

  struct DeadLetterRow {
    std::string origin, code, field;
  };
  // The dead letter whose raw bytes are `raw`, read from the hub's database
  // through a read-only connection of our own. The front hands undecodable
  // intakes to the writer after answering, so this waits a little.
  static std::optional<DeadLetterRow> dead_letter(const std::string& raw) {
    const auto until = Clock::now() + 5s;
    const std::string uri = "file:" + (data_ / "suqiu.db").string() + "?mode=ro";
    do {
      sqlite3* db = nullptr;
      std::optional<DeadLetterRow> row;
      if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db,
                               "SELECT origin, code, field FROM dead_letter "
                               "WHERE CAST(raw AS BLOB) = ? ORDER BY id DESC LIMIT 1",
                               -1, &st, nullptr) == SQLITE_OK) {
          sqlite3_bind_blob(st, 1, raw.data(), static_cast<int>(raw.size()), SQLITE_TRANSIENT);
          if (sqlite3_step(st) == SQLITE_ROW) {
            auto text = [&](int i) {
              auto* p = sqlite3_column_text(st, i);
              return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
            };
            row = DeadLetterRow{text(0), text(1), text(2)};
          }
        }
        sqlite3_finalize(st);
      }
      sqlite3_close(db);
      if (row) return row;
      std::this_thread::sleep_for(100ms);
    } while (Clock::now() < until);
    return std::nullopt;
  }

  static inline fs::path data_;
  static inline HubProcess* hub_ = nullptr;
  static inline zmq::context_t* context_ = nullptr;
};

// --- truncated frames -----------------------------------------------------

TEST_F(HubBadInput, SignatureOnlyIsAnsweredErrorProtocol) {
  RawPeer peer(*context_, hub_->ingest());
  peer.send(Frames{"SUQIU1"});
  EXPECT_EQ(expect_error(peer).code, "E_PROTOCOL");
}

TEST_F(HubBadInput, TwoFramesAreAnsweredErrorProtocol) {
  RawPeer peer(*context_, hub_->ingest());
  peer.send(Frames{"SUQIU1", "INTAKE"});
  EXPECT_EQ(expect_error(peer).code, "E_PROTOCOL");
}

TEST_F(HubBadInput, IntakeWithoutBodyIsAnsweredProtocolError) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("bad-input");
  // Three frames: the header is there, the body frame is not.
  peer.send(Frames{"SUQIU1", "INTAKE", R"({"cid":"no-body"})"});
  // Its cid was readable: a NACK for it, so the plugin knows which intake.
  EXPECT_EQ(expect_nack(peer, "no-body").code, "E_PROTOCOL");
  // A HEARTBEAT with a body frame it must not have: the frame count is wrong for the type.
  peer.send(Frames{"SUQIU1", "HEARTBEAT", "{}", "extra"});
  EXPECT_EQ(expect_error(peer).code, "E_PROTOCOL");
}

TEST_F(HubBadInput, AnErrorAboutAHeaderKeyNamesTheKey) {
  RawPeer peer(*context_, hub_->ingest());
  peer.send(Frames{"SUQIU1", "HELLO", R"({"plugin":"p","version":"1","capabilities":["intake"]})"});
  auto e = expect_error(peer);
  EXPECT_EQ(e.code, "E_FIELD_MISSING");
  EXPECT_EQ(e.field, "instance");
}

TEST_F(HubBadInput, MessagesOnlyTheHubSendsAreRefusedWhateverTheirHeader) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("sends-acks");
  for (const char* header : {R"({"cid":"1","case_id":1,"case_number":"x","duplicate":false})", "{}", "{bad"}) {
    peer.send(Frames{"SUQIU1", "ACK", header});
    auto e = expect_error(peer);
    EXPECT_EQ(e.code, "E_PROTOCOL") << header;
    EXPECT_EQ(e.field, "type") << header;
  }
}

TEST_F(HubBadInput, ABodyWithAByteOrderMarkIsNotJson) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("bom");
  const std::string body = "\xEF\xBB\xBF" + intake(unique("bom"));
  peer.send(intake_frames("bom1", body));
  EXPECT_EQ(expect_nack(peer, "bom1").code, "E_NOT_JSON");
}

TEST_F(HubBadInput, UnknownTypeIsAnsweredErrorProtocol) {
  RawPeer peer(*context_, hub_->ingest());
  peer.send(Frames{"SUQIU1", "GIMME", "{}"});
  EXPECT_EQ(expect_error(peer).code, "E_PROTOCOL");
}

// --- version --------------------------------------------------------------

TEST_F(HubBadInput, WrongVersionIsAnsweredErrorVersion) {
  RawPeer peer(*context_, hub_->ingest());
  // Each a different way of not being SUQIU1.
  for (const std::string signature : {"SUQIU9", "SUQIU", "suqiu1", "SUQIU1\n", "MDPW01"}) {
    peer.send(Frames{signature, "HELLO", "{}"});
    auto m = peer.next();
    ASSERT_TRUE(m) << "no reply to signature " << signature;
    auto* e = std::get_if<proto::Error>(&*m);
    ASSERT_TRUE(e) << signature << ": expected ERROR, got " << proto::type_name(*m);
    EXPECT_EQ(e->code, "E_VERSION") << signature;
  }
  // The reply itself is SUQIU1 and lists what is supported (protocol §4.4).
  peer.send(Frames{"SUQIU9", "HELLO", "{}"});
  ASSERT_TRUE(proto::wait_readable(peer.socket(), 5000ms));
  auto frames = proto::recv_frames(peer.socket(), zmq::recv_flags::dontwait);
  ASSERT_TRUE(frames && frames->size() == 3);
  EXPECT_EQ((*frames)[0], "SUQIU1");
  EXPECT_EQ((*frames)[1], "ERROR");
  auto header = nlohmann::json::parse((*frames)[2]);
  EXPECT_EQ(header["code"], "E_VERSION");
  EXPECT_EQ(header["supported"], nlohmann::json::array({"SUQIU1"}));
}

// --- invalid UTF-8 ----------------------------------------------------------

TEST_F(HubBadInput, InvalidUtf8InTheHeaderIsAnsweredBadUtf8) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("bad-input");
  // One quirk per row (RFC 3629): each breaks only the UTF-8 of the header.
  const std::pair<const char*, std::string> rows[] = {
      {"a lone continuation byte", "\x80"},
      {"a truncated two-byte sequence", "\xC3("},
      {"an overlong slash", "\xC0\xAF"},
      {"a UTF-16 surrogate", "\xED\xA0\x80"},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80"},
      {"a byte never used", "\xFF"},
  };
  for (const auto& [what, bytes] : rows) {
    peer.send(Frames{"SUQIU1", "INTAKE", R"({"cid":"u8","note":")" + bytes + R"("})", intake(unique("u8"))});
    EXPECT_EQ(error_or_nack_code(peer), "E_BAD_UTF8") << what;
  }
  // The same on a message without a body.
  peer.send(Frames{"SUQIU1", "HELLO", "{\"plugin\":\"\xC3\x28\"}"});
  EXPECT_EQ(expect_error(peer).code, "E_BAD_UTF8");
}

TEST_F(HubBadInput, InvalidUtf8InTheBodyIsNackedAndKeptAsDeadLetter) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("bad-utf8-feed");
  const std::string body = R"({"source":"12345","external_id":")" + unique("body-u8") +
                           R"(","received_at":"2026-11-26T09:15:00+08:00","content":"拒载)" +
                           "\xE6\x8B" + R"("})";
  peer.send(intake_frames("b1", body));
  auto nack = expect_nack(peer, "b1");
  EXPECT_EQ(nack.code, "E_BAD_UTF8");
  EXPECT_FALSE(nack.reason.empty());
  auto row = dead_letter(body);
  ASSERT_TRUE(row) << "the raw bytes are not in dead_letter";
  EXPECT_EQ(row->code, "E_BAD_UTF8");
}

// --- JSON that is not an intake --------------------------------------------

TEST_F(HubBadInput, JsonArrayBodyIsNackedNotObjectAndKeptAsDeadLetter) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("not-object-feed");
  const std::string body = "[1,2]";
  peer.send(intake_frames("arr", body));
  auto nack = expect_nack(peer, "arr");
  EXPECT_EQ(nack.code, "E_NOT_OBJECT");
  EXPECT_EQ(nack.field, "");
  auto row = dead_letter(body);
  ASSERT_TRUE(row) << "[1,2] is not in dead_letter";
  EXPECT_EQ(row->code, "E_NOT_OBJECT");
  EXPECT_EQ(row->origin, "not-object-feed");
}

TEST_F(HubBadInput, IntakeWithoutRequiredFieldsIsNackedNamingTheFieldAndKeptAsDeadLetter) {
  RawPeer peer(*context_, hub_->ingest());
  peer.hello("field-missing-feed");
  // DESIGN.md's required fields, checked in its order: the first one absent is named.
  const std::string id = unique("fm");
  const std::pair<std::string, std::string> rows[] = {
      {R"({"source":"12345"})", "external_id"},
      {R"({"external_id":")" + id + R"(-a"})", "source"},
      {R"({"source":"12345","external_id":")" + id + R"(-b"})", "received_at"},
      {R"({"source":"12345","external_id":")" + id +
           R"(-c","received_at":"2026-11-26T09:15:00+08:00"})",
       "content"},
  };
  int n = 0;
  for (const auto& [body, field] : rows) {
    const std::string cid = "fm" + std::to_string(++n);
    peer.send(intake_frames(cid, body));
    auto nack = expect_nack(peer, cid);
    EXPECT_EQ(nack.code, "E_FIELD_MISSING") << body;
    EXPECT_EQ(nack.field, field) << body;
    auto row = dead_letter(body);
    ASSERT_TRUE(row) << body << " is not in dead_letter";
    EXPECT_EQ(row->code, "E_FIELD_MISSING");
    EXPECT_EQ(row->field, field);
  }
  // A body that is not JSON at all.
  peer.send(intake_frames("nj", "{not json"));
  EXPECT_EQ(expect_nack(peer, "nj").code, "E_NOT_JSON");
  // And the same peer is still served.
  peer.send(intake_frames("ok", intake(unique("after-bad"))));
  expect_ack(peer, "ok");
}

// --- size limit ---------------------------------------------------------------

TEST_F(HubBadInput, HundredMegabyteMessageIsCutOffAndLoggedAndOthersAreServed) {
  const std::size_t mark = hub_->output_size();
  {
    RawPeer big(*context_, hub_->ingest());
    big.hello("big-feed");
    std::string body(100u << 20, 'x');
    big.send(intake_frames("big", body));
    ASSERT_TRUE(hub_->wait_for_output("connection closed", 20s, mark))
        << "the hub did not log the dropped connection:\n"
        << hub_->output().substr(mark);
    // A close names no cause it cannot know: most are plugins going away.
    EXPECT_EQ(hub_->output().find("is one cause"), std::string::npos);
    // It never answered the 100 MB intake (its bytes never got past libzmq).
    auto m = big.next(500ms);
    EXPECT_FALSE(m && std::holds_alternative<proto::Ack>(*m));
  }
  RawPeer good(*context_, hub_->ingest());
  auto welcome = good.hello("good-feed");
  EXPECT_FALSE(welcome.hub.empty());
  good.send(intake_frames("g1", intake(unique("after-big"))));
  expect_ack(good, "g1");

  // Between the two limits: a body over 1 MiB but under 2 MiB is NACKed E_TOO_LARGE.
  good.send(intake_frames("g2", std::string(1536u << 10, ' ')));
  EXPECT_EQ(expect_nack(good, "g2").code, "E_TOO_LARGE");
}

// --- flood ---------------------------------------------------------------------

TEST_F(HubBadInput, FloodFromOnePeerDoesNotStarveAnother) {
  constexpr int kFlood = 20000;
  const std::string prefix = unique("flood");
  Flooder flooder(*context_, hub_->ingest(), "flooder", prefix, kFlood, /*read_welcome=*/true);

  // Let the flood get going, then a well-behaved peer sends 10 and reads.
  const auto flood_start = Clock::now();
  while (flooder.sent() < kFlood / 4 && Clock::now() - flood_start < 20s) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(flooder.registered());
  RawPeer good(*context_, hub_->ingest());
  good.hello("well-behaved");
  const auto start = Clock::now();
  for (int i = 0; i < 10; ++i)
    good.send(intake_frames("w" + std::to_string(i), intake(prefix + "-good-" + std::to_string(i))));
  int acked = 0;
  while (acked < 10) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(start + 5s - Clock::now());
    if (left.count() <= 0) break;
    auto m = good.next(left);
    if (!m) break;
    if (auto* ack = std::get_if<proto::Ack>(&*m)) {
      EXPECT_EQ(ack->cid, "w" + std::to_string(acked));
      ++acked;
    } else {
      ADD_FAILURE() << "unexpected " << proto::type_name(*m);
    }
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  EXPECT_EQ(acked, 10) << "the well-behaved peer got " << acked << " of 10 ACKs in " << took.count()
                       << " ms while the flooder had sent " << flooder.sent() << "; the hub said:\n"
                       << log_tail();
  RecordProperty("good_peer_ms", static_cast<int>(took.count()));

  // The flooder gets to send all of it (the hub keeps reading) ...
  const auto until = Clock::now() + 60s;
  while (flooder.sent() < kFlood && Clock::now() < until) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(flooder.sent(), kFlood) << "the hub stopped reading the flooder; the hub said:\n" << log_tail();
  flooder.stop();
  note_reconnects(flooder);
  // ... and once it is gone the hub serves others as before.
  RawPeer after(*context_, hub_->ingest());
  after.hello("after-flood");
  after.send(intake_frames("a1", intake(prefix + "-after")));
  expect_ack(after, "a1");
}

// --- last (gtest runs tests in the order they are defined): still alive, clean stop

TEST_F(HubBadInput, LastHubStillServesAndExitsZeroOnSigterm) {
  ASSERT_TRUE(hub_->alive());
  {
    RawPeer peer(*context_, hub_->ingest());
    peer.hello("last-feed");
    peer.send(intake_frames("z1", intake(unique("last"))));
    expect_ack(peer, "z1");
  }
  const std::string log = hub_->output();
  // Rejected input is logged, one line each (issue 3).
  EXPECT_NE(log.find("rejected input"), std::string::npos);
  auto status = hub_->stop(20s);
  ASSERT_TRUE(status.has_value()) << "the hub did not stop within 20 s of SIGTERM";
  EXPECT_EQ(*status, 0) << hub_->output().substr(log.size());
  EXPECT_TRUE(hub_->wait_for_output("suqiu-hub stopped", 2s));
}

// --- a peer that never reads, beyond what the buffers absorb --------------------
// Its own hub (the fixture's statics are set up again for this suite): when the
// replies a peer never reads fill the hub's send high-water mark and the kernel
// buffers (about 60,000 short replies here), a blocking send on the ingest
// ROUTER (ROUTER_MANDATORY blocks at the high-water mark) would stop the front
// for every peer, and the hub could no longer stop on SIGTERM.

class HubUnreadReplies : public HubBadInput {};

TEST_F(HubUnreadReplies, PeerThatNeverReadsDoesNotWedgeTheHub) {
  constexpr int kFlood = 150000;
  const std::string prefix = unique("unread");
  Flooder flooder(*context_, hub_->ingest(), "never-reads", prefix, kFlood, /*read_welcome=*/false);
  // Past the point where the buffers are full (or until the hub stops reading).
  const auto flood_start = Clock::now();
  while (flooder.sent() < 100000 && Clock::now() - flood_start < 60s) std::this_thread::sleep_for(10ms);
  const int sent_then = flooder.sent();

  RawPeer good(*context_, hub_->ingest());
  good.send(proto::Hello{"well-behaved", "1.0.0", "good-2", {"intake"}, {"12345"}});
  auto welcome = good.next(5s);
  EXPECT_TRUE(welcome && std::holds_alternative<proto::Welcome>(*welcome))
      << "no WELCOME for a well-behaved peer after the other had sent " << sent_then
      << " intakes without reading a reply";
  if (welcome) {
    for (int i = 0; i < 10; ++i)
      good.send(intake_frames("w" + std::to_string(i), intake(prefix + "-good-" + std::to_string(i))));
    int acked = 0;
    const auto start = Clock::now();
    while (acked < 10 && Clock::now() - start < 5s) {
      auto m = good.next(std::chrono::duration_cast<std::chrono::milliseconds>(start + 5s - Clock::now()));
      if (!m) break;
      if (std::holds_alternative<proto::Ack>(*m)) ++acked;
    }
    EXPECT_EQ(acked, 10);
  }
  EXPECT_GE(sent_then, 100000) << "the hub stopped reading the peer that does not read; the hub said:\n"
                               << log_tail();
  flooder.stop();
  note_reconnects(flooder);

  auto status = hub_->stop(20s);
  ASSERT_TRUE(status.has_value()) << "the hub did not stop within 20 s of SIGTERM";
  EXPECT_EQ(*status, 0) << hub_->output();
}

}  // namespace
