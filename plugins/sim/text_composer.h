// TextComposer: expands the phrase book's templates into text. "[a|b|c]"
// picks one alternative (alternatives may nest and hold slots); "{name}"
// asks the resolver for a slot's value. The resolver decides whether a slot
// named twice gives the same value (a plate) or not.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sim/sim_random.h"

namespace suqiu::sim {

class TextComposer {
 public:
  using Resolver = std::function<std::string(std::string_view slot)>;

  static std::string expand(std::string_view pattern, SimRandom& rng, const Resolver& resolve);
};

}  // namespace suqiu::sim
