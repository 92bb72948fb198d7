// SimulatedClock: the history mode's "now". While one exists, Timestamp::now()
// (hub/core/timestamp.h, set_now_source) reads it instead of the system clock,
// process-wide, so that the store stamps every intake, action, audit entry
// and deadline check with the simulated time. One at a time; it only moves
// forward.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/timestamp.h"

namespace suqiu::sim {

class SimulatedClock {
 public:
  explicit SimulatedClock(Timestamp start);
  ~SimulatedClock();  // back to the system clock
  SimulatedClock(const SimulatedClock&) = delete;
  SimulatedClock& operator=(const SimulatedClock&) = delete;

  // Moves the clock to `t`; an earlier `t` is ignored (time never runs back).
  void set(Timestamp t);
  Timestamp now() const { return {epoch_.load(std::memory_order_acquire), kBeijingOffsetMinutes}; }

 private:
  static std::int64_t read() { return epoch_.load(std::memory_order_acquire); }
  static std::atomic<std::int64_t> epoch_;
};

}  // namespace suqiu::sim
