// Chinese full-text search: a two-character word finds every case containing
// it and only those.
#include "store/full_text.h"

#include "store/store.h"
#include "store_fixture.h"

#include <set>

namespace suqiu::store {
namespace {

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

TEST(FullText, MergingInStepsKeepsEveryCaseFindable) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  s.set_full_text_automerge(false);  // as the hub runs it
  for (int i = 0; i < 40; ++i) {  // one segment per transaction
    std::vector<NewCase> one = {make_case("M-" + std::to_string(i), "出租车拒载第" + std::to_string(i) + "起")};
    s.insert_cases(one, {});
  }
  int steps = 0;
  while (s.index_full_text({}, 8)) ASSERT_LT(++steps, 1000) << "merging never ends";
  EXPECT_GT(steps, 0);  // 40 segments left alone were there to merge
  EXPECT_FALSE(s.index_full_text({}, 8));
  CaseFilter f;
  f.text = "拒载";
  f.limit = 100;
  EXPECT_EQ(s.list_cases(f).size(), 40u);
}

TEST(FullText, DeferredIndexingLeavesIntakeCommitsDurable) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  s.set_full_text_deferred(true);
  std::vector<NewCase> one = {make_case("D-1", "出租车拒载")};
  auto id = s.insert_cases(one, {})[0].id;
  CaseFilter f;
  f.text = "拒载";
  EXPECT_TRUE(s.list_cases(f).empty());
  ASSERT_EQ(s.unindexed_cases().size(), 1u);
  const CaseText text{id, "出租车拒载"};
  s.index_full_text({&text, 1}, 8);
  EXPECT_EQ(s.list_cases(f).size(), 1u);
  EXPECT_TRUE(s.unindexed_cases().empty());
  // The index's own transactions relax durability; intakes must not.
  auto sync = s.connection().prepare("PRAGMA synchronous");
  ASSERT_TRUE(sync.step());
  EXPECT_EQ(sync.int64(0), 2);  // FULL
}

}  // namespace
}  // namespace suqiu::store
