// SettleWatch: decides when a spool file is complete enough to take. The
// contract with writers is an atomic rename into the folder (write ".x.jsonl"
// or "x.jsonl.part", then rename); this is the safeguard for writers that
// copy in place. A file is taken once it has not changed for `settle`:
//   - its modification time is at least `settle` in the past (a file renamed
//     in keeps its old time and is taken at the first look), or
//   - when its clock is ahead of ours (a mount from another machine), its
//     size, time and inode have stayed the same across looks `settle` apart.
// No I/O and no clock of its own: the caller passes stat()'s view and the
// times, so the rule is tested with tables.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace suqiu::filefeed {

// What stat() says about a file, enough to see that it changed or was replaced.
struct FileStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // since the epoch, by the file system's clock
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

class SettleWatch {
 public:
  using Steady = std::chrono::steady_clock::time_point;

  explicit SettleWatch(std::chrono::milliseconds settle) : settle_(settle) {}

  // `now_ns`: the real-time clock, as mtime_ns counts; `now`: the monotonic
  // clock of this look.
  bool settled(const std::string& name, const FileStamp& stamp, std::int64_t now_ns, Steady now);
  // Drops what is remembered about files no longer in the folder.
  void keep_only(const std::set<std::string>& names);
  void forget(const std::string& name) { seen_.erase(name); }

  std::chrono::milliseconds settle() const { return settle_; }

 private:
  struct Seen {
    FileStamp stamp;
    Steady since;  // first look with this stamp
  };
  std::chrono::milliseconds settle_;
  std::map<std::string, Seen> seen_;
};

}  // namespace suqiu::filefeed
