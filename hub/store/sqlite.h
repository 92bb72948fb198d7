// A thin RAII layer over the sqlite3 C API: a connection, prepared statements
// (cached per connection, the only way SQL runs here) and a transaction that
// rolls back unless committed. One connection belongs to one thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace suqiu::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }  // SQLite's extended result code, or 0

 private:
  int code_;
};

// The case is no longer in the state the change was decided on: someone else
// moved it first. A lifecycle refusal (E_STATE), not a failure of the store.
class CaseMoved : public StoreError {
 public:
  explicit CaseMoved(const std::string& what) : StoreError(0, what) {}
};

// True for failures that may pass by themselves: a full disk, a busy or
// locked database, an I/O error. The hub answers them "try again".
bool is_transient(const StoreError& e);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding is 1-based like SQLite's; each returns *this for chaining.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, const void* data, std::size_t size);
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Steps once: true while a row is available.
  bool step();
  // Steps to the end (for statements that return no rows).
  void run();
  void reset();

  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::string blob(int col) const;
  std::optional<std::int64_t> optional_int64(int col) const;
  std::optional<std::string> optional_text(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A prepared statement in use: forwards to the Statement and resets it when it
// goes out of scope, so that no half-read query keeps a read transaction (and
// with it an old WAL snapshot) open.
class StatementUse {
 public:
  explicit StatementUse(Statement& s) : s_(&s) {}
  ~StatementUse() { s_->reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

  template <class... A>
  StatementUse& bind(int index, A&&... value) {
    s_->bind(index, std::forward<A>(value)...);
    return *this;
  }
  StatementUse& bind_blob(int index, const void* data, std::size_t size) {
    s_->bind_blob(index, data, size);
    return *this;
  }
  StatementUse& bind_null(int index) {
    s_->bind_null(index);
    return *this;
  }
  bool step() { return s_->step(); }
  void run() { s_->run(); }
  Statement& operator*() { return *s_; }
  Statement* operator->() { return s_; }
  bool is_null(int c) const { return s_->is_null(c); }
  std::int64_t int64(int c) const { return s_->int64(c); }
  double real(int c) const { return s_->real(c); }
  std::string text(int c) const { return s_->text(c); }
  std::string blob(int c) const { return s_->blob(c); }
  std::optional<std::int64_t> optional_int64(int c) const { return s_->optional_int64(c); }
  std::optional<std::string> optional_text(int c) const { return s_->optional_text(c); }

 private:
  Statement* s_;
};

class Connection {
 public:
  enum class Mode { read_write, read_only };
  Connection(const std::filesystem::path& file, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement with its bindings cleared; reset again when
  // the returned handle goes out of scope.
  StatementUse prepare(std::string_view sql);
  // Runs SQL without parameters (DDL, pragmas). Never for values.
  void exec(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  std::int64_t total_changes() const;  // since the connection opened
  // Forces what was written to the main database file onto the disk
  // (fdatasync through SQLite's own file handle).
  void sync_database_file();
  sqlite3* handle() const { return db_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path file_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace suqiu::store
