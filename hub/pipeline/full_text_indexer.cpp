#include "full_text_indexer.h"

#include "classify/corpus.h"
#include "classify/normalizer.h"

namespace suqiu {

FullTextIndexer::FullTextIndexer(store::Store& cases) : cases_(cases), index_(cases.file()) {}

std::size_t FullTextIndexer::catch_up(std::size_t max_cases) {
  return index_.catch_up(cases_, max_cases, [](std::string_view subject, std::string_view content) {
    return classify::normalise(classify::classification_text(subject, content));
  });
}

}  // namespace suqiu
