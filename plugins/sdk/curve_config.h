// The [curve] table of a feed's TOML configuration, the same in every feed:
// this plugin's key pair and the hub's public key, needed when the hub is off
// loopback (docs/protocol.md §1.1).
//
//   [curve]
//   key_file = "/etc/suqiu/keys/feed-12345.key"      # this plugin's pair (suqiu keys gen)
//   server_key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"   # or:
//   server_key_file = "/etc/suqiu/keys/hub.pub"
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <toml++/toml.h>

#include "sdk/feed_client.h"

namespace suqiu::sdk {

struct CurveConfig {
  std::optional<std::filesystem::path> key_file;  // this plugin's CURVE key pair
  std::string server_key;                         // the hub's public key (Z85)
};

// Reads the table; throws std::runtime_error naming FILE:LINE and the key at
// fault. Unknown keys are logged and ignored.
CurveConfig read_curve_config(const toml::node& curve, const std::filesystem::path& file);

// Loads the key pair into `options`; throws when a pair is set without the
// hub's key (a CURVE client must know its server).
void apply_curve_config(const CurveConfig& curve, FeedOptions& options);

}  // namespace suqiu::sdk
