// The fault VFS itself, on plain SQLite connections: a fault fails exactly the
// calls it was armed for (file, operation, after N, how many, which thread),
// with the error asked for, and the database is fine once it clears.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/prctl.h>

#include <thread>

#include "fault_vfs.h"
#include "temp_dir.h"

namespace {

namespace vfs = suqiu::testing::fault_vfs;

class Db {
 public:
  explicit Db(const std::string& file) {
    EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK);
    sqlite3_extended_result_codes(db_, 1);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  }
  ~Db() { sqlite3_close(db_); }
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  long long count() {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT COUNT(*) FROM t", -1, &st, nullptr);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  }
  sqlite3* db_ = nullptr;
};

class FaultVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vfs::install();
    vfs::clear_all();
    vfs::reset_counters();
    file_ = (dir_.path() / "suqiu.db").string();
  }
  void TearDown() override { vfs::clear_all(); }
  suqiu::testing::TempDir dir_{"suqiu-vfs-"};
  std::string file_;
};

TEST_F(FaultVfsTest, IsTheDefaultVfs) {
  sqlite3_vfs* v = sqlite3_vfs_find(nullptr);
  ASSERT_NE(v, nullptr);
  EXPECT_STREQ(v->zName, "suqiu-fault");
  Db db(file_);
  EXPECT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  EXPECT_GT(vfs::calls(vfs::Op::write, vfs::Kind::wal), 0u);
  EXPECT_GT(vfs::calls(vfs::Op::sync, vfs::Kind::wal), 0u);
  EXPECT_GT(vfs::calls(vfs::Op::shm_lock, vfs::Kind::shm), 0u);
}

TEST_F(FaultVfsTest, WalWriteFailsOnceThenCommits) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  int id = vfs::arm({vfs::Op::write, std::string(vfs::file::wal), SQLITE_IOERR_WRITE});
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_IOERR_WRITE);
  EXPECT_EQ(vfs::injected_by(id), 1u);
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(2)"), SQLITE_OK);  // spent after one
  EXPECT_EQ(db.count(), 1);
  EXPECT_EQ(vfs::injected(), 1u);
}

TEST_F(FaultVfsTest, DiskFullUntilClearedThenFine) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  int id = vfs::arm({vfs::Op::write, std::string(vfs::file::wal), SQLITE_FULL, 0, -1});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_FULL);
  EXPECT_EQ(vfs::injected_by(id), 3u);
  vfs::clear(id);
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_OK);
  EXPECT_EQ(db.count(), 1);
}

TEST_F(FaultVfsTest, SkipsCallsBeforeFailing) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  // One sync per commit in WAL mode with synchronous=FULL: two commits pass.
  vfs::arm({vfs::Op::sync, std::string(vfs::file::wal), SQLITE_IOERR_FSYNC, 2, 1});
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_OK);
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(2)"), SQLITE_OK);
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(3)"), SQLITE_IOERR_FSYNC);
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(4)"), SQLITE_OK);
  EXPECT_EQ(db.count(), 3);
}

TEST_F(FaultVfsTest, BusyOnTheWalWriteLock) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  vfs::arm({vfs::Op::shm_lock, std::string(vfs::file::shm), SQLITE_BUSY, 0, -1, "", 0});
  EXPECT_EQ(db.exec("BEGIN IMMEDIATE"), SQLITE_BUSY);
  EXPECT_EQ(db.count(), 0);  // reads take other slots
  vfs::clear_all();
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_OK);
}

TEST_F(FaultVfsTest, OpenAndReadFaults) {
  {
    Db db(file_);
    ASSERT_EQ(db.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)"), SQLITE_OK);
    ASSERT_EQ(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
  }
  vfs::arm({vfs::Op::open, std::string(vfs::file::main_db), SQLITE_CANTOPEN});
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file_.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr), SQLITE_CANTOPEN);
  sqlite3_close(h);
  Db db(file_);
  vfs::arm({vfs::Op::read, std::string(vfs::file::main_db), SQLITE_IOERR_READ, 0, -1});
  EXPECT_EQ(db.count(), -1);
  vfs::clear_all();
  EXPECT_EQ(db.count(), 1);
}

TEST_F(FaultVfsTest, OnlyOnTheNamedThread) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  vfs::arm({vfs::Op::write, std::string(vfs::file::wal), SQLITE_IOERR_WRITE, 0, -1, "vfs-victim"});
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_OK);  // this thread is not named so
  int rc = -1;
  std::thread([&] {
    prctl(PR_SET_NAME, "vfs-victim", 0, 0, 0);
    Db other(file_);
    rc = other.exec("INSERT INTO t VALUES(2)");
  }).join();
  EXPECT_EQ(rc, SQLITE_IOERR_WRITE);
  EXPECT_EQ(db.count(), 1);
}

TEST_F(FaultVfsTest, TruncateOfTheWal) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)"), SQLITE_OK);
  vfs::arm({vfs::Op::truncate, std::string(vfs::file::wal), SQLITE_IOERR_TRUNCATE});
  EXPECT_EQ(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_IOERR_TRUNCATE);
  EXPECT_EQ(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
  EXPECT_EQ(db.count(), 1);
}

TEST_F(FaultVfsTest, OtherFilesAreUntouched) {
  Db db(file_);
  ASSERT_EQ(db.exec("CREATE TABLE t(x)"), SQLITE_OK);
  vfs::arm({vfs::Op::write, std::string(vfs::file::search_wal), SQLITE_FULL, 0, -1});
  EXPECT_EQ(db.exec("INSERT INTO t VALUES(1)"), SQLITE_OK);
  Db search((dir_.path() / "suqiu-search.db").string());
  EXPECT_EQ(search.exec("CREATE TABLE t(x)"), SQLITE_FULL);
  EXPECT_EQ(vfs::injected(), 1u);
}

}  // namespace
