// libFuzzer target: the SUQIU1 frame decoder (hub/protocol/codec.h). The input
// is split into frames at every 0x1F byte (ASCII unit separator), so the seed
// corpus stays readable. decode() and decode_event() must never throw or
// crash, and whatever decodes must survive an encode/decode round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "protocol/codec.h"

using namespace suqiu::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> frames;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= input.size(); ++i) {
    if (i == input.size() || input[i] == '\x1F') {
      frames.push_back(input.substr(start, i - start));
      start = i + 1;
    }
  }
  if (size == 0) frames.clear();

  const auto decoded = decode(frames);
  if (const auto* message = std::get_if<Message>(&decoded)) {
    const Frames again = encode(*message);
    const auto back = decode(again, kClientLimits);
    if (!std::holds_alternative<Message>(back)) std::abort();  // what we send we must read
    if (std::get<Message>(back).index() != message->index()) std::abort();
  } else {
    const auto& error = std::get<DecodeError>(decoded);
    if (error.code.empty() || error.reason.empty()) std::abort();  // every refusal has a code and reason
  }
  (void)decode_event(frames);
  return 0;
}
