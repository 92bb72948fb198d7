// Routing: which section leads a case (主办) and which assist (协办). Rules come
// from the hub's TOML ([[routing.rule]], documented in docs/routing.md) and
// are tried in file order; the first that matches decides. With no matching
// rule the category's default section of the taxonomy leads alone.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/intake_record.h"
#include "core/taxonomy.h"

namespace suqiu::classify {

struct Routing {
  std::string lead_section;
  std::vector<std::string> assisting_sections;
  std::string rule;  // the rule's name, or "default" for the taxonomy's default section
};

struct RoutingRule {
  std::string name;
  std::vector<std::string> categories;  // empty: any
  std::vector<std::string> sources;     // empty: any
  std::vector<std::string> keywords;    // normalised; empty: any; otherwise at least one
  std::vector<std::string> areas;       // normalised address substrings
  std::optional<std::array<double, 4>> bbox;  // lat_min, lon_min, lat_max, lon_max
  std::string lead;
  std::vector<std::string> assist;

  bool matches(const IntakeRecord& record, std::string_view category,
               std::string_view normalised_text) const;
};

class Router {
 public:
  static Router defaults(const Taxonomy& taxonomy);
  // Reads config["routing"]["rule"]; throws std::invalid_argument naming the
  // rule (index and name) and the field for an unknown category or section,
  // a missing lead, or a value of the wrong type.
  static Router from_toml(const toml::table& config, const Taxonomy& taxonomy);

  Routing route(const IntakeRecord& record, std::string_view category) const;
  const std::vector<RoutingRule>& rules() const { return rules_; }

 private:
  explicit Router(const Taxonomy& taxonomy) : taxonomy_(taxonomy) {}
  Taxonomy taxonomy_;
  std::vector<RoutingRule> rules_;
  bool needs_text_ = false;  // some rule has keywords
};

}  // namespace suqiu::classify
