// One case as the console's detail pane shows it: its fields (masked by the
// hub as the user's role requires), its history, and the actions the
// lifecycle table offers this user in the case's state, each with the form
// it asks for. The hub checks every action again (role, section, state);
// offering only the possible ones spares the user a refusal, it is not the
// check.
#pragma once

#include <cstdint>
#include <functional>
#include <variant>
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

  // Loads a case; `done` gets nothing or the ApiError (E_FORBIDDEN for
  // another section's case). A load overtaken by a newer one completes silently.
  using Done = std::function<void(Outcome<std::monostate>)>;
  void load(std::int64_t case_id, Done done);
  // The case last asked for, loaded or on its way; 0 for none.
  std::int64_t wanted() const { return wanted_; }
  bool loading() const { return asked_ != answered_; }
  bool running() const { return running_; }  // an action is on its way
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
  // `done` gets the message to show when it cannot be done (a required
  // input empty, a number that is not one, the hub's refusal, an action
  // already on its way); nullopt when the hub did it and the case has been
  // loaded again.
  void run(const std::string& action, const std::map<std::string, std::string>& values,
           std::function<void(std::optional<std::string>)> done);

 private:
  void apply(std::int64_t case_id, const nlohmann::json& data);
  // The action's arguments, or why it cannot be sent.
  std::variant<nlohmann::json, std::string> check(const std::string& action,
                                                  const std::map<std::string, std::string>& values) const;

  ConsoleSession& session_;
  Words words_;
  std::int64_t case_id_ = 0;
  std::string case_number_, status_, request_type_, section_;
  std::vector<FieldLine> fields_;
  std::vector<HistoryLine> history_;
  std::vector<ActionForm> actions_;
  std::int64_t wanted_ = 0;
  std::uint64_t asked_ = 0, answered_ = 0;
  bool running_ = false;
  Lifetime alive_;
};

// The form of one lifecycle action, in the user's words.
ActionForm action_form(CaseAction action, const Words& words, const std::string& current_section);
// 改类: the operator's correction of the category or the request type.
ActionForm reclassify_form(const Words& words, const std::string& category, const std::string& request_type);
// The label of an action code as it appears in the history ("dispatch" -> 派单).
std::string action_label(std::string_view code, const Words& words);

}  // namespace suqiu::console
