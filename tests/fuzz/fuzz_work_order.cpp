// libFuzzer target: the work-order decoder suqiu::workorder::decode_batch
// (plugins/workorder), which every pushed body, polled page and dropped file
// from the 12345/12328 platforms reaches. The first byte picks the format, the
// shipped mapping and the declared charset; the rest is the document. It must
// never throw or crash, every error names a code, every item must pass the
// hub's own parse_intake / parse_notice, and a JSON object given as a RESULT
// must encode without throwing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/intake_record.h"
#include "core/platform_notice.h"
#include "workorder/step_encoder.h"
#include "workorder/work_order_parser.h"

namespace {

using suqiu::workorder::Format;
using suqiu::workorder::Mapping;

const Mapping& mapping(int which) {
  static const Mapping m12345 =
      suqiu::workorder::load_mapping_file(SUQIU_WORKORDER_MAPPINGS "/12345.toml", "");
  static const Mapping m12328 =
      suqiu::workorder::load_mapping_file(SUQIU_WORKORDER_MAPPINGS "/12328.toml", "");
  return which == 0 ? m12345 : m12328;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned selector = data[0];
  const Format format = selector % 3 == 0 ? Format::json : selector % 3 == 1 ? Format::csv : Format::xml;
  const Mapping& m = mapping(static_cast<int>(selector / 3 % 2));
  static constexpr std::string_view kCharsets[] = {"", "gbk", "utf-8"};
  const std::string_view charset = kCharsets[selector / 6 % 3];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  const auto batch = suqiu::workorder::decode_batch(bytes, format, m, charset);
  for (const auto& e : batch.errors)
    if (e.code.empty()) std::abort();
  for (const auto& item : batch.items) {
    if (item.kind == suqiu::workorder::Item::Kind::order) {
      if (!std::holds_alternative<suqiu::IntakeRecord>(suqiu::parse_intake(std::string_view(item.json))))
        std::abort();
    } else if (!std::holds_alternative<suqiu::PlatformNotice>(suqiu::parse_notice(std::string_view(item.json)))) {
      std::abort();
    }
  }
  if (format == Format::json) {
    const auto result = nlohmann::json::parse(bytes, nullptr, false);
    if (!result.is_discarded()) (void)suqiu::workorder::encode_step(result, m);
  }
  return 0;
}
