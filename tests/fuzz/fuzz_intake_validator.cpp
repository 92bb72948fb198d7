// libFuzzer target: the intake validator suqiu::parse_intake
// (hub/core/intake_record.h), which every INTAKE body reaches in the hub. It
// must never throw or crash, every refusal names a code, and an accepted
// record must serialise and validate again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/intake_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = suqiu::parse_intake(text);
  if (const auto* error = std::get_if<suqiu::IntakeError>(&parsed)) {
    if (error->code.empty()) std::abort();
    return 0;
  }
  const auto& record = std::get<suqiu::IntakeRecord>(parsed);
  const std::string json_text = record.to_json().dump();
  const auto again = suqiu::parse_intake(std::string_view(json_text));
  if (!std::holds_alternative<suqiu::IntakeRecord>(again)) std::abort();
  return 0;
}
