#include "full_text_indexer.h"

#include <vector>

#include "classify/corpus.h"
#include "classify/normalizer.h"

namespace suqiu {

FullTextIndexer::FullTextIndexer(store::Store& cases) : cases_(cases), index_(cases.file()) {}

std::size_t FullTextIndexer::catch_up(std::size_t max_cases) {
  const auto pending = cases_.cases_after(index_.indexed_upto(), static_cast<int>(max_cases));
  if (pending.empty()) return 0;
  std::vector<store::CaseText> texts;
  texts.reserve(pending.size());
  for (const auto& c : pending)
    texts.push_back({c.case_id, classify::normalise(classify::classification_text(c.subject, c.content))});
  index_.add(texts, pending.back().case_id);
  return pending.size();
}

}  // namespace suqiu
