// RecentCases: the fingerprints of the cases received within the duplicate
// window, in memory, found by caller phone, by the four 16-bit bands of the
// SimHash, and by the plates and routes they name.
//
// Why in memory: the hub's writer is the only thread that stores cases, so it
// can keep this index itself. Asked of SQLite, the same lookup was five
// indexed queries per intake, and the band index wrote four random pages per
// case: together the largest cost of a commit (docs/store.md). A lookup here
// touches a handful of buckets whatever the number of stored cases; memory
// follows the window, not the archive (about 200 bytes a case: 3,000 cases a
// day for 30 days is under 20 MB).
//
// It holds every recent case whatever its status; whoever uses a match checks
// that the case is still open.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "classify/duplicate_judge.h"

namespace suqiu::classify {

class RecentCases {
 public:
  explicit RecentCases(std::int64_t window_seconds) : window_(window_seconds) {}

  // Adds a case. Cases received more than the window before the newest one
  // seen are dropped as the window moves on.
  void add(std::int64_t case_id, const Fingerprint& fp);

  // For a transaction that rolled back: mark() before adding its cases,
  // roll_back(mark) to forget them again.
  std::size_t mark() const { return entries_.size(); }
  void roll_back(std::size_t mark);

  // Cases received within the window of `fp`: those of the same caller phone
  // (the newest `phone_limit`), and those whose SimHash is within
  // `max_hamming` bits of fp's and shares one of its bands (every pair up to
  // 3 bits does, by pigeonhole; most at 4; the newest 8 per band). Each case
  // once. A lookup looks at no more than the 1,024 newest cases of a key.
  std::vector<DuplicateCandidate> candidates(const Fingerprint& fp, int max_hamming,
                                             std::size_t phone_limit = 8) const;

  // fp's plates and routes that another case within the window named too:
  // a repeated complaint about the same vehicle or line.
  std::vector<std::string> repeated_objects(const Fingerprint& fp) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::int64_t case_id;
    Fingerprint fp;
  };
  using Slot = std::uint64_t;  // position since the first case ever added
  using Bucket = std::vector<Slot>;  // ascending
  static constexpr std::size_t kMaxBucket = 1024;  // slots kept per key, the newest
  static constexpr std::size_t kBandLimit = 8;     // near texts taken per band, the newest

  const Entry& at(Slot s) const { return entries_[s - first_slot_]; }
  bool in_window(const Fingerprint& a, const Fingerprint& b) const;
  // Every bucket the entry is listed in, for adding and for removing.
  template <class Visit>
  void for_each_bucket(const Fingerprint& fp, Visit&& visit);
  void drop_oldest();

  std::int64_t window_;
  std::deque<Entry> entries_;  // in the order added; entries_[i] is slot first_slot_ + i
  Slot first_slot_ = 0;
  std::int64_t newest_ = INT64_MIN;  // latest received_epoch seen
  std::unordered_map<std::uint32_t, Bucket> by_band_;  // band number << 16 | band value
  std::unordered_map<std::string, Bucket> by_phone_;
  std::unordered_map<std::string, Bucket> by_object_;
};

}  // namespace suqiu::classify
