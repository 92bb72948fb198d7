#include "server/plugin_supervisor.h"

#include <pthread.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

extern char** environ;

namespace suqiu::server {

namespace {

using Millis = std::chrono::milliseconds;

std::string describe_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exit {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return fmt::format("signal {} ({}){}", sig, name ? name : "?", WCOREDUMP(status) ? ", core dumped" : "");
  }
  return fmt::format("status {}", status);
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return status;
}

// Signals the plugin's process group (it is its own leader), or the process
// alone if the group is already gone. Only called for children not yet
// reaped, so the pid cannot have been reused.
void signal_plugin(pid_t pid, int sig) {
  if (::kill(-pid, sig) != 0 && errno == ESRCH) ::kill(pid, sig);
}

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

std::vector<std::string> PluginSupervisor::command_line(const PluginSpec& spec,
                                                        const std::string& ingest_endpoint) {
  std::vector<std::string> argv{spec.command};
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  const bool names_hub = std::any_of(spec.args.begin(), spec.args.end(), [](const std::string& a) {
    return a == "--hub" || a.starts_with("--hub=");
  });
  if (!names_hub) {
    argv.push_back("--hub");
    argv.push_back(ingest_endpoint);
  }
  return argv;
}

PluginSupervisor::PluginSupervisor(std::vector<PluginSpec> plugins, std::string ingest_endpoint,
                                   SupervisorTiming timing)
    : ingest_endpoint_(std::move(ingest_endpoint)), timing_(timing) {
  for (auto& spec : plugins) {
    Child c;
    c.state.name = spec.name;
    c.spec = std::move(spec);
    c.backoff = timing_.backoff_min;
    children_.push_back(std::move(c));
  }
}

void PluginSupervisor::start() {
  std::lock_guard control(control_mutex_);
  if (started_ || stopped_) return;
  started_ = true;
  if (children_.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& c : children_) spawn(c);
  }
  thread_ = std::thread([this] { run(); });
}

PluginSupervisor::~PluginSupervisor() { stop(); }

void PluginSupervisor::stop() {
  std::lock_guard control(control_mutex_);
  if (stopped_) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  stopped_ = true;
}

std::vector<PluginState> PluginSupervisor::states() const {
  std::lock_guard lock(mutex_);
  std::vector<PluginState> out;
  out.reserve(children_.size());
  for (const auto& c : children_) out.push_back(c.state);
  return out;
}

void PluginSupervisor::spawn(Child& c) {
  const auto args = command_line(c.spec, ingest_endpoint_);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // The hub's database, sockets and pipes are not the plugin's business.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);
#endif
  // Its own process group; the signal mask and dispositions a fresh program
  // expects (the hub blocks SIGTERM/SIGINT in its threads to wait for them).
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM})
    sigaddset(&defaults, sig);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setsigmask(&setup.attr, &empty);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);

  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), environ);
  const auto now = Clock::now();
  c.started = now;
  c.state.started_at = std::chrono::system_clock::now();
  if (c.ever_started) ++c.state.restarts;
  c.ever_started = true;
  if (rc != 0) {
    c.state.pid = 0;
    c.state.running = false;
    c.state.last_exit = 127;
    c.state.last_exit_text = fmt::format("spawn failed: {}", std::strerror(rc));
    c.restart_at = now + c.backoff;
    spdlog::error("plugin {}: cannot start {} (attempt {}): {}; trying again in {} ms", c.spec.name,
                  c.spec.command, c.state.restarts + 1, std::strerror(rc), c.backoff.count());
    c.backoff = std::min(c.backoff * 2, timing_.backoff_max);
    return;
  }
  c.state.pid = pid;
  c.state.running = true;
  if (c.state.restarts > 0)
    spdlog::info("plugin {}: restart #{} as pid {}: {}", c.spec.name, c.state.restarts, pid,
                 fmt::join(args, " "));
  else
    spdlog::info("plugin {}: started as pid {}: {}", c.spec.name, pid, fmt::join(args, " "));
}

void PluginSupervisor::exited(Child& c, int status) {
  const auto now = Clock::now();
  const auto ran = std::chrono::duration_cast<Millis>(now - c.started);
  c.state.last_exit = exit_code_of(status);
  c.state.last_exit_text = describe_status(status);
  c.state.running = false;
  const pid_t pid = c.state.pid;
  c.state.pid = 0;
  if (stopping_) {
    spdlog::info("plugin {}: pid {} ended ({})", c.spec.name, pid, c.state.last_exit_text);
    return;
  }
  if (ran >= timing_.stable_after) c.backoff = timing_.backoff_min;  // it had been running fine
  c.restart_at = now + c.backoff;
  spdlog::warn("plugin {}: pid {} ended ({}) after {:.1f} s; restarting in {} ms", c.spec.name, pid,
               c.state.last_exit_text, static_cast<double>(ran.count()) / 1000.0, c.backoff.count());
  c.backoff = std::min(c.backoff * 2, timing_.backoff_max);
}

void PluginSupervisor::reap(Child& c, bool stopping) {
  if (!c.state.running) return;
  const pid_t pid = c.state.pid;
  // Look without reaping first: while the leader is a zombie its group id
  // cannot be reused, so what it left behind in its group can be told to go
  // (a stray grandchild would otherwise keep, say, the outbox locked).
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    if (errno == ECHILD) {  // reaped by someone else (a waitpid(-1) elsewhere in the process)
      spdlog::warn("plugin {}: pid {} vanished (reaped elsewhere)", c.spec.name, pid);
      c.state.running = false;
      c.state.pid = 0;
      c.state.last_exit_text = "unknown (reaped elsewhere)";
      if (!stopping) c.restart_at = Clock::now() + c.backoff;
    }
    return;
  }
  if (info.si_pid == 0) return;  // still running
  if (::kill(-pid, SIGTERM) == 0)
    spdlog::debug("plugin {}: SIGTERM to what pid {} left in its process group", c.spec.name, pid);
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r == pid) exited(c, status);
}

void PluginSupervisor::run() {
  pthread_setname_np(pthread_self(), "hub-plugins");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, timing_.tick, [this] { return stopping_; });
    if (stopping_) break;
    const auto now = Clock::now();
    for (auto& c : children_) {
      if (c.state.running) {
        reap(c, false);
      } else if (now >= c.restart_at) {
        spawn(c);
      }
    }
  }
  terminate_all(lock);
}

void PluginSupervisor::terminate_all(std::unique_lock<std::mutex>& lock) {
  // `lock` holds mutex_; it is released only while waiting.
  int running = 0;
  for (auto& c : children_) {
    if (!c.state.running) continue;
    spdlog::info("plugin {}: stopping pid {} (SIGTERM)", c.spec.name, c.state.pid);
    signal_plugin(c.state.pid, SIGTERM);
    ++running;
  }
  const auto deadline = Clock::now() + timing_.stop_grace;
  while (running > 0 && Clock::now() < deadline) {
    wake_.wait_for(lock, Millis(20));
    running = 0;
    for (auto& c : children_) {
      reap(c, true);
      if (c.state.running) ++running;
    }
  }
  for (auto& c : children_) {
    if (!c.state.running) continue;
    spdlog::warn("plugin {}: pid {} did not stop within {} ms; SIGKILL", c.spec.name, c.state.pid,
                 timing_.stop_grace.count());
    signal_plugin(c.state.pid, SIGKILL);
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(c.state.pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r == c.state.pid) {
      exited(c, status);
    } else {
      c.state.running = false;
      c.state.pid = 0;
    }
  }
}

}  // namespace suqiu::server
