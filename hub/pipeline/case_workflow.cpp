#include "case_workflow.h"

#include <spdlog/spdlog.h>

#include "core/lifecycle.h"

namespace suqiu {
namespace {

using nlohmann::json;

// Reads a required string argument; empty strings count as missing.
std::optional<std::string> text_arg(const json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    return std::nullopt;
  return it->get<std::string>();
}

std::string note_of(const json& args) {
  auto n = text_arg(args, "note");
  return n.value_or("");
}

// Upstream platforms answer for the channels that hand over work orders.
bool upstream_source(std::string_view source) { return source != "walkin"; }

}  // namespace

ActionOutcome CaseWorkflow::apply(const Viewer& actor, std::int64_t case_id,
                                  std::string_view action_name, const json& args_in) {
  const json args = args_in.is_object() ? args_in : json::object();
  auto summary = store_.case_summary(case_id);
  if (!summary) return ActionOutcome::failure("E_NOT_FOUND", "no case " + std::to_string(case_id));
  const store::CaseSummary& c = *summary;
  const auto status = parse_case_status(c.status).value_or(CaseStatus::received);

  // A liaison acts only on the cases of their own section.
  if (actor.role == Role::liaison && (!actor.section || *actor.section != c.section))
    return ActionOutcome::failure("E_FORBIDDEN", "case " + c.case_no + " belongs to section " + c.section);

  store::CaseChange ch;
  ch.case_id = case_id;
  ch.actor = actor.name;
  ch.from_status = c.status;
  json detail = json::object();
  std::string upstream_kind;  // replied / closed / returned / transferred

  // Map the wire name onto the lifecycle table.
  std::optional<CaseAction> action;
  std::string name(action_name);
  if (name == "accept") name = "sign_for";
  if (name == "reclassify") {
    if (actor.role != Role::operator_ && actor.role != Role::leader)
      return ActionOutcome::failure("E_FORBIDDEN", "only operators and leaders reclassify");
    if (!is_open(status)) return ActionOutcome::failure("E_STATE", "case " + c.case_no + " is " + c.status);
  } else if (name == "reply" && status == CaseStatus::received && c.request_type == "inquiry") {
    action = CaseAction::close_directly;  // 直接办结: an inquiry answered on the call
    name = "close_directly";  // its history and counters (答复率) name it so
  } else if (name == "callback" && status == CaseStatus::closed && called_back_since_closing(case_id)) {
    // One call-back per closing: a second would count twice in the rates.
    return ActionOutcome::failure("E_STATE", "the call-back of case " + c.case_no + " is recorded already");
  } else {
    action = parse_case_action(name);
    if (!action || *action == CaseAction::close_directly)
      return ActionOutcome::failure("E_ARG_INVALID", "unknown action '" + name + "'", "action");
  }

  if (action) {
    Transition t = transition(status, *action, actor.role);
    if (t.error == TransitionError::wrong_state)
      return ActionOutcome::failure("E_STATE", "'" + name + "' is not possible while case " + c.case_no +
                                                   " is " + c.status);
    if (t.error == TransitionError::wrong_role)
      return ActionOutcome::failure("E_FORBIDDEN", "role " + std::string(to_code(actor.role)) +
                                                       " may not '" + name + "'");
    ch.to_status = std::string(to_code(*t.to));
    // 不满意 at the call-back → 重办: back to the section that handled it.
    if (*action == CaseAction::callback && text_arg(args, "satisfaction") == "dissatisfied")
      ch.to_status = std::string(to_code(CaseStatus::accepted));
  } else {
    ch.to_status = c.status;
  }

  switch (action.value_or(CaseAction::supervise)) {
    case CaseAction::dispatch: {
      auto section = text_arg(args, "section").value_or(c.section);
      if (!taxonomy_.section(section))
        return ActionOutcome::failure("E_ARG_INVALID", "unknown section " + section, "section");
      json assist = json::array();
      if (auto it = args.find("assist"); it != args.end()) {
        if (!it->is_array()) return ActionOutcome::failure("E_ARG_INVALID", "assist must be a list", "assist");
        for (const auto& s : *it) {
          if (!s.is_string() || !taxonomy_.section(s.get<std::string>()))
            return ActionOutcome::failure("E_ARG_INVALID", "unknown assisting section", "assist");
          assist.push_back(s);
        }
      }
      ch.section = section;
      ch.assisting_json = assist.dump();
      detail["section"] = section;
      detail["assist"] = assist;
      detail["sign_deadline"] = sla_.sign_deadline(Timestamp::now()).to_string();
      break;
    }
    case CaseAction::return_case: {
      auto reason = text_arg(args, "reason");
      if (!reason) return ActionOutcome::failure("E_ARG_MISSING", "a return needs a reason", "reason");
      detail["reason"] = *reason;
      if (auto basis = text_arg(args, "basis")) detail["basis"] = *basis;
      break;
    }
    case CaseAction::transfer: {
      auto to = text_arg(args, "to");
      auto reason = text_arg(args, "reason");
      if (!to) return ActionOutcome::failure("E_ARG_MISSING", "transfer needs the receiving organisation", "to");
      if (!reason) return ActionOutcome::failure("E_ARG_MISSING", "transfer needs a reason", "reason");
      detail["to"] = *to;
      detail["reason"] = *reason;
      upstream_kind = "return_request";  // 退单申请: the platform rules on it
      break;
    }
    case CaseAction::merge: {
      auto into = args.find("into");
      if (into == args.end() || !into->is_number_integer())
        return ActionOutcome::failure("E_ARG_MISSING", "merge needs the main case id", "into");
      std::int64_t main_id = into->get<std::int64_t>();
      if (main_id == case_id || !store_.case_summary(main_id))
        return ActionOutcome::failure("E_ARG_INVALID", "no other case " + std::to_string(main_id), "into");
      ch.duplicate_of = main_id;
      detail["into"] = main_id;
      break;
    }
    case CaseAction::request_extension: {
      auto days = args.find("days");
      auto reason = text_arg(args, "reason");
      if (days == args.end() || !days->is_number_integer() || *days < 1 || *days > 30)
        return ActionOutcome::failure("E_ARG_INVALID", "days must be 1 to 30 working days", "days");
      if (!reason) return ActionOutcome::failure("E_ARG_MISSING", "an extension needs a reason", "reason");
      if (Timestamp::now().epoch >= c.deadline_ts)
        return ActionOutcome::failure("E_STATE", "an extension must be asked before the deadline");
      ch.extension_days = days->get<std::int64_t>();
      detail["days"] = *days;
      detail["reason"] = *reason;
      break;
    }
    case CaseAction::approve_extension: {
      if (!c.extension_days)
        return ActionOutcome::failure("E_STATE", "case " + c.case_no + " has no extension request");
      auto approve = args.find("approve");
      if (approve == args.end() || !approve->is_boolean())
        return ActionOutcome::failure("E_ARG_MISSING", "approve must be true or false", "approve");
      std::int64_t days = *c.extension_days;
      if (auto d = args.find("days"); d != args.end() && d->is_number_integer() && *d >= 1 && *d <= 30)
        days = d->get<std::int64_t>();
      detail["approve"] = *approve;
      if (approve->get<bool>()) {
        Timestamp old{c.deadline_ts, kBeijingOffsetMinutes};
        auto date = sla_.calendar().add_working_days(old.local_date(), static_cast<int>(days));
        Timestamp moved = sla_.end_of_day(date);
        ch.deadline_ts = moved.epoch;
        ch.deadline = moved.to_string();
        detail["days"] = days;
        detail["deadline"] = *ch.deadline;
        detail["reason"] = last_detail(case_id, "extend_request").value("reason", "");
        ch.escalation = "none";
        upstream_kind = "extension_request";  // 延期申请: the platform rules on it
      }
      ch.extension_days = 0;
      break;
    }
    case CaseAction::reply: {
      auto result = text_arg(args, "result");
      auto reply = text_arg(args, "reply");
      if (!result) return ActionOutcome::failure("E_ARG_MISSING", "the handling result is missing", "result");
      if (!reply) return ActionOutcome::failure("E_ARG_MISSING", "the reply to the citizen is missing", "reply");
      detail["result"] = *result;
      detail["reply"] = *reply;
      break;
    }
    case CaseAction::close_directly: {
      auto reply = text_arg(args, "reply");
      if (!reply) return ActionOutcome::failure("E_ARG_MISSING", "the answer given is missing", "reply");
      detail["reply"] = *reply;
      detail["result"] = text_arg(args, "result").value_or(*reply);
      detail["direct"] = true;
      ch.closing = true;
      upstream_kind = "closed";
      break;
    }
    case CaseAction::approve_close:
      ch.closing = true;
      upstream_kind = "closed";
      break;
    case CaseAction::reject_reply: {
      auto reason = text_arg(args, "reason");
      if (!reason) return ActionOutcome::failure("E_ARG_MISSING", "say why the reply is not accepted", "reason");
      detail["reason"] = *reason;
      break;
    }
    case CaseAction::callback:
    case CaseAction::reopen: {
      auto sat = text_arg(args, "satisfaction");
      if (name == "callback") {
        if (!sat || (*sat != "satisfied" && *sat != "basically_satisfied" && *sat != "dissatisfied"))
          return ActionOutcome::failure(
              "E_ARG_INVALID", "satisfaction must be satisfied, basically_satisfied or dissatisfied",
              "satisfaction");
        ch.satisfaction = *sat;
        detail["satisfaction"] = *sat;
      } else {
        auto reason = text_arg(args, "reason");
        if (!reason) return ActionOutcome::failure("E_ARG_MISSING", "a reopening needs a reason", "reason");
        detail["reason"] = *reason;
      }
      break;
    }
    case CaseAction::sign_for:
      upstream_kind = "signed_for";
      break;
    case CaseAction::progress: {
      auto note = text_arg(args, "note");
      if (!note) return ActionOutcome::failure("E_ARG_MISSING", "an interim note needs its text", "note");
      detail["note"] = *note;
      upstream_kind = "progress";
      break;
    }
    case CaseAction::supervise:
      break;
  }
  if (name == "reclassify") {
    auto category = text_arg(args, "category");
    auto type = text_arg(args, "request_type");
    if (!category && !type)
      return ActionOutcome::failure("E_ARG_MISSING", "give a category or a request_type", "category");
    if (category && !taxonomy_.category(*category))
      return ActionOutcome::failure("E_ARG_INVALID", "unknown category " + *category, "category");
    if (type && !parse_request_type(*type))
      return ActionOutcome::failure("E_ARG_INVALID", "unknown request type " + *type, "request_type");
    ch.category = category;
    ch.request_type = type;
    detail["category"] = category ? json(*category) : json(c.category);
    detail["request_type"] = type ? json(*type) : json(c.request_type);
  }
  if (auto note = note_of(args); !note.empty()) detail["note"] = note;
  ch.action = name;
  ch.detail = detail.dump();

  if (!upstream_kind.empty() && upstream_source(c.source)) {
    // The reply the section wrote (or the direct answer) goes back upstream.
    json result = detail;
    if (upstream_kind == "closed" && !detail.contains("reply")) {
      auto d = store_.case_detail(case_id);
      for (auto it = d->history.rbegin(); it != d->history.rend(); ++it)
        if (it->action == "reply") {
          result = json::parse(it->detail, nullptr, false);
          break;
        }
    }
    auto record = store_.case_detail(case_id);
    json upstream = json::parse(record->record_json, nullptr, false).value("upstream", json::object());
    json body{{"case_id", case_id},
              {"case_number", c.case_no},
              {"source", c.source},
              {"external_id", c.external_id},
              {"kind", upstream_kind},
              {"status", ch.to_status},
              {"at", Timestamp::now().to_string()},
              {"section", ch.section.value_or(c.section)},
              {"result", upstream_kind == "closed" ? result.value("result", "") : ""},
              {"reply", result.value("reply", result.value("reason", result.value("note", "")))},
              {"upstream", upstream}};
    if (upstream_kind == "extension_request") {
      body["days"] = detail["days"];
      body["deadline"] = detail["deadline"];
    }
    if (upstream_kind == "return_request") body["to"] = detail["to"];
    ch.upstream_result = body.dump();
  }

  ActionOutcome out;
  try {
    out.seq = store_.apply_change(ch);
  } catch (const store::CaseMoved& e) {
    return ActionOutcome::failure("E_STATE", e.what());  // someone else moved it first
  }  // any other StoreError is the store failing, not the lifecycle: the caller answers it
  out.ok = true;
  out.event = name;
  out.result_queued = ch.upstream_result.has_value();
  out.case_json = summary_json(*store_.case_summary(case_id), actor);
  return out;
}

CaseWorkflow::NoticeOutcome CaseWorkflow::apply_notice(const PlatformNotice& n) {
  NoticeOutcome out;
  if (auto applied = store_.notice_case(n.source, n.notice_id)) {
    auto c = store_.case_summary(*applied);
    out.ok = out.duplicate = true;
    out.case_id = *applied;
    if (c) out.case_no = c->case_no;
    return out;
  }
  auto id = store_.find_case(n.source, n.external_id);
  auto summary = id ? store_.case_summary(*id) : std::nullopt;
  if (!summary) {
    out.code = "E_NOT_FOUND";
    out.field = "external_id";
    out.message = "no case from " + n.source + " with external_id " + n.external_id;
    return out;
  }
  const store::CaseSummary& c = *summary;
  const auto status = parse_case_status(c.status).value_or(CaseStatus::received);
  const std::string kind(to_code(n.kind));

  store::CaseChange ch;
  ch.case_id = c.id;
  ch.actor = "platform:" + n.source;
  ch.action = "notice_" + kind;
  ch.from_status = ch.to_status = c.status;
  ch.notice = store::CaseChange::NoticeKey{n.source, n.notice_id, kind};
  json detail{{"notice_id", n.notice_id}, {"at", n.at.to_string()}};
  if (!n.note.empty()) detail["note"] = n.note;
  if (n.approved) detail["approved"] = *n.approved;

  switch (n.kind) {
    case NoticeKind::reminder:  // 催办: at least the reminder mark
      if (is_open(status) && parse_escalation(c.escalation) < Escalation::reminder) ch.escalation = "reminder";
      break;
    case NoticeKind::supervision:  // 督办
      if (is_open(status)) ch.escalation = "supervision";
      break;
    case NoticeKind::withdrawn:  // 撤单: closed, but neither in time nor late
      if (is_open(status)) ch.to_status = std::string(to_code(CaseStatus::closed));
      break;
    case NoticeKind::return_ruling:  // a refused 退单申请 puts it back to its section
      if (!*n.approved && status == CaseStatus::transferred)
        ch.to_status = std::string(to_code(CaseStatus::assigned));
      break;
    case NoticeKind::extension_ruling:  // the deadline the platform set, if it says
      if (n.deadline) {
        const Timestamp local = n.deadline->in_offset(kBeijingOffsetMinutes);
        ch.deadline_ts = local.epoch;
        ch.deadline = local.to_string();
        detail["deadline"] = *ch.deadline;
        if (local.epoch > Timestamp::now().epoch) ch.escalation = "none";
      }
      break;
    case NoticeKind::callback:  // the platform's 回访 is the case's call-back
      detail["satisfaction"] = *n.satisfaction;
      if (status == CaseStatus::closed && !called_back_since_closing(c.id)) {
        ch.satisfaction = *n.satisfaction;
        if (*n.satisfaction == "dissatisfied") ch.to_status = std::string(to_code(CaseStatus::accepted));
      } else {
        detail["counted"] = false;  // a call-back of this closing is recorded already, or it is open
      }
      break;
  }
  ch.detail = detail.dump();
  try {
    out.seq = store_.apply_change(ch);
  } catch (const store::CaseMoved& e) {
    // The writer is the only one changing cases and read it just now.
    out.code = "E_INTERNAL";
    out.message = e.what();
    return out;
  }
  out.ok = true;
  out.case_id = c.id;
  out.case_no = c.case_no;
  out.event = ch.action;
  out.status = ch.to_status;
  out.section = c.section;
  return out;
}

json CaseWorkflow::last_detail(std::int64_t case_id, std::string_view action) {
  auto d = store_.case_detail(case_id);
  if (!d) return json::object();
  for (auto it = d->history.rbegin(); it != d->history.rend(); ++it)
    if (it->action == action) {
      json j = json::parse(it->detail, nullptr, false);
      return j.is_object() ? j : json::object();
    }
  return json::object();
}

bool CaseWorkflow::called_back_since_closing(std::int64_t case_id) {
  auto detail = store_.case_detail(case_id);
  if (!detail) return false;
  bool called_back = false;
  for (const auto& e : detail->history) {
    if (e.to_status == "closed" && e.from_status != "closed") called_back = false;
    if (e.action == "callback" || e.action == "notice_callback") called_back = true;
  }
  return called_back;
}

std::vector<CaseWorkflow::Escalated> CaseWorkflow::escalate(Timestamp now, int limit) {
  std::vector<Escalated> out;
  // Cases whose warning point has passed: deadline within the warning lead.
  Timestamp horizon = now;
  horizon.epoch += 40 * 86400;  // generous; the exact level comes from SlaPolicy
  for (const auto& c : store_.open_cases_due_before(horizon.epoch, limit)) {
    Escalation level = sla_.escalation({c.deadline_ts, kBeijingOffsetMinutes}, now);
    if (level <= parse_escalation(c.escalation)) continue;  // the ladder is climbed once
    const std::string code(to_code(level));
    store::CaseChange ch;
    ch.case_id = c.id;
    ch.actor = "system";
    ch.action = code;
    ch.from_status = c.status;
    ch.to_status = c.status;
    ch.escalation = code;
    ch.detail = json{{"deadline", c.deadline}}.dump();
    try {
      out.push_back({c.id, store_.apply_change(ch), code});
    } catch (const store::CaseMoved&) {
      // The case moved on between the query and the change: next round decides.
    } catch (const store::StoreError& e) {
      // The store failed: what this round escalated so far stands (each change
      // is its own transaction); the next round takes up the rest.
      spdlog::error("deadline timers: round stopped at case {}: {}", c.case_no, e.what());
      break;
    }
  }
  return out;
}

}  // namespace suqiu
