// A front that cannot go on (its socket is gone, its thread's loop broke)
// must not leave a hub that looks alive and is not. It reports here; the hub's
// owner (suqiu-hub's main loop) sees the report, logs it and exits non-zero,
// so that systemd starts the hub again. A failure of one message never comes
// here: that message is answered with a code and the front goes on.
#pragma once

#include <spdlog/spdlog.h>

#include <mutex>
#include <optional>
#include <string>

namespace suqiu::server {

class FrontFailure {
 public:
  // Any thread; the first report wins, later ones are only logged.
  void report(const std::string& front, const std::string& why) {
    spdlog::critical("{}: cannot go on: {}", front, why);
    std::lock_guard lock(mutex_);
    if (!what_) what_ = front + ": " + why;
  }
  std::optional<std::string> what() const {
    std::lock_guard lock(mutex_);
    return what_;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> what_;
};

}  // namespace suqiu::server
