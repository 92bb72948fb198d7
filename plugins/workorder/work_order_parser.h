// The work orders and notices a platform sends (one push body, one polled page
// or one exported file) in, intake records (docs/intake-record.md) and notice
// bodies (docs/protocol.md 4.6) out, each checked by the hub's own validators.
// No I/O and no clock: the runtime (push server, poller, drop folder) reads the
// bytes and submits the items.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workorder/mapping.h"

namespace suqiu::workorder {

struct Item {
  enum class Kind { order, notice };
  Kind kind = Kind::order;
  std::size_t index = 0;    // position in the batch (0-based record; for CSV the data row, line = index + 2)
  std::string json;         // an intake record (docs/intake-record.md) or a notice body (protocol.md 4.6), compact JSON
  std::string external_id;  // for logs
};

struct ItemError {
  std::size_t index = 0;
  std::string code;   // E_FIELD_MISSING, E_FIELD_INVALID, E_NOT_JSON, E_NOT_OBJECT, E_BAD_UTF8, E_BAD_CSV, E_BAD_XML, E_TOO_LARGE
  std::string field;  // the PLATFORM field at fault, or ""
  std::string reason;
  std::string raw;    // that record's raw text, UTF-8 (the document's own bytes when they could not be decoded)
  // "record 3: E_FIELD_MISSING [gdbh]: ..."
  std::string to_string() const;
};

struct Batch {
  std::vector<Item> items;
  std::vector<ItemError> errors;   // per-record errors; the other records still come through
  std::optional<std::string> next_cursor;  // polled pages (cursor_path)
};

// Records nested deeper than this (JSON arrays and objects, XML elements) are
// refused before they are walked, so no input can exhaust the stack.
inline constexpr std::size_t kMaxNesting = 64;

// One push body, one polled page or one dropped file: charset-converted, parsed in the given format,
// each record mapped. A document that cannot be read at all gives one ItemError with index 0.
Batch decode_batch(std::string_view bytes, Format format, const Mapping& mapping, std::string_view charset = "");

}  // namespace suqiu::workorder
