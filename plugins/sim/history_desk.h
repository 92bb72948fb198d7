// HistoryDesk: suqiu-feed-sim --history. Plays the last N days of a desk
// into a fresh data folder: the hotline's traffic (HotlineRhythm,
// IntakeGenerator) stored through the hub's own IntakePipeline, and every
// case's life (CaseStory) applied through the hub's CaseWorkflow, in time
// order under a SimulatedClock, so that the store stamps each intake,
// action, audit entry, escalation (预警/催办/督办, as the hub's timers would
// raise them, hourly) and result for the platforms with the time it
// happened. It writes no SQL of its own.
//
// The desk's staff (three operators, a liaison per section, two leaders)
// are users of the folder, created with the store's user API when missing,
// with passwords nobody knows (`suqiu user passwd NAME` gives one). The
// results owed to the platforms are marked delivered, as the platform feeds
// would have acknowledged them.
//
// Runs on the calling thread; no hub may run on the folder meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/timestamp.h"

namespace suqiu::sim {

struct HistoryOptions {
  std::filesystem::path data_dir;
  std::optional<std::filesystem::path> config;  // the hub's TOML file (sources, routing, SLA)
  int days = 30;
  std::uint64_t seed = 1;
  double calls_per_day = 300;
  std::optional<Timestamp> until;  // the end of the history; default: now
};

struct HistorySummary {
  Timestamp from, until;
  std::int64_t intakes = 0;      // stored as new cases
  std::int64_t not_stored = 0;   // refused by the pipeline or already there (should be none)
  std::map<std::string, std::int64_t> actions;  // applied, by action
  std::int64_t refused = 0;      // story steps the workflow refused (should be none)
  std::int64_t skipped = 0;      // optional steps that no longer applied (a deadline passed)
  std::int64_t escalations = 0;  // 预警, 催办, 督办 raised by the timers
  std::int64_t results_delivered = 0;
  std::int64_t users_created = 0;
  double seconds = 0;            // wall time of the run
};

class HistoryDesk {
 public:
  explicit HistoryDesk(HistoryOptions options) : options_(std::move(options)) {}
  // Throws std::runtime_error when the folder already holds cases or a
  // user of the desk exists with another role; store failures propagate.
  HistorySummary run();

 private:
  HistoryOptions options_;
};

}  // namespace suqiu::sim
