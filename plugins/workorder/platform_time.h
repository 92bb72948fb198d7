// Times as platforms write them: "2026-11-26 09:15:00", "20261126091500",
// "2026/11/26 9:15", with or without an offset, or seconds since the epoch.
// Local times are Beijing's (+08:00); the intake gets RFC 3339 in +08:00.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"

namespace suqiu::workorder {

// Conversions: %Y (4 digits), %m %d %H %M %S (1 or 2 digits), %f (a fraction,
// dropped), %z (Z, +08:00, +0800 or +08), %s (seconds since the epoch), %Q
// (milliseconds since the epoch), %% (a percent sign). Everything else is
// literal. "" when the format is usable, else why not.
std::string time_format_problem(std::string_view format);

// RFC 3339 first, then each format in turn. A format without %H gives the
// start of that day, or its last second when `date_means_end_of_day` (a
// deadline "2026-12-02" is the whole of that day).
std::optional<Timestamp> parse_platform_time(std::string_view text, const std::vector<std::string>& formats,
                                             bool date_means_end_of_day = false);

// The same conversions written out, in Beijing time; %z is "+0800".
std::string format_platform_time(const Timestamp& at, std::string_view format);

}  // namespace suqiu::workorder
