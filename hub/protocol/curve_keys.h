// CURVE keys: generation, the key file and allow-list formats of
// docs/protocol.md section 1.1, and applying keys to a socket.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

namespace suqiu::protocol {

inline constexpr std::string_view kZapDomain = "suqiu";

// Z85-encoded keys, 40 characters each. `secret_key` is empty for a key read
// from a public-only file.
struct CurveKeyPair {
  std::string public_key;
  std::string secret_key;
};

struct AllowedKey {
  std::string public_key;
  std::string label;
};

// A key file or allow-list that cannot be used; what() names the file and line.
class KeyFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool is_valid_z85_key(std::string_view key) noexcept;

CurveKeyPair generate_curve_keypair();
// The public key belonging to a secret key (zmq_curve_public).
std::string curve_public_of(std::string_view secret_key);

// Writes "public = …" (and "secret = …" when include_secret) with mode 0600.
void save_key_file(const std::filesystem::path& path, const CurveKeyPair& keys,
                   bool include_secret = true);
// Reads a key file; checks that a secret key matches its public key.
CurveKeyPair load_key_file(const std::filesystem::path& path);
std::vector<AllowedKey> load_allow_list(const std::filesystem::path& path);

// Server side: CURVE_SERVER, its secret key, and the ZAP domain (with
// ZMQ_ZAP_ENFORCE_DOMAIN where libzmq offers it; the hub's ZAP handler checks
// the domain in any case).
void apply_curve_server(zmq::socket_t& socket, const CurveKeyPair& server,
                        std::string_view zap_domain = kZapDomain);
// Client side: the hub's public key and the client's own pair.
void apply_curve_client(zmq::socket_t& socket, const CurveKeyPair& client,
                        std::string_view server_public_key);

}  // namespace suqiu::protocol
