// The messages of the SUQIU1 protocol (docs/protocol.md, sections 4 and 5), one
// struct each. The codec (codec.h) turns them into frames and back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace suqiu::protocol {

// Frame 0 of every message: protocol name and version.
inline constexpr std::string_view kSignature = "SUQIU1";

// Size limits (docs/protocol.md section 2).
inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;          // header frame, to the hub
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;          // body frame, to the hub
inline constexpr std::size_t kMaxFrameBytes = 2 * 1024 * 1024;     // ZMQ_MAXMSGSIZE on hub sockets
inline constexpr std::size_t kMaxReplyFrameBytes = 16 * 1024 * 1024;  // any frame from the hub

// Liveness defaults (section 4.3).
inline constexpr int kDefaultHeartbeatMs = 2000;
inline constexpr int kDefaultLiveness = 3;
inline constexpr int kDefaultWindow = 256;
// The minor version of SUQIU1 this build speaks (docs/protocol.md §6).
inline constexpr const char* kProtocolMinor = "1.1";

// ---- ingest socket -------------------------------------------------------
struct Hello {
  std::string plugin;
  std::string version;
  std::string instance;
  std::vector<std::string> capabilities;
  std::vector<std::string> sources;  // empty: the plugin name is its source
};

struct Welcome {
  std::string hub;      // hub instance id, new at every hub start
  std::string version;  // hub version
  int heartbeat_ms = kDefaultHeartbeatMs;
  int liveness = kDefaultLiveness;
  int window = kDefaultWindow;
  std::int64_t max_body = static_cast<std::int64_t>(kMaxBodyBytes);
  std::string protocol;  // "1.1"; empty from a hub before 1.1
};

struct Intake {
  std::string cid;
  std::string record;  // the intake record JSON, raw bytes (kept for dead letters)
};

// Since 1.1: a platform's notice about a case it sent before (protocol §4.6),
// answered ACK/NACK as an intake.
struct Notice {
  std::string cid;
  std::string body;  // the notice JSON, raw bytes (kept for dead letters)
};

struct Ack {
  std::string cid;
  std::int64_t case_id = 0;
  std::string case_number;
  bool duplicate = false;
};

struct Nack {
  std::string cid;
  std::string code;
  std::string field;
  std::string reason;
};

struct Heartbeat {};

struct Result {
  std::string rid;
  nlohmann::json result = nlohmann::json::object();  // section 4.5
};

struct ResultAck {
  std::string rid;
  bool delivered = true;  // false: "failed", never deliverable
  std::string code;       // when failed
  std::string reason;
};

struct Error {
  std::string code;
  std::string reason;
  std::string cid;    // "" when not about one request
  std::string field;  // the header key at fault, "" when not one key
};

struct Bye {
  std::string reason;
};

// ---- api socket ----------------------------------------------------------
struct Login {
  std::string cid;
  std::string user;
  std::string password;
};

struct Request {
  std::string cid;
  std::string token;
  std::string op;
  nlohmann::json args = nlohmann::json::object();
};

struct Reply {
  std::string cid;
  bool ok = false;
  nlohmann::json data;  // when ok
  std::string code;     // when not ok
  std::string message;
  std::string field;

  static Reply success(std::string cid, nlohmann::json data) {
    return {std::move(cid), true, std::move(data), {}, {}, {}};
  }
  static Reply failure(std::string cid, std::string_view code, std::string message,
                       std::string field = {}) {
    return {std::move(cid), false, nullptr, std::string(code), std::move(message),
            std::move(field)};
  }
};

// The order is that of the codec's type table (type_name relies on it).
using Message = std::variant<Hello, Welcome, Intake, Ack, Nack, Heartbeat, Result, ResultAck,
                             Error, Bye, Login, Request, Reply, Notice>;

// ---- events socket -------------------------------------------------------
struct Event {
  std::string topic;  // "case.<id>.<event>" or "hub.heartbeat"
  std::int64_t seq = 0;
  nlohmann::json body = nlohmann::json::object();
};

inline constexpr std::string_view kHeartbeatTopic = "hub.heartbeat";
// "case.42.dispatch"
std::string case_topic(std::int64_t case_id, std::string_view event);
// "case.42." — the prefix to subscribe to for one case.
std::string case_topic_prefix(std::int64_t case_id);

// The type frame (frame 1) of a message: "HELLO", "INTAKE", ...
std::string_view type_name(const Message& m);

}  // namespace suqiu::protocol
