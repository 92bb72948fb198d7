#include "recent_cases.h"

#include <algorithm>
#include <climits>

#include "fingerprint.h"

namespace suqiu::classify {
namespace {

std::uint32_t band_key(int band, std::uint16_t value) {
  return static_cast<std::uint32_t>(band) << 16 | value;
}

}  // namespace

bool RecentCases::in_window(const Fingerprint& a, const Fingerprint& b) const {
  const std::int64_t age = a.received_epoch - b.received_epoch;
  return age <= window_ && age >= -window_;
}

template <class Visit>
void RecentCases::for_each_bucket(const Fingerprint& fp, Visit&& visit) {
  const auto bands = simhash_bands(fp.simhash);
  for (int i = 0; i < kSimhashBands; ++i) visit(by_band_, band_key(i, bands[i]));
  if (!fp.phone.empty()) visit(by_phone_, fp.phone);
  for (const auto& o : fp.objects) visit(by_object_, o);
}

void RecentCases::add(std::int64_t case_id, const Fingerprint& fp) {
  const Slot slot = first_slot_ + entries_.size();
  entries_.push_back({case_id, fp});
  for_each_bucket(fp, [&](auto& map, const auto& key) {
    auto& bucket = map[key];
    bucket.push_back(slot);
    // A text that thousands of cases share (a template, a flood) must not
    // make every lookup walk them all: its oldest slots leave the bucket.
    if (bucket.size() > kMaxBucket) bucket.erase(bucket.begin());
  });
  newest_ = std::max(newest_, fp.received_epoch);
  // Out-of-order arrivals stay until the ones added before them go: the
  // index may hold a little more than the window, never less.
  while (!entries_.empty() && entries_.front().fp.received_epoch < newest_ - window_) drop_oldest();
}

void RecentCases::drop_oldest() {
  const Slot slot = first_slot_;
  for_each_bucket(entries_.front().fp, [&](auto& map, const auto& key) {
    auto it = map.find(key);
    if (it == map.end()) return;
    auto& bucket = it->second;
    // Buckets are in slot order, so the oldest slot is first in each of its own.
    if (!bucket.empty() && bucket.front() == slot) bucket.erase(bucket.begin());
    if (bucket.empty()) map.erase(it);
  });
  entries_.pop_front();
  ++first_slot_;
}

void RecentCases::roll_back(std::size_t mark) {
  while (entries_.size() > mark) {
    const Slot slot = first_slot_ + entries_.size() - 1;
    for_each_bucket(entries_.back().fp, [&](auto& map, const auto& key) {
      auto it = map.find(key);
      if (it == map.end()) return;
      if (!it->second.empty() && it->second.back() == slot) it->second.pop_back();
      if (it->second.empty()) map.erase(it);
    });
    entries_.pop_back();
  }
}

std::vector<DuplicateCandidate> RecentCases::candidates(const Fingerprint& fp, int max_hamming,
                                                        std::size_t phone_limit) const {
  std::vector<DuplicateCandidate> out;
  // The newest `limit` entries of a bucket that `fits`, each case once.
  auto take_newest = [&](const Bucket& bucket, std::size_t limit, auto&& fits) {
    std::size_t taken = 0;
    for (auto s = bucket.rbegin(); s != bucket.rend() && taken < limit; ++s) {
      const Entry& e = at(*s);
      if (!in_window(fp, e.fp) || !fits(e)) continue;
      ++taken;
      if (std::none_of(out.begin(), out.end(), [&](const auto& c) { return c.case_id == e.case_id; }))
        out.push_back({e.case_id, e.fp});
    }
  };
  if (!fp.phone.empty())
    if (auto it = by_phone_.find(fp.phone); it != by_phone_.end())
      take_newest(it->second, phone_limit, [](const Entry&) { return true; });
  const auto bands = simhash_bands(fp.simhash);
  for (int i = 0; i < kSimhashBands; ++i)
    if (auto it = by_band_.find(band_key(i, bands[i])); it != by_band_.end())
      take_newest(it->second, kBandLimit, [&](const Entry& e) {
        return hamming(fp.simhash, e.fp.simhash) <= max_hamming;
      });
  return out;
}

std::vector<std::string> RecentCases::repeated_objects(const Fingerprint& fp) const {
  std::vector<std::string> out;
  for (const auto& o : fp.objects) {
    auto it = by_object_.find(o);
    if (it == by_object_.end()) continue;
    const bool named_before = std::any_of(it->second.rbegin(), it->second.rend(),
                                          [&](Slot s) { return in_window(fp, at(s).fp); });
    if (named_before && std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
  }
  return out;
}

}  // namespace suqiu::classify
