// The spool file's parser: the bytes of one JSON Lines file from the spool
// folder in, the intake records to send and the lines refused (line number,
// code, field) out. No I/O and no clock: FileSpoolFeed reads the file, sends
// the records and files it under done/ or failed/ (docs/feeds/file.md).
//
// What a line may look like:
//   - one intake record (docs/intake-record.md), passed on byte for byte
//     (without its line end) once parse_intake finds nothing wrong with it;
//   - blank or whitespace only: skipped, but counted, so that line numbers are
//     the physical lines an editor shows;
//   - ending in CRLF: the CR is dropped (files saved on Windows);
//   - the last line may lack its newline.
// A UTF-8 byte order mark is tolerated at the start of the file only (Notepad
// writes one; the hub refuses a record that starts with it, so it is cut off
// here). A BOM at the start of any later line means files were concatenated
// with their marks, and that line is refused E_NOT_JSON.
// A line repeating an earlier line's (source, external_id) with other bytes
// is refused E_FIELD_INVALID [external_id]: the hub would keep only the first
// and drop the second's text without a word. An exact repeat is passed on; the
// hub answers it duplicate:true.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace suqiu::filefeed {

// A whole spool file; larger files are refused without being read.
inline constexpr std::size_t kMaxSpoolFileBytes = 64u << 20;

// True for the names the feed takes: "*.jsonl" in any case, not hidden.
// Writers write ".NAME.jsonl" or "NAME.jsonl.part" and rename it when done.
bool is_spool_name(std::string_view file_name);

// One intake record ready for FeedClient::submit().
struct SpoolRecord {
  int line = 0;  // 1-based physical line
  std::string source;
  std::string external_id;
  std::string json;  // the line's bytes, without BOM and line end
};

// Why a line was not sent (line 0: the file as a whole). `code` is the
// protocol's (E_NOT_JSON, E_NOT_OBJECT, E_BAD_UTF8, E_TOO_LARGE,
// E_FIELD_MISSING, E_FIELD_INVALID), or E_EMPTY for a file without a record.
struct LineRefusal {
  int line = 0;
  std::string code;
  std::string field;
  std::string reason;
  // "line 7: E_FIELD_MISSING [content]: required field 'content' is missing"
  std::string to_string() const;
};

struct SpoolParse {
  int lines = 0;  // physical lines, blank ones included
  std::vector<SpoolRecord> records;
  std::vector<LineRefusal> refusals;  // in line order
};

SpoolParse parse_spool_file(std::string_view bytes);

}  // namespace suqiu::filefeed
