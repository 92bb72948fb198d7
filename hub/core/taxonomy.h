// Categories and sections. The default taxonomy is the table of DESIGN.md; a
// bureau replaces or extends it from the hub's TOML configuration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suqiu {

struct Section {
  std::string code;     // "urban"
  std::string name_zh;  // 城市客运科
  std::string name_en;  // Urban passenger transport
};

struct Category {
  std::string code;             // "taxi"
  std::string name_zh;          // 巡游出租汽车
  std::string name_en;          // Cruising taxis
  std::string default_section;  // "urban"
};

class Taxonomy {
 public:
  // The thirteen categories and seven sections of DESIGN.md.
  static const Taxonomy& builtin();

  Taxonomy(std::vector<Category> categories, std::vector<Section> sections);

  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<Section>& sections() const { return sections_; }
  const Category* category(std::string_view code) const;
  const Section* section(std::string_view code) const;
  // The category for matters outside the bureau's remit (转办).
  static constexpr std::string_view kOther = "other";

 private:
  std::vector<Category> categories_;
  std::vector<Section> sections_;
};

}  // namespace suqiu
