#include "duplicate_judge.h"

#include <algorithm>

#include "classify/corpus.h"
#include "fingerprint.h"
#include "normalizer.h"

namespace suqiu::classify {

std::string phone_key(std::string_view phone) {
  std::string digits;
  std::string n = normalise(phone);  // full-width digits
  for (char c : n)
    if (c >= '0' && c <= '9') digits.push_back(c);
  if (digits.size() == 13 && digits.starts_with("86")) digits.erase(0, 2);
  return digits;
}

Fingerprint fingerprint(const IntakeRecord& record, std::string_view category) {
  return fingerprint(record, category, normalise(classification_text(record)));
}

Fingerprint fingerprint(const IntakeRecord& record, std::string_view category,
                        std::string_view text) {
  Fingerprint f;
  f.simhash = simhash(text);
  f.phone = phone_key(record.caller.phone);
  f.received_epoch = record.received_at.epoch;
  f.category = std::string(category.empty() && record.category ? *record.category : category);
  for (const auto& e : find_entities(text))
    if (e.kind != Entity::phone &&
        std::find(f.objects.begin(), f.objects.end(), e.text) == f.objects.end())
      f.objects.push_back(e.text);
  return f;
}

std::optional<DuplicateMatch> DuplicateJudge::judge(const Fingerprint& incoming,
                                                    const DuplicateCandidate& candidate) const {
  const Fingerprint& c = candidate.fingerprint;
  std::int64_t age = incoming.received_epoch - c.received_epoch;
  if (age < 0) age = -age;
  if (age > options_.window_seconds) return std::nullopt;
  bool shares_object = false;
  if (!incoming.objects.empty() && !c.objects.empty()) {
    shares_object = std::any_of(incoming.objects.begin(), incoming.objects.end(), [&](const auto& o) {
      return std::find(c.objects.begin(), c.objects.end(), o) != c.objects.end();
    });
    if (!shares_object) return std::nullopt;  // the same complaint about another vehicle
  }
  DuplicateMatch m;
  m.case_id = candidate.case_id;
  m.hamming = hamming(incoming.simhash, c.simhash);
  m.same_phone = !incoming.phone.empty() && incoming.phone == c.phone;
  const bool categories_agree =
      incoming.category.empty() || c.category.empty() || incoming.category == c.category;
  const bool near_identical = m.hamming <= options_.text_max_hamming;
  // The same caller about the same matter: similar text, or (in other words)
  // the same plate or route.
  const bool same_caller_same_matter =
      m.same_phone && categories_agree &&
      (m.hamming <= options_.same_phone_max_hamming || shares_object);
  if (!near_identical && !same_caller_same_matter) return std::nullopt;
  m.score = (1.0 - options_.same_phone_bonus) * text_similarity(incoming.simhash, c.simhash) +
            (m.same_phone ? options_.same_phone_bonus : 0.0);
  if (same_caller_same_matter && shares_object) m.score = std::max(m.score, options_.same_object_score);
  return m;
}

std::vector<DuplicateMatch> DuplicateJudge::matches(
    const Fingerprint& incoming, std::span<const DuplicateCandidate> candidates) const {
  std::vector<std::pair<DuplicateMatch, std::int64_t>> found;  // with the candidate's time
  for (const auto& c : candidates)
    if (auto m = judge(incoming, c)) found.push_back({*m, c.fingerprint.received_epoch});
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first.score != b.first.score ? a.first.score > b.first.score : a.second > b.second;
  });
  std::vector<DuplicateMatch> out;
  for (auto& [m, at] : found) out.push_back(m);
  return out;
}

std::optional<DuplicateMatch> DuplicateJudge::best_match(
    const Fingerprint& incoming, std::span<const DuplicateCandidate> candidates) const {
  auto all = matches(incoming, candidates);
  if (all.empty()) return std::nullopt;
  return all.front();
}

bool is_plate(std::string_view object) { return object.find("·") != std::string_view::npos; }

}  // namespace suqiu::classify
