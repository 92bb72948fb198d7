// A platform's notice about a work order it sent before (protocol §4.6): a
// reminder (催办), a supervision order (督办), a withdrawal (撤单), its ruling
// on the bureau's return or extension request, its own call-back rating.
// Parsed and validated here, with the same codes and field paths as an
// intake record; applied to the case by CaseWorkflow::apply_notice.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "intake_record.h"
#include "timestamp.h"

namespace suqiu {

enum class NoticeKind { reminder, supervision, withdrawn, return_ruling, extension_ruling, callback };

std::string_view to_code(NoticeKind kind);
std::optional<NoticeKind> parse_notice_kind(std::string_view code);

struct PlatformNotice {
  std::string source, external_id, notice_id;
  NoticeKind kind = NoticeKind::reminder;
  Timestamp at;
  std::string note;
  std::optional<bool> approved;          // the rulings
  std::optional<Timestamp> deadline;     // extension_ruling
  std::optional<std::string> satisfaction;  // callback
};

using NoticeParse = std::variant<PlatformNotice, IntakeError>;

inline constexpr std::size_t kMaxNoticeNoteBytes = 4096;

NoticeParse parse_notice(std::string_view json_text);

}  // namespace suqiu
