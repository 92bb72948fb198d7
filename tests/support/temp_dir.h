// A fresh folder per test, removed afterwards. Shared by every test folder
// (cmake/Warnings.cmake puts tests/support on the include path of each test).
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace suqiu::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "suqiu-test-") {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;  // best effort: a leftover temp folder is harmless
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace suqiu::testing
