// The report box's parser against tables of real-looking drop files: JSON
// Lines from the web form and the e-mail gateway, and letters typed in at the
// scanning desk. One comment per quirk. (All names and numbers are made up.)
#include "reportbox/letter_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace suqiu::reportbox {
namespace {

using nlohmann::json;

const std::string kBom = "\xEF\xBB\xBF";

// Lines as the web form writes them.
const std::string kWebLine =
    R"({"source":"reportbox","external_id":"JB2026090100002","received_at":"2026-09-01T10:17:00+08:00","request_type":"report","caller":{"name":"","phone":"","anonymous":true},"subject":"举报无证货运","content":"太平镇有人用未办理道路运输证的货车粤GA5427长期承揽货运业务。","location":{"address":"湛江市经济技术开发区龙潮村路口"},"upstream":{"box":"web","retrieval_code":"A9MAN7"}})";
const std::string kMailLine =
    R"({"source":"reportbox","external_id":"JB2026090700002","received_at":"2026-09-07T09:46:53+08:00","caller":{"name":"市民","phone":"","anonymous":false},"subject":"窗口推诿","content":"到政务服务中心交通窗口办理业务，工作人员推诿，本人跑了三四次仍未办好。","upstream":{"box":"email","retrieval_code":"PWSZBA"}})";

struct Row {
  const char* quirk;
  FileKind kind;
  std::string bytes;
  std::size_t records;        // records expected
  std::vector<int> record_lines;
  int error_line = -1;        // -1: no error expected
  std::string code;
  std::string field;
};

std::vector<Row> jsonl_rows() {
  return {
      // The plain case: two lines, LF, newline at the end.
      {"two lines", FileKind::jsonl, kWebLine + "\n" + kMailLine + "\n", 2, {1, 2}},
      // Windows Notepad saved the gateway's file: a BOM before the first record.
      {"BOM", FileKind::jsonl, kBom + kWebLine + "\n" + kMailLine + "\n", 2, {1, 2}},
      // CRLF line ends from a Windows gateway; the \r must not reach the hub.
      {"CRLF", FileKind::jsonl, kWebLine + "\r\n" + kMailLine + "\r\n", 2, {1, 2}},
      // Blank and whitespace-only lines between records; numbers stay physical.
      {"blank lines", FileKind::jsonl, "\n" + kWebLine + "\n   \n\t\r\n" + kMailLine + "\n\n", 2, {2, 5}},
      // The last line has no newline (the writer closed the file without one).
      {"no final newline", FileKind::jsonl, kWebLine + "\n" + kMailLine, 2, {1, 2}},
      // Traditional characters from a Hong Kong visitor: passed on unchanged
      // (the hub's normaliser folds them for classification).
      {"traditional characters", FileKind::jsonl,
       R"({"source":"reportbox","external_id":"JB2026110300004","received_at":"2026-11-03T15:20:00+08:00","content":"在霞山汽車站乘坐計程車，司機拒載並態度惡劣，請有關部門處理。"})"
       "\n",
       1, {1}},
      // The gateway crashed mid-write: line 2 is cut off. Line 1 still counts.
      {"truncated line", FileKind::jsonl, kWebLine + "\n" + kMailLine.substr(0, 80) + "\n", 1, {1}, 2,
       "E_NOT_JSON", ""},
      // A form without the text box filled in: no content, nothing to handle.
      {"missing content", FileKind::jsonl,
       R"({"source":"reportbox","external_id":"JB2026110300005","received_at":"2026-11-03T15:20:00+08:00","subject":"黑车"})"
       "\n",
       0, {}, 1, "E_FIELD_MISSING", "content"},
      // A local time without offset in a JSONL record is not RFC 3339.
      {"bad date", FileKind::jsonl,
       R"({"source":"reportbox","external_id":"JB2026110300006","received_at":"2026-11-03 15:20","content":"公交车过站不停"})"
       "\n",
       0, {}, 1, "E_FIELD_INVALID", "received_at"},
      // One line written in GBK by an old gateway, between two good ones.
      {"GBK line", FileKind::jsonl,
       kWebLine + "\n{\"source\":\"reportbox\",\"content\":\"\xBE\xD9\xB1\xA8\"}\n" + kMailLine + "\n", 2, {1, 3},
       2, "E_BAD_UTF8", ""},
      // An array where an object belongs.
      {"array line", FileKind::jsonl, "[1,2]\n" + kWebLine + "\n", 1, {2}, 1, "E_NOT_OBJECT", ""},
      // A pasted novel: content over 64 KiB.
      {"oversize content", FileKind::jsonl,
       R"({"source":"reportbox","external_id":"JB2026110300007","received_at":"2026-11-03T15:20:00+08:00","content":")" +
           std::string(70 * 1024, 'x') + "\"}\n",
       0, {}, 1, "E_FIELD_INVALID", "content"},
      // A line over the 1 MiB record limit.
      {"oversize line", FileKind::jsonl,
       R"({"source":"reportbox","external_id":"JB1","received_at":"2026-11-03T15:20:00+08:00","content":"x","pad":")" +
           std::string(1100 * 1024, 'x') + "\"}\n",
       0, {}, 1, "E_TOO_LARGE", ""},
      // An empty file: nothing at all to take.
      {"empty file", FileKind::jsonl, "", 0, {}, 0, "E_EMPTY", ""},
      // Only a BOM and CRLF blank lines.
      {"BOM and blank lines only", FileKind::jsonl, kBom + "\r\n\r\n", 0, {}, 0, "E_EMPTY", ""},
  };
}

std::string letter(const json& j) { return j.dump(2); }

std::vector<Row> letter_rows() {
  return {
      // A named letter typed in at the scanning desk.
      {"named letter", FileKind::letter,
       letter({{"serial", "JB2026112600001"}, {"received_at", "2026-11-26T09:15:00+08:00"},
               {"name", "邓女士"}, {"phone", "15311966994"}, {"subject", "举报黑车"},
               {"text", "湛江站附近有人以包车名义拉客，实际是无证营运。"},
               {"address", "湛江霞山区湛江站门口"}, {"box", "paper"}}),
       1, {1}},
      // Anonymous: no name, no phone, no flag — nobody to call back.
      {"anonymous letter", FileKind::letter,
       letter({{"serial", "JB2026112600002"}, {"received_at", "2026-11-26 10:00"},
               {"text", "某驾校教练收受学员红包。"}}),
       1, {1}},
      // Full-width digits and dash in the phone and serial, typed with a Chinese IME.
      {"full-width digits", FileKind::letter,
       letter({{"serial", "ＪＢ２０２６１１２６００００３"}, {"received_at", "２０２６－１１－２６　０９：３０"},
               {"name", "黄师傅"}, {"phone", "１３８－００１３－８０００"}, {"text", "货车超载"}}),
       1, {1}},
      // A date the Chinese way, hours with 时 and minutes with 分.
      {"Chinese date", FileKind::letter,
       letter({{"serial", "JB2026112600004"}, {"received_at", "2026年11月26日 9时15分"},
               {"text", "渡船超员"}}),
       1, {1}},
      // Notepad: BOM and CRLF in a pretty-printed letter.
      {"BOM and CRLF letter", FileKind::letter,
       kBom + "{\r\n  \"serial\": \"JB2026112600005\",\r\n  \"received_at\": \"2026/11/26\",\r\n"
              "  \"text\": \"路灯不亮\"\r\n}\r\n",
       1, {1}},
      // Traditional characters, kept as written.
      {"traditional letter", FileKind::letter,
       letter({{"serial", "JB2026112600006"}, {"received_at", "2026-11-26T11:00:00+08:00"},
               {"text", "網約車司機繞路，多收車費。"}, {"request_type", "投诉"}}),
       1, {1}},
      // 30 February does not exist.
      {"bad date", FileKind::letter,
       letter({{"serial", "JB2026112600007"}, {"received_at", "2026-02-30 09:00"}, {"text", "x"}}), 0, {}, 1,
       "E_FIELD_INVALID", "received_at"},
      // "Yesterday afternoon" is not a date.
      {"date in words", FileKind::letter,
       letter({{"serial", "JB2026112600008"}, {"received_at", "昨天下午"}, {"text", "x"}}), 0, {}, 1,
       "E_FIELD_INVALID", "received_at"},
      // The envelope was scanned but the text never typed in.
      {"missing text", FileKind::letter,
       letter({{"serial", "JB2026112600009"}, {"received_at", "2026-11-26"}, {"subject", "举报"}}), 0, {}, 1,
       "E_FIELD_MISSING", "text"},
      // Only whitespace and a line break in the text box.
      {"blank text", FileKind::letter,
       letter({{"serial", "JB2026112600010"}, {"received_at", "2026-11-26"}, {"text", " \r\n "}}), 0, {}, 1,
       "E_FIELD_MISSING", "text"},
      // No serial number stamped on it.
      {"missing serial", FileKind::letter, letter({{"received_at", "2026-11-26"}, {"text", "x"}}), 0, {}, 1,
       "E_FIELD_MISSING", "serial"},
      // "Unknown" written where the phone goes.
      {"phone in words", FileKind::letter,
       letter({{"serial", "JB2026112600011"}, {"received_at", "2026-11-26"}, {"phone", "不详"}, {"text", "x"}}),
       0, {}, 1, "E_FIELD_INVALID", "phone"},
      // "Yes" instead of true.
      {"anonymous as a word", FileKind::letter,
       letter({{"serial", "JB2026112600012"}, {"received_at", "2026-11-26"}, {"anonymous", "是"}, {"text", "x"}}),
       0, {}, 1, "E_FIELD_INVALID", "anonymous"},
      // A request type in traditional characters is not one the bureau uses.
      {"unknown request type", FileKind::letter,
       letter({{"serial", "JB2026112600013"}, {"received_at", "2026-11-26"}, {"request_type", "投訴"}, {"text", "x"}}),
       0, {}, 1, "E_FIELD_INVALID", "request_type"},
      // A 70 KiB letter: the text is over the 64 KiB content limit, named as "text".
      {"oversize text", FileKind::letter,
       letter({{"serial", "JB2026112600014"}, {"received_at", "2026-11-26"}, {"text", std::string(70 * 1024, 'x')}}),
       0, {}, 1, "E_FIELD_INVALID", "text"},
      // A letter file over 1 MiB (a scanned image pasted in as base64).
      {"oversize file", FileKind::letter,
       letter({{"serial", "JB2026112600015"}, {"received_at", "2026-11-26"}, {"text", "x"},
               {"scan", std::string(1100 * 1024, 'A')}}),
       0, {}, 1, "E_TOO_LARGE", ""},
      // Several letters in one .json file: one letter per file.
      {"array of letters", FileKind::letter, "[" + letter({{"serial", "A"}}) + "]", 0, {}, 1, "E_NOT_OBJECT", ""},
      // A comma forgotten at the end of line 2: the error is on line 3.
      {"syntax error on line 3", FileKind::letter,
       "{\n  \"serial\": \"JB2026112600016\"\n  \"text\": \"x\"\n}\n", 0, {}, 3, "E_NOT_JSON", ""},
      // Saved in GBK by an old Windows form.
      {"GBK letter", FileKind::letter, "{\"serial\":\"JB1\",\"text\":\"\xBE\xD9\xB1\xA8\"}", 0, {}, 1,
       "E_BAD_UTF8", ""},
      // A zero-byte file (the form crashed before writing).
      {"empty letter", FileKind::letter, "", 0, {}, 1, "E_EMPTY", ""},
  };
}

void check(const Row& row) {
  SCOPED_TRACE(row.quirk);
  const ParsedFile parsed = parse_drop_file(row.kind, row.bytes);
  ASSERT_EQ(parsed.records.size(), row.records);
  for (std::size_t i = 0; i < row.record_lines.size(); ++i) {
    EXPECT_EQ(parsed.records[i].line, row.record_lines[i]);
    const auto& text = parsed.records[i].json;
    EXPECT_FALSE(text.starts_with(kBom));
    EXPECT_FALSE(text.ends_with("\r"));
    // Every record that leaves the parser passes the hub's own validation.
    auto again = parse_intake(std::string_view(text));
    ASSERT_TRUE(std::holds_alternative<IntakeRecord>(again)) << text;
    EXPECT_EQ(std::get<IntakeRecord>(again).external_id, parsed.records[i].external_id);
  }
  if (row.error_line < 0) {
    EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().to_string();
    return;
  }
  ASSERT_EQ(parsed.errors.size(), 1u);
  const auto& e = parsed.errors.front();
  EXPECT_EQ(e.line, row.error_line) << e.to_string();
  EXPECT_EQ(e.code, row.code) << e.to_string();
  EXPECT_EQ(e.field, row.field) << e.to_string();
  EXPECT_FALSE(e.reason.empty());
  EXPECT_EQ(parsed.unusable(), row.records == 0);
}

TEST(LetterParser, JsonLinesTable) {
  for (const auto& row : jsonl_rows()) check(row);
}

TEST(LetterParser, LetterTable) {
  for (const auto& row : letter_rows()) check(row);
}

json record_of(const std::string& bytes) {
  auto parsed = parse_letter_file(bytes);
  EXPECT_EQ(parsed.records.size(), 1u);
  if (parsed.records.empty()) return {};
  return json::parse(parsed.records.front().json);
}

TEST(LetterParser, NamedLetterBecomesAReportboxIntake) {
  auto r = record_of(letter({{"serial", " JB2026112600001 "}, {"received_at", "2026-11-26T09:15:00+08:00"},
                             {"name", "邓女士"}, {"phone", "15311966994"}, {"subject", "举报黑车"},
                             {"text", "湛江站附近有人以包车名义拉客。"}, {"address", "湛江站门口"},
                             {"request_type", "举报"}, {"confidential", true}, {"box", "paper"},
                             {"retrieval_code", "A9MAN7"}, {"page_count", 2}}));
  EXPECT_EQ(r["source"], "reportbox");
  EXPECT_EQ(r["external_id"], "JB2026112600001");
  EXPECT_EQ(r["received_at"], "2026-11-26T09:15:00+08:00");
  EXPECT_EQ(r["request_type"], "report");  // 举报 -> report
  EXPECT_EQ(r["content"], "湛江站附近有人以包车名义拉客。");
  EXPECT_EQ(r["subject"], "举报黑车");
  EXPECT_EQ(r["caller"]["name"], "邓女士");
  EXPECT_EQ(r["caller"]["phone"], "15311966994");
  EXPECT_EQ(r["caller"]["anonymous"], false);
  EXPECT_EQ(r["caller"]["confidential"], true);
  EXPECT_EQ(r["location"]["address"], "湛江站门口");
  EXPECT_EQ(r["upstream"], (json{{"box", "paper"}, {"retrieval_code", "A9MAN7"}}));
  EXPECT_FALSE(r.contains("page_count"));  // unknown letter keys are ignored
}

TEST(LetterParser, RequestTypeIsLeftToTheClassifierUnlessGiven) {
  auto r = record_of(letter({{"serial", "JB1"}, {"received_at", "2026-11-26"}, {"text", "x"}}));
  EXPECT_FALSE(r.contains("request_type"));
}

TEST(LetterParser, AnonymousLetters) {
  // No name or phone: anonymous.
  auto r = record_of(letter({{"serial", "JB1"}, {"received_at", "2026-11-26"}, {"text", "x"}}));
  EXPECT_EQ(r["caller"]["anonymous"], true);
  // Says anonymous but leaves a phone for the call-back: both kept.
  r = record_of(letter({{"serial", "JB2"}, {"received_at", "2026-11-26"}, {"anonymous", true},
                        {"phone", "13529272477"}, {"text", "x"}}));
  EXPECT_EQ(r["caller"]["anonymous"], true);
  EXPECT_EQ(r["caller"]["phone"], "13529272477");
  // A phone only, no name, no flag: not anonymous (there is someone to call).
  r = record_of(letter({{"serial", "JB3"}, {"received_at", "2026-11-26"}, {"phone", "0759-3381234"}, {"text", "x"}}));
  EXPECT_EQ(r["caller"]["anonymous"], false);
}

TEST(LetterParser, FullWidthFieldsAreFolded) {
  auto r = record_of(letter({{"serial", "ＪＢ２０２６１１２６００００３"}, {"received_at", "２０２６－１１－２６　０９：３０"},
                             {"phone", "１３８－００１３－８０００"}, {"text", "货车超载，车牌粤Ｇ１２３４５"}}));
  EXPECT_EQ(r["external_id"], "JB2026112600003");
  EXPECT_EQ(r["caller"]["phone"], "138-0013-8000");
  EXPECT_EQ(r["received_at"], "2026-11-26T09:30:00+08:00");
  EXPECT_EQ(r["content"], "货车超载，车牌粤Ｇ１２３４５");  // the text is the citizen's, kept as written
}

TEST(LetterParser, TraditionalTextIsKept) {
  auto r = record_of(letter({{"serial", "JB1"}, {"received_at", "2026-11-26"}, {"text", "網約車司機繞路"}}));
  EXPECT_EQ(r["content"], "網約車司機繞路");
}

TEST(LetterParser, JsonLinesArePassedOnByteForByte) {
  auto parsed = parse_jsonl(kBom + kWebLine + "\r\n");
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].json, kWebLine);
  EXPECT_EQ(parsed.records[0].external_id, "JB2026090100002");
}

TEST(LetterParser, ErrorsNameTheLetterFieldInTheReason) {
  auto parsed = parse_letter_file(
      letter({{"serial", "JB1"}, {"received_at", "2026-11-26"}, {"text", std::string(70 * 1024, 'x')}}));
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].reason.find("'text'"), std::string::npos) << parsed.errors[0].reason;
  EXPECT_EQ(parsed.errors[0].to_string().rfind("line 1: E_FIELD_INVALID [text]: ", 0), 0u)
      << parsed.errors[0].to_string();
}

TEST(LetterParser, LetterTimes) {
  struct T {
    const char* text;
    const char* expect;  // nullptr: refused
  };
  const T table[] = {
      {"2026-11-26T09:15:00+08:00", "2026-11-26T09:15:00+08:00"},  // RFC 3339 as is
      {"2026-11-26T01:15:00Z", "2026-11-26T01:15:00Z"},            // any offset
      {"2026-11-26 09:15", "2026-11-26T09:15:00+08:00"},           // local, no seconds
      {"2026-11-26 09:15:30", "2026-11-26T09:15:30+08:00"},
      {"2026/11/26 9:05", "2026-11-26T09:05:00+08:00"},            // slashes, one-digit hour
      {"2026.11.26", "2026-11-26T00:00:00+08:00"},                 // date only: midnight
      {"2026年11月26日", "2026-11-26T00:00:00+08:00"},
      {"2026年11月26日 9时15分", "2026-11-26T09:15:00+08:00"},
      {"2026年11月26日9点", nullptr},                                // hour without minutes
      {"２０２６－１１－２６　０９：１５", "2026-11-26T09:15:00+08:00"},  // full-width
      {"  2026-11-26  ", "2026-11-26T00:00:00+08:00"},             // padded
      {"2026-13-01", nullptr},                                     // month 13
      {"2026-02-29", nullptr},                                     // not a leap year
      {"2028-02-29", "2028-02-29T00:00:00+08:00"},                 // a leap year
      {"2026-11-26 24:00", nullptr},
      {"26-11-2026", nullptr},                                     // day first
      {"11/26/2026", nullptr},                                     // US order
      {"昨天下午", nullptr},
      {"", nullptr},
  };
  for (const auto& t : table) {
    SCOPED_TRACE(t.text);
    auto ts = parse_letter_time(t.text);
    if (!t.expect) {
      EXPECT_FALSE(ts.has_value()) << ts->to_string();
    } else {
      ASSERT_TRUE(ts.has_value());
      EXPECT_EQ(ts->to_string(), t.expect);
    }
  }
}

TEST(LetterParser, FoldFullWidth) {
  EXPECT_EQ(fold_full_width("１３８－００１３"), "138-0013");
  EXPECT_EQ(fold_full_width("ＪＢ　１"), "JB 1");
  EXPECT_EQ(fold_full_width("粤Ｇ·出租车"), "粤G·出租车");
  EXPECT_EQ(fold_full_width("plain"), "plain");
}

TEST(LetterParser, FileKinds) {
  EXPECT_EQ(file_kind("letters-0901.jsonl"), FileKind::jsonl);
  EXPECT_EQ(file_kind("WEB.JSONL"), FileKind::jsonl);
  EXPECT_EQ(file_kind("JB2026112600001.json"), FileKind::letter);
  EXPECT_EQ(file_kind(".JB1.json"), std::nullopt);       // a writer's hidden temporary
  EXPECT_EQ(file_kind("JB1.json.part"), std::nullopt);   // still being written
  EXPECT_EQ(file_kind("JB1.json.why"), std::nullopt);
  EXPECT_EQ(file_kind(".outbox.db"), std::nullopt);
  EXPECT_EQ(file_kind("scan.pdf"), std::nullopt);
  EXPECT_EQ(file_kind(".json"), std::nullopt);
}

}  // namespace
}  // namespace suqiu::reportbox
