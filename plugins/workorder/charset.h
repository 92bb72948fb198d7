// The charsets platforms export in: UTF-8 (with or without a BOM, which Excel
// and Windows tools add), GB18030 and its subsets GBK and GB2312. Everything
// after this point is UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace suqiu::workorder {

enum class Charset { utf8, gb18030 };

// A charset name from a Content-Type ("GBK", "charset=gb2312", "UTF-8") or a
// config, any case; "" and unknown names give nullopt. GBK, GB2312, CP936 and
// their aliases decode as GB18030, their superset (as browsers do: a file
// labelled GB2312 usually holds GBK characters).
std::optional<Charset> parse_charset(std::string_view declared);

// Bytes in UTF-8 (with or without BOM), GB18030, GBK or GB2312 -> UTF-8. `declared` is a charset name from a
// Content-Type or a config ("" = detect: a UTF-8 BOM, else valid UTF-8, else GB18030). Invalid bytes in the
// declared charset -> std::nullopt (never silently replaced); so is an unknown declared name.
std::optional<std::string> to_utf8(std::string_view bytes, std::string_view declared = "");

// UTF-8 -> GB18030, for tests and for platforms that want their replies in it;
// nullopt when `utf8` is not valid UTF-8.
std::optional<std::string> utf8_to_gb18030(std::string_view utf8);

}  // namespace suqiu::workorder
