// The reason file written beside a file moved to failed/ (NAME.reason.json):
// which lines were refused, by whom, with the code and the field, so that an
// operator (or a script) can fix those lines and drop the file again. Pure
// formatting; FileSpoolFeed writes it (docs/feeds/file.md, "The reason file").
//
//   {"file":"web-0902.jsonl","failed_at":"2026-11-26T09:20:01+08:00",
//    "lines":12,"records":10,"stored":9,"refused":[
//   {"line":4,"by":"feed","code":"E_NOT_JSON","field":"","reason":"…"},
//   {"line":7,"by":"hub","code":"E_FIELD_INVALID","field":"category","reason":"…"}
//   ]}
//
// One refused line per text line (grep-able), valid JSON as a whole, UTF-8
// kept as is (reasons quote Chinese values).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "file/spool_parser.h"

namespace suqiu::filefeed {

struct ReasonFile {
  std::string file;        // NAME as it was dropped
  std::string failed_at;   // RFC 3339
  int lines = 0;           // physical lines
  std::size_t records = 0; // lines sent to the hub
  std::size_t stored = 0;  // of those, acked (new cases and duplicates)
  std::vector<LineRefusal> refused_here;    // by the feed's parser
  std::vector<LineRefusal> refused_by_hub;  // permanent NACKs
};

// The file's text, refusals in line order; ends with a newline.
std::string format_reason_file(const ReasonFile& reason);

}  // namespace suqiu::filefeed
