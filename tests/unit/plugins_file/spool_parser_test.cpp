// The spool file's parser against a table of real-looking JSON Lines files, as
// the 12345 platform's nightly export, the e-mail gateway and people with a
// text editor write them. One comment per quirk. (Names and numbers are made up.)
#include "file/spool_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/intake_record.h"

namespace suqiu::filefeed {
namespace {

const std::string kBom = "\xEF\xBB\xBF";

// A 12345 work order as the platform's export writes it.
const std::string kOrder =
    R"({"source":"12345","external_id":"GD-ZJ-20261126-000123","received_at":"2026-11-26T09:15:00+08:00","request_type":"complaint","category":"taxi","caller":{"name":"李先生","phone":"13800138000","anonymous":false},"subject":"出租车拒载","content":"来电人反映：今天早上8点多在开发区人民大道中拦乘粤G·T2736出租车去湛江西站，司机以要交班为由拒载。","upstream":{"platform":"12345","order_no":"GD-ZJ-20261126-000123"}})";
// A 12328 call, the least there is.
const std::string kCall =
    R"({"source":"12328","external_id":"12328-440800-2026112600009","received_at":"2026-11-26T10:40:07+08:00","content":"5路公交车在海滨公园站过站不停，站台上有乘客招手，司机直接开走。"})";
// A letter from the web form.
const std::string kWeb =
    R"({"source":"reportbox","external_id":"JB2026090100002","received_at":"2026-09-01T10:17:00+08:00","request_type":"report","caller":{"anonymous":true},"content":"太平镇有人用未办理道路运输证的货车长期承揽货运业务。","upstream":{"box":"web"}})";

struct Refused {
  int line;
  std::string code;
  std::string field;
};

struct Row {
  const char* quirk;
  std::string bytes;
  std::vector<int> record_lines;  // lines that become records, in order
  std::vector<Refused> refused;   // in line order
  int lines = -1;                 // physical lines, when the row checks them
};

std::vector<Row> rows() {
  return {
      // The plain case: LF line ends, a newline after the last record.
      {"three lines", kOrder + "\n" + kCall + "\n" + kWeb + "\n", {1, 2, 3}, {}, 3},
      // Saved with Notepad: a BOM before the first record. Cut off, since the
      // hub refuses a record that starts with one.
      {"BOM at the start", kBom + kOrder + "\n" + kCall + "\n", {1, 2}, {}, 2},
      // The e-mail gateway runs on Windows: CRLF. The CR must not reach the hub.
      {"CRLF", kOrder + "\r\n" + kCall + "\r\n", {1, 2}, {}, 2},
      // Blank, whitespace-only and CRLF-blank lines between records are skipped,
      // but counted: line numbers are the ones an editor shows.
      {"blank lines", "\n" + kOrder + "\n   \n\t\r\n" + kCall + "\n\n", {2, 5}, {}, 6},
      // The exporter closed the file without a final newline.
      {"no final newline", kOrder + "\n" + kCall, {1, 2}, {}, 2},
      // Spaces after the record (a fixed-width export): still one JSON value.
      {"trailing spaces", kCall + "    \n", {1}, {}, 1},
      // Traditional characters and full-width digits from a visitor's own
      // typing: passed on as written; the hub's normaliser folds them.
      {"traditional characters",
       R"({"source":"walkin","external_id":"CT-20261127-0002","received_at":"2026-11-27T10:05:00+08:00","content":"在霞山汽車站乘坐計程車，司機拒載並態度惡劣，車牌粤Ｇ·Ｔ２７３６。"})"
       "\n",
       {1}},
      // A source the bureau configured on its hub ([hub] sources): not ours to
      // judge; the hub refuses it if it does not know it.
      {"configured source",
       R"({"source":"wechat","external_id":"WX-0001","received_at":"2026-11-26T09:15:00+08:00","content":"公众号留言：出租车不打表。"})"
       "\n",
       {1}},
      // A category that does not exist is the hub's to refuse (with its taxonomy).
      {"unknown category",
       R"({"source":"12345","external_id":"GD-1","received_at":"2026-11-26T09:15:00+08:00","category":"taxis","content":"拒载"})"
       "\n",
       {1}},
      // The writer copied the file in place and it was taken too early: the
      // last line is cut off. The lines before it still count.
      {"truncated last line", kOrder + "\n" + kCall.substr(0, 90), {1}, {{2, "E_NOT_JSON", ""}}},
      // The text box left empty on the web form.
      {"missing content",
       R"({"source":"reportbox","external_id":"JB2026110300005","received_at":"2026-11-03T15:20:00+08:00","subject":"黑车"})"
       "\n" + kCall + "\n",
       {2}, {{1, "E_FIELD_MISSING", "content"}}},
      // Local time without an offset, as a spreadsheet writes it.
      {"time without offset",
       R"({"source":"12328","external_id":"12328-1","received_at":"2026-11-03 15:20","content":"公交车过站不停"})"
       "\n",
       {}, {{1, "E_FIELD_INVALID", "received_at"}}},
      // The phone typed as a number: the leading zero of an area code is gone.
      {"phone as a number",
       R"({"source":"12328","external_id":"12328-2","received_at":"2026-11-03T15:20:00+08:00","content":"渡船超员","caller":{"phone":7592234567}})"
       "\n",
       {}, {{1, "E_FIELD_INVALID", "caller.phone"}}},
      // One line saved in GBK by an old gateway, between two good ones.
      {"GBK line", kOrder + "\n{\"source\":\"12345\",\"content\":\"\xBE\xD9\xB1\xA8\"}\n" + kCall + "\n", {1, 3},
       {{2, "E_BAD_UTF8", ""}}},
      // An array where an object belongs (a JSON export, not JSON Lines).
      {"array line", "[" + kOrder + "]\n" + kCall + "\n", {2}, {{1, "E_NOT_OBJECT", ""}}},
      // A CSV export dropped into the folder under the wrong name.
      {"CSV line", "12345,GD-ZJ-1,2026-11-26 09:15,出租车拒载\n", {}, {{1, "E_NOT_JSON", ""}}},
      // Pretty-printed (jq without -c): no line is a record on its own.
      {"pretty-printed record", "{\n  \"source\": \"12345\",\n  \"content\": \"x\"\n}\n", {},
       {{1, "E_NOT_JSON", ""}, {2, "E_NOT_JSON", ""}, {3, "E_NOT_JSON", ""}, {4, "E_NOT_JSON", ""}}},
      // Two records glued on one line (a lost newline).
      {"two records on a line", kOrder + kCall + "\n", {}, {{1, "E_NOT_JSON", ""}}},
      // NaN from a Python exporter's json.dumps.
      {"NaN",
       R"({"source":"12345","external_id":"GD-2","received_at":"2026-11-26T09:15:00+08:00","content":"x","location":{"lat":NaN}})"
       "\n",
       {}, {{1, "E_NOT_JSON", ""}}},
      // Two files joined with cat, each with its BOM: the second BOM starts
      // line 2 and that line is refused; the first is cut off as usual.
      {"concatenated with BOMs", kBom + kOrder + "\n" + kBom + kCall + "\n", {1}, {{2, "E_NOT_JSON", ""}}},
      // A BOM written twice (a converter run on a file that had one): only the
      // first is the file's mark.
      {"double BOM", kBom + kBom + kOrder + "\n", {}, {{1, "E_NOT_JSON", ""}}},
      // The same work order twice, byte for byte (the export ran over an hour
      // it had already written): passed on, the hub answers duplicate:true.
      {"exact repeat", kOrder + "\n" + kCall + "\n" + kOrder + "\n", {1, 2, 3}, {}},
      // The same order number with other content (an export bug): the hub would
      // keep only line 1 and drop this text unseen, so it is refused here.
      {"same id, other content",
       kOrder + "\n" +
           R"({"source":"12345","external_id":"GD-ZJ-20261126-000123","received_at":"2026-11-26T09:15:00+08:00","content":"另一件事：公交站台破损。"})"
           "\n",
       {1}, {{2, "E_FIELD_INVALID", "external_id"}}},
      // The same external id from another source is another case.
      {"same id, other source",
       R"({"source":"12345","external_id":"0001","received_at":"2026-11-26T09:15:00+08:00","content":"拒载"})"
       "\n"
       R"({"source":"12328","external_id":"0001","received_at":"2026-11-26T09:15:00+08:00","content":"拒载"})"
       "\n",
       {1, 2}, {}},
      // A pasted novel: content over 64 KiB is the field's fault.
      {"oversize content",
       R"({"source":"12345","external_id":"GD-3","received_at":"2026-11-26T09:15:00+08:00","content":")" +
           std::string(70 * 1024, 'x') + "\"}\n" + kCall + "\n",
       {2}, {{1, "E_FIELD_INVALID", "content"}}},
      // A line over the 1 MiB record limit (an attachment inlined as base64).
      {"oversize line",
       R"({"source":"12345","external_id":"GD-4","received_at":"2026-11-26T09:15:00+08:00","content":"x","scan":")" +
           std::string(1100 * 1024, 'A') + "\"}\n" + kCall + "\n",
       {2}, {{1, "E_TOO_LARGE", ""}}},
      // A zero-byte file: probably a writer's mistake, so it is not filed as done.
      {"empty file", "", {}, {{0, "E_EMPTY", ""}}, 0},
      // Only a BOM and blank lines.
      {"BOM and blank lines only", kBom + "\r\n\r\n  \n", {}, {{0, "E_EMPTY", ""}}, 3},
  };
}

TEST(SpoolParser, Table) {
  for (const auto& row : rows()) {
    SCOPED_TRACE(row.quirk);
    const SpoolParse parsed = parse_spool_file(row.bytes);
    ASSERT_EQ(parsed.records.size(), row.record_lines.size());
    for (std::size_t i = 0; i < row.record_lines.size(); ++i) {
      const auto& r = parsed.records[i];
      EXPECT_EQ(r.line, row.record_lines[i]);
      EXPECT_FALSE(r.json.starts_with(kBom));
      EXPECT_FALSE(r.json.ends_with("\r"));
      EXPECT_EQ(r.json.find('\n'), std::string::npos);
      // What leaves the parser passes the hub's own validation.
      auto again = parse_intake(std::string_view(r.json));
      ASSERT_TRUE(std::holds_alternative<IntakeRecord>(again)) << r.json.substr(0, 200);
      EXPECT_EQ(std::get<IntakeRecord>(again).external_id, r.external_id);
      EXPECT_EQ(std::get<IntakeRecord>(again).source, r.source);
    }
    ASSERT_EQ(parsed.refusals.size(), row.refused.size())
        << (parsed.refusals.empty() ? "" : parsed.refusals.front().to_string());
    for (std::size_t i = 0; i < row.refused.size(); ++i) {
      const auto& e = parsed.refusals[i];
      EXPECT_EQ(e.line, row.refused[i].line) << e.to_string();
      EXPECT_EQ(e.code, row.refused[i].code) << e.to_string();
      EXPECT_EQ(e.field, row.refused[i].field) << e.to_string();
      EXPECT_FALSE(e.reason.empty());
    }
    if (row.lines >= 0) {
      EXPECT_EQ(parsed.lines, row.lines);
    }
  }
}

TEST(SpoolParser, RecordsArePassedOnByteForByte) {
  // Key order, spacing and escapes are the writer's; the parser only removes
  // the BOM and the line end.
  const std::string spaced = R"({ "content" : "拒载\u0021", "source":"12345", "external_id":"GD-9", "received_at":"2026-11-26T09:15:00+08:00" })";
  const auto parsed = parse_spool_file(kBom + spaced + "\r\n");
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].json, spaced);
}

TEST(SpoolParser, RefusalsReadAsLogLines) {
  const auto parsed = parse_spool_file(kOrder + "\n" +
                                       R"({"source":"12328","external_id":"12328-1","received_at":"2026-11-26T09:15:00+08:00"})" +
                                       "\nnot json\n");
  ASSERT_EQ(parsed.refusals.size(), 2u);
  EXPECT_EQ(parsed.refusals[0].to_string(), "line 2: E_FIELD_MISSING [content]: required field 'content' is missing");
  // nlohmann's "line 1" of the one-line text and its exception tag are gone;
  // the column stays.
  EXPECT_EQ(parsed.refusals[1].to_string().rfind("line 3: E_NOT_JSON: not JSON: column 2", 0), 0u)
      << parsed.refusals[1].to_string();
  EXPECT_EQ(parse_spool_file("").refusals.at(0).to_string().rfind("file: E_EMPTY", 0), 0u);
}

TEST(SpoolParser, FileOverTheLimitIsRefusedWhole) {
  const std::string huge(kMaxSpoolFileBytes + 1, '\n');
  const auto parsed = parse_spool_file(huge);
  EXPECT_TRUE(parsed.records.empty());
  ASSERT_EQ(parsed.refusals.size(), 1u);
  EXPECT_EQ(parsed.refusals[0].line, 0);
  EXPECT_EQ(parsed.refusals[0].code, "E_TOO_LARGE");
}

TEST(SpoolParser, SpoolNames) {
  struct Name {
    const char* name;
    bool taken;
  };
  const std::vector<Name> names = {
      {"12345-20261126.jsonl", true},
      {"GATEWAY.JSONL", true},          // an upper-case extension from a Windows share
      {".12345-20261126.jsonl", false},  // a writer's hidden temporary
      {"12345-20261126.jsonl.part", false},  // likewise, renamed when complete
      {"12345-20261126.json", false},    // the report box's letters, not ours
      {".jsonl", false},                 // nothing but the extension
      {".outbox.db", false},
      {"readme.txt", false},
  };
  for (const auto& n : names) EXPECT_EQ(is_spool_name(n.name), n.taken) << n.name;
}

}  // namespace
}  // namespace suqiu::filefeed
