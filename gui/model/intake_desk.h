// An intake taken at the desk: a call on the 12328 or 12345 line, a visitor
// (来访), a letter. The operator types what the caller says; the hub
// classifies, routes and sets the deadline as for any feed, and answers with
// the case number to read back to the caller (api case.create).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "console_session.h"
#include "core/words.h"

namespace suqiu::console {

struct NewIntake {
  std::string source = "12328";  // 12328, 12345, walkin, reportbox
  std::string caller_name, caller_phone;
  bool anonymous = false;
  bool confidential = false;     // the caller asks that their identity be protected
  std::string request_type;      // empty: the classifier decides
  std::string subject, content, address;
  bool urgent = false;
};

struct TakenIntake {
  std::int64_t case_id = 0;
  std::string case_number;
  bool duplicate = false;  // the same intake had already been stored (a resend)
  // What the hub decided, in words, to tell the caller.
  std::string request_type, category, section, deadline;
};

class IntakeDesk {
 public:
  IntakeDesk(ConsoleSession& session, Words words);

  // The sources a desk takes intakes for, code and label.
  std::vector<std::pair<std::string, std::string>> sources() const;
  // "" (let the classifier decide) and the six request types.
  std::vector<std::pair<std::string, std::string>> request_types() const;

  // An id for one intake: made when the form opens and kept for every try,
  // so that a try whose answer was lost and the next one make one case.
  std::string new_external_id() const;

  // Sends the intake; `done` gets the case, or the message to show when it
  // cannot be taken (content missing, the hub's refusal naming the field, no
  // answer).
  using Taken = std::variant<TakenIntake, std::string>;
  void take(const NewIntake& intake, const std::string& external_id, std::function<void(Taken)> done);

 private:
  ConsoleSession& session_;
  Words words_;
};

}  // namespace suqiu::console
