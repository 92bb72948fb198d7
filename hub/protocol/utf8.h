// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF. Every JSON frame is checked before it is parsed.
#pragma once

#include <string_view>

namespace suqiu::protocol {

bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace suqiu::protocol
