// The category and request-type classifier. Two linear models over the same
// features (Segmenter::features: words, Han bigrams, entity kinds), one per
// decision, plus keyword rules that can force either decision. Training
// takes a fraction of a second on the bundled corpus, so the built-in model
// is trained at first use; `suqiu classify --train` trains on the corpus plus
// the operators' corrections and saves a model file the hub reloads.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "classify/corpus.h"
#include "classify/keyword_rules.h"
#include "classify/segmenter.h"
#include "core/codes.h"
#include "core/intake_record.h"
#include "core/taxonomy.h"

namespace suqiu::classify {

struct Suggestion {
  std::string category;
  RequestType request_type = RequestType::complaint;
  double category_confidence = 0;  // posterior of the chosen class; 1 when given or forced
  double type_confidence = 0;
  bool needs_review = false;       // a confidence is below the review threshold
  std::vector<std::string> rules_fired;
};

// naive_bayes: multinomial, Laplace-smoothed, over feature counts.
// logistic_regression: softmax regression by SGD over L2-normalised binary
// features. combined: the mean of both posteriors. bench_classify measures
// all three on the held-out split; the default is the one it chose.
enum class Algorithm { naive_bayes, logistic_regression, combined };
std::string_view to_code(Algorithm a);

struct TrainOptions {
  Algorithm algorithm = Algorithm::combined;
  int epochs = 12;
  double learning_rate = 0.5;
  double nb_alpha = 1.0;  // plain Laplace smoothing
  std::uint64_t seed = 20261126;  // shuffling; training is deterministic
};

class Classifier {
 public:
  static constexpr double kDefaultReviewThreshold = 0.55;

  // Throws std::invalid_argument when a record names a category the taxonomy
  // does not have, or when `records` is empty.
  static Classifier train(const std::vector<LabelledRecord>& records, const Taxonomy& taxonomy,
                          const TrainOptions& options = {});
  // Throws std::runtime_error "classifier model <file>: <reason>" when the
  // file is missing, truncated, of another format or version.
  static Classifier load(const std::filesystem::path& model_file);
  // Trained on builtin_corpus() with the default options, once per process.
  static const Classifier& builtin();

  // Writes atomically (a temporary file renamed over the target).
  void save(const std::filesystem::path& model_file) const;

  // The record's own category / request_type, when present, are kept with
  // confidence 1; otherwise keyword rules, then the model decide.
  Suggestion classify(const IntakeRecord& record) const;
  // Same, with normalise(classification_text(record)) already at hand (the
  // hub normalises each intake once for the classifier, the fingerprint and
  // the full-text index).
  Suggestion classify(const IntakeRecord& record, std::string_view normalised_text) const;
  // Same for a bare text (subject and content together).
  Suggestion classify_text(std::string_view raw_text) const;

  // Configuration from the hub's TOML ([classify] review_threshold, and the
  // [[classify.rule]] tables of keyword_rules.h).
  void set_rules(KeywordRules rules) { rules_ = std::move(rules); }
  const KeywordRules& rules() const { return rules_; }
  void set_review_threshold(double t) { review_threshold_ = t; }
  double review_threshold() const { return review_threshold_; }
  // Reads both from `config`; throws std::invalid_argument as KeywordRules does.
  void configure(const toml::table& config, const Taxonomy& taxonomy);

  Algorithm algorithm() const { return algorithm_; }
  const std::vector<std::string>& categories() const { return category_labels_; }
  std::size_t vocabulary_size() const { return vocabulary_keys_.size(); }

 private:
  // One linear model: weights[feature * classes + class].
  struct Head {
    bool counts = false;  // naive Bayes reads counts, logistic regression L2-normalised presence
    std::vector<float> weights;
    std::vector<float> bias;
  };
  struct Task {
    std::vector<Head> heads;  // one, or two for `combined`
    std::size_t classes = 0;
    std::size_t packed_offset = 0;  // of its first head's weights in a row of packed_
  };

  // Open-addressing map from feature hash to vocabulary index: the lookup on
  // the hot path, several times faster than std::unordered_map.
  struct VocabularyIndex {
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> values;  // kEmpty where free
    std::uint64_t mask = 0;
    static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
    void build(const std::vector<std::uint64_t>& vocabulary);
    std::uint32_t find(std::uint64_t key) const;
  };
  // A record's known features: distinct vocabulary ids, in first-seen order, with counts.
  struct Features {
    std::vector<std::uint32_t> ids;
    std::vector<float> counts;
  };

  Classifier() = default;
  // Builds packed_ from the heads (after training or loading).
  void pack();
  Features features_of(std::string_view normalised) const;
  void posterior(const Task& task, const Features& f, std::vector<double>& out) const;
  Suggestion decide(std::string_view normalised, bool need_category, bool need_type) const;

  Algorithm algorithm_ = Algorithm::combined;
  std::vector<std::string> category_labels_;
  std::vector<std::uint64_t> vocabulary_keys_;
  VocabularyIndex vocabulary_;
  Task category_, type_;
  // The weights of every head of both tasks for one feature side by side
  // (row = vocabulary id): a feature costs one or two cache lines, not four.
  std::vector<float> packed_;
  std::size_t packed_stride_ = 0;
  Segmenter segmenter_;
  KeywordRules rules_;
  double review_threshold_ = kDefaultReviewThreshold;
};

}  // namespace suqiu::classify
