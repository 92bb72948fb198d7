// A fresh database file per test, and a way to make cases without a pipeline.
#pragma once

#include <gtest/gtest.h>

#include "temp_dir.h"

#include <filesystem>
#include <random>

#include "store/search_index.h"
#include "store/store.h"

namespace suqiu::store::testing {

using suqiu::testing::TempDir;

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
  // Far ahead, so that a closing in these tests is in time whatever day they run.
  c.deadline = *Timestamp::parse("2099-12-03T18:00:00+08:00");
  c.record_json = c.record.to_json().dump();
  c.taken_by = "test";
  return c;
}

// Indexes the cases the search index does not hold yet, their subject and
// content taken as they are (the pipeline's FullTextIndexer normalises them
// first; these tests store normalised text).
inline void index_new_cases(Store& s) {
  SearchIndex(s.file()).catch_up(s, 1'000'000, [](std::string_view subject, std::string_view content) {
    return std::string(subject) + " " + std::string(content);
  });
}

}  // namespace suqiu::store::testing
