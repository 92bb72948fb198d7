#include "taxonomy.h"

#include <stdexcept>

namespace suqiu {

const Taxonomy& Taxonomy::builtin() {
  static const Taxonomy kBuiltin(
      {
          {"taxi", "巡游出租汽车", "Cruising taxis", "urban"},
          {"ride_hailing", "网络预约出租汽车", "Ride-hailing", "urban"},
          {"bus", "城市公交", "City buses", "urban"},
          {"coach", "道路客运与客运站", "Coaches and coach stations", "transport"},
          {"freight", "道路货运与危险货物运输", "Road freight and dangerous goods", "transport"},
          {"driver_training", "驾驶员培训", "Driver training", "transport"},
          {"vehicle_repair", "机动车维修", "Vehicle repair", "transport"},
          {"overload", "超限超载", "Overloading", "enforcement"},
          {"illegal_operation", "非法营运（黑车、摩的）", "Illegal operation", "enforcement"},
          {"road", "公路养护与路政", "Road maintenance and administration", "highway"},
          {"waterway", "水路运输与港口码头", "Waterways and ports", "port"},
          {"conduct", "执法人员作风与廉政", "Conduct of officers", "supervision"},
          {"other", "其他（非本局职责，转办）", "Other (transferred)", "office"},
      },
      {
          {"urban", "城市客运科", "Urban passenger transport"},
          {"transport", "运输管理科", "Transport management"},
          {"enforcement", "综合执法大队", "Law enforcement brigade"},
          {"highway", "公路建设养护科", "Highway construction and maintenance"},
          {"port", "港航管理科", "Ports and shipping"},
          {"supervision", "法制与监督科", "Legal affairs and supervision"},
          {"office", "综合办公室", "General office"},
      });
  return kBuiltin;
}

Taxonomy::Taxonomy(std::vector<Category> categories, std::vector<Section> sections)
    : categories_(std::move(categories)), sections_(std::move(sections)) {
  for (const auto& c : categories_)
    if (!section(c.default_section))
      throw std::invalid_argument("category " + c.code + " names unknown section " +
                                  c.default_section);
}

const Category* Taxonomy::category(std::string_view code) const {
  for (const auto& c : categories_)
    if (c.code == code) return &c;
  return nullptr;
}

const Section* Taxonomy::section(std::string_view code) const {
  for (const auto& s : sections_)
    if (s.code == code) return &s;
  return nullptr;
}

}  // namespace suqiu
