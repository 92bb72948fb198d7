#include "case_detail.h"

#include <charconv>

#include "case_list.h"
#include "core/taxonomy.h"

namespace suqiu::console {

using nlohmann::json;
using Kind = ActionInput::Kind;

namespace {

std::string text_of(const json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

std::string joined(const json& list, const Words& w) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& s : list) {
    if (!out.empty()) out += "、";
    out += w.section(text_of(s));
  }
  return out;
}

std::string satisfaction_label(std::string_view code, const Words& w) {
  if (code == "satisfied") return std::string(w("满意", "satisfied"));
  if (code == "basically_satisfied") return std::string(w("基本满意", "basically satisfied"));
  if (code == "dissatisfied") return std::string(w("不满意", "dissatisfied"));
  return std::string(code);
}

}  // namespace

std::string action_label(std::string_view code, const Words& w) {
  struct Name {
    std::string_view code, zh, en;
  };
  static const Name kNames[] = {
      {"intake", "受理", "intake"},           {"dispatch", "派单", "dispatch"},
      {"sign_for", "签收", "sign for"},       {"accept", "签收", "sign for"},
      {"return", "退单", "return"},           {"transfer", "转办", "transfer"},
      {"close_directly", "直接办结", "close directly"}, {"merge", "合并", "merge"},
      {"extend_request", "延期申请", "request extension"},
      {"extend_approve", "延期审批", "decide extension"},
      {"reply", "答复", "reply"},             {"approve_close", "审核办结", "approve and close"},
      {"reject_reply", "退回重办", "reject reply"}, {"callback", "回访", "call back"},
      {"reopen", "重办", "reopen"},           {"supervise", "督办", "supervise"},
      {"warning", "预警", "warning"},         {"reminder", "催办", "reminder"},
      {"supervision", "督办", "supervision"}, {"reclassify", "改类", "reclassify"},
      {"progress", "阶段反馈", "interim note"},
      {"notice_reminder", "平台催办", "platform reminder"},
      {"notice_supervision", "平台督办", "platform supervision"},
      {"notice_withdrawn", "平台撤单", "withdrawn by the platform"},
      {"notice_return_ruling", "退单审核结果", "platform ruling on the return"},
      {"notice_extension_ruling", "延期审核结果", "platform ruling on the extension"},
      {"notice_callback", "平台回访", "platform call-back"},
  };
  for (const auto& n : kNames)
    if (n.code == code) return std::string(w(n.zh, n.en));
  return std::string(code);
}

ActionForm action_form(CaseAction action, const Words& w, const std::string& current_section) {
  auto text = [&](std::string name, std::string_view zh, std::string_view en, bool required,
                  Kind kind = Kind::text) {
    ActionInput i;
    i.name = std::move(name);
    i.label = std::string(w(zh, en));
    i.kind = kind;
    i.required = required;
    return i;
  };
  const std::string code(to_code(action));
  ActionForm f{code, action_label(code, w), {}};
  switch (action) {
    case CaseAction::dispatch: {
      ActionInput section = text("section", "承办科室", "Section", true, Kind::choice);
      for (const auto& s : Taxonomy::builtin().sections())
        section.choices.emplace_back(s.code, w.english() ? s.name_en : s.name_zh);
      section.initial = current_section;
      ActionInput assist = text("assist", "协办科室", "Assisting sections", false, Kind::choices);
      assist.choices = section.choices;
      f.inputs = {section, assist, text("note", "派单意见", "Note", false, Kind::long_text)};
      break;
    }
    case CaseAction::sign_for:
    case CaseAction::approve_close:
      f.inputs = {text("note", "意见", "Note", false, Kind::long_text)};
      break;
    case CaseAction::return_case:
      f.inputs = {text("reason", "退单理由", "Reason", true, Kind::long_text),
                  text("basis", "依据", "Basis", false)};
      break;
    case CaseAction::transfer:
      f.inputs = {text("to", "转至单位", "To (organisation)", true),
                  text("reason", "转办理由", "Reason", true, Kind::long_text)};
      break;
    case CaseAction::close_directly:
      f.action = "reply";  // the hub closes an inquiry in `received` on a reply
      f.inputs = {text("reply", "答复内容", "Answer given", true, Kind::long_text)};
      break;
    case CaseAction::merge:
      f.inputs = {text("into", "并入案件（内部号）", "Into case (id)", true, Kind::number)};
      break;
    case CaseAction::request_extension:
      f.inputs = {text("days", "延期工作日", "Working days", true, Kind::number),
                  text("reason", "延期理由", "Reason", true, Kind::long_text)};
      break;
    case CaseAction::approve_extension: {
      ActionInput approve = text("approve", "审批", "Decision", true, Kind::choice);
      approve.choices = {{"true", std::string(w("同意", "approve"))},
                         {"false", std::string(w("不同意", "refuse"))}};
      approve.initial = "true";
      f.inputs = {approve, text("days", "批准工作日", "Working days", false, Kind::number),
                  text("note", "意见", "Note", false, Kind::long_text)};
      break;
    }
    case CaseAction::reply:
      f.inputs = {text("result", "办理结果", "Result", true, Kind::long_text),
                  text("reply", "答复群众", "Reply to the citizen", true, Kind::long_text)};
      break;
    case CaseAction::reject_reply:
      f.inputs = {text("reason", "退回理由", "Reason", true, Kind::long_text)};
      break;
    case CaseAction::callback: {
      ActionInput s = text("satisfaction", "满意度", "Satisfaction", true, Kind::choice);
      for (const char* c : {"satisfied", "basically_satisfied", "dissatisfied"})
        s.choices.emplace_back(c, satisfaction_label(c, w));
      s.initial = "satisfied";
      f.inputs = {s, text("note", "回访记录", "Note", false, Kind::long_text)};
      break;
    }
    case CaseAction::reopen:
      f.inputs = {text("reason", "重办理由", "Reason", true, Kind::long_text)};
      break;
    case CaseAction::supervise:
      f.inputs = {text("note", "督办意见", "Note", true, Kind::long_text)};
      break;
    case CaseAction::progress:
      f.inputs = {text("note", "阶段反馈", "Interim note", true, Kind::long_text)};
      break;
  }
  return f;
}

ActionForm reclassify_form(const Words& w, const std::string& category, const std::string& request_type) {
  ActionForm f{"reclassify", action_label("reclassify", w), {}};
  ActionInput c{"category", std::string(w("类别", "Category")), Kind::choice, true, {}, category};
  for (const auto& cat : Taxonomy::builtin().categories())
    c.choices.emplace_back(cat.code, w.english() ? cat.name_en : cat.name_zh);
  ActionInput t{"request_type", std::string(w("诉求类型", "Request type")), Kind::choice, true, {}, request_type};
  for (RequestType rt : kRequestTypes) t.choices.emplace_back(std::string(to_code(rt)), w.request_type(to_code(rt)));
  ActionInput note{"note", std::string(w("改类说明", "Why")), Kind::long_text, false, {}, {}};
  f.inputs = {c, t, note};
  return f;
}

void CaseDetail::clear() {
  case_id_ = wanted_ = 0;
  case_number_.clear();
  status_.clear();
  fields_.clear();
  history_.clear();
  actions_.clear();
}

void CaseDetail::load(std::int64_t case_id, Done done) {
  const std::uint64_t ask = ++asked_;
  wanted_ = case_id;
  session_.request("case.get", {{"case_id", case_id}},
                   alive_.guard([this, ask, case_id, done = std::move(done)](Outcome<json> outcome) {
                     if (ask != asked_) return;  // a newer load is on its way
                     answered_ = ask;
                     if (!outcome.ok()) return done(outcome.error());
                     apply(case_id, outcome.value());
                     done(std::monostate{});
                   }));
}

void CaseDetail::apply(std::int64_t case_id, const json& data) {
  const json& c = data.at("case");
  const Words& w = words_;
  clear();
  case_id_ = wanted_ = case_id;
  case_number_ = c.value("case_number", c.value("case_no", std::string()));
  status_ = c.value("status", "");
  request_type_ = c.value("request_type", "");
  section_ = c.value("section", "");

  auto add = [&](std::string_view zh, std::string_view en, std::string value) {
    if (!value.empty()) fields_.push_back({std::string(w(zh, en)), std::move(value)});
  };
  std::string status = w.status(status_);
  if (c.value("overdue", false)) status += std::string(w("（超期）", " (overdue)"));
  add("编号", "Number", case_number_);
  add("状态", "Status", status);
  add("渠道", "Channel", w.source(c.value("source", "")) + "  " + c.value("external_id", ""));
  add("类型", "Type", w.request_type(request_type_));
  std::string category = w.category(c.value("category", ""));
  if (c.value("needs_review", false)) category += std::string(w("（待人工确认）", " (to be checked)"));
  add("类别", "Category", category);
  add("承办科室", "Section", w.section(section_));
  add("协办科室", "Assisting", joined(c.value("assist", json::array()), w));
  add("受理时间", "Received", short_time(c.value("received_at", "")));
  add("办理时限", "Deadline", short_time(c.value("deadline", "")));
  if (c.value("urgent", false)) add("紧急", "Urgent", std::string(w("是", "yes")));
  std::string caller = c.value("caller_name", "");
  const std::string phone = c.value("caller_phone", "");
  if (!phone.empty()) caller += (caller.empty() ? "" : "  ") + phone;
  if (c.value("identity_protected", false)) caller += std::string(w("（身份保护）", " (identity protected)"));
  add("来电人", "Caller", caller);
  if (auto loc = c.find("location"); loc != c.end() && loc->is_object())
    add("地点", "Place", text_of(loc->value("address", json())));
  add("标题", "Subject", c.value("subject", ""));
  add("内容", "Content", c.value("content", ""));
  if (c.contains("duplicate_of") && !c["duplicate_of"].is_null())
    add("疑似重复", "Possible duplicate of", "#" + text_of(c["duplicate_of"]));
  std::string attachments;
  for (const auto& a : c.value("attachments", json::array())) {
    if (!a.is_object()) continue;
    if (!attachments.empty()) attachments += "；";
    attachments += a.value("name", std::string("?"));
    if (a.contains("uri") && a["uri"].is_string()) attachments += " <" + a["uri"].get<std::string>() + ">";
  }
  if (c.value("attachments_withheld", false))
    attachments = std::string(w("（与身份一并保护，不予显示）", "(withheld with the identity)"));
  add("附件", "Attachments", attachments);
  add("办理结果", "Result", text_of(c.value("result", json())));
  add("答复", "Reply", text_of(c.value("reply", json())));
  if (c.contains("satisfaction") && c["satisfaction"].is_string())
    add("回访满意度", "Satisfaction", satisfaction_label(c["satisfaction"].get<std::string>(), w));

  for (const auto& e : data.value("history", json::array())) {
    HistoryLine h;
    h.at = short_time(e.value("at", ""));
    h.actor = e.value("actor", "");
    h.action = action_label(e.value("action", ""), w);
    const std::string from = text_of(e.value("from", json())), to = text_of(e.value("to", json()));
    if (!to.empty() && from != to) h.change = (from.empty() ? "" : w.status(from) + " → ") + w.status(to);
    h.note = text_of(e.value("note", json()));
    if (h.note.empty() && e.contains("data") && e["data"].is_object())
      for (const char* key : {"reason", "reply", "satisfaction"})
        if (e["data"].contains(key)) {
          h.note = text_of(e["data"][key]);
          break;
        }
    history_.push_back(std::move(h));
  }

  const auto status_code = parse_case_status(status_);
  if (!status_code) return;
  const Role role = session_.who().role;
  for (CaseAction a : kCaseActions) {
    if (!transition(*status_code, a, role)) continue;
    if (a == CaseAction::close_directly && request_type_ != "inquiry") continue;
    // A liaison acts on their own section's cases; the hub says so too, but
    // a button that can only be refused is noise.
    if (role == Role::liaison && session_.who().section && *session_.who().section != section_) continue;
    actions_.push_back(action_form(a, w, section_));
  }
  // Checking the suggested category (改类) is the desk's, while the case is open.
  if ((role == Role::operator_ || role == Role::leader) && is_open(*status_code))
    actions_.push_back(reclassify_form(w, c.value("category", ""), request_type_));
}

std::string CaseDetail::as_text() const {
  std::string out;
  for (const auto& f : fields_) out += f.label + "：" + f.value + "\n";
  if (!history_.empty()) out += "\n" + std::string(words_("办理记录", "History")) + "\n";
  for (const auto& h : history_) {
    out += h.at + "  " + h.actor + "  " + h.action;
    if (!h.change.empty()) out += "  " + h.change;
    if (!h.note.empty()) out += "  " + h.note;
    out += "\n";
  }
  return out;
}

void CaseDetail::run(const std::string& action, const std::map<std::string, std::string>& values,
                     std::function<void(std::optional<std::string>)> done) {
  auto refused = check(action, values);
  if (auto* why = std::get_if<std::string>(&refused)) return done(*why);
  running_ = true;
  const std::int64_t case_id = case_id_;
  session_.request(
      "case.action", std::get<json>(std::move(refused)),
      alive_.guard([this, case_id, done = std::move(done)](Outcome<json> outcome) mutable {
        if (!outcome.ok()) {
          running_ = false;
          return done(std::string(outcome.error().what()));
        }
        // Done on the hub: what the form shows next is the case as it is now.
        load(case_id, [this, done = std::move(done)](Outcome<std::monostate> loaded) {
          running_ = false;
          done(loaded.ok() ? std::nullopt : std::optional<std::string>(loaded.error().what()));
        });
      }));
}

std::variant<json, std::string> CaseDetail::check(const std::string& action,
                                                  const std::map<std::string, std::string>& values) const {
  if (running_) return std::string(words_("正在提交，请稍候", "already on its way, a moment please"));
  const ActionForm* form = nullptr;
  for (const auto& f : actions_)
    if (f.action == action) form = &f;
  if (!form) return std::string(words_("此案件当前不能执行该操作", "this action is not open for this case now"));

  json args = {{"case_id", case_id_}, {"action", form->action}};
  for (const auto& input : form->inputs) {
    auto it = values.find(input.name);
    std::string v = it == values.end() ? "" : it->second;
    const auto first = v.find_first_not_of(" \t\r\n"), last = v.find_last_not_of(" \t\r\n");
    v = first == std::string::npos ? "" : v.substr(first, last - first + 1);
    if (v.empty()) {
      if (input.required) return input.label + std::string(words_("：必须填写", ": required"));
      continue;
    }
    if (input.kind == Kind::number) {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size())
        return input.label + std::string(words_("：应为整数", ": a whole number, please"));
      args[input.name] = n;
    } else if (input.kind == Kind::choices) {
      json list = json::array();
      for (std::string_view rest = v; !rest.empty();) {
        const auto comma = rest.find(',');
        list.push_back(std::string(rest.substr(0, comma)));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
      }
      args[input.name] = list;
    } else if (input.name == "approve") {
      args[input.name] = v == "true";
    } else {
      args[input.name] = v;
    }
  }
  return args;
}

}  // namespace suqiu::console
