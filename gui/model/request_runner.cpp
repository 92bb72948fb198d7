#include "request_runner.h"

#include <pthread.h>

namespace suqiu::console {

RequestRunner::RequestRunner(PostToUi post_to_ui, std::string thread_name)
    : post_(std::move(post_to_ui)), thread_name_(std::move(thread_name)), worker_([this] { work_loop(); }) {}

RequestRunner::~RequestRunner() { finish({}); }

void RequestRunner::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (finishing_) return;
    jobs_.push_back(std::move(job));
  }
  waiting_->started.push_back(std::chrono::steady_clock::now());
  wake_.notify_one();
}

std::size_t RequestRunner::in_flight() const { return waiting_->started.size(); }

std::chrono::steady_clock::duration RequestRunner::waiting_for() const {
  if (waiting_->started.empty()) return {};
  return std::chrono::steady_clock::now() - waiting_->started.front();
}

void RequestRunner::finish(std::function<void()> last) {
  {
    std::lock_guard lock(mutex_);
    if (finishing_) return;
    finishing_ = true;
    jobs_.clear();
    last_ = std::move(last);
  }
  wake_.notify_one();
  if (worker_.joinable()) worker_.join();
  waiting_->started.clear();  // the dropped jobs will not complete
}

void RequestRunner::work_loop() {
  pthread_setname_np(pthread_self(), thread_name_.substr(0, 15).c_str());
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return finishing_ || !jobs_.empty(); });
      if (finishing_) break;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    auto completion = job();
    // Jobs finish in the order they were submitted (one worker), so the
    // oldest start is the one that ends.
    post_([waiting = waiting_, completion = std::move(completion)]() mutable {
      if (!waiting->started.empty()) waiting->started.pop_front();
      completion();
    });
  }
  if (last_) last_();
}

}  // namespace suqiu::console
