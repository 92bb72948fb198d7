#include "protocol/utf8.h"

#include <gtest/gtest.h>

#include <string>

using suqiu::protocol::is_valid_utf8;

TEST(Utf8, AcceptsAsciiAndChinese) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii {\"a\":1}"));
  EXPECT_TRUE(is_valid_utf8("出租车拒载，司机态度恶劣"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x9A\x95"));  // 🚕, four bytes
  EXPECT_TRUE(is_valid_utf8(std::string("nul\0inside", 10)));
}

TEST(Utf8, RejectsMalformedSequences) {
  struct Case {
    const char* bytes;
    const char* why;
  };
  const Case cases[] = {
      {"\x80", "lone continuation byte"},
      {"\xC3", "truncated two-byte sequence"},
      {"\xE5\x87", "truncated three-byte sequence (half of a hanzi)"},
      {"\xC0\xAF", "overlong '/'"},
      {"\xE0\x80\xAF", "overlong three-byte '/'"},
      {"\xED\xA0\x80", "UTF-16 surrogate D800"},
      {"\xF4\x90\x80\x80", "above U+10FFFF"},
      {"\xFF", "never valid"},
      {"\xC3\x28", "bad continuation"},
      {"ok\xE5\x87", "valid prefix, truncated tail (GBK cut mid-character)"},
  };
  for (const auto& c : cases) EXPECT_FALSE(is_valid_utf8(c.bytes)) << c.why;
}

TEST(Utf8, GbkEncodedChineseIsRejected) {
  // "出租" in GBK, what a legacy upstream might send by mistake.
  EXPECT_FALSE(is_valid_utf8("\xB3\xF6\xD7\xE2"));
}
