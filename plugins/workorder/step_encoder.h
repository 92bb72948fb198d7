// The bureau's steps back to the platform (签收, 阶段反馈, 延期申请, 退单申请,
// 办结反馈): a RESULT body from the hub (docs/protocol.md 4.5) in, the
// platform's JSON body out, in its field names and step codes. No I/O: the
// runtime's delivery posts it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "workorder/mapping.h"

namespace suqiu::workorder {

// A RESULT body (protocol.md 4.5, nlohmann::json) -> the platform's JSON body for that step, with the
// mapping's field names and step codes; std::nullopt for a kind the mapping does not send (and for a
// body without a kind).
std::optional<std::string> encode_step(const nlohmann::json& result, const Mapping& mapping);

}  // namespace suqiu::workorder
