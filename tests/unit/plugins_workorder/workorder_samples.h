// Shared by the work-order tests: the two shipped mappings, loaded once, and
// the hub's own verdict on what the library produced.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/intake_record.h"
#include "core/platform_notice.h"
#include "workorder/mapping.h"
#include "workorder/work_order_parser.h"

namespace suqiu::workorder::testing {

inline const Mapping& shipped(const std::string& platform) {
  static const Mapping m12345 = load_mapping_file(SUQIU_WORKORDER_MAPPINGS "/12345.toml", "");
  static const Mapping m12328 = load_mapping_file(SUQIU_WORKORDER_MAPPINGS "/12328.toml", "");
  return platform == "12328" ? m12328 : m12345;
}

// Every item must be what the hub itself accepts.
inline ::testing::AssertionResult hub_accepts(const Item& item) {
  if (item.kind == Item::Kind::order) {
    const auto parsed = parse_intake(std::string_view(item.json));
    if (const auto* e = std::get_if<IntakeError>(&parsed))
      return ::testing::AssertionFailure() << "parse_intake: " << e->code << " [" << e->field << "] " << e->message
                                           << "\n" << item.json;
  } else {
    const auto parsed = parse_notice(std::string_view(item.json));
    if (const auto* e = std::get_if<IntakeError>(&parsed))
      return ::testing::AssertionFailure() << "parse_notice: " << e->code << " [" << e->field << "] " << e->message
                                           << "\n" << item.json;
  }
  return ::testing::AssertionSuccess();
}

inline std::string describe(const Batch& b) {
  std::string s;
  for (const auto& e : b.errors) s += e.to_string() + "\n";
  return s;
}

}  // namespace suqiu::workorder::testing
