#include "corpus.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/intake_record.h"

namespace suqiu::classify {
namespace detail {
extern const std::string_view kEmbeddedTrainCorpus;
}

std::string classification_text(std::string_view subject, std::string_view content) {
  std::string text;
  text.reserve(subject.size() + content.size() + 1);
  text.append(subject);
  if (!subject.empty()) text.push_back('\n');
  text.append(content);
  return text;
}

std::string classification_text(const IntakeRecord& record) {
  return classification_text(record.subject, record.content);
}

std::vector<LabelledRecord> parse_corpus(std::string_view jsonl, std::string_view origin) {
  std::vector<LabelledRecord> records;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < jsonl.size();) {
    std::size_t end = jsonl.find('\n', pos);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view line = jsonl.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto fail = [&](const std::string& why) {
      throw std::runtime_error(std::string(origin) + ":" + std::to_string(line_no) + ": " + why);
    };
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) fail("not a JSON object");
    auto str = [&](const char* key) -> std::string {
      auto it = j.find(key);
      if (it == j.end() || it->is_null()) return {};
      if (!it->is_string()) fail(std::string("field ") + key + " is not a string");
      return it->get<std::string>();
    };
    LabelledRecord r;
    r.text = classification_text(str("subject"), str("content"));
    r.category = str("category");
    if (r.category.empty()) fail("field category is missing");
    auto type = parse_request_type(str("request_type"));
    if (!type) fail("field request_type is missing or unknown");
    r.request_type = *type;
    records.push_back(std::move(r));
  }
  return records;
}

std::vector<LabelledRecord> load_corpus(const std::filesystem::path& jsonl) {
  std::ifstream in(jsonl, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read corpus " + jsonl.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse_corpus(text.str(), jsonl.string());
}

const std::vector<LabelledRecord>& builtin_corpus() {
  static const std::vector<LabelledRecord> records =
      parse_corpus(detail::kEmbeddedTrainCorpus, "embedded corpus");
  return records;
}

}  // namespace suqiu::classify
