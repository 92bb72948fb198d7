#include "file/spool_parser.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "core/intake_record.h"
#include "protocol/utf8.h"

namespace suqiu::filefeed {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

// nlohmann's message names "line 1" of the one-line text and its exception
// class; the line number that matters is ours, the column is worth keeping.
std::string tidy_json_reason(std::string reason) {
  if (auto open = reason.find("[json.exception."); open != std::string::npos) {
    if (auto close = reason.find("] ", open); close != std::string::npos)
      reason.erase(open, close + 2 - open);
  }
  if (auto at = reason.find("parse error at line 1, "); at != std::string::npos)
    reason.erase(at, std::string_view("parse error at line 1, ").size());
  return reason;
}

}  // namespace

std::string LineRefusal::to_string() const {
  std::string s = line > 0 ? "line " + std::to_string(line) + ": " : "file: ";
  s += code;
  if (!field.empty()) s += " [" + field + "]";
  s += ": " + reason;
  return s;
}

bool is_spool_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  constexpr std::string_view kExt = ".jsonl";
  if (name.size() <= kExt.size()) return false;
  const auto ext = name.substr(name.size() - kExt.size());
  return std::equal(ext.begin(), ext.end(), kExt.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
}

SpoolParse parse_spool_file(std::string_view bytes) {
  SpoolParse out;
  if (bytes.size() > kMaxSpoolFileBytes) {
    out.refusals.push_back({0, "E_TOO_LARGE", "",
                            "the file is larger than " + std::to_string(kMaxSpoolFileBytes) +
                                " bytes; split it"});
    return out;
  }
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());

  // (source, external_id) -> index in out.records of its first line.
  std::map<std::pair<std::string, std::string>, std::size_t> first_of;
  while (!bytes.empty()) {
    const auto end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    const int number = ++out.lines;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (blank(line)) continue;

    auto refuse = [&](std::string code, std::string field, std::string reason) {
      out.refusals.push_back({number, std::move(code), std::move(field), std::move(reason)});
    };
    if (line.size() > kMaxIntakeBytes) {
      refuse("E_TOO_LARGE", "", "the line is larger than " + std::to_string(kMaxIntakeBytes) + " bytes");
      continue;
    }
    if (!protocol::is_valid_utf8(line)) {
      refuse("E_BAD_UTF8", "", "the line is not valid UTF-8 (GBK? save the file as UTF-8)");
      continue;
    }
    if (line.starts_with(kBom)) {
      refuse("E_NOT_JSON", "", "a byte order mark in the middle of the file (files concatenated?)");
      continue;
    }
    auto parsed = parse_intake(line);
    if (auto* err = std::get_if<IntakeError>(&parsed)) {
      refuse(err->code, err->field,
             err->code == "E_NOT_JSON" ? tidy_json_reason(err->message) : err->message);
      continue;
    }
    auto& record = std::get<IntakeRecord>(parsed);
    auto key = std::make_pair(record.source, record.external_id);
    if (auto seen = first_of.find(key); seen != first_of.end()) {
      const auto& first = out.records[seen->second];
      if (first.json != line) {
        refuse("E_FIELD_INVALID", "external_id",
               "line " + std::to_string(first.line) +
                   " has the same source and external_id with other content; the hub would keep "
                   "only line " + std::to_string(first.line));
        continue;
      }
    } else {
      first_of.emplace(std::move(key), out.records.size());
    }
    out.records.push_back(
        {number, std::move(record.source), std::move(record.external_id), std::string(line)});
  }
  if (out.records.empty() && out.refusals.empty())
    out.refusals.push_back({0, "E_EMPTY", "", "the file holds no intake record"});
  return out;
}

}  // namespace suqiu::filefeed
