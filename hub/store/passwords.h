// Passwords are kept as argon2id hashes (libsodium's crypto_pwhash_str, with
// its "interactive" cost): one place for the CLI's `user add` and the
// console's first user.
#pragma once

#include <string>
#include <string_view>

namespace suqiu::store {

inline constexpr std::size_t kMinPasswordLength = 8;

// The hash to store; throws std::runtime_error when libsodium cannot (memory).
std::string hash_password(std::string_view password);

}  // namespace suqiu::store
