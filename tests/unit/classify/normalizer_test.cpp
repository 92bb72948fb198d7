#include "classify/normalizer.h"

#include <gtest/gtest.h>

namespace cls = suqiu::classify;

TEST(Normalise, TraditionalBecomesSimplified) {
  EXPECT_EQ(cls::normalise("計程車司機拒載，態度惡劣"), "计程车司机拒载,态度恶劣");
  EXPECT_EQ(cls::normalise("網約車繞路"), "网约车绕路");
  // Mixed text (some callers' input methods): only the traditional part moves.
  EXPECT_EQ(cls::normalise("出租車拒载"), "出租车拒载");
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
