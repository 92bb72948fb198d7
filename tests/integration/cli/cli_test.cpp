// `suqiu` run as a process on a temporary data folder, as an administrator
// would: ingest twice, bad records, audit tampering, user add, classify.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "run_command.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Run {
  int status = -1;
  std::string out;
};

std::string stderr_of_last_run;

// Runs the CLI through the shell; its stderr is kept for last_stderr().
Run suqiu(const std::string& args, const std::string& stdin_text = "", const std::string& env = "") {
  auto r = suqiu::testing::run_command(env + " " SUQIU_CLI " " + args, stdin_text, fs::temp_directory_path());
  stderr_of_last_run = r.err;
  return {r.status, r.out};
}

std::string last_stderr() { return stderr_of_last_run; }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("suqiu-cli-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string data() const { return "--data " + dir_.string(); }
  fs::path dir_;
};

const std::string kSamples = std::string(SUQIU_DATA_DIR) + "/samples/intakes.jsonl";
const std::string kBad = std::string(SUQIU_DATA_DIR) + "/samples/bad-intakes.jsonl";

std::size_t line_count(const std::string& file) {
  std::ifstream in(file);
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) ++n;
  return n;
}

TEST_F(CliTest, IngestTwiceAcceptsThenCountsDuplicatesAndChangesNothing) {
  auto n = static_cast<std::int64_t>(line_count(kSamples));
  auto first = suqiu("ingest " + data() + " " + kSamples + " --json");
  ASSERT_EQ(first.status, 0) << last_stderr();
  EXPECT_EQ(json::parse(first.out), (json{{"accepted", n}, {"duplicates", 0}, {"rejected", 0}}));
  auto stats_before = suqiu("stats " + data() + " --json").out;

  auto second = suqiu("ingest " + data() + " " + kSamples + " --json");
  ASSERT_EQ(second.status, 0);
  EXPECT_EQ(json::parse(second.out), (json{{"accepted", 0}, {"duplicates", n}, {"rejected", 0}}));
  EXPECT_EQ(suqiu("stats " + data() + " --json").out, stats_before);

  auto stats = json::parse(stats_before);
  EXPECT_EQ(stats["total"], n);
  for (auto key : {"by_source", "by_request_type", "by_category", "by_section", "by_status"}) {
    std::int64_t sum = 0;
    for (auto& [k, v] : stats[key].items()) sum += v.get<std::int64_t>();
    EXPECT_EQ(sum, n) << key;
  }
  EXPECT_TRUE(stats.contains("on_time_rate"));
  EXPECT_TRUE(stats.contains("satisfaction_rate"));
  EXPECT_TRUE(stats.contains("duplicates"));
}

TEST_F(CliTest, BadRecordsAreNamedByLineAndFieldAndKept) {
  auto r = suqiu("ingest " + data() + " " + kBad + " --json");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(json::parse(r.out), (json{{"accepted", 3}, {"duplicates", 0}, {"rejected", 3}}));
  std::string err = last_stderr();
  EXPECT_NE(err.find(":2: "), std::string::npos) << err;
  EXPECT_NE(err.find("[content]"), std::string::npos) << err;
  EXPECT_NE(err.find(":4: "), std::string::npos) << err;
  EXPECT_NE(err.find("[received_at]"), std::string::npos) << err;
  EXPECT_NE(err.find(":5: "), std::string::npos) << err;
  EXPECT_NE(err.find("E_NOT_JSON"), std::string::npos) << err;

  suqiu::store::Store s(suqiu::store::Store::database_file(dir_), suqiu::store::Store::Access::reader);
  EXPECT_EQ(s.dead_letter_count(), 3);
  auto letters = s.dead_letters(10);
  bool raw_kept = false;
  for (const auto& d : letters) raw_kept = raw_kept || (d.line == 5 && !d.raw.empty());
  EXPECT_TRUE(raw_kept);
  EXPECT_EQ(s.statistics().total, 3);
}

TEST_F(CliTest, CaseListJsonHasTheContractFields) {
  ASSERT_EQ(suqiu("ingest " + data() + " " + kSamples).status, 0);
  auto list = json::parse(suqiu("case list " + data() + " --json --limit 20").out);
  ASSERT_EQ(list.size(), 20u);
  for (auto key : {"id", "source", "external_id", "request_type", "category", "section", "status",
                   "received_at", "deadline"})
    EXPECT_TRUE(list[0].contains(key)) << key;
  auto bus = json::parse(suqiu("case list " + data() + " --json --category bus --limit 1000").out);
  EXPECT_FALSE(bus.empty());
  for (auto& c : bus) EXPECT_EQ(c["category"], "bus");
  auto show = suqiu("case show " + std::to_string(list[0]["id"].get<int>()) + " " + data() + " --json");
  ASSERT_EQ(show.status, 0);
  EXPECT_FALSE(json::parse(show.out)["history"].empty());
  EXPECT_EQ(suqiu("case show 999999 " + data()).status, 1);
}

void tamper(const fs::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
}

TEST_F(CliTest, AuditVerifyFindsAnEditedOrDeletedRow) {
  ASSERT_EQ(suqiu("ingest " + data() + " " + kSamples).status, 0);
  EXPECT_EQ(suqiu("audit verify " + data()).status, 0);
  tamper(suqiu::store::Store::database_file(dir_), "UPDATE audit SET detail='{}' WHERE id = 17");
  auto edited = suqiu("audit verify " + data() + " --json");
  EXPECT_EQ(edited.status, 1);
  EXPECT_EQ(json::parse(edited.out)["first_broken"], 17);
}

TEST_F(CliTest, AuditVerifyFindsADeletedRow) {
  ASSERT_EQ(suqiu("ingest " + data() + " " + kSamples).status, 0);
  tamper(suqiu::store::Store::database_file(dir_), "DELETE FROM audit WHERE id = 42");
  auto deleted = suqiu("audit verify " + data(), "", "LANG=en_US.UTF-8");
  EXPECT_EQ(deleted.status, 1);
  EXPECT_NE(deleted.out.find("entry 42"), std::string::npos) << deleted.out;
}

TEST_F(CliTest, UserAddHashesWithArgon2id) {
  auto r = suqiu("user add wang --role liaison --section urban " + data(), "correct horse battery\n");
  ASSERT_EQ(r.status, 0) << last_stderr();
  suqiu::store::Store s(suqiu::store::Store::database_file(dir_), suqiu::store::Store::Access::reader);
  auto u = s.user("wang");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->password_hash.rfind("$argon2id$", 0), 0u) << u->password_hash;
  EXPECT_EQ(u->section, "urban");
  EXPECT_NE(suqiu("user add li --role liaison " + data(), "correct horse battery\n").status, 0);
  EXPECT_NE(suqiu("user add li --role boss " + data(), "correct horse battery\n").status, 0);
  EXPECT_NE(suqiu("user add li --role operator " + data(), "short\n").status, 0);
}

TEST_F(CliTest, ClassifyPrintsOneSuggestionPerRecordAndStoresNothing) {
  std::string in =
      R"({"source":"12345","external_id":"X1","received_at":"2026-11-26T09:15:00+08:00","content":"出租车司机拒载，还绕路多收费"})"
      "\n"
      R"({"source":"12328","external_id":"X2","received_at":"2026-11-26T09:15:00+08:00","content":"请问驾校报名需要什么材料"})"
      "\n";
  auto r = suqiu("classify " + data(), in);
  ASSERT_EQ(r.status, 0) << last_stderr();
  std::vector<json> lines;
  std::istringstream out(r.out);
  for (std::string l; std::getline(out, l);) lines.push_back(json::parse(l));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["external_id"], "X1");
  EXPECT_EQ(lines[0]["category"], "taxi");
  EXPECT_EQ(lines[0]["section"], "urban");
  EXPECT_EQ(lines[1]["category"], "driver_training");
  EXPECT_EQ(lines[1]["request_type"], "inquiry");
  for (auto key : {"external_id", "request_type", "category", "section", "confidence"})
    EXPECT_TRUE(lines[0].contains(key));
  EXPECT_FALSE(fs::exists(suqiu::store::Store::database_file(dir_)));
}

TEST_F(CliTest, HelpAndVersion) {
  EXPECT_EQ(suqiu("--version").status, 0);
  EXPECT_EQ(suqiu("--help").status, 0);
  EXPECT_EQ(suqiu("stats").status, 2);  // needs --data or --hub: a usage error
}

}  // namespace

namespace {

TEST_F(CliTest, ExportWritesEveryMatchingCaseAsCsvOrAWorkbook) {
  ASSERT_EQ(suqiu("ingest " + data() + " " + kSamples).status, 0) << last_stderr();
  const auto csv = (dir_ / "all.csv").string();
  ASSERT_EQ(suqiu("export " + data() + " --format csv --out " + csv, "", "LC_ALL=C.UTF-8").status, 0)
      << last_stderr();
  EXPECT_EQ(line_count(csv), 401u);  // the header and the 400 samples, across pages of 500
  std::ifstream in(csv, std::ios::binary);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("\xEF\xBB\xBF编号,渠道,外部编号", 0), 0u) << header;  // BOM: Excel reads UTF-8

  auto taxi = suqiu("case list " + data() + " --category taxi --limit 1000 --json");
  const auto taxi_cases = json::parse(taxi.out).size();
  const auto taxi_csv = (dir_ / "taxi.csv").string();
  ASSERT_EQ(suqiu("export " + data() + " --category taxi --format csv --out " + taxi_csv).status, 0);
  EXPECT_EQ(line_count(taxi_csv), taxi_cases + 1);
  EXPECT_NE(last_stderr().find(std::to_string(taxi_cases)), std::string::npos) << last_stderr();

  const auto xlsx = dir_ / "all.xlsx";
  ASSERT_EQ(suqiu("export " + data() + " --out " + xlsx.string()).status, 0) << last_stderr();
  std::ifstream book(xlsx, std::ios::binary);
  char magic[2] = {};
  book.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");

  EXPECT_EQ(suqiu("export " + data() + " --out " + (dir_ / "no" / "such" / "x.xlsx").string()).status, 1);
  EXPECT_NE(last_stderr().find("x.xlsx"), std::string::npos) << last_stderr();
  EXPECT_NE(suqiu("export " + data() + " --format pdf --out x.pdf").status, 0);
}

TEST_F(CliTest, SampleDrawsTheSameClosedCasesForTheSameSeed) {
  ASSERT_EQ(suqiu("ingest " + data() + " " + kSamples).status, 0) << last_stderr();
  {  // a third of the cases closed, as if worked through
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "suqiu.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE cases SET status = 'closed' WHERE id % 3 = 0", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto first = suqiu("sample " + data() + " --count 10 --seed 20261127 --json");
  ASSERT_EQ(first.status, 0) << last_stderr();
  const auto drawn = json::parse(first.out);
  ASSERT_EQ(drawn.size(), 10u);
  std::set<std::int64_t> ids;
  for (const auto& c : drawn) {
    EXPECT_EQ(c["status"], "closed");
    EXPECT_EQ(c["id"].get<std::int64_t>() % 3, 0);
    ids.insert(c["id"].get<std::int64_t>());
  }
  EXPECT_EQ(ids.size(), 10u);  // without repeats
  EXPECT_EQ(suqiu("sample " + data() + " --count 10 --seed 20261127 --json").out, first.out);  // reproducible
  EXPECT_NE(suqiu("sample " + data() + " --count 10 --seed 1 --json").out, first.out);
  EXPECT_EQ(json::parse(suqiu("sample " + data() + " --count 1000 --seed 5 --json").out).size(), 133u);
  EXPECT_NE(suqiu("sample " + data() + " --count 3 --seed 5 --status received").status, 0);

  suqiu::store::Store s(suqiu::store::Store::database_file(dir_), suqiu::store::Store::Access::reader);
  auto st = s.connection().prepare("SELECT count(*) FROM audit WHERE action = 'sample'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 4);  // each draw is on the record with its seed
}

TEST_F(CliTest, ReportWritesTheYearsWorkbook) {
  ASSERT_EQ(suqiu("ingest " + data() + " " + kSamples).status, 0) << last_stderr();
  const auto out = dir_ / "reports";
  ASSERT_EQ(suqiu("report " + data() + " --year 2026 --out " + out.string(), "", "LC_ALL=C.UTF-8").status, 0)
      << last_stderr();
  EXPECT_NE(last_stderr().find("400"), std::string::npos) << last_stderr();  // all the samples are of 2026
  const auto file = out / "suqiu-report-2026.xlsx";
  ASSERT_TRUE(fs::exists(file));
  std::ifstream book(file, std::ios::binary);
  char magic[2] = {};
  book.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");
  ASSERT_EQ(suqiu("report " + data() + " --year 2025 --out " + out.string()).status, 0);
  EXPECT_NE(last_stderr().find(" 0 "), std::string::npos) << last_stderr();
  EXPECT_NE(suqiu("report " + data() + " --year 1999 --out " + out.string()).status, 0);
}

TEST_F(CliTest, TheAdministratorListsUsersSetsPasswordsAndDisablesThem) {
  ASSERT_EQ(suqiu("user add wang --role operator " + data(), "first password\n").status, 0) << last_stderr();
  ASSERT_EQ(suqiu("user add zhao --role liaison --section urban " + data(), "zhao password\n").status, 0);
  auto listed = json::parse(suqiu("user list --json " + data()).out);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["name"], "wang");
  EXPECT_EQ(listed[1]["section"], "urban");
  EXPECT_FALSE(listed[0]["disabled"].get<bool>());
  EXPECT_EQ(listed[0].count("password_hash"), 0u);  // never printed

  EXPECT_NE(suqiu("user passwd wang " + data(), "short\n").status, 0);
  EXPECT_NE(suqiu("user passwd nobody " + data(), "long enough pass\n").status, 0);
  ASSERT_EQ(suqiu("user passwd wang " + data(), "second password\n").status, 0) << last_stderr();
  ASSERT_EQ(suqiu("user disable zhao " + data()).status, 0);
  EXPECT_TRUE(json::parse(suqiu("user list --json " + data()).out)[1]["disabled"].get<bool>());
  ASSERT_EQ(suqiu("user enable zhao " + data()).status, 0);
  EXPECT_FALSE(json::parse(suqiu("user list --json " + data()).out)[1]["disabled"].get<bool>());

  suqiu::store::Store s(suqiu::store::Store::database_file(dir_), suqiu::store::Store::Access::reader);
  auto hash = s.user("wang")->password_hash;
  EXPECT_EQ(crypto_pwhash_str_verify(hash.c_str(), "second password", 15), 0);
  auto st = s.connection().prepare(
      "SELECT count(*) FROM audit WHERE action IN ('user_password', 'user_disable', 'user_enable')");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 3);
  EXPECT_TRUE(s.verify_audit().intact);
}

}  // namespace
