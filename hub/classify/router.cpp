#include "router.h"
#include "classify/toml_strings.h"

#include <algorithm>
#include <stdexcept>

#include "classify/corpus.h"
#include "normalizer.h"

namespace suqiu::classify {
namespace {

bool contains_any(std::string_view text, const std::vector<std::string>& needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](const std::string& n) { return text.find(n) != std::string_view::npos; });
}

}  // namespace

bool RoutingRule::matches(const IntakeRecord& record, std::string_view category,
                          std::string_view normalised_text) const {
  if (!categories.empty() &&
      std::find(categories.begin(), categories.end(), category) == categories.end())
    return false;
  if (!sources.empty() && std::find(sources.begin(), sources.end(), record.source) == sources.end())
    return false;
  if (!keywords.empty() && !contains_any(normalised_text, keywords)) return false;
  if (!areas.empty() || bbox) {
    bool in_area = !areas.empty() && contains_any(normalise(record.location.address), areas);
    if (!in_area && bbox && record.location.lat && record.location.lon) {
      const auto& b = *bbox;
      in_area = *record.location.lat >= b[0] && *record.location.lon >= b[1] &&
                *record.location.lat <= b[2] && *record.location.lon <= b[3];
    }
    if (!in_area) return false;
  }
  return true;
}

Router Router::defaults(const Taxonomy& taxonomy) { return Router(taxonomy); }

Router Router::from_toml(const toml::table& config, const Taxonomy& taxonomy) {
  Router router(taxonomy);
  const toml::node* node = config.at_path("routing.rule").node();
  if (!node) return router;
  const toml::array* array = node->as_array();
  if (!array) throw std::invalid_argument("routing.rule must be an array of tables ([[routing.rule]])");
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string where = "routing.rule[" + std::to_string(i) + "]";
    const toml::table* t = (*array)[i].as_table();
    if (!t) throw std::invalid_argument(where + " is not a table");
    RoutingRule r;
    if (const toml::node* n = t->get("name")) {
      if (!n->is_string()) throw std::invalid_argument(where + ": name must be a string");
      r.name = n->as_string()->get();
    } else {
      r.name = where;
    }
    where += " (" + r.name + ")";
    auto strings = [&](const char* key) { return toml_strings(*t, key, where); };
    for (const auto& [key, value] : *t) {
      static constexpr std::array kKnown = {"name", "category", "source", "keywords",
                                            "area", "bbox", "lead", "assist"};
      if (std::find(kKnown.begin(), kKnown.end(), key.str()) == kKnown.end())
        throw std::invalid_argument(where + ": unknown key " + std::string(key.str()));
    }
    r.categories = strings("category");
    for (const auto& c : r.categories)
      if (!taxonomy.category(c)) throw std::invalid_argument(where + ": unknown category " + c);
    r.sources = strings("source");
    for (auto& k : r.keywords = strings("keywords")) k = normalise(k);
    for (auto& a : r.areas = strings("area")) a = normalise(a);
    if (const toml::node* n = t->get("bbox")) {
      const toml::array* a = n->as_array();
      if (!a || a->size() != 4) throw std::invalid_argument(where + ": bbox must be [lat_min, lon_min, lat_max, lon_max]");
      std::array<double, 4> b{};
      for (std::size_t k = 0; k < 4; ++k) {
        auto v = (*a)[k].value<double>();
        if (!v) throw std::invalid_argument(where + ": bbox must hold numbers");
        b[k] = *v;
      }
      if (b[0] > b[2] || b[1] > b[3]) throw std::invalid_argument(where + ": bbox minimum above maximum");
      r.bbox = b;
    }
    auto lead = strings("lead");
    if (lead.size() != 1) throw std::invalid_argument(where + ": lead must name one section");
    r.lead = lead.front();
    if (!taxonomy.section(r.lead)) throw std::invalid_argument(where + ": unknown section " + r.lead);
    for (const auto& s : strings("assist")) {
      if (!taxonomy.section(s)) throw std::invalid_argument(where + ": unknown section " + s);
      if (s != r.lead && std::find(r.assist.begin(), r.assist.end(), s) == r.assist.end())
        r.assist.push_back(s);
    }
    router.needs_text_ = router.needs_text_ || !r.keywords.empty();
    router.rules_.push_back(std::move(r));
  }
  return router;
}

Routing Router::route(const IntakeRecord& record, std::string_view category) const {
  std::string text;
  if (needs_text_) text = normalise(classification_text(record));
  for (const auto& r : rules_)
    if (r.matches(record, category, text)) return {r.lead, r.assist, r.name};
  const Category* c = taxonomy_.category(category);
  if (!c) c = taxonomy_.category(Taxonomy::kOther);
  if (c) return {c->default_section, {}, "default"};
  // A taxonomy without `other` and an unknown category: the first section
  // takes it rather than losing the case.
  return {taxonomy_.sections().front().code, {}, "default"};
}

}  // namespace suqiu::classify
