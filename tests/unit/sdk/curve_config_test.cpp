// The [curve] table every feed's configuration shares: a key pair and the
// hub's key, read from a real TOML file; each mistake named with its line.
#include "sdk/curve_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "protocol/curve_keys.h"
#include "temp_dir.h"

namespace suqiu::sdk {
namespace {

toml::table parse(const std::string& text) { return toml::parse(text); }

TEST(CurveConfig, AKeyPairAndTheHubsKeyReachTheFeedOptions) {
  testing::TempDir dir;
  const auto pair = protocol::generate_curve_keypair();
  const auto hub = protocol::generate_curve_keypair();
  protocol::save_key_file(dir.path() / "feed.key", pair);
  protocol::save_key_file(dir.path() / "hub.pub", hub, false);
  auto t = parse("[curve]\nkey_file = \"" + (dir.path() / "feed.key").string() + "\"\nserver_key_file = \"" +
                 (dir.path() / "hub.pub").string() + "\"\n");
  FeedOptions o;
  apply_curve_config(read_curve_config(*t.get("curve"), "feed.toml"), o);
  ASSERT_TRUE(o.client_keys);
  EXPECT_EQ(o.client_keys->public_key, pair.public_key);
  EXPECT_EQ(o.server_public_key, hub.public_key);
}

TEST(CurveConfig, MistakesAreNamed) {
  auto not_text = parse("[curve]\nserver_key = 7\n");
  try {
    read_curve_config(*not_text.get("curve"), "feed.toml");
    ADD_FAILURE() << "a number taken for a key";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("feed.toml:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("curve.server_key"), std::string::npos) << e.what();
  }
  auto not_table = parse("curve = \"yes\"\n");
  EXPECT_THROW(read_curve_config(*not_table.get("curve"), "feed.toml"), std::runtime_error);

  testing::TempDir dir;
  protocol::save_key_file(dir.path() / "feed.key", protocol::generate_curve_keypair());
  CurveConfig without_hub{dir.path() / "feed.key", ""};
  FeedOptions o;
  EXPECT_THROW(apply_curve_config(without_hub, o), std::runtime_error) << "a CURVE client must know its hub";
}

}  // namespace
}  // namespace suqiu::sdk
