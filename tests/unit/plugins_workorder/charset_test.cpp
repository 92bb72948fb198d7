// Charsets as the platforms' exports come: UTF-8 with and without a BOM,
// GB18030/GBK/GB2312 by name or detected, and bytes that are none of these.
#include "workorder/charset.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace suqiu::workorder {
namespace {

// "出租车拒载" in GBK (and so in GB18030), written out by hand.
const std::string kGbk = "\xB3\xF6\xD7\xE2\xB3\xB5\xBE\xDC\xD4\xD8";
const std::string kUtf8 = "出租车拒载";

struct Row {
  const char* quirk;
  std::string bytes;
  std::string declared;
  std::optional<std::string> expected;
};

std::vector<Row> rows() {
  return {
      {"UTF-8, detected", kUtf8, "", kUtf8},
      // Excel's "CSV UTF-8" and Notepad put a BOM in front.
      {"UTF-8 with BOM, detected", "\xEF\xBB\xBF" + kUtf8, "", kUtf8},
      {"UTF-8 with BOM, declared", "\xEF\xBB\xBF" + kUtf8, "UTF-8", kUtf8},
      {"GBK, detected", kGbk, "", kUtf8},
      {"GBK, declared", kGbk, "GBK", kUtf8},
      // A file labelled GB2312 usually holds GBK characters; it decodes as GB18030.
      {"GB2312 label", kGbk, "gb2312", kUtf8},
      {"Content-Type parameter", kGbk, "text/csv; charset=\"GB18030\"", kUtf8},
      // 𠀀 (U+20000) exists only in GB18030's four-byte range.
      {"GB18030 four-byte", "\x95\x32\x82\x36", "gb18030", "\xF0\xA0\x80\x80"},
      {"ASCII is both", "gdbh,ldsj", "gbk", "gdbh,ldsj"},
      {"empty", "", "", ""},
      // GBK bytes in a body that says UTF-8: refused, not replaced with U+FFFD.
      {"GBK declared as UTF-8", kGbk, "utf-8", std::nullopt},
      // 0xFF is no lead byte in GB18030.
      {"bad GB bytes, declared", "\xB3\xF6\xFF\xFF", "GBK", std::nullopt},
      // Neither valid UTF-8 nor GB18030 (a lead byte, then a space).
      {"bad bytes, detected", "\x81\x20\x81", "", std::nullopt},
      // A truncated GBK character at the end of a cut-off body.
      {"truncated", kGbk.substr(0, 3), "gbk", std::nullopt},
      {"unknown charset", kUtf8, "big5", std::nullopt},
  };
}

TEST(WorkorderCharset, Table) {
  for (const auto& row : rows()) {
    SCOPED_TRACE(row.quirk);
    EXPECT_EQ(to_utf8(row.bytes, row.declared), row.expected);
  }
}

TEST(WorkorderCharset, RoundTripThroughGb18030) {
  const std::string text = "来电人反映：5路公交车在海滨公园站过站不停，𠀀。";
  const auto gb = utf8_to_gb18030(text);
  ASSERT_TRUE(gb);
  EXPECT_NE(*gb, text);
  EXPECT_EQ(to_utf8(*gb, "gb18030"), text);
  EXPECT_EQ(to_utf8(*gb), text);
}

}  // namespace
}  // namespace suqiu::workorder
