// PluginSupervisor: the hub starts the feed plugins named in its configuration
// ([[plugin]] name, command, args) as child processes and keeps them running
// (DESIGN.md: a broken feed cannot take the hub down, and the hub restarts it).
//
// Lifecycle: start() spawns every plugin and starts the supervising thread
// (nothing for an empty list); stop() — or the destructor — ends them: SIGTERM
// to each plugin's process group, up to `stop_grace` for them to exit, then
// SIGKILL, and every child is reaped. Call start() once the ingest socket is
// bound, so the plugins find the hub there.
//
// Each plugin runs as `command args... --hub <ingest endpoint>` (--hub is added
// unless the args already name one), in its own process group (so a shell
// wrapper's children are signalled too and a Ctrl-C on the hub's terminal does
// not reach the plugins behind the hub's back), with stdin on /dev/null, the
// hub's stdout/stderr, and a clean signal mask. A plugin that exits, or cannot
// be started at all, is started again after a back-off: 1 s, doubling to 60 s,
// back to 1 s once a run lasted 60 s. Every start, exit and restart is logged.
//
// Threading: the supervising thread owns the children (spawns, reaps with
// waitpid on their own pids only, so the hub's other children are untouched);
// states() and stop() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/hub_config.h"

namespace suqiu::server {

struct SupervisorTiming {
  std::chrono::milliseconds backoff_min{1000};   // first restart delay
  std::chrono::milliseconds backoff_max{60000};  // the delay doubles up to this
  std::chrono::milliseconds stable_after{60000}; // a run this long resets the delay
  std::chrono::milliseconds stop_grace{5000};    // SIGTERM .. SIGKILL
  std::chrono::milliseconds tick{100};           // how often children are checked
};

struct PluginState {
  std::string name;
  pid_t pid = 0;          // of the running process; 0 when not running
  int restarts = 0;       // starts after the first
  bool running = false;
  // How the last run ended: the exit status, or 128 + signal number for a
  // process killed by a signal (as a shell reports it); 127 when it could not
  // be started. Empty before the first exit.
  std::optional<int> last_exit;
  std::string last_exit_text;  // "exit 3", "signal 9 (Killed)", "spawn failed: …"
  std::chrono::system_clock::time_point started_at{};  // of the current or last run
};

class PluginSupervisor {
 public:
  PluginSupervisor(std::vector<PluginSpec> plugins, std::string ingest_endpoint,
                   SupervisorTiming timing = {});
  ~PluginSupervisor();
  PluginSupervisor(const PluginSupervisor&) = delete;
  PluginSupervisor& operator=(const PluginSupervisor&) = delete;

  // Spawns the plugins and starts supervising them; a second call does nothing.
  void start();
  // Ends every plugin and the thread; idempotent. No restarts afterwards.
  void stop();
  std::vector<PluginState> states() const;

  // The argv a plugin is started with (command, args..., --hub ENDPOINT).
  static std::vector<std::string> command_line(const PluginSpec& spec,
                                               const std::string& ingest_endpoint);

 private:
  using Clock = std::chrono::steady_clock;
  struct Child {
    PluginSpec spec;
    PluginState state;
    Clock::time_point started{};
    Clock::time_point restart_at{};
    std::chrono::milliseconds backoff{};
    bool ever_started = false;
  };

  void run();
  void spawn(Child& child);
  void reap(Child& child, bool stopping);
  void exited(Child& child, int status);
  void terminate_all(std::unique_lock<std::mutex>& lock);

  std::string ingest_endpoint_;
  SupervisorTiming timing_;
  mutable std::mutex mutex_;  // guards children_ and stopping_
  std::condition_variable wake_;
  std::vector<Child> children_;
  bool stopping_ = false;
  bool started_ = false;
  bool stopped_ = false;
  std::mutex control_mutex_;  // one start()/stop() at a time
  std::thread thread_;
};

}  // namespace suqiu::server
