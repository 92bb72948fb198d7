// The audit chain: untouched it verifies; any edit or deletion made with the
// sqlite3 library directly is found and named.
#include "store/store.h"

#include "store_fixture.h"

namespace suqiu::store {
namespace {

using testing::make_case;
using testing::TempDir;

void fill(const std::filesystem::path& file) {
  Store s(file, Store::Access::writer);
  std::vector<NewCase> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(make_case("AU-" + std::to_string(i), "内容"));
  s.insert_cases(batch, {});
}

void tamper(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(db);
}

TEST(AuditLog, UntouchedChainVerifies) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  fill(file);
  Store s(file, Store::Access::reader);
  auto v = s.verify_audit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.entries, 5);
}

TEST(AuditLog, EditedEntryIsNamed) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  fill(file);
  tamper(file, "UPDATE audit SET actor = 'mallory' WHERE id = 3");
  Store s(file, Store::Access::reader);
  auto v = s.verify_audit();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_broken, 3);
}

TEST(AuditLog, DeletedEntryIsNamed) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  fill(file);
  tamper(file, "DELETE FROM audit WHERE id = 2");
  Store s(file, Store::Access::reader);
  auto v = s.verify_audit();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_broken, 2);
}

TEST(AuditLog, CutOffTailIsFound) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  fill(file);
  tamper(file, "DELETE FROM audit WHERE id = 5");
  Store s(file, Store::Access::reader);
  auto v = s.verify_audit();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_broken, 5);
}

TEST(AuditLog, RecomputedHashStillBreaksTheNextLink) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  fill(file);
  // A forger who rewrites entry 2's hash too still breaks entry 3's link.
  tamper(file, "UPDATE audit SET detail = '{}', hash = zeroblob(32) WHERE id = 2");
  Store s(file, Store::Access::reader);
  auto v = s.verify_audit();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_broken, 2);
}

}  // namespace
}  // namespace suqiu::store
