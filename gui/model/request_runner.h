// Requests to the hub run off the window thread, so that a slow or distant hub
// never freezes the screen of an operator with a citizen on the phone. A
// RequestRunner owns one worker thread; a job runs there (with whatever
// sockets that thread owns: a ZeroMQ socket never crosses threads) and its
// completion comes back through the "post to UI" function the program
// injects (wx's CallAfter in the console, a queue in the tests). wx-free.
//
// An answer for someone who is gone is dropped: whoever asks keeps a
// Lifetime and hands its completion through Lifetime::guard.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <variant>

namespace suqiu::console {

// A refusal from the hub (or E_TIMEOUT when it did not answer), with its code
// and, for a bad argument, the field; what() is the hub's message.
class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), code_(std::move(code)), field_(std::move(field)) {}
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  std::string code_, field_;
};

// What a job gave: its value, or why it failed.
template <class T>
class Outcome {
 public:
  Outcome(T value) : held_(std::move(value)) {}
  Outcome(ApiError error) : held_(std::move(error)) {}
  bool ok() const { return held_.index() == 0; }
  // The value; throws the error when there is none.
  T& value() {
    if (!ok()) throw std::get<1>(held_);
    return std::get<0>(held_);
  }
  const ApiError& error() const { return std::get<1>(held_); }

 private:
  std::variant<T, ApiError> held_;
};

// Whoever waits for answers (a window, a presenter) holds one; once it is
// destroyed, the completions it guarded do nothing. Used on the UI thread only.
class Lifetime {
 public:
  Lifetime() = default;
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;

  template <class F>
  auto guard(F f) const {
    return [alive = std::weak_ptr<const char>(token_), f = std::move(f)](auto&&... args) mutable {
      if (alive.lock()) f(std::forward<decltype(args)>(args)...);
    };
  }

 private:
  std::shared_ptr<const char> token_ = std::make_shared<const char>('\0');
};

using PostToUi = std::function<void(std::function<void()>)>;

class RequestRunner {
 public:
  // `thread_name`: what `top -H` shows.
  RequestRunner(PostToUi post_to_ui, std::string thread_name);
  // finish() without a last job.
  ~RequestRunner();
  RequestRunner(const RequestRunner&) = delete;
  RequestRunner& operator=(const RequestRunner&) = delete;

  // Runs `work` on the worker, after every job submitted before it, then
  // `done` on the UI thread with its value or its ApiError (any other
  // exception becomes E_INTERNAL). Call from the UI thread.
  template <class T>
  void run(std::function<T()> work, std::function<void(Outcome<T>)> done) {
    submit([work = std::move(work), done = std::move(done)]() mutable -> std::function<void()> {
      auto outcome = attempt<T>(work);
      return [done = std::move(done), outcome = std::move(outcome)]() mutable { done(std::move(outcome)); };
    });
  }

  // Jobs submitted and not yet completed on the UI thread.
  std::size_t in_flight() const;
  // How long the oldest of them has been waiting; zero when none.
  std::chrono::steady_clock::duration waiting_for() const;

  // Drops the jobs not started yet, runs `last` on the worker (a logout; the
  // worker's sockets closed), and joins it. Later run()s are ignored.
  void finish(std::function<void()> last);

 private:
  using Job = std::function<std::function<void()>()>;

  template <class T, class Work>
  static Outcome<T> attempt(Work& work) {
    try {
      return Outcome<T>(work());
    } catch (const ApiError& e) {
      return Outcome<T>(e);
    } catch (const std::exception& e) {
      return Outcome<T>(ApiError("E_INTERNAL", e.what()));
    }
  }

  void submit(Job job);
  void work_loop();

  // Counted on the UI thread; shared with completions still queued in the UI
  // loop after the runner is gone.
  struct Waiting {
    std::deque<std::chrono::steady_clock::time_point> started;
  };
  std::shared_ptr<Waiting> waiting_ = std::make_shared<Waiting>();

  PostToUi post_;
  std::string thread_name_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  std::function<void()> last_;
  bool finishing_ = false;
  std::thread worker_;
};

}  // namespace suqiu::console
