#include "file/settle_watch.h"

namespace suqiu::filefeed {

bool SettleWatch::settled(const std::string& name, const FileStamp& stamp, std::int64_t now_ns,
                          Steady now) {
  const auto settle_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(settle_).count();
  if (now_ns - stamp.mtime_ns >= settle_ns) {
    seen_.erase(name);
    return true;
  }
  auto [it, fresh] = seen_.try_emplace(name, Seen{stamp, now});
  if (!fresh && !(it->second.stamp == stamp)) it->second = Seen{stamp, now};  // still being written
  if (now - it->second.since >= settle_) {
    seen_.erase(it);
    return true;
  }
  return false;
}

void SettleWatch::keep_only(const std::set<std::string>& names) {
  std::erase_if(seen_, [&](const auto& entry) { return !names.contains(entry.first); });
}

}  // namespace suqiu::filefeed
