// HubProcess: the real `suqiu-hub` executable, started on a data folder with
// ephemeral loopback ports, as an operator would start it. Its stdout and
// stderr are collected (the hub logs rejected input and closed connections
// there); the endpoints are read from its "ready:" line. Used by the bad-input
// test and by bench_ingest. Header-only: two small users, no library.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace suqiu::testing {

class HubProcess {
 public:
  using Millis = std::chrono::milliseconds;

  // Starts `exe --data DIR --ingest/--api/--events tcp://127.0.0.1:*` plus
  // `extra_args`. Throws when it cannot be started.
  HubProcess(const std::string& exe, const std::filesystem::path& data_dir,
             std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {exe,
                                     "--data",
                                     data_dir.string(),
                                     "--ingest",
                                     "tcp://127.0.0.1:*",
                                     "--api",
                                     "tcp://127.0.0.1:*",
                                     "--events",
                                     "tcp://127.0.0.1:*"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      // Child: only async-signal-safe calls. The hub dies with its parent, so
      // that a crashed test leaves no hub behind.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(127);
      dup2(fds[1], STDOUT_FILENO);
      dup2(fds[1], STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_fd_ = fds[0];
    reader_ = std::thread([this] { read_output(); });
  }

  ~HubProcess() {
    if (!exited_) {
      kill(pid_, SIGKILL);
      reap(Millis(5000));
    }
    if (reader_.joinable()) reader_.join();
    if (out_fd_ >= 0) close(out_fd_);
  }
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;

  // Waits for the "ready:" line and reads the endpoints from it.
  bool wait_ready(Millis timeout) {
    static const std::regex ready(R"(ready: ingest (\S+) api (\S+) events (\S+))");
    std::unique_lock lock(mutex_);
    std::smatch m;
    bool found = changed_.wait_for(lock, timeout, [&] {
      return std::regex_search(output_, m, ready) || eof_;
    });
    if (!found || m.empty()) return false;
    ingest_ = m[1];
    api_ = m[2];
    events_ = m[3];
    return true;
  }

  const std::string& ingest() const { return ingest_; }
  const std::string& api() const { return api_; }
  const std::string& events() const { return events_; }
  pid_t pid() const { return pid_; }

  // Everything it wrote so far, and its length (a mark for wait_for_output).
  std::string output() const {
    std::lock_guard lock(mutex_);
    return output_;
  }
  std::size_t output_size() const {
    std::lock_guard lock(mutex_);
    return output_.size();
  }
  // True when `needle` appears in the output after position `from` in time.
  bool wait_for_output(const std::string& needle, Millis timeout, std::size_t from = 0) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      return output_.find(needle, std::min(from, output_.size())) != std::string::npos || eof_;
    }) && output_.find(needle, std::min(from, output_.size())) != std::string::npos;
  }

  // Still running (not exited, not a zombie).
  bool alive() {
    if (exited_) return false;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      status_ = status;
      return false;
    }
    return r == 0;
  }

  // SIGTERM, then waits up to `grace`. The exit status when it exited, -signal
  // when a signal ended it, nullopt when it did not end in time (then SIGKILL).
  std::optional<int> stop(Millis grace) {
    if (!exited_) kill(pid_, SIGTERM);
    if (!reap(grace)) {
      kill(pid_, SIGKILL);
      reap(Millis(5000));
      return std::nullopt;
    }
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return -WTERMSIG(status_);
    return std::nullopt;
  }

  // The peak resident set of the hub (VmHWM), in kB; 0 when unreadable.
  long peak_rss_kb() const { return status_kb("VmHWM:"); }
  long rss_kb() const { return status_kb("VmRSS:"); }

 private:
  long status_kb(const std::string& key) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(in, line);)
      if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
    return 0;
  }

  bool reap(Millis timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!exited_) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        status_ = status;
        break;
      }
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(Millis(20));
    }
    return true;
  }

  void read_output() {
    char buf[4096];
    for (;;) {
      ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mutex_);
      if (n <= 0) {
        eof_ = true;
        changed_.notify_all();
        return;
      }
      output_.append(buf, static_cast<std::size_t>(n));
      changed_.notify_all();
    }
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool exited_ = false;
  int status_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool eof_ = false;
  std::string ingest_, api_, events_;
};

}  // namespace suqiu::testing
