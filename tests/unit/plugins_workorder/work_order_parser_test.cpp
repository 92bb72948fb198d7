// decode_batch against tables of real-looking bodies and files from a city
// 12345 platform and the provincial 12328 platform: JSON push bodies and
// polled pages, CSV exports in GB18030 and in UTF-8 with a BOM, XML, and
// their notices. One comment per quirk. Every item produced is checked by the
// hub's own parse_intake / parse_notice. (All names and numbers are made up.)
#include "workorder/work_order_parser.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workorder/charset.h"
#include "workorder_samples.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;
using testing::describe;
using testing::hub_accepts;
using testing::shipped;

const std::string kBom = "\xEF\xBB\xBF";
const std::string kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

std::string gb(const std::string& utf8) {
  auto bytes = utf8_to_gb18030(utf8);
  EXPECT_TRUE(bytes);
  return bytes.value_or("");
}

// A 12345 order as the city platform pushes it, every field.
const std::string kOrder12345 = R"({"gdbh":"GD-ZJ-20261126-000123","ldsj":"2026-11-26 09:15:00","ldrxm":"李先生",)"
    R"("lxdh":"13800138000","sfnm":"否","bt":"出租车拒载",)"
    R"("nr":"来电人反映：今天早上8点多在开发区人民大道中拦乘粤G·T2736出租车去湛江西站，司机以要交班为由拒载。",)"
    R"("fsdd":"湛江开发区人民大道中","jd":"110.4","wd":21.2,"blsx":"2026-12-02 18:00:00","sqlx":"投诉",)"
    R"("ywfl":"出租车","sfjj":"0","pdjb":"市级","ldqd":"电话","zxgh":"ZJ0115",)"
    R"("fj":[{"name":"录音-GD-ZJ-20261126-000123.wav","url":"https://hotline.zhanjiang.example/rec/GD-ZJ-20261126-000123.wav",)"
    R"("mime":"audio/wav","size":482113,"sha256":")" + kSha + R"("}]})";

const std::string kOrder12345b = R"({"gdbh":"GD-ZJ-20261126-000124","ldsj":"2026/11/26 10:02","ldrxm":"",)"
    R"("lxdh":"0759-3381234","nr":"5路公交车在海滨公园站过站不停。","sqlx":"投诉","ywfl":"公交车"})";

// A 12328 order: compact times, the caller nested, numeric codes.
const std::string kOrder12328 = R"({"orderNo":"12328-GD-2026112600088","orderId":88017,"msgType":"GD",)"
    R"("acceptTime":"20261126143000","appealer":{"name":"陈女士","phone":"13912345678","secret":"01"},)"
    R"("title":"网约车绕路","appealContent":"乘坐网约车从霞山到赤坎，司机故意绕路多收费。","eventAddress":"湛江市霞山区",)"
    R"("handleDeadline":"20261203","appealType":"1","businessType":"0102","urgentFlag":"00",)"
    R"("files":[{"fileName":"行程截图.jpg","fileUrl":"https://12328.gd.example/f/abc.jpg","fileType":"image/jpeg","fileSize":20480}]})";

struct Expected {
  std::size_t index;
  std::string code;
  std::string field;
};

struct Row {
  const char* quirk;
  std::string platform;
  Format format;
  std::string bytes;
  std::string charset;
  std::vector<std::size_t> item_indexes;
  std::vector<Expected> errors;
  std::optional<std::string> cursor;
};

std::vector<Row> json_rows() {
  return {
      // The push server's usual body: one order, as it is.
      {"one order", "12345", Format::json, kOrder12345, "", {0}, {}},
      // A batch push: a top-level array.
      {"array", "12345", Format::json, "[" + kOrder12345 + "," + kOrder12345b + "]", "", {0, 1}, {}},
      // A polled page: records under data.list, the next cursor beside them.
      {"page with cursor", "12345", Format::json,
       R"({"code":0,"msg":"成功","data":{"total":2,"next":"c-20261126-0002","list":[)" + kOrder12345 + "," +
           kOrder12345b + "]}}",
       "", {0, 1}, {}, "c-20261126-0002"},
      // The last page: no cursor, an empty list.
      {"last page", "12345", Format::json, R"({"code":0,"data":{"list":[],"next":""}})", "", {}, {}},
      // A page whose list is null (some platforms write that for "nothing").
      {"null list", "12345", Format::json, R"({"code":0,"data":{"list":null}})", "", {}, {}},
      // An error page: no list and not a record.
      {"error page", "12345", Format::json, R"({"code":500,"msg":"系统繁忙"})", "", {},
       {{0, "E_FIELD_MISSING", "data.list"}}},
      // 12328's page: its own items path and a numeric cursor.
      {"12328 page", "12328", Format::json,
       R"({"code":"0000","data":{"nextCursor":1064,"records":[)" + kOrder12328 + "]}}", "", {0}, {}, "1064"},
      // A UTF-8 BOM in front of a push body (a Windows-built gateway).
      {"BOM", "12345", Format::json, kBom + kOrder12345, "", {0}, {}},
      // The whole body in GBK, declared by the Content-Type.
      {"GBK body", "12345", Format::json, gb(kOrder12345b), "GBK", {0}, {}},
      // GBK bytes in a body that claims UTF-8: refused whole, never garbled.
      {"GBK declared UTF-8", "12345", Format::json, gb(kOrder12345b), "utf-8", {}, {{0, "E_BAD_UTF8", ""}}},
      {"unknown charset", "12345", Format::json, kOrder12345b, "big5", {}, {{0, "E_BAD_UTF8", ""}}},
      {"not JSON", "12345", Format::json, kOrder12345.substr(0, 60), "", {}, {{0, "E_NOT_JSON", ""}}},
      // A gateway that nests without end: refused before it is walked.
      {"too deep", "12345", Format::json, std::string(200, '[') + std::string(200, ']'), "", {},
       {{0, "E_NOT_JSON", ""}}},
      // One bad record among good ones: the others still come through.
      {"a string in the array", "12345", Format::json, "[" + kOrder12345b + ",\"GD-1\"," + kOrder12345 + "]", "",
       {0, 2}, {{1, "E_NOT_OBJECT", ""}}},
      // No order number: the error names the platform's field, not ours.
      {"no order number", "12345", Format::json, R"([{"ldsj":"2026-11-26 09:15:00","nr":"出租车拒载"}])", "", {},
       {{0, "E_FIELD_MISSING", "gdbh"}}},
      {"no content", "12345", Format::json, R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":""})", "", {},
       {{0, "E_FIELD_MISSING", "nr"}}},
      // 2026-02-30 does not exist.
      {"bad date", "12345", Format::json, R"({"gdbh":"GD-1","ldsj":"2026-02-30 09:15:00","nr":"出租车拒载"})", "",
       {}, {{0, "E_FIELD_INVALID", "ldsj"}}},
      {"date in no known format", "12345", Format::json, R"({"gdbh":"GD-1","ldsj":"26.11.2026","nr":"拒载"})", "",
       {}, {{0, "E_FIELD_INVALID", "ldsj"}}},
      {"bad deadline", "12345", Format::json,
       R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"拒载","blsx":"5个工作日"})", "", {},
       {{0, "E_FIELD_INVALID", "blsx"}}},
      // The hub's own rule (a phone needs three digits), reported on the platform's field.
      {"bad phone", "12345", Format::json, R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"拒载","lxdh":"12"})",
       "", {}, {{0, "E_FIELD_INVALID", "lxdh"}}},
      {"latitude out of range", "12345", Format::json,
       R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"拒载","wd":"95.1"})", "", {},
       {{0, "E_FIELD_INVALID", "wd"}}},
      // "nan" reads as a number, but JSON would write it as null: refused.
      {"latitude nan", "12345", Format::json,
       R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"拒载","wd":"nan"})", "", {},
       {{0, "E_FIELD_INVALID", "wd"}}},
      {"bad sha256", "12345", Format::json,
       R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"拒载","fj":[{"url":"https://x/a.jpg","sha256":"abc"}]})",
       "", {}, {{0, "E_FIELD_INVALID", "fj"}}},
      {"anonymous as a word", "12345", Format::json,
       R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"拒载","sfnm":"也许"})", "", {},
       {{0, "E_FIELD_INVALID", "sfnm"}}},
      // An unknown category or request type is NOT an error: left to the classifier.
      {"unknown codes", "12345", Format::json,
       R"({"gdbh":"GD-1","ldsj":"2026-11-26 09:15:00","nr":"地铁站扶梯故障","sqlx":"其他","ywfl":"城市轨道交通"})", "",
       {0}, {}},
      // A number for an order number (some platforms use bigints).
      {"numeric order number", "12345", Format::json,
       R"({"gdbh":20261126000125,"ldsj":"2026-11-26 09:15:00","nr":"拒载"})", "", {0}, {}},
  };
}

TEST(WorkorderDecode, JsonTable) {
  for (const auto& row : json_rows()) {
    SCOPED_TRACE(row.quirk);
    const Batch b = decode_batch(row.bytes, row.format, shipped(row.platform), row.charset);
    std::vector<std::size_t> indexes;
    for (const auto& item : b.items) {
      indexes.push_back(item.index);
      EXPECT_TRUE(hub_accepts(item));
    }
    EXPECT_EQ(indexes, row.item_indexes) << describe(b);
    ASSERT_EQ(b.errors.size(), row.errors.size()) << describe(b);
    for (std::size_t i = 0; i < row.errors.size(); ++i) {
      EXPECT_EQ(b.errors[i].index, row.errors[i].index) << b.errors[i].to_string();
      EXPECT_EQ(b.errors[i].code, row.errors[i].code) << b.errors[i].to_string();
      EXPECT_EQ(b.errors[i].field, row.errors[i].field) << b.errors[i].to_string();
      EXPECT_FALSE(b.errors[i].raw.empty());
      EXPECT_FALSE(b.errors[i].reason.empty());
    }
    EXPECT_EQ(b.next_cursor, row.cursor);
  }
}

TEST(WorkorderDecode, Order12345EveryField) {
  const Batch b = decode_batch(kOrder12345, Format::json, shipped("12345"));
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  const Item& item = b.items[0];
  ASSERT_TRUE(hub_accepts(item));
  EXPECT_EQ(item.kind, Item::Kind::order);
  EXPECT_EQ(item.external_id, "GD-ZJ-20261126-000123");
  const json r = json::parse(item.json);
  EXPECT_EQ(r["source"], "12345");
  EXPECT_EQ(r["received_at"], "2026-11-26T09:15:00+08:00");
  EXPECT_EQ(r["deadline"], "2026-12-02T18:00:00+08:00");
  EXPECT_EQ(r["request_type"], "complaint");
  EXPECT_EQ(r["category"], "taxi");
  EXPECT_EQ(r["subject"], "出租车拒载");
  EXPECT_EQ(r["caller"]["name"], "李先生");
  EXPECT_EQ(r["caller"]["phone"], "13800138000");
  EXPECT_EQ(r["caller"]["anonymous"], false);
  EXPECT_EQ(r["location"]["address"], "湛江开发区人民大道中");
  EXPECT_DOUBLE_EQ(r["location"]["lon"].get<double>(), 110.4);  // a string of digits
  EXPECT_DOUBLE_EQ(r["location"]["lat"].get<double>(), 21.2);   // a JSON number
  EXPECT_EQ(r["urgent"], false);
  ASSERT_EQ(r["attachments"].size(), 1u);
  const json& a = r["attachments"][0];
  EXPECT_EQ(a["name"], "录音-GD-ZJ-20261126-000123.wav");
  EXPECT_EQ(a["uri"], "https://hotline.zhanjiang.example/rec/GD-ZJ-20261126-000123.wav");
  EXPECT_EQ(a["mime"], "audio/wav");
  EXPECT_EQ(a["sha256"], kSha);
  EXPECT_FALSE(a.contains("size"));  // the record has no size; upstream.record keeps it
  EXPECT_EQ(r["upstream"]["platform"], "12345");
  EXPECT_EQ(r["upstream"]["order_no"], "GD-ZJ-20261126-000123");
  EXPECT_EQ(r["upstream"]["dispatch_level"], "市级");
  EXPECT_EQ(r["upstream"]["operator_no"], "ZJ0115");
  EXPECT_EQ(r["upstream"]["record"], json::parse(kOrder12345));  // the platform's whole record
}

TEST(WorkorderDecode, Order12328NestedCallerAndCodes) {
  const Batch b = decode_batch(kOrder12328, Format::json, shipped("12328"));
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  ASSERT_TRUE(hub_accepts(b.items[0]));
  const json r = json::parse(b.items[0].json);
  EXPECT_EQ(r["source"], "12328");
  EXPECT_EQ(r["received_at"], "2026-11-26T14:30:00+08:00");
  // A date alone as a deadline: the whole of that day.
  EXPECT_EQ(r["deadline"], "2026-12-03T23:59:59+08:00");
  EXPECT_EQ(r["category"], "ride_hailing");
  EXPECT_EQ(r["request_type"], "complaint");
  EXPECT_EQ(r["caller"]["name"], "陈女士");
  EXPECT_EQ(r["caller"]["confidential"], true);  // "01" through the mapping's booleans
  EXPECT_EQ(r["urgent"], false);
  // No sha256 from the platform: left out (the record allows it).
  EXPECT_EQ(r["attachments"][0], json({{"name", "行程截图.jpg"}, {"uri", "https://12328.gd.example/f/abc.jpg"},
                                       {"mime", "image/jpeg"}}));
  EXPECT_EQ(r["upstream"]["order_id"], 88017);
  EXPECT_EQ(r["upstream"]["order_no"], "12328-GD-2026112600088");
}

TEST(WorkorderDecode, UnknownCategoryIsLeftToTheClassifier) {
  // 0202 城市轨道交通: not in 12328's table, and not an error.
  std::string order = kOrder12328;
  order.replace(order.find("\"0102\""), 6, "\"0202\"");
  const Batch b = decode_batch(order, Format::json, shipped("12328"));
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  EXPECT_TRUE(b.errors.empty());
  EXPECT_FALSE(json::parse(b.items[0].json).contains("category"));
}

TEST(WorkorderDecode, TimesWithAnOffsetAreConverted) {
  // An offset in the text wins over Beijing; the intake gets the same instant in +08:00.
  for (auto [text, expected] : {std::pair{"2026-11-26T01:15:00Z", "2026-11-26T09:15:00+08:00"},
                                std::pair{"2026-11-26T09:15:00+08:00", "2026-11-26T09:15:00+08:00"},
                                std::pair{"20261126091500", "2026-11-26T09:15:00+08:00"},
                                std::pair{"2026-11-26", "2026-11-26T00:00:00+08:00"}}) {
    SCOPED_TRACE(text);
    const std::string body = R"({"gdbh":"GD-1","nr":"拒载","ldsj":")" + std::string(text) + "\"}";
    const Batch b = decode_batch(body, Format::json, shipped("12345"));
    ASSERT_EQ(b.items.size(), 1u) << describe(b);
    EXPECT_EQ(json::parse(b.items[0].json)["received_at"], expected);
  }
}

// ---- CSV ----

const std::string kCsvHeader = "gdbh,ldsj,ldrxm,lxdh,bt,nr,fsdd,sqlx,ywfl\r\n";

std::vector<Row> csv_rows() {
  const std::string r1 =
      "GD-ZJ-20261127-000201,2026-11-27 08:40:00,王先生,13800138001,公交车过站不停,"
      "5路公交车在海滨公园站过站不停,湛江市霞山区海滨公园站,投诉,公交车\r\n";
  // A quoted cell with a comma, a doubled quote and a line break inside (an operator's Enter).
  const std::string r2 =
      "GD-ZJ-20261127-000202,2026-11-27 09:05:00,刘女士,0759-3381234,\"驾校退费\",\"报名某驾校后要求退费，"
      "驾校称\"\"已开班\"\"不退。\r\n请核实\",湛江市赤坎区,求助,驾校\r\n";
  return {
      // The platform's export: GB18030 (Windows Excel's default for Chinese), CRLF, a header row.
      {"GB18030 export", "12345", Format::csv, gb(kCsvHeader + r1 + r2), "", {0, 1}, {}},
      // The same declared as GBK by the drop folder's config.
      {"GBK declared", "12345", Format::csv, gb(kCsvHeader + r1), "gbk", {0}, {}},
      // "CSV UTF-8" from Excel: a BOM before the header.
      {"UTF-8 with BOM", "12345", Format::csv, kBom + kCsvHeader + r1 + r2, "", {0, 1}, {}},
      // LF line ends, no newline at the end, a blank line in between (its index is kept: line = index + 2).
      {"LF, blank line", "12345", Format::csv, "gdbh,ldsj,nr\nGD-1,2026-11-27 08:40,拒载\n\nGD-2,2026-11-27 08:41,绕路",
       "", {0, 2}, {}},
      // Trailing empty cells dropped by the exporter: they are absent.
      {"short row", "12345", Format::csv, kCsvHeader + "GD-3,2026-11-27 08:40:00,,,,拒载\r\n", "", {0}, {}},
      // A trailing delimiter: an empty extra cell is harmless.
      {"trailing delimiter", "12345", Format::csv, "gdbh,ldsj,nr\nGD-4,2026-11-27 08:40,拒载,\n", "", {0}, {}},
      // A row without its order number: the error names gdbh, the row's index is its line - 2.
      {"no order number", "12345", Format::csv, gb(kCsvHeader + r1 + ",2026-11-27 09:00:00,,,,拒载,,,\r\n"), "",
       {0}, {{1, "E_FIELD_MISSING", "gdbh"}}},
      {"bad date", "12345", Format::csv, "gdbh,ldsj,nr\nGD-5,2026-13-01 08:40,拒载\n", "", {},
       {{0, "E_FIELD_INVALID", "ldsj"}}},
      // More cells than the header: which column is which is unknowable.
      {"extra cells", "12345", Format::csv, "gdbh,ldsj,nr\nGD-6,2026-11-27 08:40,拒载,多余\nGD-7,2026-11-27 08:41,绕路\n",
       "", {1}, {{0, "E_BAD_CSV", ""}}},
      // The writer crashed inside a quoted cell.
      {"unterminated quote", "12345", Format::csv, "gdbh,ldsj,nr\nGD-8,2026-11-27 08:40,\"拒载\n", "", {},
       {{0, "E_BAD_CSV", ""}}},
      {"text after a closing quote", "12345", Format::csv, "gdbh,ldsj,nr\nGD-9,2026-11-27 08:40,\"拒\"载\n", "", {},
       {{0, "E_BAD_CSV", ""}}},
      {"header twice", "12345", Format::csv, "gdbh,ldsj,nr,gdbh\nGD-10,2026-11-27 08:40,拒载,GD-11\n", "", {},
       {{0, "E_BAD_CSV", "gdbh"}}},
      {"bad bytes", "12345", Format::csv, "gdbh,ldsj,nr\nGD-12,2026-11-27 08:40,\x81\x20\n", "", {},
       {{0, "E_BAD_UTF8", ""}}},
      {"empty file", "12345", Format::csv, "", "", {}, {}},
      {"header only", "12345", Format::csv, kBom + kCsvHeader, "", {}, {}},
  };
}

TEST(WorkorderDecode, CsvTable) {
  for (const auto& row : csv_rows()) {
    SCOPED_TRACE(row.quirk);
    const Batch b = decode_batch(row.bytes, row.format, shipped(row.platform), row.charset);
    std::vector<std::size_t> indexes;
    for (const auto& item : b.items) {
      indexes.push_back(item.index);
      EXPECT_TRUE(hub_accepts(item));
    }
    EXPECT_EQ(indexes, row.item_indexes) << describe(b);
    ASSERT_EQ(b.errors.size(), row.errors.size()) << describe(b);
    for (std::size_t i = 0; i < row.errors.size(); ++i) {
      EXPECT_EQ(b.errors[i].index, row.errors[i].index) << b.errors[i].to_string();
      EXPECT_EQ(b.errors[i].code, row.errors[i].code) << b.errors[i].to_string();
      EXPECT_EQ(b.errors[i].field, row.errors[i].field) << b.errors[i].to_string();
    }
  }
}

TEST(WorkorderDecode, CsvChineseComesOutRight) {
  // Written by hand in GBK: the header and one row, "GD-1,2026-11-27 08:40,出租车拒载".
  const std::string bytes = "gdbh,ldsj,nr\r\nGD-1,2026-11-27 08:40,\xB3\xF6\xD7\xE2\xB3\xB5\xBE\xDC\xD4\xD8\r\n";
  const Batch b = decode_batch(bytes, Format::csv, shipped("12345"));
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  EXPECT_EQ(json::parse(b.items[0].json)["content"], "出租车拒载");

  const std::string r2 =
      "GD-ZJ-20261127-000202,2026-11-27 09:05:00,刘女士,0759-3381234,\"驾校退费\",\"报名某驾校后要求退费，"
      "驾校称\"\"已开班\"\"不退。\r\n请核实\",湛江市赤坎区,求助,驾校\r\n";
  const Batch b2 = decode_batch(gb(kCsvHeader + r2), Format::csv, shipped("12345"));
  ASSERT_EQ(b2.items.size(), 1u) << describe(b2);
  const json r = json::parse(b2.items[0].json);
  EXPECT_EQ(r["content"], "报名某驾校后要求退费，驾校称\"已开班\"不退。\r\n请核实");
  EXPECT_EQ(r["caller"]["name"], "刘女士");
  EXPECT_EQ(r["request_type"], "help");
  EXPECT_EQ(r["category"], "driver_training");
  EXPECT_EQ(r["received_at"], "2026-11-27T09:05:00+08:00");
  EXPECT_EQ(r["upstream"]["record"]["bt"], "驾校退费");
}

TEST(WorkorderDecode, CsvWithChineseHeadersAndSemicolons) {
  // A district platform's export: Chinese column names, ';' between cells, GB18030.
  const auto t = toml::parse(R"(
[mapping]
source = "12345"
csv_delimiter = ";"
time_formats = ["%Y年%m月%d日 %H:%M"]
[mapping.fields]
"工单编号" = "external_id"
"来电时间" = "received_at"
"诉求内容" = "content"
"附件" = "attachments"
)");
  const Mapping m = load_mapping(t);
  const std::string csv = "工单编号;来电时间;诉求内容;附件\r\n"
                          "QX-0001;2026年11月27日 8:40;码头客运站售票窗口乱收费;"
                          "https://x.example/a/1.jpg|https://x.example/a/2.jpg\r\n";
  const Batch b = decode_batch(gb(csv), Format::csv, m);
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  ASSERT_TRUE(hub_accepts(b.items[0]));
  const json r = json::parse(b.items[0].json);
  EXPECT_EQ(r["received_at"], "2026-11-27T08:40:00+08:00");
  ASSERT_EQ(r["attachments"].size(), 2u);  // URLs separated by '|': each named after its file
  EXPECT_EQ(r["attachments"][1], json({{"uri", "https://x.example/a/2.jpg"}, {"name", "2.jpg"}}));
}

// ---- XML ----

const std::string kXml12345 = R"(<?xml version="1.0" encoding="GBK"?>
<root><total>2</total>
  <gd>
    <gdbh>GD-ZJ-20261128-000301</gdbh><ldsj>2026-11-28 11:20:00</ldsj>
    <ldrxm>黄先生</ldrxm><lxdh>13600136000</lxdh><bt>货车超载</bt>
    <nr><![CDATA[国道325线遂溪路段有货车严重超载，车厢加高<约1米>，请查处。]]></nr>
    <sqlx>举报</sqlx><ywfl>超限超载</ywfl>
    <fj><file><name>现场.jpg</name><url>https://hotline.zhanjiang.example/f/301-1.jpg</url><mime>image/jpeg</mime></file>
        <file><name>现场2.jpg</name><url>https://hotline.zhanjiang.example/f/301-2.jpg</url></file></fj>
  </gd>
  <gd><gdbh>GD-ZJ-20261128-000302</gdbh><ldsj>20261128113000</ldsj><nr>麻章客运站有人拉客</nr></gd>
</root>)";

TEST(WorkorderDecode, Xml12345InGbk) {
  // The file says GBK in its declaration and is: no charset is declared by the caller.
  const Batch b = decode_batch(gb(kXml12345), Format::xml, shipped("12345"));
  ASSERT_EQ(b.items.size(), 2u) << describe(b);
  for (const auto& item : b.items) EXPECT_TRUE(hub_accepts(item));
  const json r = json::parse(b.items[0].json);
  EXPECT_EQ(r["content"], "国道325线遂溪路段有货车严重超载，车厢加高<约1米>，请查处。");
  EXPECT_EQ(r["request_type"], "report");
  EXPECT_EQ(r["category"], "overload");
  // <fj><file>..</file><file>..</file></fj>: the wrapper is looked through.
  ASSERT_EQ(r["attachments"].size(), 2u);
  EXPECT_EQ(r["attachments"][0]["uri"], "https://hotline.zhanjiang.example/f/301-1.jpg");
  EXPECT_EQ(r["attachments"][1]["name"], "现场2.jpg");
  EXPECT_EQ(b.items[1].index, 1u);
  EXPECT_EQ(b.items[1].external_id, "GD-ZJ-20261128-000302");
}

TEST(WorkorderDecode, Xml12328NestedPathsAndCursor) {
  const std::string xml = R"(<response><code>0000</code><data><nextCursor>77</nextCursor>
    <workOrder><orderNo>12328-GD-2026112800009</orderNo><acceptTime>20261128160000</acceptTime>
      <appealer><name>周先生</name><phone>+86 139 1234 5678</phone></appealer>
      <appealContent>赤坎客运站售票员态度恶劣。</appealContent><businessType>0302</businessType>
      <files><file><fileName>a.mp3</fileName><fileUrl>https://12328.gd.example/f/a.mp3</fileUrl></file></files>
    </workOrder></data></response>)";
  const Batch b = decode_batch(xml, Format::xml, shipped("12328"));
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  ASSERT_TRUE(hub_accepts(b.items[0]));
  const json r = json::parse(b.items[0].json);
  EXPECT_EQ(r["caller"]["name"], "周先生");
  EXPECT_EQ(r["caller"]["phone"], "+86 139 1234 5678");  // kept as given
  EXPECT_EQ(r["category"], "coach");
  EXPECT_EQ(r["attachments"].size(), 1u);
  EXPECT_EQ(b.next_cursor, "77");
}

std::vector<Row> xml_rows() {
  return {
      {"not XML", "12345", Format::xml, "<root><gd><gdbh>GD-1</gd></root>", "", {}, {{0, "E_BAD_XML", ""}}},
      // A root with children but no <gd>: the mapping's xml_record is wrong or the export is.
      {"no record element", "12345", Format::xml, "<root><order><gdbh>GD-1</gdbh></order></root>", "", {},
       {{0, "E_BAD_XML", ""}}},
      {"empty export", "12345", Format::xml, "<root/>", "", {}, {}},
      {"record without order number", "12345", Format::xml,
       "<root><gd><ldsj>2026-11-28 11:20:00</ldsj><nr>拒载</nr></gd><gd><gdbh>GD-2</gdbh>"
       "<ldsj>2026-11-28 11:20:00</ldsj><nr>拒载</nr></gd></root>",
       "", {1}, {{0, "E_FIELD_MISSING", "gdbh"}}},
      // The declaration says UTF-8 but the bytes are GBK: refused, not garbled.
      {"lying declaration", "12345", Format::xml,
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><root><gd><nr>" + gb("拒载") + "</nr></gd></root>", "", {},
       {{0, "E_BAD_UTF8", ""}}},
      // A notice in an XML export, among orders.
      {"notice in XML", "12345", Format::xml,
       "<root><gd><xxlx>催办</xxlx><xxbh>CB-1</xxbh><gdbh>GD-1</gdbh><fssj>2026-11-28 09:00:00</fssj></gd></root>",
       "", {0}, {}},
      // Elements nested without end.
      {"too deep", "12345", Format::xml,
       "<root><gd>" + [] {
         std::string s;
         for (int i = 0; i < 100; ++i) s += "<a>";
         for (int i = 0; i < 100; ++i) s += "</a>";
         return s;
       }() + "</gd></root>",
       "", {}, {{0, "E_BAD_XML", ""}}},
  };
}

TEST(WorkorderDecode, XmlTable) {
  for (const auto& row : xml_rows()) {
    SCOPED_TRACE(row.quirk);
    const Batch b = decode_batch(row.bytes, row.format, shipped(row.platform), row.charset);
    std::vector<std::size_t> indexes;
    for (const auto& item : b.items) {
      indexes.push_back(item.index);
      EXPECT_TRUE(hub_accepts(item));
    }
    EXPECT_EQ(indexes, row.item_indexes) << describe(b);
    ASSERT_EQ(b.errors.size(), row.errors.size()) << describe(b);
    for (std::size_t i = 0; i < row.errors.size(); ++i) {
      EXPECT_EQ(b.errors[i].index, row.errors[i].index) << b.errors[i].to_string();
      EXPECT_EQ(b.errors[i].code, row.errors[i].code) << b.errors[i].to_string();
      EXPECT_EQ(b.errors[i].field, row.errors[i].field) << b.errors[i].to_string();
    }
  }
}

// ---- notices ----

struct NoticeRow {
  const char* quirk;
  std::string platform;
  std::string record;      // JSON
  std::string kind;        // "" = an error is expected
  json expected;           // members the notice must have
  std::string code, field; // the error
};

std::vector<NoticeRow> notice_rows() {
  return {
      {"催办", "12345",
       R"({"xxlx":"催办","xxbh":"CB-88172","gdbh":"GD-ZJ-20261126-000123","fssj":"2026-11-28 09:00:00","xxnr":"请加快办理"})",
       "reminder",
       {{"notice_id", "CB-88172"}, {"at", "2026-11-28T09:00:00+08:00"}, {"note", "请加快办理"},
        {"source", "12345"}, {"external_id", "GD-ZJ-20261126-000123"}}},
      {"督办", "12345",
       R"({"xxlx":"督办","xxbh":"DB-301","gdbh":"GD-1","fssj":"2026-11-29 10:00","xxnr":"市领导督办，限期办结"})",
       "supervision", {{"note", "市领导督办，限期办结"}}},
      {"撤单", "12345", R"({"xxlx":"撤单","xxbh":"CD-9","gdbh":"GD-1","fssj":"2026-11-29 10:00:00","xxnr":"市民已自行解决"})",
       "withdrawn", {{"notice_id", "CD-9"}}},
      // The ruling in Chinese through mapping.approved.
      {"退单审核 同意", "12345",
       R"({"xxlx":"退单审核","xxbh":"TD-1","gdbh":"GD-1","fssj":"2026-11-29 10:00:00","shjg":"同意"})",
       "return_ruling", {{"approved", true}}},
      {"退单审核 驳回", "12345",
       R"({"xxlx":"退单审核","xxbh":"TD-2","gdbh":"GD-1","fssj":"2026-11-29 10:00:00","shjg":"驳回","xxnr":"属你单位职责"})",
       "return_ruling", {{"approved", false}, {"note", "属你单位职责"}}},
      // An extension granted with the new deadline, a date alone: the end of that day.
      {"延期审核", "12345",
       R"({"xxlx":"延期审核","xxbh":"YQ-1","gdbh":"GD-1","fssj":"2026-11-30 15:00:00","shjg":"1","xblsx":"2026-12-09"})",
       "extension_ruling", {{"approved", true}, {"deadline", "2026-12-09T23:59:59+08:00"}}},
      // 回访 with the rating in Chinese, the text in 回访意见.
      {"回访 基本满意", "12345",
       R"({"xxlx":"回访","xxbh":"HF-1","gdbh":"GD-1","fssj":"2026-12-01 10:00:00","myd":"基本满意","hfyj":"处理较慢"})",
       "callback", {{"satisfaction", "basically_satisfied"}, {"note", "处理较慢"}}},
      {"回访 不满意", "12345",
       R"({"xxlx":"回访","xxbh":"HF-2","gdbh":"GD-1","fssj":"2026-12-01 10:00:00","myd":"不满意"})", "callback",
       {{"satisfaction", "dissatisfied"}}},
      // 12328's coded notices.
      {"12328 CB", "12328", R"({"msgType":"CB","msgId":"M-1","orderNo":"12328-GD-1","sendTime":"20261128090000"})",
       "reminder", {{"source", "12328"}, {"at", "2026-11-28T09:00:00+08:00"}}},
      {"12328 YQSH refused", "12328",
       R"({"msgType":"YQSH","msgId":"M-2","orderNo":"12328-GD-1","sendTime":"20261128090000","auditResult":"0","newDeadline":"20261203"})",
       "extension_ruling", {{"approved", false}, {"deadline", "2026-12-03T23:59:59+08:00"}}},
      {"12328 HF", "12328",
       R"({"msgType":"HF","msgId":"M-3","orderNo":"12328-GD-1","sendTime":"20261201100000","satisfaction":"1"})",
       "callback", {{"satisfaction", "satisfied"}}},
      // A ruling without its result cannot be applied.
      {"退单审核 without 审核结果", "12345",
       R"({"xxlx":"退单审核","xxbh":"TD-3","gdbh":"GD-1","fssj":"2026-11-29 10:00:00"})", "", {}, "E_FIELD_MISSING",
       "shjg"},
      {"回访 rating unknown", "12345",
       R"({"xxlx":"回访","xxbh":"HF-3","gdbh":"GD-1","fssj":"2026-12-01 10:00:00","myd":"很好"})", "", {},
       "E_FIELD_INVALID", "myd"},
      {"notice without order number", "12345", R"({"xxlx":"催办","xxbh":"CB-2","fssj":"2026-11-28 09:00:00"})", "",
       {}, "E_FIELD_MISSING", "gdbh"},
      {"notice bad time", "12345", R"({"xxlx":"催办","xxbh":"CB-3","gdbh":"GD-1","fssj":"明天"})", "", {},
       "E_FIELD_INVALID", "fssj"},
      // A type the mapping does not know: neither a notice nor an order.
      {"unknown type", "12345", R"({"xxlx":"转办","gdbh":"GD-1","fssj":"2026-11-28 09:00:00"})", "", {},
       "E_FIELD_INVALID", "xxlx"},
  };
}

TEST(WorkorderDecode, NoticeTable) {
  for (const auto& row : notice_rows()) {
    SCOPED_TRACE(row.quirk);
    const Batch b = decode_batch(row.record, Format::json, shipped(row.platform));
    if (row.kind.empty()) {
      ASSERT_EQ(b.errors.size(), 1u) << describe(b);
      EXPECT_TRUE(b.items.empty());
      EXPECT_EQ(b.errors[0].code, row.code) << b.errors[0].to_string();
      EXPECT_EQ(b.errors[0].field, row.field) << b.errors[0].to_string();
      EXPECT_EQ(b.errors[0].raw, row.record);
      continue;
    }
    ASSERT_EQ(b.items.size(), 1u) << describe(b);
    const Item& item = b.items[0];
    EXPECT_EQ(item.kind, Item::Kind::notice);
    EXPECT_TRUE(hub_accepts(item));
    const json n = json::parse(item.json);
    EXPECT_EQ(n["kind"], row.kind);
    for (const auto& [key, value] : row.expected.items()) EXPECT_EQ(n[key], value) << key;
  }
}

TEST(WorkorderDecode, OrderTypeValueMeansAnOrder) {
  // 12328 sets msgType on every record; "GD" is a work order.
  const Batch b = decode_batch(kOrder12328, Format::json, shipped("12328"));
  ASSERT_EQ(b.items.size(), 1u) << describe(b);
  EXPECT_EQ(b.items[0].kind, Item::Kind::order);
}

TEST(WorkorderDecode, NoticeIdDerivedWhenThePlatformGivesNone) {
  const Mapping& m = shipped("12345");
  const std::string a = R"({"xxlx":"督办","gdbh":"GD-1","fssj":"2026-11-29 10:00:00","xxnr":"限期办结"})";
  // The same notice, resent with other spacing and member order.
  const std::string a_again = R"({ "xxnr": "限期办结", "gdbh": "GD-1", "xxlx": "督办", "fssj": "2026-11-29 10:00:00" })";
  const std::string b = R"({"xxlx":"督办","gdbh":"GD-1","fssj":"2026-11-30 10:00:00","xxnr":"限期办结"})";
  auto id = [&](const std::string& body) {
    const Batch batch = decode_batch(body, Format::json, m);
    EXPECT_EQ(batch.items.size(), 1u) << describe(batch);
    if (batch.items.empty()) return std::string();
    EXPECT_TRUE(hub_accepts(batch.items[0]));
    return json::parse(batch.items[0].json)["notice_id"].get<std::string>();
  };
  EXPECT_FALSE(id(a).empty());
  EXPECT_EQ(id(a), id(a_again));
  EXPECT_NE(id(a), id(b));
}

TEST(WorkorderDecode, OrdersAndNoticesInOneCsv) {
  // A day's export with both: a notice row has 消息类型, an order row has it empty.
  const std::string csv = "xxlx,xxbh,gdbh,ldsj,fssj,nr,myd\r\n"
                          ",,GD-20,2026-11-27 08:40,,出租车拒载,\r\n"
                          "回访,HF-20,GD-19,,2026-11-27 09:00,,满意\r\n";
  const Batch b = decode_batch(gb(csv), Format::csv, shipped("12345"));
  ASSERT_EQ(b.items.size(), 2u) << describe(b);
  EXPECT_EQ(b.items[0].kind, Item::Kind::order);
  EXPECT_EQ(b.items[1].kind, Item::Kind::notice);
  for (const auto& item : b.items) EXPECT_TRUE(hub_accepts(item));
  EXPECT_EQ(json::parse(b.items[1].json)["satisfaction"], "satisfied");
}

}  // namespace
}  // namespace suqiu::workorder
