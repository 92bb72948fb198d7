// The window thread of a console, for tests without a display: completions
// posted by the request thread wait in a queue until the test thread runs
// them, as wx's loop would.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

#include "model/request_runner.h"

namespace suqiu::console::testing {

class UiQueue {
 public:
  PostToUi post() {
    return [this](std::function<void()> completion) {
      {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(completion));
      }
      ready_.notify_one();
    };
  }

  // Runs what was posted until `done` or the timeout; false on the timeout.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      std::function<void()> next;
      {
        std::unique_lock lock(mutex_);
        if (!ready_.wait_until(lock, until, [this] { return !queue_.empty(); })) return done();
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      next();
    }
    return true;
  }

  // Starts a call that delivers a T to its callback, and runs the loop until it has.
  template <class T, class Start>
  T await(Start start) {
    std::optional<T> got;
    start([&got](T value) { got.emplace(std::move(value)); });
    if (!run_until([&] { return got.has_value(); })) throw std::runtime_error("no completion within 15 s");
    return std::move(*got);
  }

  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
};

}  // namespace suqiu::console::testing
