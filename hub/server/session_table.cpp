#include "session_table.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace suqiu::server {
namespace {

std::string random_token() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 2 * 32 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return std::string(hex.data(), 2 * bytes.size());
}

}  // namespace

SessionTable::SessionTable(std::chrono::seconds idle_expiry) : idle_(idle_expiry) {
  if (idle_.count() <= 0) throw std::invalid_argument("session idle expiry must be positive");
}

SessionTable::Opened SessionTable::open(const Viewer& viewer, Clock::time_point now) {
  std::string token = random_token();
  const auto expires = now + idle_;
  std::lock_guard lock(mutex_);
  // 256 random bits do not collide in practice; the loop only makes it certain.
  while (sessions_.contains(token)) token = random_token();
  sessions_.emplace(token, Session{viewer, expires});
  return {token, expires};
}

std::optional<Viewer> SessionTable::touch(std::string_view token, Clock::time_point now) {
  if (token.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(std::string(token));
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires_at <= now) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.expires_at = now + idle_;
  return it->second.viewer;
}

bool SessionTable::close(std::string_view token) {
  std::lock_guard lock(mutex_);
  return sessions_.erase(std::string(token)) > 0;
}

std::size_t SessionTable::close_user(std::string_view user) {
  std::lock_guard lock(mutex_);
  return std::erase_if(sessions_, [&](const auto& kv) { return kv.second.viewer.name == user; });
}

std::size_t SessionTable::expire(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  return std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires_at <= now; });
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace suqiu::server
