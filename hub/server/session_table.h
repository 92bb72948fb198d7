// The api's login sessions: an opaque random token (libsodium randombytes,
// hex) per successful LOGIN, mapped to the Viewer it stands for, expiring
// after a configurable time without use (docs/protocol.md §5: 12 hours idle by
// default). Tokens live only in memory: a hub restart logs everyone out, which
// clients handle as E_TOKEN ("log in again").
//
// Thread-safe, although the api front is its only user (its own thread); the
// Hub may revoke a user's sessions from elsewhere (user disabled).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pipeline/case_views.h"

namespace suqiu::server {

class SessionTable {
 public:
  using Clock = std::chrono::system_clock;

  explicit SessionTable(std::chrono::seconds idle_expiry);

  struct Opened {
    std::string token;              // 64 hex characters
    Clock::time_point expires_at;  // if unused until then
  };
  // A new session for `viewer`; a user may hold several (console and CLI).
  Opened open(const Viewer& viewer, Clock::time_point now = Clock::now());

  // The viewer behind a live token, extending its idle expiry; nullopt for an
  // unknown or expired token (an expired one is forgotten here).
  std::optional<Viewer> touch(std::string_view token, Clock::time_point now = Clock::now());

  // Ends one session; false when the token was not live.
  bool close(std::string_view token);
  // Ends every session of `user` (disabled, password changed); returns how many.
  std::size_t close_user(std::string_view user);
  // Forgets every expired session; returns how many. The api calls it now and then.
  std::size_t expire(Clock::time_point now = Clock::now());

  std::size_t size() const;
  std::chrono::seconds idle_expiry() const { return idle_; }

 private:
  struct Session {
    Viewer viewer;
    Clock::time_point expires_at;
  };
  const std::chrono::seconds idle_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Session> sessions_;
};

}  // namespace suqiu::server
