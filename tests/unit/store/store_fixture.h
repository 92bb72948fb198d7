// A fresh database file per test, and a way to make cases without a pipeline.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/store.h"

namespace suqiu::store::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("suqiu-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;  // best effort: a leftover temp folder is harmless
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline NewCase make_case(std::string external_id, std::string content,
                         std::string received = "2026-11-26T09:15:00+08:00",
                         std::string category = "taxi", std::string section = "urban",
                         std::string phone = "13800138000") {
  NewCase c;
  c.record.source = "12345";
  c.record.external_id = std::move(external_id);
  c.record.received_at = *Timestamp::parse(received);
  c.record.content = content;
  c.record.caller.phone = std::move(phone);
  c.request_type = RequestType::complaint;
  c.category = std::move(category);
  c.section = std::move(section);
  c.deadline = *Timestamp::parse("2026-12-03T18:00:00+08:00");
  c.search_text = content;
  c.record_json = c.record.to_json().dump();
  c.taken_by = "test";
  return c;
}

}  // namespace suqiu::store::testing
