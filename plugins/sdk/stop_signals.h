// StopSignals: how a feed's main loop hears SIGTERM/SIGINT. They are blocked
// in every thread (construct it before the ZeroMQ context starts its own) and
// picked up between turns of the loop, so no socket call, outbox commit or
// file move is ever cut in half.
#pragma once

#include <signal.h>

namespace suqiu::sdk {

class StopSignals {
 public:
  StopSignals();
  // True once SIGTERM or SIGINT has come (logged once, with `what_next`).
  bool requested(const char* what_next = "stopping");

 private:
  sigset_t set_;
  bool seen_ = false;
};

}  // namespace suqiu::sdk
