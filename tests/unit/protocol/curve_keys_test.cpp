#include "protocol/curve_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>


using namespace suqiu::protocol;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("suqiu-curve-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST(CurveKeys, GeneratedPairsAreZ85AndDistinct) {
  const auto a = generate_curve_keypair();
  const auto b = generate_curve_keypair();
  EXPECT_TRUE(is_valid_z85_key(a.public_key));
  EXPECT_TRUE(is_valid_z85_key(a.secret_key));
  EXPECT_NE(a.public_key, b.public_key);
  EXPECT_EQ(curve_public_of(a.secret_key), a.public_key);
}

TEST(CurveKeys, KeyFileRoundTripWithPrivateMode) {
  const auto dir = temp_dir();
  const auto keys = generate_curve_keypair();
  save_key_file(dir / "hub.key", keys);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "hub.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const auto back = load_key_file(dir / "hub.key");
  EXPECT_EQ(back.public_key, keys.public_key);
  EXPECT_EQ(back.secret_key, keys.secret_key);

  save_key_file(dir / "hub.pub", keys, /*include_secret=*/false);
  const auto pub = load_key_file(dir / "hub.pub");
  EXPECT_EQ(pub.public_key, keys.public_key);
  EXPECT_TRUE(pub.secret_key.empty());
  fs::remove_all(dir);
}

TEST(CurveKeys, DocumentedExampleParses) {
  const auto dir = temp_dir();
  // The example of docs/protocol.md section 1.1 (the CurveZMQ reference pair).
  write(dir / "k", "# Suqiu CURVE key pair\npublic = rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n"
                   "secret = JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6\n");
  EXPECT_EQ(load_key_file(dir / "k").public_key, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
  fs::remove_all(dir);
}

TEST(CurveKeys, BadKeyFilesNameTheLine) {
  const auto dir = temp_dir();
  const auto a = generate_curve_keypair();
  const auto b = generate_curve_keypair();
  const std::pair<std::string, std::string> cases[] = {
      {"public = short\n", ":1:"},
      {"# c\nsecrit = " + a.secret_key + "\n", ":2:"},
      {"public " + a.public_key + "\n", ":1:"},
      {"public = " + a.public_key + "\nsecret = " + b.secret_key + "\n", "does not belong"},
      {"# nothing\n", "no public key"},
  };
  for (const auto& [text, expected] : cases) {
    write(dir / "bad", text);
    try {
      load_key_file(dir / "bad");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const KeyFileError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(load_key_file(dir / "missing"), KeyFileError);
  fs::remove_all(dir);
}

TEST(CurveKeys, AllowList) {
  const auto dir = temp_dir();
  const auto a = generate_curve_keypair();
  const auto b = generate_curve_keypair();
  write(dir / "allow", "# plugins\n" + a.public_key + "  feed-12345\n\n" + b.public_key + "\n");
  const auto keys = load_allow_list(dir / "allow");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].public_key, a.public_key);
  EXPECT_EQ(keys[0].label, "feed-12345");
  EXPECT_EQ(keys[1].label, "");
  write(dir / "allow", "not-a-key\n");
  EXPECT_THROW(load_allow_list(dir / "allow"), KeyFileError);
  fs::remove_all(dir);
}
