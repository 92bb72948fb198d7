// CaseStory: the life a case will have at the desk, for the history mode,
// drawn when it is stored: the actions of docs/protocol.md §5.2 in order,
// each with who takes it and after what delay. Most cases are dispatched,
// signed for, replied to and closed in time; some are late, some extended,
// some returned (a wrong section, an unclear matter) and dispatched again,
// some reclassified first; matters outside the bureau are transferred,
// duplicates merged, inquiries answered on the call (直接办结); closed cases
// are called back, mostly satisfied, and a dissatisfied call-back sends the
// case back to its section (重办). A few stall and stay open past their
// deadline.
//
// Pure: the same facts and random stream give the same story.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codes.h"
#include "core/taxonomy.h"
#include "core/timestamp.h"
#include "sim/office_hours.h"
#include "sim/sim_random.h"

namespace suqiu::sim {

enum class Actor { operator_, liaison, leader };

struct Delay {
  enum class Kind {
    work,             // working minutes after the previous step
    clock,            // minutes after the previous step, day or night
    toward_deadline,  // `value` of the working time left to the case's deadline
    past_deadline,    // working minutes after the case's deadline
  };
  Kind kind = Kind::work;
  double value = 0;
};

struct Step {
  std::string action;   // wire name: dispatch, sign_for, reply, ...
  Actor actor = Actor::operator_;
  std::string section;  // the liaison's section
  int who = 0;          // which operator or leader of the desk
  nlohmann::json args = nlohmann::json::object();
  Delay delay;
  bool optional = false;  // refused (the case moved on, a deadline passed): skip it, go on
};

// What the desk knows of a case when it is stored.
struct CaseFacts {
  std::string source;
  RequestType hub_type = RequestType::complaint;  // what the hub decided
  std::string hub_category, hub_section;
  RequestType true_type = RequestType::complaint;  // what the citizen meant
  std::string true_category;
  std::optional<std::int64_t> duplicate_of;  // the hub's suspicion
  bool reachable = true;                     // a phone to call back
  std::string subject, object, transfer_to;
};

class CaseStory {
 public:
  static std::vector<Step> plan(const CaseFacts& facts, SimRandom& rng,
                                const Taxonomy& taxonomy = Taxonomy::builtin());

  // When a step falls due: at least a minute after the previous one.
  static Timestamp due(const Delay& delay, Timestamp previous, Timestamp deadline, const OfficeHours& hours);
};

}  // namespace suqiu::sim
