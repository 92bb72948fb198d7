// One case as the console's detail pane shows it: its fields (masked by the
// hub as the user's role requires), its history, and the actions the
// lifecycle table offers this user in the case's state, each with the form
// it asks for. The hub checks every action again (role, section, state);
// offering only the possible ones spares the user a refusal, it is not the
// check.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "console_session.h"
#include "core/lifecycle.h"
#include "core/words.h"

namespace suqiu::console {

struct FieldLine {
  std::string label, value;
};

struct HistoryLine {
  std::string at, actor, action, change, note;  // change: "已受理 → 已派单"
};

// One input of an action's form.
struct ActionInput {
  enum class Kind { text, long_text, number, choice, choices };  // choices: any number, sent as a list
  std::string name;   // the argument's name on the wire (protocol 5.2)
  std::string label;
  Kind kind = Kind::text;
  bool required = false;
  std::vector<std::pair<std::string, std::string>> choices;  // code, label
  std::string initial;  // for `choices`: codes separated by commas
};

struct ActionForm {
  std::string action;     // the wire name (close_directly goes as "reply")
  std::string label;      // 派单
  std::vector<ActionInput> inputs;
};

class CaseDetail {
 public:
  CaseDetail(ConsoleSession& session, Words words) : session_(session), words_(words) {}

  // Loads a case; throws ApiError (E_FORBIDDEN for another section's case).
  void load(std::int64_t case_id);
  void clear();
  bool loaded() const { return case_id_ != 0; }
  std::int64_t case_id() const { return case_id_; }
  const std::string& case_number() const { return case_number_; }
  const std::string& status() const { return status_; }

  const std::vector<FieldLine>& fields() const { return fields_; }
  const std::vector<HistoryLine>& history() const { return history_; }
  const std::vector<ActionForm>& actions() const { return actions_; }
  // The whole case as text, for a read-only pane or the clipboard.
  std::string as_text() const;

  // Runs one of actions() with what the user entered (input name -> text;
  // for `choices` the chosen codes separated by commas).
  // Returns the message to show when it cannot be done (a required input
  // empty, a number that is not one, the hub's refusal); nullopt when the hub
  // did it, after which the case is loaded again.
  std::optional<std::string> run(const std::string& action, const std::map<std::string, std::string>& values);

 private:
  ConsoleSession& session_;
  Words words_;
  std::int64_t case_id_ = 0;
  std::string case_number_, status_, request_type_, section_;
  std::vector<FieldLine> fields_;
  std::vector<HistoryLine> history_;
  std::vector<ActionForm> actions_;
};

// The form of one lifecycle action, in the user's words.
ActionForm action_form(CaseAction action, const Words& words, const std::string& current_section);
// 改类: the operator's correction of the category or the request type.
ActionForm reclassify_form(const Words& words, const std::string& category, const std::string& request_type);
// The label of an action code as it appears in the history ("dispatch" -> 派单).
std::string action_label(std::string_view code, const Words& words);

}  // namespace suqiu::console
