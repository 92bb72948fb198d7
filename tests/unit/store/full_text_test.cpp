// Chinese full-text search: a two-character word finds every case containing
// it and only those.
#include "store/full_text.h"

#include "store/search_index.h"
#include "store/store.h"
#include "store_fixture.h"

#include <set>

namespace suqiu::store {
namespace {

using testing::index_new_cases;
using testing::make_case;
using testing::TempDir;

TEST(FullText, TermsAreBigramsPlusTrailingCharacter) {
  EXPECT_EQ(fts_terms("司机拒载"), "司机 机拒 拒载 载");
  EXPECT_EQ(fts_terms("K3路公交"), "k3 路公 公交 交");
  EXPECT_EQ(fts_terms("粤G·T2736"), "粤 g t2736");
}

TEST(FullText, QueriesArePhrases) {
  EXPECT_EQ(fts_query("拒载"), "\"拒载\"");
  EXPECT_EQ(fts_query("出租车"), "\"出租 租车\"");
  EXPECT_EQ(fts_query("拒"), "\"拒\" *");
  EXPECT_EQ(fts_query("拒载 绕路"), "\"拒载\" AND \"绕路\"");
  EXPECT_EQ(fts_query("\"*:()"), "");
}

TEST(FullText, TwoCharacterWordFindsExactlyTheCasesContainingIt) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  const std::vector<std::string> texts = {
      "来电人反映出租车司机拒载",             // contains 拒载
      "司机拒载并辱骂乘客",                   // contains 拒载
      "拒载",                                 // the word alone
      "乘客拒绝下车，司机装载货物",           // 拒 and 载 but not 拒载
      "载客时拒不打表",                       // 载 … 拒, wrong order
      "网约车绕路多收费",                     // unrelated
      "K3路公交拒载老人，粤G·T2736",           // with Latin and digits around
  };
  std::vector<NewCase> batch;
  for (std::size_t i = 0; i < texts.size(); ++i)
    batch.push_back(make_case("FT-" + std::to_string(i), texts[i]));
  auto stored = s.insert_cases(batch, {});
  index_new_cases(s);

  std::set<std::string> expected, found;
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (texts[i].find("拒载") != std::string::npos) expected.insert(stored[i].case_no);
  CaseFilter f;
  f.text = "拒载";
  for (const auto& c : s.list_cases(f)) found.insert(c.case_no);
  EXPECT_EQ(found, expected);
  EXPECT_EQ(found.size(), 4u);

  f.text = "K3路";
  EXPECT_EQ(s.list_cases(f).size(), 1u);
  f.text = "t2736";
  EXPECT_EQ(s.list_cases(f).size(), 1u);
  f.text = "绕路 收费";
  EXPECT_EQ(s.list_cases(f).size(), 1u);
  f.text = "载";  // one character, anywhere in a run
  EXPECT_EQ(s.list_cases(f).size(), 6u);
}

std::size_t hits(Store& s, const std::string& words) {
  CaseFilter f;
  f.text = words;
  f.limit = 1000;
  return s.list_cases(f).size();
}

TEST(SearchIndex, LivesInItsOwnFileAndCatchesUpFromTheLastCaseItHolds) {
  TempDir dir;
  const auto file = Store::database_file(dir.path());
  Store s(file, Store::Access::writer);
  EXPECT_EQ(SearchIndex::file_for(file), dir.path() / "suqiu-search.db");
  EXPECT_TRUE(std::filesystem::exists(SearchIndex::file_for(file)));  // readers can attach it

  std::vector<NewCase> two = {make_case("S-1", "出租车拒载"), make_case("S-2", "公交车拒载")};
  s.insert_cases(two, {});
  EXPECT_EQ(hits(s, "拒载"), 0u);  // stored; the index has not taken them yet
  index_new_cases(s);
  EXPECT_EQ(hits(s, "拒载"), 2u);
  EXPECT_EQ(SearchIndex(file).indexed_upto(), s.cases_after(0, 10).back().case_id);

  std::vector<NewCase> one = {make_case("S-3", "网约车拒载")};
  s.insert_cases(one, {});
  index_new_cases(s);
  index_new_cases(s);  // nothing new: indexes nothing twice
  EXPECT_EQ(hits(s, "拒载"), 3u);

  // A second indexer that read the same cases before the first committed
  // skips what is already there (a contentless index cannot replace entries).
  SearchIndex late(file);
  const CaseText again{s.cases_after(0, 1)[0].case_id, "出租车拒载"};
  late.add({&again, 1}, again.case_id);
  EXPECT_EQ(hits(s, "拒载"), 3u);

  // The index file is derived data: once deleted, a new one starts empty and
  // takes every case again.
  {
    Store reader(file, Store::Access::reader);
    EXPECT_EQ(hits(reader, "拒载"), 3u);
  }
  std::filesystem::remove(SearchIndex::file_for(file));
  std::filesystem::remove(SearchIndex::file_for(file).string() + "-wal");
  std::filesystem::remove(SearchIndex::file_for(file).string() + "-shm");
  Store reopened(file, Store::Access::writer);
  EXPECT_EQ(hits(reopened, "拒载"), 0u);
  index_new_cases(reopened);
  EXPECT_EQ(hits(reopened, "拒载"), 3u);
}

TEST(SearchIndex, AReaderWithoutTheIndexFileSaysSo) {
  TempDir dir;
  const auto file = Store::database_file(dir.path());
  { Store s(file, Store::Access::writer); }
  std::filesystem::remove(SearchIndex::file_for(file));
  Store reader(file, Store::Access::reader);
  try {
    hits(reader, "拒载");
    FAIL() << "searched without an index";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("suqiu-search.db is missing"), std::string::npos) << e.what();
  }
  CaseFilter plain;  // listing without words needs no index
  EXPECT_TRUE(reader.list_cases(plain).empty());
}

TEST(SearchIndex, IntakeCommitsStayDurable) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> one = {make_case("D-1", "出租车拒载")};
  s.insert_cases(one, {});
  index_new_cases(s);
  // The index relaxes durability on its own connection; the cases must not.
  auto sync = s.connection().prepare("PRAGMA synchronous");
  ASSERT_TRUE(sync.step());
  EXPECT_EQ(sync.int64(0), 2);  // FULL
}

}  // namespace
}  // namespace suqiu::store
