// The intake record of DESIGN.md: what every channel hands the hub, one JSON
// object each. Validation names the field that breaks the rules, so that a bad
// record is rejected whole and never becomes a half-filled case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "codes.h"
#include "timestamp.h"

namespace suqiu {

struct Caller {
  std::string name;
  std::string phone;
  bool anonymous = false;
  bool confidential = false;  // 保密: identity withheld from the section
};

struct Location {
  std::string address;
  std::optional<double> lat;
  std::optional<double> lon;
};

struct Attachment {
  std::string name;
  std::string sha256;
  std::string uri;
  std::string mime;
};

struct IntakeRecord {
  std::string source;
  std::string external_id;
  Timestamp received_at;
  std::optional<RequestType> request_type;  // decided by the classifier when absent
  std::optional<std::string> category;      // likewise
  Caller caller;
  std::string subject;
  std::string content;
  Location location;
  std::optional<Timestamp> deadline;  // an upstream deadline wins when earlier
  std::vector<Attachment> attachments;
  bool urgent = false;
  nlohmann::json upstream = nlohmann::json::object();  // opaque, returned upstream

  nlohmann::json to_json() const;
};

// Why a record was refused. `code` is a stable machine code (E_FIELD_MISSING,
// E_FIELD_INVALID, E_NOT_JSON, E_NOT_OBJECT, E_TOO_LARGE), `field` the JSON path
// of the offending field ("" when the record as a whole is wrong).
struct IntakeError {
  std::string code;
  std::string field;
  std::string message;
};

using IntakeParse = std::variant<IntakeRecord, IntakeError>;

// Limits that keep one record from swamping the store.
inline constexpr std::size_t kMaxIntakeBytes = 1 << 20;
inline constexpr std::size_t kMaxContentBytes = 64 * 1024;
inline constexpr std::size_t kMaxShortFieldBytes = 512;

IntakeParse parse_intake(std::string_view json_text);
IntakeParse parse_intake(const nlohmann::json& object);

// Sources DESIGN.md names; a hub may configure more.
bool is_builtin_source(std::string_view source);

}  // namespace suqiu
