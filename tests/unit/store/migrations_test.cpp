// A database made by an older version opens and upgrades in place, keeping its
// cases; a database from a newer version is refused.
#include "store/migrations.h"

#include "store/store.h"
#include "store_fixture.h"

namespace suqiu::store {
namespace {

using testing::TempDir;

TEST(Migrations, VersionOneDatabaseUpgradesWithItsData) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  {
    Connection c(file, Connection::Mode::read_write);
    migrate(c, 1);
    EXPECT_EQ(schema_version(c), 1);
    c.exec(
        "INSERT INTO cases(id, case_no, source, external_id, received_at, received_ts, "
        "request_type, category, section, status, deadline, deadline_ts, content, record, "
        "created_ts, updated_ts) VALUES(1, 'SQ20250101-000001', '12345', 'OLD-1', "
        "'2025-01-01T09:00:00+08:00', 1735693200, 'complaint', 'taxi', 'urban', 'received', "
        "'2025-01-08T18:00:00+08:00', 1736330400, '旧案件', '{}', 0, 0)");
    c.exec(
        "INSERT INTO stat_counter(dim, code, day, n) VALUES('total', '', '2025-01-01', 1), "
        "('category', 'taxi', '2025-01-01', 1), ('status', 'received', '2025-01-01', 1)");
  }
  Store s(file, Store::Access::writer);
  EXPECT_EQ(schema_version(s.connection()), latest_schema_version());
  EXPECT_TRUE(s.find_case("12345", "OLD-1"));
  auto stats = s.statistics();  // the counters moved to the day-first table (8)
  EXPECT_EQ(stats.total, 1);
  EXPECT_EQ(stats.by_category["taxi"], 1);
  s.add_user({"li", "operator", std::nullopt, "hash", false});  // a table of version 2
  EXPECT_TRUE(s.user("li"));
}

TEST(Migrations, NewerDatabaseIsRefused) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  {
    Connection c(file, Connection::Mode::read_write);
    c.exec("PRAGMA user_version=999");
  }
  EXPECT_THROW(Store(file, Store::Access::writer), StoreError);
}

}  // namespace
}  // namespace suqiu::store
