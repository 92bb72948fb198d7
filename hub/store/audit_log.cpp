#include "audit_log.h"

#include <sodium.h>

namespace suqiu::store {
namespace {

std::string entry_hash(const std::string& prev, std::int64_t id, const std::string& at,
                       const std::string& actor, const std::string& action,
                       std::optional<std::int64_t> case_id, const std::string& detail) {
  // Fields joined with a unit separator, which JSON text and names never hold raw.
  std::string msg = prev;
  for (const std::string& part :
       {std::to_string(id), at, actor, action, case_id ? std::to_string(*case_id) : std::string(),
        detail}) {
    msg += '\x1f';
    msg += part;
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

const std::string kGenesis(crypto_hash_sha256_BYTES, '\0');

std::string to_hex(const std::string& bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

}  // namespace

AuditLog::Head AuditLog::head() {
  if (batch_head_) return *batch_head_;
  Head h{0, kGenesis};
  auto st = db_.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
  if (st.step()) h = {st.int64(0), st.blob(1)};
  return h;
}

std::int64_t AuditLog::append(const AuditEntry& e, const std::string& at) {
  Head prev = head();
  std::int64_t id = prev.id + 1;
  std::string hash = entry_hash(prev.hash, id, at, e.actor, e.action, e.case_id, e.detail);
  db_.prepare(
         "INSERT INTO audit(id, at, actor, action, case_id, detail, prev_hash, hash) "
         "VALUES(?,?,?,?,?,?,?,?)")
      .bind(1, id)
      .bind(2, at)
      .bind(3, e.actor)
      .bind(4, e.action)
      .bind(5, e.case_id)
      .bind(6, e.detail)
      .bind_blob(7, prev.hash.data(), prev.hash.size())
      .bind_blob(8, hash.data(), hash.size())
      .run();
  if (batch_head_)
    batch_head_ = Head{id, hash};
  else
    record_head({id, hash});
  return id;
}

void AuditLog::record_head(const Head& h) {
  db_.prepare(
         "INSERT INTO meta(key, value) VALUES('audit_head', ?) "
         "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, std::to_string(h.id) + ":" + to_hex(h.hash))
      .run();
}

void AuditLog::begin_batch() {
  batch_head_.reset();
  batch_head_ = head();
}

void AuditLog::finish_batch() {
  if (!batch_head_) return;
  Head h = *batch_head_;
  batch_head_.reset();
  if (h.id > 0) record_head(h);
}

AuditVerdict AuditLog::verify() {
  AuditVerdict v;
  auto broken = [&v](std::int64_t id, std::string why) {
    v.intact = false;
    v.first_broken = id;
    v.reason = std::move(why);
    return v;
  };
  std::string prev = kGenesis;
  std::int64_t expect_id = 1;
  auto st = db_.prepare(
      "SELECT id, at, actor, action, case_id, detail, prev_hash, hash FROM audit ORDER BY id");
  while (st.step()) {
    std::int64_t id = st.int64(0);
    if (id != expect_id)
      return broken(expect_id, "entry " + std::to_string(expect_id) + " is missing");
    std::string stored_prev = st.blob(6), stored_hash = st.blob(7);
    if (stored_prev != prev)
      return broken(id, "entry " + std::to_string(id) + " does not follow the entry before it");
    std::string h = entry_hash(prev, id, st.text(1), st.text(2), st.text(3), st.optional_int64(4),
                               st.text(5));
    if (h != stored_hash)
      return broken(id, "entry " + std::to_string(id) + " was altered (hash mismatch)");
    prev = stored_hash;
    ++expect_id;
    ++v.entries;
  }
  auto m = db_.prepare("SELECT value FROM meta WHERE key = 'audit_head'");
  std::string recorded = m.step() ? m.text(0) : "0:" + to_hex(kGenesis);
  std::string actual = std::to_string(expect_id - 1) + ":" + to_hex(prev);
  if (recorded != actual) {
    auto colon = recorded.find(':');
    std::int64_t recorded_id = std::stoll(recorded.substr(0, colon));
    if (recorded_id >= expect_id)
      return broken(expect_id, "entries from " + std::to_string(expect_id) + " to " +
                                   std::to_string(recorded_id) + " were removed from the end");
    return broken(recorded_id, "the recorded head of the chain does not match entry " +
                                   std::to_string(recorded_id));
  }
  return v;
}

}  // namespace suqiu::store
