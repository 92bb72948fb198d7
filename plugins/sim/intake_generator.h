// IntakeGenerator: realistic intake records (docs/intake-record.md) of a
// district transport bureau's hotline, from a seed. Each record is composed
// from the PhraseBook: a matter of a category and request type drawn in the
// desk's proportions, its slots filled with places of the district, plates,
// routes and times relative to the call, framed the way its channel writes
// (the 12345 and 12328 operators in the third person, letters in the first),
// with a caller (李先生, 王女士, anonymous callers, whistle-blowers kept
// confidential), a channel's numbering, upstream data and attachments.
//
// Some callers call again (about the same matter, which the hub then flags
// as a suspected duplicate, or about another), and a few plates and routes
// keep coming back, as they do at a real desk. Calls of a Burst share its
// place, route or plate.
//
// Pure and deterministic: the same seed and the same sequence of calls to
// next() give byte-identical records. No I/O.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/codes.h"
#include "core/timestamp.h"
#include "sim/hotline_rhythm.h"
#include "sim/sim_random.h"

namespace suqiu::sim {

// One generated intake, with the truth it was written from.
struct SimIntake {
  std::string json;          // the intake record, one line of JSON
  Timestamp received_at;
  std::string source, external_id;
  std::string category;      // what the text is about (the hub's classifier may differ)
  RequestType request_type = RequestType::complaint;
  std::string matter;        // PhraseBook key
  std::string subject;
  std::string object;        // the plate or route it names, canonical ("粤G·T2736", "18路"); may be empty
  std::string caller_name, caller_phone;
  bool anonymous = false;
  bool confidential = false;
  bool repeat_caller = false;  // a caller heard before
  bool again = false;          // ... about the same matter (a duplicate in the making)
  std::optional<std::size_t> burst;  // index into the day's bursts
  std::string transfer_to;     // `other`: where it belongs
};

struct GeneratorOptions {
  double repeat_caller_share = 0.07;  // calls from a caller heard before
  double same_matter_share = 0.6;     // of those, about the same matter again
  double hot_object_share = 0.3;      // plates named that are "usual suspects"
  // Put into every external_id after its date, so that two live runs with
  // the same seed on the same day do not collide ("" in history mode).
  std::string run_tag;
};

class IntakeGenerator {
 public:
  explicit IntakeGenerator(std::uint64_t seed, GeneratorOptions options = {},
                           const HotlineRhythm& rhythm = default_rhythm());

  // The next record, received at `at`. An empty `source` is drawn from the
  // mix of the hour; `burst`, with `day_bursts`, makes it a call about that event.
  SimIntake next(Timestamp at, std::string_view source = {}, const Burst* burst = nullptr);

  std::uint64_t seed() const { return seed_; }
  static const HotlineRhythm& default_rhythm();

 private:
  using Slots = std::map<std::string, std::string, std::less<>>;
  struct Plate {
    std::string canonical, written;
  };
  struct CallerMemory {
    std::string name, phone;
    bool anonymous = false, confidential = false;
    std::size_t matter = 0;
    Slots slots;  // the matter's places and objects
    Timestamp at;
  };

  std::size_t draw_matter(std::string_view source);
  void draw_caller(SimIntake& s, std::string_view source);
  std::string resolve(std::string_view slot, Slots& slots, const SimIntake& s, std::string& object);
  std::string plate(std::string_view kind, std::string& object);
  std::string when_phrase(Timestamp at);
  std::string phone();
  std::string external_id(std::string_view source, Timestamp at);
  std::string compose_text(SimIntake& s, Slots& slots, std::string_view who, std::string_view source,
                           std::string_view style, const CallerMemory* previous);
  const Slots& burst_slots(const Burst& burst);

  std::uint64_t seed_;
  GeneratorOptions options_;
  const HotlineRhythm& rhythm_;
  SimRandom rng_;
  std::vector<Plate> hot_taxis_, hot_cars_, hot_trucks_, hot_private_;
  std::vector<std::size_t> hot_routes_;  // into the "route" pool
  std::deque<CallerMemory> callers_;  // newest last
  std::map<std::pair<std::string, std::string>, long> serials_;  // (source, date) -> last serial
  std::unordered_map<std::uint64_t, Slots> bursts_;                // burst seed -> pinned slots
};

}  // namespace suqiu::sim
