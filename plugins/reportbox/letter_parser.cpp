#include "reportbox/letter_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <utility>

#include "protocol/utf8.h"

namespace suqiu::reportbox {
namespace {

using nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view strip_bom(std::string_view bytes) {
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  return bytes;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// The 1-based line of byte offset `byte` (nlohmann counts bytes from 1).
int line_at(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(byte), '\n'));
}

ParseError not_json(std::string_view text, const json::parse_error& e, int line_offset) {
  // The letter's own line, counted from its first byte.
  const int line = line_offset + line_at(text, e.byte > 0 ? e.byte - 1 : 0);
  std::string what = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
  if (auto colon = what.find("]: "); colon != std::string::npos) what = what.substr(colon + 3);
  else if (auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
  return {line, "E_NOT_JSON", "", "not JSON: " + what};
}

// The letter's name for an intake record's field.
std::string letter_field(std::string_view intake_field) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kNames = {{
      {"external_id", "serial"},
      {"content", "text"},
      {"caller.name", "name"},
      {"caller.phone", "phone"},
      {"caller.anonymous", "anonymous"},
      {"caller.confidential", "confidential"},
      {"location.address", "address"},
      {"source", "source"},
  }};
  for (auto [intake, letter] : kNames)
    if (intake == intake_field) return std::string(letter);
  return std::string(intake_field);
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty() || from == to) return s;
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

ParseError field_error(std::string code, std::string field, std::string reason) {
  return {0, std::move(code), std::move(field), std::move(reason)};
}

// Reads an optional string member of a letter.
std::optional<ParseError> read_text(const json& letter, const char* key, std::string& out) {
  auto it = letter.find(key);
  if (it == letter.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    return field_error("E_FIELD_INVALID", key, std::string("field '") + key + "' must be a string");
  out = it->get<std::string>();
  return std::nullopt;
}

std::optional<ParseError> read_flag(const json& letter, const char* key, std::optional<bool>& out) {
  auto it = letter.find(key);
  if (it == letter.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean())
    return field_error("E_FIELD_INVALID", key, std::string("field '") + key + "' must be true or false");
  out = it->get<bool>();
  return std::nullopt;
}

// A request type as a code or in Chinese, as an operator would write it.
std::optional<std::string> request_type_code(std::string_view text) {
  if (parse_request_type(text)) return std::string(text);
  for (auto t : kRequestTypes)
    if (name_zh(t) == text) return std::string(to_code(t));
  return std::nullopt;
}

#define SUQIU_TRY(expr) \
  if (auto err = (expr)) return *err

}  // namespace

std::string ParseError::to_string() const {
  std::string s = line > 0 ? "line " + std::to_string(line) + ": " : "file: ";
  s += code;
  if (!field.empty()) s += " [" + field + "]";
  s += ": " + reason;
  return s;
}

std::optional<FileKind> file_kind(std::string_view name) {
  if (name.empty() || name.front() == '.') return std::nullopt;
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.ends_with(".jsonl") && lower.size() > 6) return FileKind::jsonl;
  if (lower.ends_with(".json") && lower.size() > 5) return FileKind::letter;
  return std::nullopt;
}

std::string fold_full_width(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // U+FF01..U+FF5E is EF BC 81..EF BD 9E; U+3000 is E3 80 80.
    if (c == 0xEF && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      const unsigned cp = 0xF000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if ((b1 == 0xBC || b1 == 0xBD) && cp >= 0xFF01 && cp <= 0xFF5E) {
        out.push_back(static_cast<char>(cp - 0xFF01 + 0x21));
        i += 3;
        continue;
      }
    }
    if (text.substr(i, 3) == "\xE3\x80\x80") {
      out.push_back(' ');
      i += 3;
      continue;
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

std::optional<Timestamp> parse_letter_time(std::string_view raw) {
  const std::string text = trim(fold_full_width(raw));
  if (text.empty()) return std::nullopt;
  if (auto t = Timestamp::parse(text)) return t;
  // Digit groups between separators people use in dates and times.
  static constexpr std::array<std::string_view, 13> kSeparators = {
      "-", "/", ".", ":", " ", "T", "年", "月", "日", "时", "点", "分", "秒"};
  std::vector<int> groups;
  std::vector<int> widths;
  for (std::size_t i = 0; i < text.size();) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      std::size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j - i > 4) return std::nullopt;
      groups.push_back(std::stoi(text.substr(i, j - i)));
      widths.push_back(static_cast<int>(j - i));
      i = j;
      continue;
    }
    bool matched = false;
    for (auto sep : kSeparators) {
      if (std::string_view(text).substr(i).starts_with(sep)) {
        i += sep.size();
        matched = true;
        break;
      }
    }
    if (!matched) return std::nullopt;
  }
  if (groups.size() != 3 && groups.size() != 5 && groups.size() != 6) return std::nullopt;
  if (widths[0] != 4) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{year{groups[0]}, month{static_cast<unsigned>(groups[1])},
                            day{static_cast<unsigned>(groups[2])}};
  if (!date.ok() || groups[0] < 1990 || groups[0] > 2100) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (groups.size() >= 5) {
    hour = groups[3];
    minute = groups[4];
    if (groups.size() == 6) second = groups[5];
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return Timestamp::from_local(date, hour * 3600 + minute * 60 + second, kBeijingOffsetMinutes);
}

std::variant<IntakeRecord, ParseError> letter_to_intake(const json& letter) {
  if (!letter.is_object())
    return field_error("E_NOT_OBJECT", "", "a letter must be one JSON object");

  std::string serial, received, name, phone, subject, text, address, type, category, box,
      retrieval_code;
  std::optional<bool> anonymous, confidential;
  SUQIU_TRY(read_text(letter, "serial", serial));
  SUQIU_TRY(read_text(letter, "received_at", received));
  SUQIU_TRY(read_text(letter, "name", name));
  SUQIU_TRY(read_text(letter, "phone", phone));
  SUQIU_TRY(read_flag(letter, "anonymous", anonymous));
  SUQIU_TRY(read_flag(letter, "confidential", confidential));
  SUQIU_TRY(read_text(letter, "subject", subject));
  SUQIU_TRY(read_text(letter, "text", text));
  SUQIU_TRY(read_text(letter, "address", address));
  SUQIU_TRY(read_text(letter, "request_type", type));
  SUQIU_TRY(read_text(letter, "category", category));
  SUQIU_TRY(read_text(letter, "box", box));
  SUQIU_TRY(read_text(letter, "retrieval_code", retrieval_code));

  // Required, in the order the letter format lists them.
  serial = trim(fold_full_width(serial));
  if (serial.empty()) return field_error("E_FIELD_MISSING", "serial", "required field 'serial' is missing");
  if (trim(received).empty())
    return field_error("E_FIELD_MISSING", "received_at", "required field 'received_at' is missing");
  const auto received_at = parse_letter_time(received);
  if (!received_at)
    return field_error("E_FIELD_INVALID", "received_at",
                       "field 'received_at' is not a date and time (like 2026-11-26 09:15 or "
                       "2026-11-26T09:15:00+08:00): '" + received.substr(0, 64) + "'");
  if (blank(text)) return field_error("E_FIELD_MISSING", "text", "required field 'text' is missing");

  json record = {{"source", kSource},
                 {"external_id", serial},
                 {"received_at", received_at->to_string()},
                 {"content", text}};
  type = trim(type);
  if (!type.empty()) {
    auto code = request_type_code(type);
    if (!code)
      return field_error("E_FIELD_INVALID", "request_type",
                         "field 'request_type' must be one of complaint, report, inquiry, help, "
                         "suggestion, praise (or 投诉, 举报, 咨询, 求助, 建议, 表扬): '" + type + "'");
    record["request_type"] = *code;
  }
  if (!trim(category).empty()) record["category"] = trim(category);
  if (!trim(subject).empty()) record["subject"] = trim(subject);

  name = trim(name);
  phone = trim(fold_full_width(phone));
  // Nobody to call back: a letter without name or phone is anonymous unless it says otherwise.
  json caller = {{"name", name}, {"phone", phone},
                 {"anonymous", anonymous.value_or(name.empty() && phone.empty())}};
  if (confidential.value_or(false)) caller["confidential"] = true;
  record["caller"] = caller;
  if (!trim(address).empty()) record["location"] = {{"address", trim(address)}};
  if (auto it = letter.find("attachments"); it != letter.end() && !it->is_null())
    record["attachments"] = *it;

  json upstream = json::object();
  if (!trim(box).empty()) upstream["box"] = trim(box);
  if (!trim(retrieval_code).empty()) upstream["retrieval_code"] = trim(fold_full_width(retrieval_code));
  if (!upstream.empty()) record["upstream"] = upstream;

  auto parsed = parse_intake(record);
  if (auto* err = std::get_if<IntakeError>(&parsed)) {
    std::string field = letter_field(err->field);
    std::string reason = err->message;
    if (field != err->field) reason = replace_all(reason, "'" + err->field + "'", "'" + field + "'");
    return field_error(err->code, field, reason);
  }
  return std::get<IntakeRecord>(std::move(parsed));
}

ParsedFile parse_letter_file(std::string_view bytes) {
  ParsedFile out;
  if (bytes.size() > kMaxIntakeBytes) {
    out.errors.push_back({1, "E_TOO_LARGE", "",
                          "a letter file is larger than " + std::to_string(kMaxIntakeBytes) + " bytes"});
    return out;
  }
  bytes = strip_bom(bytes);
  if (!protocol::is_valid_utf8(bytes)) {
    out.errors.push_back({1, "E_BAD_UTF8", "", "the file is not UTF-8 (GBK? save it as UTF-8)"});
    return out;
  }
  if (blank(bytes)) {
    out.errors.push_back({1, "E_EMPTY", "", "the file is empty"});
    return out;
  }
  json letter;
  try {
    letter = json::parse(bytes);
  } catch (const json::parse_error& e) {
    out.errors.push_back(not_json(bytes, e, 0));
    return out;
  } catch (const json::exception& e) {  // out_of_range for a number too large
    out.errors.push_back({1, "E_NOT_JSON", "", std::string("not JSON: ") + e.what()});
    return out;
  }
  auto converted = letter_to_intake(letter);
  if (auto* err = std::get_if<ParseError>(&converted)) {
    err->line = 1;
    out.errors.push_back(std::move(*err));
    return out;
  }
  const auto& record = std::get<IntakeRecord>(converted);
  out.records.push_back({1, record.external_id, record.to_json().dump()});
  return out;
}

ParsedFile parse_jsonl(std::string_view bytes) {
  ParsedFile out;
  if (bytes.size() > kMaxFileBytes) {
    out.errors.push_back({0, "E_TOO_LARGE", "",
                          "the file is larger than " + std::to_string(kMaxFileBytes) + " bytes"});
    return out;
  }
  bytes = strip_bom(bytes);
  int number = 0;
  while (!bytes.empty()) {
    const auto end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (blank(line)) continue;
    if (!protocol::is_valid_utf8(line)) {
      out.errors.push_back({number, "E_BAD_UTF8", "", "the line is not valid UTF-8"});
      continue;
    }
    auto parsed = parse_intake(line);
    if (auto* err = std::get_if<IntakeError>(&parsed)) {
      std::string reason = err->message;
      if (err->code == "E_NOT_JSON") {
        // nlohmann says "line 1, column N" of the one-line text: keep the column.
        if (auto at = reason.find("at line 1, "); at != std::string::npos) reason.erase(at + 3, 8);
      }
      out.errors.push_back({number, err->code, err->field, reason});
      continue;
    }
    out.records.push_back({number, std::get<IntakeRecord>(parsed).external_id, std::string(line)});
  }
  if (out.records.empty() && out.errors.empty())
    out.errors.push_back({0, "E_EMPTY", "", "the file holds no intake records"});
  return out;
}

ParsedFile parse_drop_file(FileKind kind, std::string_view bytes) {
  return kind == FileKind::jsonl ? parse_jsonl(bytes) : parse_letter_file(bytes);
}

}  // namespace suqiu::reportbox
