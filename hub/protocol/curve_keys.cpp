#include "protocol/curve_keys.h"

#include <sys/stat.h>

#include <array>
#include <fstream>
#include <sstream>

// A draft socket option in libzmq 4.3; the number is stable.
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

namespace suqiu::protocol {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string where(const std::filesystem::path& path, int line) {
  return path.string() + ":" + std::to_string(line) + ": ";
}

std::ifstream open_for_reading(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw KeyFileError(path.string() + ": cannot open");
  return in;
}

}  // namespace

bool is_valid_z85_key(std::string_view key) noexcept {
  if (key.size() != 40) return false;
  static constexpr std::string_view alphabet =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  for (char c : key)
    if (alphabet.find(c) == std::string_view::npos) return false;
  return true;
}

CurveKeyPair generate_curve_keypair() {
  std::array<char, 41> pub{};
  std::array<char, 41> sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0) throw zmq::error_t();
  return {std::string(pub.data(), 40), std::string(sec.data(), 40)};
}

std::string curve_public_of(std::string_view secret_key) {
  if (!is_valid_z85_key(secret_key)) throw KeyFileError("not a Z85 CURVE key");
  std::array<char, 41> pub{};
  const std::string sec(secret_key);
  if (zmq_curve_public(pub.data(), sec.c_str()) != 0) throw zmq::error_t();
  return std::string(pub.data(), 40);
}

void save_key_file(const std::filesystem::path& path, const CurveKeyPair& keys,
                   bool include_secret) {
  if (!is_valid_z85_key(keys.public_key) ||
      (include_secret && !is_valid_z85_key(keys.secret_key)))
    throw KeyFileError(path.string() + ": refusing to write an invalid key");
  std::ostringstream text;
  if (include_secret)
    text << "# Suqiu CURVE key pair (ZeroMQ Z85). Keep the secret key private.\n"
         << "public = " << keys.public_key << "\n"
         << "secret = " << keys.secret_key << "\n";
  else
    text << "# Suqiu CURVE public key (ZeroMQ Z85).\n"
         << "public = " << keys.public_key << "\n";
  // Create with 0600 before writing a secret into it.
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw KeyFileError(path.string() + ": cannot write");
  }
  ::chmod(tmp.c_str(), include_secret ? 0600 : 0644);
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text.str();
    out.flush();
    if (!out) throw KeyFileError(path.string() + ": cannot write");
  }
  std::filesystem::rename(tmp, path);
}

CurveKeyPair load_key_file(const std::filesystem::path& path) {
  auto in = open_for_reading(path);
  CurveKeyPair keys;
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string_view s = trim(raw);
    if (s.empty() || s.front() == '#') continue;
    const auto eq = s.find('=');
    if (eq == std::string_view::npos) throw KeyFileError(where(path, line) + "expected name = value");
    const auto name = trim(s.substr(0, eq));
    const auto value = trim(s.substr(eq + 1));
    if (!is_valid_z85_key(value)) throw KeyFileError(where(path, line) + "not a Z85 CURVE key");
    if (name == "public") keys.public_key = value;
    else if (name == "secret") keys.secret_key = value;
    else throw KeyFileError(where(path, line) + "unknown name '" + std::string(name) + "'");
  }
  if (keys.public_key.empty() && !keys.secret_key.empty()) keys.public_key = curve_public_of(keys.secret_key);
  if (keys.public_key.empty()) throw KeyFileError(path.string() + ": no public key");
  if (!keys.secret_key.empty() && curve_public_of(keys.secret_key) != keys.public_key)
    throw KeyFileError(path.string() + ": the secret key does not belong to the public key");
  return keys;
}

std::vector<AllowedKey> load_allow_list(const std::filesystem::path& path) {
  auto in = open_for_reading(path);
  std::vector<AllowedKey> keys;
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string_view s = trim(raw);
    if (s.empty() || s.front() == '#') continue;
    const auto space = s.find_first_of(" \t");
    const auto key = s.substr(0, space);
    if (!is_valid_z85_key(key)) throw KeyFileError(where(path, line) + "not a Z85 CURVE public key");
    keys.push_back({std::string(key),
                    space == std::string_view::npos ? std::string() : std::string(trim(s.substr(space)))});
  }
  return keys;
}

void apply_curve_server(zmq::socket_t& socket, const CurveKeyPair& server,
                        std::string_view zap_domain) {
  if (!is_valid_z85_key(server.secret_key)) throw KeyFileError("the hub needs its secret key for CURVE");
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, server.secret_key);
  socket.set(zmq::sockopt::zap_domain, zap_domain);
  // A draft option in libzmq 4.3: when this build lacks it (EINVAL), the ZAP
  // handler's own domain check is what keeps other domains out.
  const int on = 1;
  (void)zmq_setsockopt(socket.handle(), ZMQ_ZAP_ENFORCE_DOMAIN, &on, sizeof on);
}

void apply_curve_client(zmq::socket_t& socket, const CurveKeyPair& client,
                        std::string_view server_public_key) {
  if (!is_valid_z85_key(server_public_key) || !is_valid_z85_key(client.public_key) ||
      !is_valid_z85_key(client.secret_key))
    throw KeyFileError("a CURVE client needs the hub's public key and its own key pair");
  socket.set(zmq::sockopt::curve_serverkey, server_public_key);
  socket.set(zmq::sockopt::curve_publickey, client.public_key);
  socket.set(zmq::sockopt::curve_secretkey, client.secret_key);
}

}  // namespace suqiu::protocol
