#include "classify/corpus.h"

#include <set>

#include <gtest/gtest.h>

#include "core/taxonomy.h"

namespace cls = suqiu::classify;

TEST(Corpus, BundledTrainingSplitCoversEveryCategoryAndType) {
  const auto& train = cls::builtin_corpus();
  EXPECT_GE(train.size(), 1200u);
  std::set<std::string> categories;
  std::set<suqiu::RequestType> types;
  for (const auto& r : train) {
    categories.insert(r.category);
    types.insert(r.request_type);
    EXPECT_NE(suqiu::Taxonomy::builtin().category(r.category), nullptr) << r.category;
  }
  EXPECT_EQ(categories.size(), suqiu::Taxonomy::builtin().categories().size());
  EXPECT_EQ(types.size(), suqiu::kRequestTypes.size());
}

TEST(Corpus, SplitsAreDisjointAndTogetherAtLeast1500) {
  auto train = cls::load_corpus(std::string(SUQIU_DATA_DIR) + "/corpus/train.jsonl");
  auto heldout = cls::load_corpus(std::string(SUQIU_DATA_DIR) + "/corpus/heldout.jsonl");
  EXPECT_GE(train.size() + heldout.size(), 1500u);
  EXPECT_EQ(train.size(), cls::builtin_corpus().size());
  std::set<std::string> seen;
  for (const auto& r : train) seen.insert(r.text);
  for (const auto& r : heldout) EXPECT_FALSE(seen.count(r.text)) << r.text;
}

TEST(Corpus, BadLinesNameTheLine) {
  try {
    cls::parse_corpus("{\"content\":\"x\",\"category\":\"taxi\",\"request_type\":\"complaint\"}\n"
                      "\n{\"content\":\"y\",\"category\":\"taxi\",\"request_type\":\"grumble\"}\n",
                      "test.jsonl");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("test.jsonl:3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(cls::load_corpus("/nonexistent/corpus.jsonl"), std::runtime_error);
}
