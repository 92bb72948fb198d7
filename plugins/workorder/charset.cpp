#include "workorder/charset.h"

#include <cctype>
#include <memory>

#include <unicode/ucnv.h>

#include "protocol/utf8.h"

namespace suqiu::workorder {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

// A converter that stops at the first bad byte instead of writing U+FFFD.
Converter strict_converter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  Converter c(ucnv_open(name, &status));
  if (U_FAILURE(status)) return nullptr;
  ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return nullptr;
  return c;
}

// Converts between two ICU charsets with both ends strict.
std::optional<std::string> convert(std::string_view bytes, const char* from, const char* to) {
  if (bytes.empty()) return std::string();
  Converter source = strict_converter(from);
  Converter target = strict_converter(to);
  if (!source || !target) return std::nullopt;
  // Four output bytes per input byte covers both directions (GB18030 takes at
  // most 4 bytes a character, UTF-8 at most 3 per 2-byte GB character).
  std::string out(bytes.size() * 4 + 16, '\0');
  char* out_pos = out.data();
  const char* in_pos = bytes.data();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_convertEx(target.get(), source.get(), &out_pos, out.data() + out.size(), &in_pos,
                 bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr, true, true, &status);
  if (U_FAILURE(status)) return std::nullopt;
  out.resize(static_cast<std::size_t>(out_pos - out.data()));
  return out;
}

std::optional<std::string> from_utf8(std::string_view bytes) {
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  if (!protocol::is_valid_utf8(bytes)) return std::nullopt;
  return std::string(bytes);
}

}  // namespace

std::optional<Charset> parse_charset(std::string_view declared) {
  if (auto at = declared.find("charset="); at != std::string_view::npos) declared = declared.substr(at + 8);
  std::string name;
  for (char c : declared) {
    if (c == ';') break;
    if (c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c))) continue;
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name == "utf-8" || name == "utf8") return Charset::utf8;
  for (std::string_view gb : {"gb18030", "gbk", "gb2312", "cp936", "x-gbk", "windows-936", "ms936", "euc-cn",
                              "csgb2312", "gb_2312-80", "chinese", "iso-ir-58", "csiso58gb231280"})
    if (name == gb) return Charset::gb18030;
  return std::nullopt;
}

std::optional<std::string> to_utf8(std::string_view bytes, std::string_view declared) {
  if (declared.empty()) {
    if (bytes.starts_with(kBom) || protocol::is_valid_utf8(bytes)) return from_utf8(bytes);
    return convert(bytes, "gb18030", "utf-8");
  }
  const auto charset = parse_charset(declared);
  if (!charset) return std::nullopt;
  if (*charset == Charset::utf8) return from_utf8(bytes);
  // Some exporters write a UTF-8 BOM and then GBK, or label UTF-8 as GBK: the
  // BOM says UTF-8 more reliably than the label.
  if (bytes.starts_with(kBom)) return from_utf8(bytes);
  return convert(bytes, "gb18030", "utf-8");
}

std::optional<std::string> utf8_to_gb18030(std::string_view utf8) {
  if (!protocol::is_valid_utf8(utf8)) return std::nullopt;
  return convert(utf8, "utf-8", "gb18030");
}

}  // namespace suqiu::workorder
