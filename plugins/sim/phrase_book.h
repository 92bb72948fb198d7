// PhraseBook: what the simulated citizens and desk staff say. Matters (事项)
// are templates of one complaint, report, inquiry, ... of a category; pools
// hold the words that fill their slots (places of the district, plates,
// routes, times) and the framing of each channel (openers, details, closers),
// and the desk's words for results, replies, returns and call-backs.
// Templates use TextComposer's marks: "[a|b]" alternatives, "{slot}" slots.
// Every name, number and company here is invented.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/codes.h"

namespace suqiu::sim {

struct Matter {
  std::string_view key;          // "taxi.refusal"
  std::string_view category;     // a category of the taxonomy
  RequestType type;
  std::string_view subject;      // 标题 template
  std::string_view body;         // the matter itself, without opener or closer
  std::string_view transfer_to;  // `other`: the organisation it belongs to
};

// A burst of calls about one event (a route changed, a road caved in, a
// ferry stopped): several matters about the same pinned slots.
struct BurstKind {
  std::string_view key;
  std::vector<std::string_view> matters;  // keys
  std::vector<std::string_view> pinned;   // slots every call shares; "slot=pool" draws it from that pool
  int min_calls, max_calls;
  int min_hours, max_hours;  // how long the calls keep coming
};

class PhraseBook {
 public:
  static const PhraseBook& builtin();

  std::span<const Matter> matters() const { return matters_; }
  std::optional<std::size_t> matter(std::string_view key) const;
  // Indexes of the matters of one category and type (possibly none).
  std::vector<std::size_t> matters_of(std::string_view category, RequestType type) const;
  std::span<const BurstKind> bursts() const { return bursts_; }
  // A named pool of words or templates ("place", "opener.12345.complaint",
  // "result.taxi", ...); empty when there is no such pool.
  std::span<const std::string_view> pool(std::string_view name) const;

 private:
  PhraseBook();
  std::vector<Matter> matters_;
  std::vector<BurstKind> bursts_;
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> pools_;  // sorted by name
};

}  // namespace suqiu::sim
