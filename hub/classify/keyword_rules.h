// Keyword rules that force a classification decision, for what the desk knows
// better than the statistics (a new campaign, a term the corpus lacks). They
// come from the hub's TOML configuration:
//
//   [[classify.rule]]
//   name = "泥头车超载"            # shown in Suggestion::rules_fired
//   any = ["泥头车", "渣土车"]      # at least one of these (if given)
//   all = ["超载"]                 # every one of these (if given)
//   none = ["咨询"]                # none of these
//   category = "overload"          # forced category (optional)
//   request_type = "report"        # forced request type (optional)
//
// Keywords are normalised like the text (so 計程車 matches 计程车) and matched
// as substrings of the normalised subject and content. Rules are tried in file
// order; the first rule that sets a category decides the category, the first
// that sets a request type decides the type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/codes.h"
#include "core/taxonomy.h"

namespace suqiu::classify {

struct KeywordRule {
  std::string name;
  std::vector<std::string> any, all, none;  // normalised
  std::optional<std::string> category;
  std::optional<RequestType> request_type;

  bool matches(std::string_view normalised) const;
};

class KeywordRules {
 public:
  KeywordRules() = default;
  explicit KeywordRules(std::vector<KeywordRule> rules);
  // Reads config["classify"]["rule"]; no such table means no rules. Throws
  // std::invalid_argument naming the rule (by index and name) and the field
  // on an unknown category or request type, a rule with no keyword or no
  // decision, or a value of the wrong type.
  static KeywordRules from_toml(const toml::table& config, const Taxonomy& taxonomy);

  const std::vector<KeywordRule>& rules() const { return rules_; }
  bool empty() const { return rules_.empty(); }

  struct Decision {
    std::optional<std::string> category;
    std::optional<RequestType> request_type;
    std::vector<std::string> fired;  // names of every matching rule
  };
  Decision apply(std::string_view normalised) const;

 private:
  std::vector<KeywordRule> rules_;
};

}  // namespace suqiu::classify
