// The append-only audit log. Each entry's hash is SHA-256 over the previous
// entry's hash and this entry's fields, so editing or deleting any entry breaks
// the chain from there on; the head (last id and hash) is kept in `meta` so
// that cutting entries off the end is found too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sqlite.h"

namespace suqiu::store {

struct AuditEntry {
  std::string actor;   // user name, plugin name, or "system"
  std::string action;  // "intake", "dispatch", "read_protected", "user_add", ...
  std::optional<std::int64_t> case_id;
  std::string detail;  // JSON
};

struct AuditVerdict {
  bool intact = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_broken;  // id of the first entry that fails
  std::string reason;
};

class AuditLog {
 public:
  explicit AuditLog(Connection& c) : db_(c) {}
  // Appends inside the caller's transaction.
  std::int64_t append(const AuditEntry& entry, const std::string& at);
  // Inside one transaction that appends many entries: the head is read once
  // and recorded once (finish), instead of for every entry.
  void begin_batch();
  void finish_batch();
  // After a rolled-back transaction: forget the cached head.
  void abandon_batch() { batch_head_.reset(); }
  AuditVerdict verify();

 private:
  struct Head {
    std::int64_t id = 0;
    std::string hash;  // 32 bytes
  };
  Head head();
  void record_head(const Head& h);
  Connection& db_;
  std::optional<Head> batch_head_;  // set between begin_batch and finish_batch
};

}  // namespace suqiu::store
