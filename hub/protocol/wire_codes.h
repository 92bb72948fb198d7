// The error codes of docs/protocol.md (sections 3, 4.4, 5.1). The wire speaks
// these codes; only the console and the CLI turn them into words.
#pragma once

#include <string_view>

namespace suqiu::protocol::code {

// Intake and frame problems (NACK / ERROR on the ingest socket).
inline constexpr std::string_view field_missing = "E_FIELD_MISSING";
inline constexpr std::string_view field_invalid = "E_FIELD_INVALID";
inline constexpr std::string_view not_json = "E_NOT_JSON";
inline constexpr std::string_view not_object = "E_NOT_OBJECT";
inline constexpr std::string_view bad_utf8 = "E_BAD_UTF8";
inline constexpr std::string_view too_large = "E_TOO_LARGE";
inline constexpr std::string_view busy = "E_BUSY";
inline constexpr std::string_view internal = "E_INTERNAL";
// The store cannot take the change just now (a full disk, an I/O error, a
// locked database): nothing was stored; the same request may succeed later.
inline constexpr std::string_view unavailable = "E_UNAVAILABLE";
inline constexpr std::string_view version = "E_VERSION";
inline constexpr std::string_view protocol = "E_PROTOCOL";
inline constexpr std::string_view not_registered = "E_NOT_REGISTERED";

// Api replies.
inline constexpr std::string_view auth = "E_AUTH";
inline constexpr std::string_view token = "E_TOKEN";
inline constexpr std::string_view forbidden = "E_FORBIDDEN";
inline constexpr std::string_view not_found = "E_NOT_FOUND";
inline constexpr std::string_view state = "E_STATE";
inline constexpr std::string_view arg_missing = "E_ARG_MISSING";
inline constexpr std::string_view arg_invalid = "E_ARG_INVALID";
inline constexpr std::string_view unknown_op = "E_UNKNOWN_OP";
// Client side only, never on the wire: no reply within the timeout.
inline constexpr std::string_view timeout = "E_TIMEOUT";

// A NACK or REPLY with one of these asks the sender to try again later;
// every other code is final.
constexpr bool is_transient(std::string_view c) { return c == busy || c == internal || c == unavailable; }

}  // namespace suqiu::protocol::code
