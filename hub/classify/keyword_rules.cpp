#include "keyword_rules.h"
#include "classify/toml_strings.h"

#include <stdexcept>

#include "normalizer.h"

namespace suqiu::classify {

bool KeywordRule::matches(std::string_view text) const {
  for (const auto& k : none)
    if (text.find(k) != std::string_view::npos) return false;
  for (const auto& k : all)
    if (text.find(k) == std::string_view::npos) return false;
  if (any.empty()) return !all.empty();
  for (const auto& k : any)
    if (text.find(k) != std::string_view::npos) return true;
  return false;
}

KeywordRules::KeywordRules(std::vector<KeywordRule> rules) : rules_(std::move(rules)) {
  for (auto& r : rules_)
    for (auto* list : {&r.any, &r.all, &r.none})
      for (auto& k : *list) k = normalise(k);
}

KeywordRules KeywordRules::from_toml(const toml::table& config, const Taxonomy& taxonomy) {
  std::vector<KeywordRule> rules;
  const toml::node* node = config.at_path("classify.rule").node();
  if (!node) return {};
  const toml::array* array = node->as_array();
  if (!array) throw std::invalid_argument("classify.rule must be an array of tables ([[classify.rule]])");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table* t = (*array)[i].as_table();
    std::string where = "classify.rule[" + std::to_string(i) + "]";
    if (!t) throw std::invalid_argument(where + " is not a table");
    KeywordRule r;
    r.name = t->get("name") && t->get("name")->is_string()
                 ? t->get("name")->as_string()->get()
                 : where;
    where += " (" + r.name + ")";
    auto strings = [&](const char* key) { return toml_strings(*t, key, where); };
    r.any = strings("any");
    r.all = strings("all");
    r.none = strings("none");
    if (r.any.empty() && r.all.empty())
      throw std::invalid_argument(where + ": needs keywords in any or all");
    if (const toml::node* c = t->get("category")) {
      if (!c->is_string()) throw std::invalid_argument(where + ": category must be a string");
      std::string code = c->as_string()->get();
      if (!taxonomy.category(code)) throw std::invalid_argument(where + ": unknown category " + code);
      r.category = code;
    }
    if (const toml::node* c = t->get("request_type")) {
      auto type = c->is_string() ? parse_request_type(c->as_string()->get()) : std::nullopt;
      if (!type) throw std::invalid_argument(where + ": unknown request_type");
      r.request_type = type;
    }
    if (!r.category && !r.request_type)
      throw std::invalid_argument(where + ": sets neither category nor request_type");
    rules.push_back(std::move(r));
  }
  return KeywordRules(std::move(rules));
}

KeywordRules::Decision KeywordRules::apply(std::string_view text) const {
  Decision d;
  for (const auto& r : rules_) {
    if (!r.matches(text)) continue;
    d.fired.push_back(r.name);
    if (!d.category && r.category) d.category = r.category;
    if (!d.request_type && r.request_type) d.request_type = r.request_type;
  }
  return d;
}

}  // namespace suqiu::classify
