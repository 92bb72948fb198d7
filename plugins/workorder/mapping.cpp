#include "workorder/mapping.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "core/codes.h"
#include "core/platform_notice.h"
#include "core/taxonomy.h"
#include "workorder/platform_time.h"

namespace suqiu::workorder {
namespace {

constexpr std::array<std::string_view, 16> kIntakeFields = {
    "external_id",   "received_at",      "content",          "subject",
    "request_type",  "category",         "caller.name",      "caller.phone",
    "caller.anonymous", "caller.confidential", "location.address", "location.lat",
    "location.lon",  "deadline",         "urgent",           "attachments"};
// Without these every record would be refused, so the mapping is refused instead.
constexpr std::array<std::string_view, 3> kRequiredIntake = {"external_id", "received_at", "content"};
// The feed writes these itself under upstream.
constexpr std::array<std::string_view, 3> kReservedUpstream = {"platform", "order_no", "record"};
constexpr std::array<std::string_view, 7> kNoticeFields = {"notice_id", "external_id", "at",          "note",
                                                           "approved",  "deadline",    "satisfaction"};
constexpr std::array<std::string_view, 3> kSatisfaction = {"satisfied", "basically_satisfied", "dissatisfied"};
constexpr std::array<std::string_view, 5> kStepKinds = {"signed_for", "progress", "extension_request",
                                                        "return_request", "closed"};
// The keys of a RESULT body (protocol.md 4.5); step_fields may also reach into upstream.
constexpr std::array<std::string_view, 14> kResultKeys = {"case_id", "case_number", "source", "external_id",
                                                          "kind",    "status",      "at",     "section",
                                                          "result",  "reply",       "days",   "deadline",
                                                          "to",      "upstream"};
constexpr std::array<std::string_view, 4> kAttachmentMembers = {"name", "uri", "mime", "sha256"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

[[noreturn]] void fail(const std::string& key, const std::string& why) { throw MappingError(key + ": " + why); }

std::string read_string(const toml::table& t, std::string_view key, const std::string& where) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return {};
  if (!node->is_string()) fail(where + "." + std::string(key), "must be a string");
  return std::string(node->as_string()->get());
}

// A table of strings. A value of another type (`"1" = 1`) is refused, not
// converted: the codes are compared as text.
std::map<std::string, std::string> read_table(const toml::table& t, std::string_view key, const std::string& where) {
  std::map<std::string, std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const std::string at = where + "." + std::string(key);
  if (!node->is_table()) fail(at, "must be a table of strings");
  for (const auto& [k, v] : *node->as_table()) {
    const std::string entry = at + "." + std::string(k.str());
    if (k.str().empty()) fail(at, "has an empty key");
    if (!v.is_string()) fail(entry, "must be a string");
    out.emplace(std::string(k.str()), std::string(v.as_string()->get()));
  }
  return out;
}

std::vector<std::string> read_list(const toml::table& t, std::string_view key, const std::string& where) {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const std::string at = where + "." + std::string(key);
  if (!node->is_array()) fail(at, "must be an array of strings");
  for (const auto& v : *node->as_array()) {
    if (!v.is_string()) fail(at, "must be an array of strings");
    out.emplace_back(v.as_string()->get());
  }
  return out;
}

void check_values(const std::map<std::string, std::string>& table, const std::string& at,
                  bool (*ok)(std::string_view), std::string_view what) {
  for (const auto& [k, v] : table)
    if (!ok(v)) fail(at + "." + k, "'" + v + "' is not " + std::string(what));
}

bool is_request_type(std::string_view v) { return parse_request_type(v).has_value(); }
bool is_category(std::string_view v) { return Taxonomy::builtin().category(v) != nullptr; }
bool is_notice_kind(std::string_view v) { return parse_notice_kind(v).has_value(); }
bool is_notice_field(std::string_view v) { return one_of(kNoticeFields, v); }
bool is_satisfaction(std::string_view v) { return one_of(kSatisfaction, v); }
bool is_bool_text(std::string_view v) { return v == "true" || v == "false"; }
bool is_attachment_member(std::string_view v) { return one_of(kAttachmentMembers, v); }
bool is_intake_field(std::string_view v) {
  if (one_of(kIntakeFields, v)) return true;
  if (!v.starts_with("upstream.")) return false;
  const std::string_view key = v.substr(9);
  return !key.empty() && key.find('.') == std::string_view::npos && !one_of(kReservedUpstream, key);
}
bool is_non_empty(std::string_view v) { return !v.empty(); }

void check_source(const std::string& source, const std::string& at) {
  if (source.empty()) fail(at, "is missing: the intake source code (\"12345\", \"12328\")");
  if (source.size() > 64) fail(at, "is longer than 64 bytes");
  for (char c : source)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
          c == '-'))
      fail(at, "'" + source + "' may contain only a-z, 0-9, '_' and '-'");
}

const toml::table& mapping_table(const toml::table& feed_section) {
  const toml::node* inner = feed_section.get("mapping");
  if (inner == nullptr) return feed_section;
  if (!inner->is_table()) fail("mapping", "must be a table");
  return *inner->as_table();
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "json") return Format::json;
  if (lower == "csv") return Format::csv;
  if (lower == "xml") return Format::xml;
  return std::nullopt;
}

std::string_view to_code(Format format) {
  switch (format) {
    case Format::json: return "json";
    case Format::csv: return "csv";
    case Format::xml: return "xml";
  }
  return "json";
}

Mapping load_mapping(const toml::table& feed_section) {
  const toml::table& t = mapping_table(feed_section);
  const std::string w = "mapping";
  static const std::set<std::string, std::less<>> kKeys = {
      "source",       "fields",          "request_types",     "categories",     "time_formats",
      "notice_type_field", "notice_kinds", "notice_fields",   "satisfaction",   "approved",
      "step_fields",  "step_kinds",      "items_path",        "cursor_path",    "xml_record",
      "csv_delimiter", "attachment_fields", "booleans",       "order_type_values", "step_time_format",
      "step_constants"};
  for (const auto& [k, v] : t)
    if (!kKeys.contains(k.str())) fail(w + "." + std::string(k.str()), "is not a mapping key");

  Mapping m;
  m.source = read_string(t, "source", w);
  check_source(m.source, w + ".source");

  m.fields = read_table(t, "fields", w);
  check_values(m.fields, w + ".fields", is_intake_field, "an intake field");
  for (auto required : kRequiredIntake)
    if (std::none_of(m.fields.begin(), m.fields.end(), [&](const auto& kv) { return kv.second == required; }))
      fail(w + ".fields", "no platform field maps to '" + std::string(required) + "'");

  m.request_types = read_table(t, "request_types", w);
  check_values(m.request_types, w + ".request_types", is_request_type, "a request type");
  m.categories = read_table(t, "categories", w);
  check_values(m.categories, w + ".categories", is_category, "a category of the hub's taxonomy");

  m.time_formats = read_list(t, "time_formats", w);
  for (std::size_t i = 0; i < m.time_formats.size(); ++i)
    if (auto why = time_format_problem(m.time_formats[i]); !why.empty())
      fail(w + ".time_formats[" + std::to_string(i) + "]", "'" + m.time_formats[i] + "' " + why);

  m.notice_type_field = read_string(t, "notice_type_field", w);
  m.notice_kinds = read_table(t, "notice_kinds", w);
  check_values(m.notice_kinds, w + ".notice_kinds", is_notice_kind, "a notice kind");
  m.notice_fields = read_table(t, "notice_fields", w);
  check_values(m.notice_fields, w + ".notice_fields", is_notice_field, "a notice field");
  m.satisfaction = read_table(t, "satisfaction", w);
  check_values(m.satisfaction, w + ".satisfaction", is_satisfaction, "satisfied/basically_satisfied/dissatisfied");
  m.approved = read_table(t, "approved", w);
  check_values(m.approved, w + ".approved", is_bool_text, "\"true\" or \"false\"");
  m.order_type_values = read_list(t, "order_type_values", w);
  if (!m.notice_type_field.empty()) {
    if (m.notice_kinds.empty()) fail(w + ".notice_kinds", "is empty but notice_type_field is set");
    for (std::string_view needed : {"external_id", "at"})
      if (std::none_of(m.notice_fields.begin(), m.notice_fields.end(),
                       [&](const auto& kv) { return kv.second == needed; }))
        fail(w + ".notice_fields", "no platform field maps to '" + std::string(needed) + "'");
  } else if (!m.notice_kinds.empty()) {
    fail(w + ".notice_type_field", "is missing but notice_kinds is set");
  }

  m.step_fields = read_table(t, "step_fields", w);
  for (const auto& [key, field] : m.step_fields) {
    const std::string_view head = std::string_view(key).substr(0, key.find('.'));
    if (!one_of(kResultKeys, head)) fail(w + ".step_fields." + key, "is not a key of a RESULT body");
    if (field.empty()) fail(w + ".step_fields." + key, "names no platform field");
  }
  m.step_kinds = read_table(t, "step_kinds", w);
  for (const auto& [kind, code] : m.step_kinds) {
    if (!one_of(kStepKinds, kind)) fail(w + ".step_kinds." + kind, "is not a step kind");
    if (code.empty()) fail(w + ".step_kinds." + kind, "has an empty platform code");
  }
  m.step_time_format = read_string(t, "step_time_format", w);
  if (!m.step_time_format.empty())
    if (auto why = time_format_problem(m.step_time_format); !why.empty())
      fail(w + ".step_time_format", "'" + m.step_time_format + "' " + why);
  m.step_constants = read_table(t, "step_constants", w);

  m.items_path = read_string(t, "items_path", w);
  m.cursor_path = read_string(t, "cursor_path", w);
  m.xml_record = read_string(t, "xml_record", w);
  if (t.contains("csv_delimiter")) {
    const std::string d = read_string(t, "csv_delimiter", w);
    if (d.size() != 1 || d == "\"" || d == "\n" || d == "\r")
      fail(w + ".csv_delimiter", "must be one character other than a quote or a line end (\",\", \";\", \"\\t\")");
    m.csv_delimiter = d[0];
  }
  m.attachment_fields = read_table(t, "attachment_fields", w);
  check_values(m.attachment_fields, w + ".attachment_fields", is_attachment_member, "name/uri/mime/sha256");
  if (m.attachment_fields.empty())
    m.attachment_fields = {{"name", "name"}, {"url", "uri"}, {"uri", "uri"}, {"mime", "mime"}, {"sha256", "sha256"}};
  m.booleans = read_table(t, "booleans", w);
  check_values(m.booleans, w + ".booleans", is_bool_text, "\"true\" or \"false\"");
  check_values(m.step_constants, w + ".step_constants", is_non_empty, "a value");
  // Each platform field of a step is written once, and "data" cannot be both a
  // value and the object holding "data.gdbh".
  std::vector<std::pair<std::string, std::string>> written;  // platform path, key
  for (const auto& [key, field] : m.step_fields) written.emplace_back(field, w + ".step_fields." + key);
  for (const auto& [field, value] : m.step_constants) written.emplace_back(field, w + ".step_constants." + field);
  for (const auto& [a, key_a] : written)
    for (const auto& [b, key_b] : written)
      if (key_a != key_b && (a == b || b.starts_with(a + ".")))
        fail(key_b, "writes '" + b + "', which " + key_a + " also writes");
  return m;
}

Mapping load_mapping_file(const std::filesystem::path& toml_file, std::string_view section) {
  toml::table root;
  try {
    root = toml::parse_file(toml_file.string());
  } catch (const toml::parse_error& e) {
    // Rethrown as the one error type callers catch, with the file's position.
    const auto& where = e.source().begin;
    throw MappingError(toml_file.string() + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                       ": " + std::string(e.description()));
  }
  const toml::table* table = &root;
  if (!section.empty()) {
    const toml::node_view<toml::node> node = root.at_path(section);
    if (!node) throw MappingError(toml_file.string() + ": no section [" + std::string(section) + "]");
    if (!node.is_table()) throw MappingError(toml_file.string() + ": [" + std::string(section) + "] is not a table");
    table = node.as_table();
  }
  try {
    return load_mapping(*table);
  } catch (const MappingError& e) {
    // Rethrown with the file's name, so a feed's log says which file to fix.
    throw MappingError(toml_file.string() + ": " + e.what());
  }
}

}  // namespace suqiu::workorder
