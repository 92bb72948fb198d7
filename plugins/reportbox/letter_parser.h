// The report box's parser (群众举报箱): the bytes of one file from the drop
// folder in, intake records or precise errors (line, field, code) out. No I/O,
// no clock: the feed (report_box_feed.h) reads the files and moves them.
//
// Two kinds of file (docs/plugins.md, "The letter format"):
//   *.jsonl  intake records of DESIGN.md, one a line, as the web form and the
//            e-mail gateway write them. Each line is validated (parse_intake)
//            and passed on byte for byte; a bad line is reported and skipped.
//   *.json   one letter, a simpler shape an operator's scanning desk or a form
//            can write: {"serial":"JB2026112600001","received_at":"2026-11-26 09:15",
//            "name":…,"phone":…,"anonymous":…,"confidential":…,"subject":…,
//            "text":…,"address":…,"request_type":…,"box":…,"retrieval_code":…}
//            converted to an intake record with source "reportbox".
// Errors about a letter name the letter's own fields ("text", "serial"), not
// the intake record's ("content", "external_id").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/intake_record.h"

namespace suqiu::reportbox {

inline constexpr std::string_view kSource = "reportbox";
// A whole drop file; larger files are refused without being parsed.
inline constexpr std::size_t kMaxFileBytes = 64u << 20;

enum class FileKind { jsonl, letter };
// By the name's extension (".jsonl", ".json", any case); nullopt for anything
// else and for hidden files (".x.json", a writer's temporary).
std::optional<FileKind> file_kind(std::string_view file_name);

// One intake record ready for FeedClient::submit().
struct ParsedRecord {
  int line = 0;             // 1-based line of the file it came from
  std::string external_id;
  std::string json;         // the intake record, UTF-8 JSON without a BOM
};

// Why a line (or the whole file, line 0) was not turned into a record.
// `code` is the protocol's code where one fits (E_NOT_JSON, E_BAD_UTF8,
// E_FIELD_MISSING, E_FIELD_INVALID, E_TOO_LARGE, E_NOT_OBJECT), or E_EMPTY
// for a file without a single record.
struct ParseError {
  int line = 0;
  std::string code;
  std::string field;
  std::string reason;
  // "line 7: E_FIELD_MISSING [content]: required field 'content' is missing"
  std::string to_string() const;
};

struct ParsedFile {
  std::vector<ParsedRecord> records;
  std::vector<ParseError> errors;
  // Nothing in it can be used: the feed moves it to rejected/.
  bool unusable() const { return records.empty(); }
};

// JSON Lines of intake records. Tolerates a UTF-8 BOM, CRLF line ends and blank
// lines; line numbers count every physical line.
ParsedFile parse_jsonl(std::string_view bytes);
// One letter (a JSON object). Tolerates a BOM and CRLF.
ParsedFile parse_letter_file(std::string_view bytes);
ParsedFile parse_drop_file(FileKind kind, std::string_view bytes);

// A letter object to a validated intake record, or the error naming the
// letter's field (line 0; the caller knows where the letter was).
std::variant<IntakeRecord, ParseError> letter_to_intake(const nlohmann::json& letter);

// The letter's received_at: RFC 3339, or local Beijing time written the ways
// people write it ("2026-11-26 09:15", "2026/11/26 9:15:30", "2026.11.26",
// "2026年11月26日 9时15分", full-width digits allowed); a bare date is 00:00.
std::optional<Timestamp> parse_letter_time(std::string_view text);

// Full-width ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII, e.g.
// "１３８－００１３" -> "138-0013". Other characters are kept.
std::string fold_full_width(std::string_view text);

}  // namespace suqiu::reportbox
