#include "sim/simulated_clock.h"

namespace suqiu::sim {

std::atomic<std::int64_t> SimulatedClock::epoch_{0};

SimulatedClock::SimulatedClock(Timestamp start) {
  epoch_.store(start.epoch, std::memory_order_release);
  set_now_source(&SimulatedClock::read);
}

SimulatedClock::~SimulatedClock() { set_now_source(nullptr); }

void SimulatedClock::set(Timestamp t) {
  if (t.epoch > epoch_.load(std::memory_order_acquire)) epoch_.store(t.epoch, std::memory_order_release);
}

}  // namespace suqiu::sim
