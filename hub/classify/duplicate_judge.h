// Deciding whether a new intake repeats an open case. RecentCases finds the
// candidates (same caller phone, or a shared SimHash band, within the window);
// the judge scores them and names the best. A suspected duplicate is only
// marked: an operator confirms the merge.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/intake_record.h"

namespace suqiu::classify {

struct Fingerprint {
  std::uint64_t simhash = 0;
  std::string phone;           // digits only, without +86; empty when unknown
  std::int64_t received_epoch = 0;
  std::string category;        // optional; same-phone matches need equal categories when both known
  std::vector<std::string> objects;  // optional: canonical plates and routes the text names
};

// Everything above from one record: normalised subject+content, its SimHash,
// the caller's phone, plates and routes.
Fingerprint fingerprint(const IntakeRecord& record, std::string_view category = {});
// Same, from normalise(classification_text(record)) already at hand.
Fingerprint fingerprint(const IntakeRecord& record, std::string_view category,
                        std::string_view normalised_text);
// Whether one of Fingerprint::objects is a plate (canonical plates hold "·",
// routes never do).
bool is_plate(std::string_view object);
// "+86 138-0013-8000" -> "13800138000"
std::string phone_key(std::string_view phone);

struct DuplicateCandidate {
  std::int64_t case_id = 0;
  Fingerprint fingerprint;
};

struct DuplicateMatch {
  std::int64_t case_id = 0;
  double score = 0;  // 0.9 x text similarity + 0.1 for the same caller: 0..1
  int hamming = 64;
  bool same_phone = false;
};

struct DuplicateOptions {
  // Texts this close are the same matter whoever calls. The band lookup finds
  // every pair up to 3 bits and most pairs at 4. bench_classify at 1M cases,
  // another caller retyping six characters: 3 bits caught 15% for 0.85% false
  // alarms on new texts, 4 bits 26% for 1.25%, 5 bits 35% for 2.1%.
  int text_max_hamming = 4;
  // The same caller about the same matter in other words.
  int same_phone_max_hamming = 20;
  double same_phone_bonus = 0.1;  // weight of the same caller in the score
  // The same caller naming the same plate or route counts as the same matter
  // whatever the wording, scored at least this.
  double same_object_score = 0.8;
  std::int64_t window_seconds = 30 * 86400;
};

class DuplicateJudge {
 public:
  explicit DuplicateJudge(DuplicateOptions options = {}) : options_(options) {}

  // The score when `candidate` counts as a duplicate of `incoming`, else none.
  // A duplicate: texts within text_max_hamming bits, or the same caller (and
  // category, when both are known) with texts within same_phone_max_hamming or
  // naming the same plate/route. Never: outside the window, or both texts name
  // plates/routes and none is shared (the same complaint about another vehicle).
  std::optional<DuplicateMatch> judge(const Fingerprint& incoming,
                                      const DuplicateCandidate& candidate) const;
  // Every candidate that counts as a duplicate, best first (highest score;
  // ties: the most recent case).
  std::vector<DuplicateMatch> matches(const Fingerprint& incoming,
                                      std::span<const DuplicateCandidate> candidates) const;
  // The first of matches(), if any.
  std::optional<DuplicateMatch> best_match(const Fingerprint& incoming,
                                           std::span<const DuplicateCandidate> candidates) const;
  const DuplicateOptions& options() const { return options_; }

 private:
  DuplicateOptions options_;
};

}  // namespace suqiu::classify
