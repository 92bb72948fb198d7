// The SUQIU1 codec: messages to multipart frames and back. docs/protocol.md is
// the spec; this is its grammar (ABNF over ZeroMQ frames, one frame(...) per
// message part):
//
//   message      = signature type header [body]
//   signature    = frame("SUQIU1")
//   type         = frame(type-name)
//   type-name    = "HELLO" / "WELCOME" / "INTAKE" / "ACK" / "NACK" / "HEARTBEAT"
//                / "RESULT" / "RESULT_ACK" / "ERROR" / "BYE"        ; ingest
//                / "LOGIN" / "REQUEST" / "REPLY"                    ; api
//   header       = frame(json-object)          ; UTF-8, <= 64 KiB to the hub
//   body         = frame(octets)               ; only INTAKE and RESULT have one
//   intake-msg   = signature frame("INTAKE") header body   ; body: intake record
//   result-msg   = signature frame("RESULT") header body   ; body: result JSON
//   other-msg    = signature type header                   ; exactly 3 frames
//
//   event        = topic signature sequence event-json     ; PUB -> SUB
//   topic-name   = "case." 1*DIGIT "." 1*(%x61-7A / "_") / "hub.heartbeat"
//   sequence     = frame(1*DIGIT)
//   cid          = 1*64(%x21-7E)
//
// Checks, in order: >= 3 frames (E_PROTOCOL); frame 0 == "SUQIU1" (E_VERSION);
// known type and frame count (E_PROTOCOL); header size (E_TOO_LARGE), UTF-8
// (E_BAD_UTF8), JSON (E_NOT_JSON), object (E_NOT_OBJECT), keys
// (E_FIELD_MISSING / E_FIELD_INVALID with the key); body size and UTF-8.
//
// decode() never throws: bad input of any kind comes back as a DecodeError
// carrying the code, the field, a reason for the log, and the type and cid when
// they could be read (so the hub can NACK that intake rather than ERROR).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/messages.h"

namespace suqiu::protocol {

using Frames = std::vector<std::string>;

struct DecodeError {
  std::string code;    // E_PROTOCOL, E_VERSION, E_BAD_UTF8, ...
  std::string field;   // header key or "" for the whole message/body
  std::string reason;  // for logs only
  std::string type;    // frame 1 when it was a known type, else ""
  std::string cid;     // the cid/rid when it could be read, else ""
};

struct DecodeLimits {
  std::size_t max_header = kMaxHeaderBytes;
  std::size_t max_body = kMaxBodyBytes;
};
// What the hub accepts, and what clients accept from the hub.
inline constexpr DecodeLimits kHubLimits{};
inline constexpr DecodeLimits kClientLimits{kMaxReplyFrameBytes, kMaxReplyFrameBytes};

using Decoded = std::variant<Message, DecodeError>;
using DecodedEvent = std::variant<Event, DecodeError>;

Frames encode(const Message& message);
Decoded decode(std::span<const std::string_view> frames, const DecodeLimits& limits = kHubLimits);
Decoded decode(const Frames& frames, const DecodeLimits& limits = kHubLimits);

Frames encode_event(const Event& event);
DecodedEvent decode_event(std::span<const std::string_view> frames,
                          const DecodeLimits& limits = kClientLimits);
DecodedEvent decode_event(const Frames& frames, const DecodeLimits& limits = kClientLimits);

// 1..64 printable ASCII characters.
bool is_valid_cid(std::string_view cid) noexcept;

}  // namespace suqiu::protocol
