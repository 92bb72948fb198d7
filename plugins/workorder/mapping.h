// One platform's dialect (12345, 12328, a city's own interface): which of its
// fields is which intake field, its code tables, its time formats, how it
// tells a notice from a work order, and what it calls the bureau's steps back.
// A bureau adapts Suqiu to its platform by writing this in TOML, not code
// (docs/feeds/workorder.md lists every key).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace suqiu::workorder {

enum class Format { json, csv, xml };

// "json", "csv", "xml" (any case); nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
std::string_view to_code(Format format);

struct Mapping {            // one platform's dialect, from the feed's TOML [mapping] tables
  std::string source;       // intake source code: "12345" or "12328"
  // platform field -> intake field; nested platform fields by dotted path or (XML) element path
  std::map<std::string, std::string> fields;
  std::map<std::string, std::string> request_types;  // platform code -> complaint/report/inquiry/help/suggestion/praise
  std::map<std::string, std::string> categories;     // platform code -> taxi/bus/...; unknown codes: left out
  std::vector<std::string> time_formats;              // "%Y-%m-%d %H:%M:%S"...; local times are Beijing (+08:00)
  std::string notice_type_field;                      // the platform field that says a record is a notice
  std::map<std::string, std::string> notice_kinds;    // platform value -> reminder/supervision/...
  std::map<std::string, std::string> notice_fields;   // platform field -> notice field
  std::map<std::string, std::string> satisfaction;    // platform value -> satisfied/basically_satisfied/dissatisfied
  std::map<std::string, std::string> approved;        // platform value -> "true"/"false"
  std::map<std::string, std::string> step_fields;     // RESULT key -> platform field for the steps back
  std::map<std::string, std::string> step_kinds;      // our kind -> platform step code
  std::string items_path;   // JSON: where the records are ("data.list"); "" = one record or a top-level array
  std::string cursor_path;  // polled pages: where the next cursor is ("data.next"); "" = none
  std::string xml_record;   // XML: the element name of one record ("gd"); "" = the root element is one record
  char csv_delimiter = ',';

  // Additions to the shared interface (all optional in TOML):
  // platform attachment member -> name/uri/mime/sha256 (default: name, url->uri, mime, sha256).
  std::map<std::string, std::string> attachment_fields;
  // platform value -> "true"/"false" for caller.anonymous, caller.confidential
  // and urgent, on top of the built-in true/false/1/0/是/否.
  std::map<std::string, std::string> booleans;
  // Values of notice_type_field that mean "a work order" on platforms that set
  // the field on every record ("新工单"); any other unknown value is an error.
  std::vector<std::string> order_type_values;
  // How the platform writes times in the steps back ("" = RFC 3339 as the hub wrote it).
  std::string step_time_format;
  // Platform field -> a fixed value sent with every step (the bureau's unit code).
  std::map<std::string, std::string> step_constants;
};

// A load_mapping failure: what() names the key at fault ("mapping.fields.gdbh: ...").
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `feed_section` is a feed's table holding a `mapping` table, or the mapping
// table itself. Every key is checked (an unknown key is an error, so a typo
// never silently drops a field); the codes a table maps to must be the hub's.
Mapping load_mapping(const toml::table& feed_section);
// The file's table `section` (dotted, "feeds.zhanjiang"; "" = the whole file).
Mapping load_mapping_file(const std::filesystem::path& toml_file, std::string_view section);

}  // namespace suqiu::workorder
