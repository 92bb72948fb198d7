// Case actions as the hub applies them: the wire's action names and arguments
// checked against the lifecycle table (state × action × role), the liaison's
// section, and each action's own rules; then one store transaction that moves
// the case, writes its history and audit entry, and queues the result owed
// upstream. Runs on the thread that owns the writer Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "case_views.h"
#include "core/platform_notice.h"
#include "core/sla_policy.h"
#include "core/taxonomy.h"
#include "store/store.h"

namespace suqiu {

struct ActionOutcome {
  bool ok = false;
  std::string code;     // E_FORBIDDEN, E_STATE, E_NOT_FOUND, E_ARG_MISSING, E_ARG_INVALID
  std::string message;
  std::string field;
  std::int64_t seq = 0;        // the event's sequence number
  std::string event;           // the event name published (action, or "callback")
  nlohmann::json case_json;    // the case after the action, as the actor may see it
  bool result_queued = false;  // a RESULT for the upstream platform was queued

  static ActionOutcome failure(std::string code, std::string message, std::string field = "") {
    ActionOutcome o;
    o.code = std::move(code);
    o.message = std::move(message);
    o.field = std::move(field);
    return o;
  }
};

class CaseWorkflow {
 public:
  CaseWorkflow(store::Store& writer, const Taxonomy& taxonomy, const SlaPolicy& sla)
      : store_(writer), taxonomy_(taxonomy), sla_(sla) {}

  // `action` is a wire name of docs/protocol.md §5.2 (plus `reclassify`).
  ActionOutcome apply(const Viewer& actor, std::int64_t case_id, std::string_view action,
                      const nlohmann::json& args);

  // Raises 预警/催办/督办 on open cases whose level has risen by `now`; returns
  // the events written (case id, sequence, level).
  struct Escalated {
    std::int64_t case_id;
    std::int64_t seq;
    std::string level;
  };
  std::vector<Escalated> escalate(Timestamp now, int limit = 500);

  // A platform's notice (protocol §4.6) applied to the case it names, once:
  // a notice applied before comes back `duplicate` and changes nothing.
  // Refusals: E_NOT_FOUND (no such case). Store failures throw, as apply's.
  struct NoticeOutcome {
    bool ok = false;
    std::string code, field, message;
    bool duplicate = false;
    std::int64_t case_id = 0, seq = 0;
    std::string case_no, event, status, section;
  };
  NoticeOutcome apply_notice(const PlatformNotice& notice);

 private:
  // The detail of the case's latest history entry of `action` ({} if none).
  nlohmann::json last_detail(std::int64_t case_id, std::string_view action);
  // A call-back is recorded for the case's latest closing.
  bool called_back_since_closing(std::int64_t case_id);

  store::Store& store_;
  const Taxonomy& taxonomy_;
  const SlaPolicy& sla_;
};

}  // namespace suqiu
