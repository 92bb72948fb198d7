#include "stop_signals.h"

#include <pthread.h>
#include <time.h>

#include <spdlog/spdlog.h>

namespace suqiu::sdk {

StopSignals::StopSignals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

bool StopSignals::requested(const char* what_next) {
  if (seen_) return true;
  timespec zero{0, 0};
  const int sig = sigtimedwait(&set_, nullptr, &zero);
  if (sig > 0) {
    spdlog::info("signal {} received; {}", sig, what_next);
    seen_ = true;
  }
  return seen_;
}

}  // namespace suqiu::sdk
