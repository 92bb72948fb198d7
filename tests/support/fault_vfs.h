// A fault-injecting SQLite VFS for tests, after SQLite's own test VFS shims:
// it wraps the default (unix) VFS and becomes the default itself, so every
// connection the process opens afterwards — the hub's included — goes through
// it without a change to the code under test. A test arms a fault (which
// call, on which file, which error, after how many calls, for how many) and
// reads counters of what was failed and of the calls seen.
//
// Thread-safe: arm/clear from the test thread while the hub's threads run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace suqiu::testing::fault_vfs {

// The file methods a fault can hit.
enum class Op { open, read, write, sync, truncate, lock, shm_lock };
inline constexpr int kOps = 7;
std::string_view op_name(Op op);

// The files of a data folder, matched as path suffixes. The shared-memory
// index of a database is named as its file would be ("-shm").
namespace file {
inline constexpr std::string_view main_db = "/suqiu.db";
inline constexpr std::string_view wal = "/suqiu.db-wal";
inline constexpr std::string_view shm = "/suqiu.db-shm";
inline constexpr std::string_view search_db = "/suqiu-search.db";
inline constexpr std::string_view search_wal = "/suqiu-search.db-wal";
inline constexpr std::string_view any = "";
}  // namespace file

// Call counters are kept per kind of file.
enum class Kind { main_db, wal, shm, search_db, search_wal, other };
inline constexpr int kKinds = 6;
Kind kind_of(std::string_view path);

struct Fault {
  Op op = Op::write;
  std::string file_suffix;  // one of `file::`, or any suffix; "" matches every file
  int error = 10;           // the SQLite result code returned (10 = SQLITE_IOERR)
  int skip = 0;             // matching calls let through before the first failure
  int count = 1;            // failures, then the fault is spent; -1: until cleared
  // Only calls on a thread of this name (the hub names its threads: hub-api,
  // hub-writer, hub-search, hub-checkpoint, ...); "" for any thread.
  std::string thread;
  // lock: only requests of this lock level (SQLITE_LOCK_SHARED ...);
  // shm_lock: only this slot (0 is the WAL write lock). -1: any.
  int lock_arg = -1;
};

// Registers the shim as the default VFS (once; later calls do nothing). Call
// before the code under test opens its first connection.
void install();

// Arms a fault; several may be armed at once (the first that matches fails
// the call). Returns its id.
int arm(const Fault& fault);
void clear(int id);
void clear_all();

// Failures injected since the start (or reset_counters), in all or for one fault.
std::uint64_t injected();
std::uint64_t injected_by(int id);
// Calls of `op` on files of `kind` that reached the shim (failed or not).
std::uint64_t calls(Op op, Kind kind);
void reset_counters();

// Arms on construction, clears on destruction.
class ScopedFault {
 public:
  explicit ScopedFault(const Fault& f) : id_(arm(f)) {}
  ~ScopedFault() { release(); }
  ScopedFault(const ScopedFault&) = delete;
  ScopedFault& operator=(const ScopedFault&) = delete;
  void release() {
    if (id_ >= 0) clear(id_);
    id_ = -1;
  }
  int id() const { return id_; }

 private:
  int id_;
};

}  // namespace suqiu::testing::fault_vfs
