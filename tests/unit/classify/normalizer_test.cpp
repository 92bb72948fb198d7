#include "classify/normalizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "classify/corpus.h"

namespace cls = suqiu::classify;

namespace {

// The Han characters of `s`, in order: what Traditional-Simplified touches.
std::u32string han_of(std::string_view s) {
  std::u32string out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    UChar32 c = u.char32At(i);
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c >= 0x20000)
      out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

// What ICU itself makes of a text: NFKC, then, when a character of it is
// one ICU changes on its own, Traditional-Simplified on all of it (a text
// already simplified is left alone: ICU's phrase rules would turn 份子钱 into
// 分子钱).
std::string icu_reference(std::string_view raw) {
  UErrorCode status = U_ZERO_ERROR;
  static std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
  u = icu::Normalizer2::getNFKCInstance(status)->normalize(u, status);
  bool traditional = false;
  for (int32_t i = 0; i < u.length() && !traditional; i = u.moveIndex32(i, 1)) {
    icu::UnicodeString one(u.char32At(i)), changed(one);
    t->transliterate(changed);
    traditional = changed != one;
  }
  if (traditional) t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

TEST(Normalise, TraditionalBecomesSimplified) {
  EXPECT_EQ(cls::normalise("計程車司機拒載，態度惡劣"), "计程车司机拒载,态度恶劣");
  EXPECT_EQ(cls::normalise("網約車繞路"), "网约车绕路");
  // Mixed text (some callers' input methods): only the traditional part moves.
  EXPECT_EQ(cls::normalise("出租車拒载"), "出租车拒载");
}

TEST(Normalise, PhrasesThatMapOtherwiseThanTheirCharacters) {
  // The fast per-character table must step aside where ICU's phrase rules
  // give something else (甚 alone stays 甚, 甚麼 is 什么).
  EXPECT_EQ(cls::normalise("請問甚麼時候開通"), "请问什么时候开通");
  EXPECT_EQ(cls::normalise("乾淨"), "干净");
  EXPECT_EQ(cls::normalise("頭髮"), "头发");
  EXPECT_EQ(cls::normalise("多餘的錢"), "多余的钱");
}

TEST(Normalise, TraditionalAsIcuOnTheWholeCorpus) {
  // Every corpus text (about 240 of them traditional) and every Han
  // character ICU changes, alone: the same Han characters as ICU's
  // transliterator on the whole text.
  std::vector<std::string> texts;
  for (const char* f : {"train.jsonl", "heldout.jsonl"})
    for (const auto& r : cls::load_corpus(std::filesystem::path(SUQIU_DATA_DIR) / "corpus" / f))
      texts.push_back(r.text);
  for (char32_t c = 0x4E00; c <= 0x9FFF; ++c) {
    std::string one;
    icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(one);
    texts.push_back(one + "车" + one);
  }
  int differing = 0;
  for (const auto& t : texts) {
    if (han_of(cls::normalise(t)) != han_of(icu_reference(t))) {
      ADD_FAILURE() << t << " -> " << cls::normalise(t) << ", ICU: " << icu_reference(t);
      if (++differing > 5) break;
    }
  }
}

TEST(Normalise, FullWidthDigitsLettersAndPunctuation) {
  EXPECT_EQ(cls::normalise("粤Ｇ・Ｔ２７３６"), "粤G·T2736");
  EXPECT_EQ(cls::normalise("ＡＰＰ叫车（滴滴）！！"), "APP叫车(滴滴)!");
  EXPECT_EQ(cls::normalise("１２３４５热线"), "12345热线");
}

TEST(Normalise, WhitespaceAndPunctuationFolding) {
  // Ideographic space, tabs, newlines: one ASCII space, trimmed.
  EXPECT_EQ(cls::normalise("  出租车\u3000\u3000拒载\n\t绕路  "), "出租车 拒载 绕路");
  EXPECT_EQ(cls::normalise("拒载。。。"), "拒载.");
  EXPECT_EQ(cls::normalise("等了很久……"), "等了很久...");
  EXPECT_EQ(cls::normalise("《道路运输条例》、【通知】"), "(道路运输条例),(通知)");
  EXPECT_EQ(cls::normalise("“黑车”"), "\"黑车\"");
  EXPECT_EQ(cls::normalise("app"), "APP");
}

TEST(Normalise, InvalidUtf8DoesNotThrow) {
  EXPECT_EQ(cls::normalise(std::string("车\xff牌")), "车\uFFFD牌");
  EXPECT_EQ(cls::normalise(""), "");
}

TEST(FindEntities, PlatesInTheirManySpellings) {
  // Table of real-world spellings; each must come out canonical.
  struct Row {
    const char* raw;
    const char* plate;
  } rows[] = {
      {"车牌粤G·T2736的出租车", "粤G·T2736"},
      {"车牌粤GT2736", "粤G·T2736"},           // no separator
      {"车牌粤G T2736", "粤G·T2736"},          // space
      {"车牌粤G-T2736", "粤G·T2736"},          // hyphen
      {"车牌粤Ｇ・Ｔ２７３６", "粤G·T2736"},    // full width, katakana dot
      {"车牌粤g·t2736", "粤G·T2736"},          // lower case
      {"新能源车粤G·D12345拒载", "粤G·D12345"}, // 6 characters
      {"教练车粤G·1234学", "粤G·1234学"},       // invalid: 4 characters
      {"桂B·8K521跑长途", "桂B·8K521"},
  };
  for (const auto& row : rows) {
    auto entities = cls::find_entities(cls::normalise(row.raw));
    std::vector<std::string> plates;
    for (const auto& e : entities)
      if (e.kind == cls::Entity::plate) plates.push_back(e.text);
    if (std::string(row.plate) == "粤G·1234学") {
      EXPECT_TRUE(plates.empty()) << row.raw;
    } else {
      ASSERT_EQ(plates.size(), 1u) << row.raw;
      EXPECT_EQ(plates[0], row.plate) << row.raw;
    }
  }
}

TEST(FindEntities, OffsetsPointIntoTheNormalisedText) {
  std::string text = cls::normalise("乘坐粤G·T2736，电话13800138000，坐K3路");
  auto entities = cls::find_entities(text);
  ASSERT_EQ(entities.size(), 3u);
  EXPECT_EQ(text.substr(entities[0].begin, entities[0].end - entities[0].begin), "粤G·T2736");
  EXPECT_EQ(entities[1].kind, cls::Entity::phone);
  EXPECT_EQ(entities[1].text, "13800138000");
  EXPECT_EQ(text.substr(entities[1].begin, entities[1].end - entities[1].begin), "13800138000");
  EXPECT_EQ(entities[2].kind, cls::Entity::route);
  EXPECT_EQ(entities[2].text, "K3路");
}

TEST(FindEntities, RoutesButNotJunctionsOrHotlines) {
  auto routes = [](const char* raw) {
    std::vector<std::string> out;
    for (const auto& e : cls::find_entities(cls::normalise(raw)))
      if (e.kind == cls::Entity::route) out.push_back(e.text);
    return out;
  };
  EXPECT_EQ(routes("等12路公交"), std::vector<std::string>{"12路"});
  EXPECT_EQ(routes("夜班2路末班车"), std::vector<std::string>{"夜班2路"});
  EXPECT_EQ(routes("地铁3号线"), std::vector<std::string>{"3号线"});
  EXPECT_TRUE(routes("人民大道100路口").empty());  // 路口 is a junction
  EXPECT_TRUE(routes("打12345热线").empty());
  EXPECT_TRUE(routes("国道G325线").empty());
}

TEST(FindEntities, Phones) {
  auto phones = [](const char* raw) {
    std::vector<std::string> out;
    for (const auto& e : cls::find_entities(cls::normalise(raw)))
      if (e.kind == cls::Entity::phone) out.push_back(e.text);
    return out;
  };
  EXPECT_EQ(phones("电话１３８００１３８０００"), std::vector<std::string>{"13800138000"});
  EXPECT_EQ(phones("座机0759-3388123"), std::vector<std::string>{"0759-3388123"});
  EXPECT_EQ(phones("座机07593388123"), std::vector<std::string>{"0759-3388123"});
  EXPECT_TRUE(phones("订单号123456789012345").empty());
  EXPECT_TRUE(phones("收了12345678元").empty());
}

TEST(MaskPhones, MobilesAndLandlinesInRawText) {
  EXPECT_EQ(cls::mask_phones("来电人13800138000反映"), "来电人138****8000反映");
  EXPECT_EQ(cls::mask_phones("电话：138 0013 8000"), "电话：138 **** 8000");
  EXPECT_EQ(cls::mask_phones("电话１３８００１３８０００"), "电话１３８****８０００");
  EXPECT_EQ(cls::mask_phones("+8613800138000"), "+86138****8000");
  EXPECT_EQ(cls::mask_phones("座机0759-3388123"), "座机0759-***8123");
  // Not phones: left alone.
  EXPECT_EQ(cls::mask_phones("粤G·T2736收费50元，12345热线"), "粤G·T2736收费50元，12345热线");
  EXPECT_EQ(cls::mask_phones("工单GD-ZJ-20261126-000123"), "工单GD-ZJ-20261126-000123");
}
