#include "fault_vfs.h"

#include <sqlite3.h>
#include <sys/prctl.h>

#include <array>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace suqiu::testing::fault_vfs {
namespace {

struct Armed {
  int id = 0;
  Fault fault;
  int seen = 0;    // matching calls so far
  int failed = 0;  // of which failed
};

std::mutex g_mutex;
std::vector<Armed> g_faults;             // guarded by g_mutex
std::map<int, std::uint64_t> g_by_id;    // guarded by g_mutex
int g_next_id = 1;                       // guarded by g_mutex
std::atomic<int> g_armed{0};             // g_faults.size(): the hot path skips the lock at 0
std::atomic<std::uint64_t> g_injected{0};
std::array<std::array<std::atomic<std::uint64_t>, kKinds>, kOps> g_calls{};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs{};
std::once_flag g_once;

// SQLite allocates szOsFile bytes per file: ours, then the real VFS's.
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* name;      // as opened
  std::string* shm_name;  // name + "-shm", what shm faults match
  Kind kind, shm_kind;
};
constexpr std::size_t kRealOffset = (sizeof(FaultFile) + 15) & ~std::size_t{15};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string thread_name() {
  char buf[32] = {};
  prctl(PR_GET_NAME, buf, 0, 0, 0);
  return buf;
}

void count_call(Op op, Kind kind) {
  g_calls[static_cast<int>(op)][static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
}

// SQLITE_OK, or the error of the first armed fault that matches this call.
int check(Op op, std::string_view name, int lock_arg) {
  if (g_armed.load(std::memory_order_acquire) == 0) return SQLITE_OK;
  std::string thread;
  bool thread_known = false;
  std::lock_guard lock(g_mutex);
  for (auto it = g_faults.begin(); it != g_faults.end(); ++it) {
    Armed& a = *it;
    const Fault& f = a.fault;
    if (f.op != op || !ends_with(name, f.file_suffix)) continue;
    if (f.lock_arg >= 0 && f.lock_arg != lock_arg) continue;
    if (!f.thread.empty()) {
      if (!thread_known) thread = thread_name(), thread_known = true;
      if (thread != f.thread) continue;
    }
    if (a.seen++ < f.skip) continue;
    ++a.failed;
    ++g_by_id[a.id];
    g_injected.fetch_add(1);
    const int error = f.error;
    if (f.count >= 0 && a.failed >= f.count) {  // spent
      g_faults.erase(it);
      g_armed.store(static_cast<int>(g_faults.size()), std::memory_order_release);
    }
    return error;
  }
  return SQLITE_OK;
}

FaultFile* of(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f); }

int f_close(sqlite3_file* file) {
  auto* f = of(file);
  int rc = f->real->pMethods->xClose(f->real);
  delete f->name;
  delete f->shm_name;
  f->name = f->shm_name = nullptr;
  return rc;
}

int f_read(sqlite3_file* file, void* buf, int amount, sqlite3_int64 offset) {
  auto* f = of(file);
  count_call(Op::read, f->kind);
  if (int rc = check(Op::read, *f->name, -1)) {
    std::memset(buf, 0, static_cast<std::size_t>(amount));  // a short read must zero-fill
    return rc;
  }
  return f->real->pMethods->xRead(f->real, buf, amount, offset);
}

int f_write(sqlite3_file* file, const void* buf, int amount, sqlite3_int64 offset) {
  auto* f = of(file);
  count_call(Op::write, f->kind);
  if (int rc = check(Op::write, *f->name, -1)) return rc;
  return f->real->pMethods->xWrite(f->real, buf, amount, offset);
}

int f_truncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* f = of(file);
  count_call(Op::truncate, f->kind);
  if (int rc = check(Op::truncate, *f->name, -1)) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int f_sync(sqlite3_file* file, int flags) {
  auto* f = of(file);
  count_call(Op::sync, f->kind);
  if (int rc = check(Op::sync, *f->name, -1)) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int f_file_size(sqlite3_file* file, sqlite3_int64* size) {
  auto* f = of(file);
  return f->real->pMethods->xFileSize(f->real, size);
}

int f_lock(sqlite3_file* file, int level) {
  auto* f = of(file);
  count_call(Op::lock, f->kind);
  if (int rc = check(Op::lock, *f->name, level)) return rc;
  return f->real->pMethods->xLock(f->real, level);
}

int f_unlock(sqlite3_file* file, int level) {
  auto* f = of(file);
  return f->real->pMethods->xUnlock(f->real, level);  // never failed: SQLite cannot recover
}

int f_check_reserved(sqlite3_file* file, int* out) {
  auto* f = of(file);
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

int f_file_control(sqlite3_file* file, int op, void* arg) {
  auto* f = of(file);
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int f_sector_size(sqlite3_file* file) {
  auto* f = of(file);
  return f->real->pMethods->xSectorSize(f->real);
}

int f_device_characteristics(sqlite3_file* file) {
  auto* f = of(file);
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}

int f_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** pp) {
  auto* f = of(file);
  if (f->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return f->real->pMethods->xShmMap(f->real, region, size, extend, pp);
}

int f_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  auto* f = of(file);
  if (f->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  if (flags & SQLITE_SHM_LOCK) {  // unlocking is never failed
    count_call(Op::shm_lock, f->shm_kind);
    if (int rc = check(Op::shm_lock, *f->shm_name, offset)) return rc;
  }
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

void f_shm_barrier(sqlite3_file* file) {
  auto* f = of(file);
  if (f->real->pMethods->iVersion >= 2) f->real->pMethods->xShmBarrier(f->real);
}

int f_shm_unmap(sqlite3_file* file, int delete_flag) {
  auto* f = of(file);
  if (f->real->pMethods->iVersion < 2) return SQLITE_OK;
  return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

int f_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** pp) {
  auto* f = of(file);
  if (f->real->pMethods->iVersion < 3) {
    *pp = nullptr;
    return SQLITE_OK;
  }
  return f->real->pMethods->xFetch(f->real, offset, amount, pp);
}

int f_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  auto* f = of(file);
  if (f->real->pMethods->iVersion < 3) return SQLITE_OK;
  return f->real->pMethods->xUnfetch(f->real, offset, p);
}

const sqlite3_io_methods g_methods = {
    3,          f_close,       f_read,         f_write,       f_truncate,      f_sync,
    f_file_size, f_lock,        f_unlock,       f_check_reserved, f_file_control, f_sector_size,
    f_device_characteristics, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch,
    f_unfetch};

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = of(file);
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  f->real->pMethods = nullptr;
  f->name = f->shm_name = nullptr;
  const std::string path = name ? name : "";
  f->kind = kind_of(path);
  f->shm_kind = kind_of(path + "-shm");
  count_call(Op::open, f->kind);
  if (int rc = check(Op::open, path, -1)) return rc;
  const int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
  if (f->real->pMethods) {  // SQLite closes what has methods, even after an error
    f->name = new std::string(path);
    f->shm_name = new std::string(path + "-shm");
    f->base.pMethods = &g_methods;
  }
  return rc;
}

int v_delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_real->xDelete(g_real, name, sync_dir); }
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int v_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* v_dl_open(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void v_dl_error(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*v_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void v_dl_close(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int v_randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int v_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int v_current_time(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int v_last_error(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int v_current_time64(sqlite3_vfs*, sqlite3_int64* t) { return g_real->xCurrentTimeInt64(g_real, t); }
int v_set_syscall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_real->xSetSystemCall(g_real, name, p);
}
sqlite3_syscall_ptr v_get_syscall(sqlite3_vfs*, const char* name) { return g_real->xGetSystemCall(g_real, name); }
const char* v_next_syscall(sqlite3_vfs*, const char* name) { return g_real->xNextSystemCall(g_real, name); }

}  // namespace

std::string_view op_name(Op op) {
  static constexpr std::array<std::string_view, kOps> names = {"xOpen", "xRead",  "xWrite",  "xSync",
                                                               "xTruncate", "xLock", "xShmLock"};
  return names[static_cast<int>(op)];
}

Kind kind_of(std::string_view path) {
  if (ends_with(path, file::main_db)) return Kind::main_db;
  if (ends_with(path, file::wal)) return Kind::wal;
  if (ends_with(path, file::shm)) return Kind::shm;
  if (ends_with(path, file::search_db)) return Kind::search_db;
  if (ends_with(path, file::search_wal)) return Kind::search_wal;
  return Kind::other;
}

void install() {
  std::call_once(g_once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    if (!g_real || g_real->iVersion < 3) throw std::runtime_error("fault_vfs: no default VFS of version 3");
    g_vfs.iVersion = 3;
    g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = "suqiu-fault";
    g_vfs.xOpen = v_open;
    g_vfs.xDelete = v_delete;
    g_vfs.xAccess = v_access;
    g_vfs.xFullPathname = v_full_pathname;
    g_vfs.xDlOpen = v_dl_open;
    g_vfs.xDlError = v_dl_error;
    g_vfs.xDlSym = v_dl_sym;
    g_vfs.xDlClose = v_dl_close;
    g_vfs.xRandomness = v_randomness;
    g_vfs.xSleep = v_sleep;
    g_vfs.xCurrentTime = v_current_time;
    g_vfs.xGetLastError = v_last_error;
    g_vfs.xCurrentTimeInt64 = v_current_time64;
    g_vfs.xSetSystemCall = v_set_syscall;
    g_vfs.xGetSystemCall = v_get_syscall;
    g_vfs.xNextSystemCall = v_next_syscall;
    if (sqlite3_vfs_register(&g_vfs, 1) != SQLITE_OK) throw std::runtime_error("fault_vfs: register failed");
  });
}

int arm(const Fault& fault) {
  std::lock_guard lock(g_mutex);
  const int id = g_next_id++;
  g_faults.push_back({id, fault, 0, 0});
  g_by_id[id];
  g_armed.store(static_cast<int>(g_faults.size()), std::memory_order_release);
  return id;
}

void clear(int id) {
  std::lock_guard lock(g_mutex);
  std::erase_if(g_faults, [id](const Armed& a) { return a.id == id; });
  g_armed.store(static_cast<int>(g_faults.size()), std::memory_order_release);
}

void clear_all() {
  std::lock_guard lock(g_mutex);
  g_faults.clear();
  g_armed.store(0, std::memory_order_release);
}

std::uint64_t injected() { return g_injected.load(); }

std::uint64_t injected_by(int id) {
  std::lock_guard lock(g_mutex);
  auto it = g_by_id.find(id);
  return it == g_by_id.end() ? 0 : it->second;
}

std::uint64_t calls(Op op, Kind kind) {
  return g_calls[static_cast<int>(op)][static_cast<int>(kind)].load(std::memory_order_relaxed);
}

void reset_counters() {
  for (auto& row : g_calls)
    for (auto& c : row) c.store(0);
  g_injected.store(0);
  std::lock_guard lock(g_mutex);
  for (auto& [id, n] : g_by_id) n = 0;
}

}  // namespace suqiu::testing::fault_vfs
