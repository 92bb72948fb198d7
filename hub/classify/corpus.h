// The labelled corpus the classifier learns from: data/corpus/*.jsonl (one
// object a line with subject, content, category, request_type) plus, at
// retraining time, the operators' corrections from the store.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"

namespace suqiu {
struct IntakeRecord;
}

namespace suqiu::classify {

struct LabelledRecord {
  std::string text;  // subject and content, as raw text (normalised by the classifier)
  std::string category;
  RequestType request_type = RequestType::complaint;
};

// The text the classifier reads from a record: subject, newline, content.
std::string classification_text(std::string_view subject, std::string_view content);
std::string classification_text(const IntakeRecord& record);

// Parses JSON Lines; blank lines are skipped. Throws std::runtime_error naming
// `origin` and the line number on a malformed line or an unknown request type.
std::vector<LabelledRecord> parse_corpus(std::string_view jsonl, std::string_view origin);
// Throws std::runtime_error when the file cannot be read.
std::vector<LabelledRecord> load_corpus(const std::filesystem::path& jsonl);

// The training split bundled into the library (data/corpus/train.jsonl at
// build time). The held-out split is never bundled.
const std::vector<LabelledRecord>& builtin_corpus();

}  // namespace suqiu::classify
