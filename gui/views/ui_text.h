// UTF-8 (what the model speaks) to and from wxString, and the console's Words.
#pragma once

#include <wx/string.h>

#include <string>
#include <string_view>

#include "core/words.h"

namespace suqiu::console {

inline wxString ui(std::string_view utf8) { return wxString::FromUTF8(utf8.data(), utf8.size()); }
inline std::string to_utf8(const wxString& s) {
  const auto buf = s.utf8_str();
  return std::string(buf.data(), buf.length());
}
// Chosen once from the environment, as the CLI does (LANG=en_US.UTF-8: English).
inline const Words& words() {
  static const Words w = Words::from_environment();
  return w;
}

}  // namespace suqiu::console
