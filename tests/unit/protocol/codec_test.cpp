#include "protocol/codec.h"

#include <gtest/gtest.h>

#include <random>

#include "protocol/wire_codes.h"

using namespace suqiu::protocol;
using nlohmann::json;

namespace {

const char* kRecord =
    R"({"source":"12345","external_id":"GD-ZJ-20261126-000123","received_at":"2026-11-26T09:15:00+08:00","content":"出租车拒载"})";

template <class T>
T roundtrip(const Message& m) {
  const Frames frames = encode(m);
  auto decoded = decode(frames, kClientLimits);
  if (auto* e = std::get_if<DecodeError>(&decoded)) ADD_FAILURE() << e->code << " " << e->field << " " << e->reason;
  const auto* msg = std::get_if<Message>(&decoded);
  if (!msg || !std::holds_alternative<T>(*msg)) {
    ADD_FAILURE() << "wrong type back";
    return T{};
  }
  return std::get<T>(*msg);
}

DecodeError error_of(const Frames& frames, const DecodeLimits& limits = kHubLimits) {
  auto decoded = decode(frames, limits);
  if (auto* e = std::get_if<DecodeError>(&decoded)) return *e;
  ADD_FAILURE() << "decoded although it should not";
  return {};
}

}  // namespace

TEST(Codec, FrameLayoutOfIntake) {
  const Frames f = encode(Intake{"17", kRecord});
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], "SUQIU1");
  EXPECT_EQ(f[1], "INTAKE");
  EXPECT_EQ(json::parse(f[2]), json({{"cid", "17"}}));
  EXPECT_EQ(f[3], kRecord);  // the body travels byte for byte
}

TEST(Codec, EveryOtherMessageHasThreeFrames) {
  for (const Message& m : std::vector<Message>{Hello{"12345", "1.0", "i1", {"intake"}, {}}, Welcome{"h"},
                                               Ack{"1", 2, "N", false}, Nack{"1", "E_BUSY", "", ""},
                                               Heartbeat{}, ResultAck{"r"}, Error{"E_PROTOCOL", "x", ""},
                                               Bye{}, Login{"1", "u", "p"}, Request{"1", "t", "whoami"},
                                               Reply::success("1", json::object())}) {
    EXPECT_EQ(encode(m).size(), 3u) << type_name(m);
  }
  EXPECT_EQ(encode(Result{"r1", json::object()}).size(), 4u);
}

TEST(Codec, RoundTripsIngestMessages) {
  auto hello = roundtrip<Hello>(Hello{"12345", "1.2.0", "abc", {"intake", "result"}, {"12345", "12328"}});
  EXPECT_EQ(hello.plugin, "12345");
  EXPECT_EQ(hello.version, "1.2.0");
  EXPECT_EQ(hello.instance, "abc");
  EXPECT_EQ(hello.capabilities, (std::vector<std::string>{"intake", "result"}));
  EXPECT_EQ(hello.sources, (std::vector<std::string>{"12345", "12328"}));

  auto welcome = roundtrip<Welcome>(Welcome{"hub-1", "0.1.0", 500, 4, 64, 1000});
  EXPECT_EQ(welcome.hub, "hub-1");
  EXPECT_EQ(welcome.heartbeat_ms, 500);
  EXPECT_EQ(welcome.liveness, 4);
  EXPECT_EQ(welcome.window, 64);
  EXPECT_EQ(welcome.max_body, 1000);

  auto intake = roundtrip<Intake>(Intake{"c-1", kRecord});
  EXPECT_EQ(intake.cid, "c-1");
  EXPECT_EQ(intake.record, kRecord);

  auto ack = roundtrip<Ack>(Ack{"c-1", 42, "ZJ2026112600042", true});
  EXPECT_EQ(ack.case_id, 42);
  EXPECT_EQ(ack.case_number, "ZJ2026112600042");
  EXPECT_TRUE(ack.duplicate);

  auto nack = roundtrip<Nack>(Nack{"c-2", "E_FIELD_MISSING", "content", "content is required"});
  EXPECT_EQ(nack.code, "E_FIELD_MISSING");
  EXPECT_EQ(nack.field, "content");

  auto result = roundtrip<Result>(Result{"r-9", {{"kind", "closed"}, {"reply", "已办结"}}});
  EXPECT_EQ(result.rid, "r-9");
  EXPECT_EQ(result.result["reply"], "已办结");

  auto rack = roundtrip<ResultAck>(ResultAck{"r-9", false, "E_UPSTREAM", "platform refused"});
  EXPECT_FALSE(rack.delivered);
  EXPECT_EQ(rack.code, "E_UPSTREAM");
  EXPECT_TRUE(roundtrip<ResultAck>(ResultAck{"r-9"}).delivered);

  auto error = roundtrip<Error>(Error{"E_NOT_REGISTERED", "say HELLO first", "c-3"});
  EXPECT_EQ(error.code, "E_NOT_REGISTERED");
  EXPECT_EQ(error.cid, "c-3");

  EXPECT_EQ(roundtrip<Bye>(Bye{"shutdown"}).reason, "shutdown");
  roundtrip<Heartbeat>(Heartbeat{});
}

TEST(Codec, RoundTripsApiMessages) {
  auto login = roundtrip<Login>(Login{"a1", "wang", "秘密"});
  EXPECT_EQ(login.user, "wang");
  EXPECT_EQ(login.password, "秘密");

  auto req = roundtrip<Request>(Request{"a2", "tok", "case.list", {{"status", "assigned"}, {"limit", 10}}});
  EXPECT_EQ(req.op, "case.list");
  EXPECT_EQ(req.args["limit"], 10);
  // Absent args decode as an empty object.
  EXPECT_EQ(roundtrip<Request>(Request{"a3", "tok", "whoami", nullptr}).args, json::object());

  auto ok = roundtrip<Reply>(Reply::success("a2", {{"total", 3}}));
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.data["total"], 3);

  auto bad = roundtrip<Reply>(Reply::failure("a2", code::arg_missing, "case_id is required", "case_id"));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.code, "E_ARG_MISSING");
  EXPECT_EQ(bad.field, "case_id");
}

TEST(Codec, VersionErrorCarriesSupportedSignatures) {
  const Frames f = encode(Error{std::string(code::version), "speak SUQIU1", ""});
  EXPECT_EQ(json::parse(f[2])["supported"], json::array({"SUQIU1"}));
}

// One row per way a peer can get it wrong; the code is what the hub answers.
TEST(Codec, RejectsBadMessagesWithCodes) {
  struct Case {
    Frames frames;
    std::string code;
    std::string field;
    std::string cid;
    const char* why;
  };
  const std::string huge_header = R"({"cid":"1","pad":")" + std::string(70 * 1024, 'x') + "\"}";
  const Case cases[] = {
      {{}, "E_PROTOCOL", "", "", "no frames at all"},
      {{"SUQIU1", "INTAKE"}, "E_PROTOCOL", "", "", "truncated after the type"},
      {{"SUQIU2", "HELLO", "{}"}, "E_VERSION", "", "", "a future version"},
      {{"MDPC01", "HELLO", "{}"}, "E_VERSION", "", "", "another protocol's signature"},
      {{"", "SUQIU1", "HELLO", "{}"}, "E_VERSION", "", "", "REQ-style empty delimiter in front"},
      {{"SUQIU1", "HELO", "{}"}, "E_PROTOCOL", "type", "", "unknown type"},
      {{"SUQIU1", "INTAKE", R"({"cid":"1"})"}, "E_PROTOCOL", "", "1", "intake without its body: NACKed for its cid"},
      {{"SUQIU1", "INTAKE", "{cid:1}"}, "E_PROTOCOL", "", "", "intake without its body, no readable cid"},
      {{"SUQIU1", "HELLO", "\xEF\xBB\xBF{}"}, "E_NOT_JSON", "", "", "header after a byte order mark"},
      {{"SUQIU1", "ACK", "{}", "extra"}, "E_PROTOCOL", "", "", "a body where none belongs"},
      {{"SUQIU1", "INTAKE", huge_header, "{}"}, "E_TOO_LARGE", "", "", "header over 64 KiB"},
      {{"SUQIU1", "INTAKE", "{\"cid\":\"\xE5\x87\"}", "{}"}, "E_BAD_UTF8", "", "", "header not UTF-8"},
      {{"SUQIU1", "INTAKE", "{cid:1}", "{}"}, "E_NOT_JSON", "", "", "header not JSON"},
      {{"SUQIU1", "INTAKE", "[1,2]", "{}"}, "E_NOT_OBJECT", "", "", "header an array"},
      // nlohmann reports this as out_of_range 406, not parse_error (found by fuzzing).
      {{"SUQIU1", "INTAKE", R"({"cid":"1","n":1E400000000000000000000})", "{}"}, "E_NOT_JSON", "", "",
       "number overflow in the header"},
      {{"SUQIU1", "INTAKE", "{}", "{}"}, "E_FIELD_MISSING", "cid", "", "intake without cid"},
      {{"SUQIU1", "INTAKE", R"({"cid":""})", "{}"}, "E_FIELD_INVALID", "cid", "", "empty cid"},
      {{"SUQIU1", "INTAKE", R"({"cid":"has space"})", "{}"}, "E_FIELD_INVALID", "cid", "", "cid with a space"},
      {{"SUQIU1", "INTAKE", R"({"cid":7})", "{}"}, "E_FIELD_INVALID", "cid", "", "numeric cid"},
      {{"SUQIU1", "INTAKE", R"({"cid":"9"})", "\xB3\xF6\xD7\xE2"}, "E_BAD_UTF8", "", "9", "GBK body"},
      {{"SUQIU1", "HELLO", R"({"version":"1","instance":"i","capabilities":[]})"}, "E_FIELD_MISSING",
       "plugin", "", "hello without plugin"},
      {{"SUQIU1", "HELLO", R"({"plugin":"p","version":"1","instance":"i","capabilities":"intake"})"},
       "E_FIELD_INVALID", "capabilities", "", "capabilities not an array"},
      {{"SUQIU1", "ACK", R"({"cid":"1","case_id":"42","case_number":"N"})"}, "E_FIELD_INVALID", "case_id",
       "1", "case id as a string"},
      {{"SUQIU1", "ACK", R"({"cid":"1","case_id":-1,"case_number":"N"})"}, "E_FIELD_INVALID", "case_id", "1",
       "negative case id"},
      {{"SUQIU1", "ACK", R"({"cid":"1","case_id":18446744073709551615,"case_number":"N"})"}, "E_FIELD_INVALID",
       "case_id", "1", "case id beyond int64"},
      {{"SUQIU1", "RESULT", R"({"rid":"r1"})", "not json"}, "E_NOT_JSON", "result", "r1", "result body"},
      {{"SUQIU1", "RESULT_ACK", R"({"rid":"r1","status":"ok"})"}, "E_FIELD_INVALID", "status", "r1",
       "unknown status"},
      {{"SUQIU1", "REQUEST", R"({"cid":"a","token":"t","op":"x","args":[1]})"}, "E_FIELD_INVALID", "args", "a",
       "args not an object"},
      {{"SUQIU1", "REPLY", R"({"cid":"a","ok":false})"}, "E_FIELD_MISSING", "code", "a", "failed reply, no code"},
      {{"SUQIU1", "WELCOME", R"({"hub":"h","heartbeat_ms":0})"}, "E_FIELD_INVALID", "heartbeat_ms", "",
       "zero heartbeat"},
  };
  for (const auto& c : cases) {
    const auto e = error_of(c.frames);
    EXPECT_EQ(e.code, c.code) << c.why << ": " << e.reason;
    EXPECT_EQ(e.field, c.field) << c.why;
    EXPECT_EQ(e.cid, c.cid) << c.why;
    EXPECT_FALSE(e.reason.empty()) << c.why;
  }
}

TEST(Codec, OversizedIntakeIsNackableByItsCid) {
  const Frames f{"SUQIU1", "INTAKE", R"({"cid":"big-1"})", std::string(kMaxBodyBytes + 1, 'x')};
  const auto e = error_of(f);
  EXPECT_EQ(e.code, "E_TOO_LARGE");
  EXPECT_EQ(e.type, "INTAKE");
  EXPECT_EQ(e.cid, "big-1");
}

TEST(Codec, IntakeBodyIsNotParsedByTheCodec) {
  // Whether the body is an intake record is the validator's business
  // (suqiu::parse_intake), so it can dead-letter the raw bytes with its reason.
  auto d = decode(Frames{"SUQIU1", "INTAKE", R"({"cid":"1"})", "not json at all"});
  ASSERT_TRUE(std::holds_alternative<Message>(d));
  EXPECT_EQ(std::get<Intake>(std::get<Message>(d)).record, "not json at all");
}

TEST(Codec, UnknownHeaderKeysAreIgnored) {
  auto d = decode(Frames{"SUQIU1", "ACK", R"({"cid":"1","case_id":3,"case_number":"N","future":{"x":1}})"},
                  kClientLimits);
  ASSERT_TRUE(std::holds_alternative<Message>(d));
  EXPECT_EQ(std::get<Ack>(std::get<Message>(d)).case_id, 3);
}

TEST(Codec, EncodingNeverThrowsOnInvalidUtf8InStrings) {
  Frames f;
  EXPECT_NO_THROW(f = encode(Nack{"1", "E_FIELD_INVALID", "subject", "bad \xE5\x87 text"}));
  EXPECT_TRUE(std::holds_alternative<Message>(decode(f, kClientLimits)));
}

TEST(Codec, EventsRoundTripAndTopics) {
  EXPECT_EQ(case_topic(42, "dispatch"), "case.42.dispatch");
  EXPECT_EQ(case_topic_prefix(42), "case.42.");
  const Event ev{case_topic(42, "dispatch"), 1045, {{"seq", 1045}, {"status", "assigned"}}};
  const Frames f = encode_event(ev);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], "case.42.dispatch");
  EXPECT_EQ(f[1], "SUQIU1");
  EXPECT_EQ(f[2], "1045");
  auto back = decode_event(f);
  ASSERT_TRUE(std::holds_alternative<Event>(back));
  EXPECT_EQ(std::get<Event>(back).seq, 1045);
  EXPECT_EQ(std::get<Event>(back).body["status"], "assigned");
}

TEST(Codec, BadEventsAreErrors) {
  const std::vector<std::pair<Frames, std::string>> cases = {
      {{"case.1.x", "SUQIU1", "1"}, "E_PROTOCOL"},
      {{"case.1.x", "SUQIU9", "1", "{}"}, "E_VERSION"},
      {{"case.1.x", "SUQIU1", "-1", "{}"}, "E_PROTOCOL"},
      {{"case.1.x", "SUQIU1", "01", "{}"}, "E_PROTOCOL"},
      {{"case.1.x", "SUQIU1", "1x", "{}"}, "E_PROTOCOL"},
      {{"case.1.x", "SUQIU1", "99999999999999999999", "{}"}, "E_PROTOCOL"},
      {{"case 1", "SUQIU1", "1", "{}"}, "E_PROTOCOL"},
      {{"case.1.x", "SUQIU1", "1", "[]"}, "E_NOT_OBJECT"},
  };
  for (const auto& [frames, expected] : cases) {
    auto d = decode_event(frames);
    ASSERT_TRUE(std::holds_alternative<DecodeError>(d)) << frames[2];
    EXPECT_EQ(std::get<DecodeError>(d).code, expected) << frames[0] << " " << frames[2];
  }
}

TEST(Codec, RandomFramesNeverThrow) {
  // A cheap stand-in for the fuzzer (tests/fuzz) that runs in every build.
  std::mt19937 gen(20261126);
  const std::vector<std::string> seeds = {"SUQIU1", "INTAKE", "HELLO", "REPLY", "{}", R"({"cid":"1"})",
                                          "{\"", "\xE5\x87", "[]", "null"};
  for (int i = 0; i < 20000; ++i) {
    Frames f(gen() % 6);
    for (auto& frame : f) {
      if (gen() % 2) {
        frame = seeds[gen() % seeds.size()];
      } else {
        frame.resize(gen() % 16);
        for (auto& ch : frame) ch = static_cast<char>(gen());
      }
    }
    EXPECT_NO_THROW((void)decode(f));
    EXPECT_NO_THROW((void)decode_event(f));
  }
}

TEST(Codec, CorrelationIds) {
  EXPECT_TRUE(is_valid_cid("1"));
  EXPECT_TRUE(is_valid_cid(std::string(64, 'a')));
  EXPECT_FALSE(is_valid_cid(""));
  EXPECT_FALSE(is_valid_cid(std::string(65, 'a')));
  EXPECT_FALSE(is_valid_cid("a b"));
  EXPECT_FALSE(is_valid_cid("编号"));
}
