#include "file/reason_file.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace suqiu::filefeed {
namespace {

// A reason may quote a value cut in the middle of a character; replace the
// broken bytes rather than fail to write the file.
std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string format_reason_file(const ReasonFile& r) {
  struct Entry {
    const LineRefusal* refusal;
    const char* by;
  };
  std::vector<Entry> entries;
  for (const auto& e : r.refused_here) entries.push_back({&e, "feed"});
  for (const auto& e : r.refused_by_hub) entries.push_back({&e, "hub"});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.refusal->line < b.refusal->line; });

  nlohmann::ordered_json head = {{"file", r.file},         {"failed_at", r.failed_at},
                                 {"lines", r.lines},       {"records", r.records},
                                 {"stored", r.stored}};
  std::string text = dump(head);
  text.pop_back();  // reopen the object for "refused"
  text += ",\"refused\":[\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = *entries[i].refusal;
    nlohmann::ordered_json line = {{"line", e.line},   {"by", entries[i].by}, {"code", e.code},
                                   {"field", e.field}, {"reason", e.reason}};
    text += dump(line);
    text += i + 1 < entries.size() ? ",\n" : "\n";
  }
  text += "]}\n";
  return text;
}

}  // namespace suqiu::filefeed
