#include "sim/text_composer.h"

#include <vector>

namespace suqiu::sim {
namespace {

// The position of the ']' that closes the '[' at `open`, counting nesting;
// npos when the template is unbalanced (the rest is then copied as written).
std::size_t closing(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    if (s[i] == ']' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// The top-level alternatives of "a|b[c|d]|e": "a", "b[c|d]", "e".
std::vector<std::string_view> alternatives(std::string_view inner) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '[') ++depth;
    if (inner[i] == ']') --depth;
    if (inner[i] == '|' && depth == 0) {
      out.push_back(inner.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(inner.substr(start));
  return out;
}

void expand_into(std::string_view s, SimRandom& rng, const TextComposer::Resolver& resolve, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '[') {
      const std::size_t end = closing(s, i);
      if (end == std::string_view::npos) {
        out.append(s.substr(i));
        return;
      }
      const auto options = alternatives(s.substr(i + 1, end - i - 1));
      expand_into(options[rng.below(options.size())], rng, resolve, out);
      i = end + 1;
    } else if (c == '{') {
      const std::size_t end = s.find('}', i);
      if (end == std::string_view::npos) {
        out.append(s.substr(i));
        return;
      }
      out += resolve(s.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      // Plain text up to the next mark. UTF-8 continuation bytes never equal
      // an ASCII mark, so Chinese text passes through whole.
      const std::size_t next = s.find_first_of("[{", i);
      const std::size_t stop = next == std::string_view::npos ? s.size() : next;
      out.append(s.substr(i, stop - i));
      i = stop;
    }
  }
}

}  // namespace

std::string TextComposer::expand(std::string_view pattern, SimRandom& rng, const Resolver& resolve) {
  std::string out;
  out.reserve(pattern.size() + 64);
  expand_into(pattern, rng, resolve, out);
  return out;
}

}  // namespace suqiu::sim
