#include "classifier.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>
#include <stdexcept>

#include "normalizer.h"
#include "utf8.h"

namespace suqiu::classify {
namespace {

constexpr char kMagic[8] = {'S', 'U', 'Q', 'I', 'U', 'C', 'L', 'S'};
constexpr std::uint32_t kFormatVersion = 1;

std::size_t type_index(RequestType t) {
  return static_cast<std::size_t>(std::find(kRequestTypes.begin(), kRequestTypes.end(), t) -
                                  kRequestTypes.begin());
}

void softmax(std::vector<double>& v) {
  double m = *std::max_element(v.begin(), v.end());
  double sum = 0;
  for (auto& x : v) sum += (x = std::exp(x - m));
  for (auto& x : v) x /= sum;
}

// The weights of one head for one feature are summed four at a time, which
// the compiler turns into vector instructions even at -O2. Each sum is
// padded to whole groups of four: the lanes past the head's classes read the
// next head's (or row's) weights, or the padding pack() leaves after the last
// row, and land in padding of the sums that is never read.
constexpr std::size_t kLanes = 4;
constexpr std::size_t padded(std::size_t k) { return (k + kLanes - 1) / kLanes * kLanes; }

// acc[c] += v * w[c] for c < padded(k): one float multiply and one add per
// element, in the same order as a plain loop, so the sums are bit-identical.
inline void add_scaled(float* __restrict acc, const float* __restrict w, float v, std::size_t k) {
  for (std::size_t c = 0; c < padded(k); c += kLanes) {
    acc[c] += v * w[c];
    acc[c + 1] += v * w[c + 1];
    acc[c + 2] += v * w[c + 2];
    acc[c + 3] += v * w[c + 3];
  }
}

// Training examples as feature ids, once, shared by both tasks.
struct Example {
  std::vector<std::uint32_t> ids;       // with repeats (counts)
  std::vector<std::uint32_t> distinct;  // sorted, unique
  std::size_t category, type;
};

std::vector<float> naive_bayes_weights(const std::vector<Example>& ex, std::size_t vocab,
                                       std::size_t classes, bool by_category, double alpha,
                                       std::vector<float>& bias) {
  std::vector<double> counts(vocab * classes, 0.0), totals(classes, 0.0), docs(classes, 0.0);
  for (const auto& e : ex) {
    std::size_t c = by_category ? e.category : e.type;
    docs[c] += 1;
    for (auto f : e.ids) {
      counts[f * classes + c] += 1;
      totals[c] += 1;
    }
  }
  std::vector<float> w(vocab * classes);
  for (std::size_t c = 0; c < classes; ++c) {
    double denom = std::log(totals[c] + alpha * static_cast<double>(vocab));
    for (std::size_t f = 0; f < vocab; ++f)
      w[f * classes + c] = static_cast<float>(std::log(counts[f * classes + c] + alpha) - denom);
  }
  bias.assign(classes, 0);
  double n = static_cast<double>(ex.size());
  for (std::size_t c = 0; c < classes; ++c)
    bias[c] = static_cast<float>(docs[c] > 0 ? std::log(docs[c] / n) : -30.0);
  return w;
}

std::vector<float> logistic_weights(const std::vector<Example>& ex, std::size_t vocab,
                                    std::size_t classes, bool by_category, const TrainOptions& o,
                                    std::vector<float>& bias) {
  std::vector<float> w(vocab * classes, 0.0f);
  bias.assign(classes, 0.0f);
  std::vector<std::size_t> order(ex.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed + (by_category ? 0 : 1));
  std::vector<double> p(classes);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    const double lr = o.learning_rate / (1.0 + 0.3 * epoch);
    for (auto i : order) {
      const auto& e = ex[i];
      if (e.distinct.empty()) continue;
      const double x = 1.0 / std::sqrt(static_cast<double>(e.distinct.size()));
      for (std::size_t c = 0; c < classes; ++c) p[c] = bias[c];
      for (auto f : e.distinct)
        for (std::size_t c = 0; c < classes; ++c) p[c] += x * w[f * classes + c];
      softmax(p);
      const std::size_t y = by_category ? e.category : e.type;
      for (std::size_t c = 0; c < classes; ++c) {
        const double g = p[c] - (c == y ? 1.0 : 0.0);
        if (std::abs(g) < 1e-6) continue;
        bias[c] -= static_cast<float>(lr * g);
        const float step = static_cast<float>(lr * g * x);
        for (auto f : e.distinct) w[f * classes + c] -= step;
      }
    }
  }
  return w;
}

// Binary file helpers; the format is little-endian as written by x86/ARM.
template <class T>
void put(std::ostream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_string(std::ostream& out, const std::string& s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}
template <class T>
void put_vector(std::ostream& out, const std::vector<T>& v) {
  put(out, static_cast<std::uint64_t>(v.size()));
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
}

struct Reader {
  std::istream& in;
  std::string file;
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("classifier model " + file + ": " + why);
  }
  template <class T>
  T get() {
    T v{};
    if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) fail("truncated");
    return v;
  }
  std::string get_string() {
    auto n = get<std::uint32_t>();
    if (n > (1u << 20)) fail("corrupt string length");
    std::string s(n, '\0');
    if (!in.read(s.data(), n)) fail("truncated");
    return s;
  }
  template <class T>
  std::vector<T> get_vector(std::uint64_t expected) {
    auto n = get<std::uint64_t>();
    if (n != expected) fail("corrupt table size");
    std::vector<T> v(n);
    if (!in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T))))
      fail("truncated");
    return v;
  }
};

}  // namespace

std::string_view to_code(Algorithm a) {
  switch (a) {
    case Algorithm::naive_bayes: return "naive_bayes";
    case Algorithm::logistic_regression: return "logistic_regression";
    case Algorithm::combined: return "combined";
  }
  return "?";
}

Classifier Classifier::train(const std::vector<LabelledRecord>& records, const Taxonomy& taxonomy,
                             const TrainOptions& options) {
  if (records.empty()) throw std::invalid_argument("classifier training needs at least one record");
  Classifier model;
  model.algorithm_ = options.algorithm;
  for (const auto& c : taxonomy.categories()) model.category_labels_.push_back(c.code);

  std::vector<Example> examples;
  examples.reserve(records.size());
  std::unordered_map<std::uint64_t, std::uint32_t> vocabulary;
  for (const auto& r : records) {
    auto it = std::find(model.category_labels_.begin(), model.category_labels_.end(), r.category);
    if (it == model.category_labels_.end())
      throw std::invalid_argument("training record has unknown category " + r.category);
    Example e;
    e.category = static_cast<std::size_t>(it - model.category_labels_.begin());
    e.type = type_index(r.request_type);
    for (auto key : model.segmenter_.feature_hashes(normalise(r.text))) {
      auto [pos, added] = vocabulary.try_emplace(key, static_cast<std::uint32_t>(model.vocabulary_keys_.size()));
      if (added) model.vocabulary_keys_.push_back(key);
      e.ids.push_back(pos->second);
    }
    e.distinct = e.ids;
    std::sort(e.distinct.begin(), e.distinct.end());
    e.distinct.erase(std::unique(e.distinct.begin(), e.distinct.end()), e.distinct.end());
    examples.push_back(std::move(e));
  }
  const std::size_t vocab = model.vocabulary_keys_.size();
  model.vocabulary_.build(model.vocabulary_keys_);
  auto fit = [&](Task& task, std::size_t classes, bool by_category) {
    task.classes = classes;
    if (options.algorithm != Algorithm::logistic_regression) {
      Head h;
      h.counts = true;
      h.weights = naive_bayes_weights(examples, vocab, classes, by_category, options.nb_alpha, h.bias);
      task.heads.push_back(std::move(h));
    }
    if (options.algorithm != Algorithm::naive_bayes) {
      Head h;
      h.weights = logistic_weights(examples, vocab, classes, by_category, options, h.bias);
      task.heads.push_back(std::move(h));
    }
  };
  fit(model.category_, model.category_labels_.size(), true);
  fit(model.type_, kRequestTypes.size(), false);
  model.pack();
  return model;
}

const Classifier& Classifier::builtin() {
  static const Classifier model = train(builtin_corpus(), Taxonomy::builtin());
  return model;
}

void Classifier::VocabularyIndex::build(const std::vector<std::uint64_t>& vocabulary) {
  std::size_t size = 16;
  while (size < vocabulary.size() * 2) size <<= 1;
  keys.assign(size, 0);
  values.assign(size, kEmpty);
  mask = size - 1;
  for (std::uint32_t i = 0; i < vocabulary.size(); ++i) {
    std::uint64_t slot = vocabulary[i] & mask;
    while (values[slot] != kEmpty) slot = (slot + 1) & mask;
    keys[slot] = vocabulary[i];
    values[slot] = i;
  }
}

std::uint32_t Classifier::VocabularyIndex::find(std::uint64_t key) const {
  if (values.empty()) return kEmpty;
  for (std::uint64_t slot = key & mask;; slot = (slot + 1) & mask) {
    if (values[slot] == kEmpty) return kEmpty;
    if (keys[slot] == key) return values[slot];
  }
}

Classifier::Features Classifier::features_of(std::string_view normalised) const {
  // Counting by vocabulary id with a per-thread stamp array instead of
  // sorting: each feature costs one lookup and one array probe.
  struct Scratch {
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> stamp, slot;  // by vocabulary id
    std::uint32_t generation = 0;
  };
  thread_local Scratch s;
  segmenter_.feature_hashes_into(normalised, s.hashes);
  const std::size_t vocab = vocabulary_keys_.size();
  if (s.stamp.size() < vocab) {
    s.stamp.assign(vocab, 0);
    s.slot.resize(vocab);
    s.generation = 0;
  }
  if (++s.generation == 0) {  // wrapped: forget every stamp
    std::fill(s.stamp.begin(), s.stamp.end(), 0);
    s.generation = 1;
  }
  Features f;
  f.ids.reserve(s.hashes.size());
  f.counts.reserve(s.hashes.size());
  for (auto key : s.hashes) {
    const std::uint32_t id = vocabulary_.find(key);
    if (id == VocabularyIndex::kEmpty) continue;
    if (s.stamp[id] == s.generation) {
      f.counts[s.slot[id]] += 1;
    } else {
      s.stamp[id] = s.generation;
      s.slot[id] = static_cast<std::uint32_t>(f.ids.size());
      f.ids.push_back(id);
      f.counts.push_back(1);
      // posterior() will read this feature's weights: rows are scattered over
      // a table larger than L2, so start fetching the row now.
      const char* row = reinterpret_cast<const char*>(&packed_[static_cast<std::size_t>(id) * packed_stride_]);
      for (std::size_t b = 0; b < packed_stride_ * sizeof(float); b += 64) __builtin_prefetch(row + b);
    }
  }
  return f;
}

void Classifier::pack() {
  const std::size_t vocab = vocabulary_keys_.size();
  category_.packed_offset = 0;
  type_.packed_offset = category_.heads.size() * category_.classes;
  packed_stride_ = type_.packed_offset + type_.heads.size() * type_.classes;
  packed_.assign(vocab * packed_stride_ + kLanes - 1, 0.0f);  // + what add_scaled() reads past the last row
  for (const Task* task : {&category_, &type_})
    for (std::size_t h = 0; h < task->heads.size(); ++h)
      for (std::size_t f = 0; f < vocab; ++f)
        std::copy_n(&task->heads[h].weights[f * task->classes], task->classes,
                    &packed_[f * packed_stride_ + task->packed_offset + h * task->classes]);
}

void Classifier::posterior(const Task& task, const Features& f, std::vector<double>& out) const {
  const std::size_t k = task.classes;
  const std::size_t nheads = task.heads.size();
  out.assign(k, 0.0);
  thread_local std::vector<double> scores;
  thread_local std::vector<float> acc;
  scores.resize(k);
  acc.assign(padded(k) * nheads, 0.0f);  // padded(k) per head
  const float x = f.ids.empty() ? 0.0f : static_cast<float>(1.0 / std::sqrt(static_cast<double>(f.ids.size())));
  std::array<bool, 2> counts{};  // at most two heads (load() checks it); read once, not per feature
  for (std::size_t h = 0; h < nheads; ++h) counts[h] = task.heads[h].counts;
  for (std::size_t i = 0; i < f.ids.size(); ++i) {
    const float* w = &packed_[static_cast<std::size_t>(f.ids[i]) * packed_stride_ + task.packed_offset];
    for (std::size_t h = 0; h < nheads; ++h)
      add_scaled(&acc[h * padded(k)], w + h * k, counts[h] ? f.counts[i] : x, k);
  }
  for (std::size_t h = 0; h < nheads; ++h) {
    const auto& head = task.heads[h];
    for (std::size_t c = 0; c < k; ++c) scores[c] = static_cast<double>(head.bias[c]) + acc[h * padded(k) + c];
    softmax(scores);
    for (std::size_t c = 0; c < k; ++c) out[c] += scores[c] / static_cast<double>(nheads);
  }
}

Suggestion Classifier::decide(std::string_view normalised, bool need_category, bool need_type) const {
  Suggestion s;
  KeywordRules::Decision forced = rules_.apply(normalised);
  s.rules_fired = std::move(forced.fired);
  const bool model_category = need_category && !forced.category;
  const bool model_type = need_type && !forced.request_type;
  if (model_category || model_type) {
    auto ids = features_of(normalised);
    std::vector<double> p;
    if (model_category) {
      posterior(category_, ids, p);
      auto best = std::max_element(p.begin(), p.end()) - p.begin();
      s.category = category_labels_[static_cast<std::size_t>(best)];
      s.category_confidence = p[static_cast<std::size_t>(best)];
    }
    if (model_type) {
      posterior(type_, ids, p);
      auto best = std::max_element(p.begin(), p.end()) - p.begin();
      s.request_type = kRequestTypes[static_cast<std::size_t>(best)];
      s.type_confidence = p[static_cast<std::size_t>(best)];
    }
  }
  if (forced.category) {
    s.category = *forced.category;
    s.category_confidence = 1.0;
  }
  if (forced.request_type) {
    s.request_type = *forced.request_type;
    s.type_confidence = 1.0;
  }
  s.needs_review = (need_category && s.category_confidence < review_threshold_) ||
                   (need_type && s.type_confidence < review_threshold_);
  return s;
}

Suggestion Classifier::classify_text(std::string_view raw_text) const {
  return decide(normalise(raw_text), true, true);
}

Suggestion Classifier::classify(const IntakeRecord& record) const {
  const bool need_model = !record.category || !record.request_type;
  return classify(record, need_model ? normalise(classification_text(record)) : std::string());
}

Suggestion Classifier::classify(const IntakeRecord& record, std::string_view normalised_text) const {
  const bool need_category = !record.category.has_value();
  const bool need_type = !record.request_type.has_value();
  Suggestion s;
  if (need_category || need_type) s = decide(normalised_text, need_category, need_type);
  if (!need_category) {
    s.category = *record.category;
    s.category_confidence = 1.0;
  }
  if (!need_type) {
    s.request_type = *record.request_type;
    s.type_confidence = 1.0;
  }
  return s;
}

void Classifier::configure(const toml::table& config, const Taxonomy& taxonomy) {
  KeywordRules rules = KeywordRules::from_toml(config, taxonomy);
  double threshold = kDefaultReviewThreshold;
  if (const toml::node* n = config.at_path("classify.review_threshold").node()) {
    auto v = n->value<double>();
    if (!v || *v < 0 || *v > 1)
      throw std::invalid_argument("classify.review_threshold must be a number between 0 and 1");
    threshold = *v;
  }
  rules_ = std::move(rules);
  review_threshold_ = threshold;
}

void Classifier::save(const std::filesystem::path& model_file) const {
  auto tmp = model_file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("classifier model " + model_file.string() + ": cannot write");
    out.write(kMagic, sizeof kMagic);
    put(out, kFormatVersion);
    put(out, static_cast<std::uint32_t>(algorithm_));
    put(out, static_cast<std::uint32_t>(category_labels_.size()));
    for (const auto& l : category_labels_) put_string(out, l);
    put_vector(out, vocabulary_keys_);
    for (const Task* task : {&category_, &type_}) {
      put(out, static_cast<std::uint32_t>(task->classes));
      put(out, static_cast<std::uint32_t>(task->heads.size()));
      for (const auto& h : task->heads) {
        put(out, static_cast<std::uint8_t>(h.counts));
        put_vector(out, h.bias);
        put_vector(out, h.weights);
      }
    }
    out.flush();
    if (!out) throw std::runtime_error("classifier model " + model_file.string() + ": write failed");
  }
  std::filesystem::rename(tmp, model_file);
}

Classifier Classifier::load(const std::filesystem::path& model_file) {
  std::ifstream in(model_file, std::ios::binary);
  Reader r{in, model_file.string()};
  if (!in) r.fail("cannot open");
  char magic[sizeof kMagic];
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    r.fail("not a Suqiu classifier model");
  if (auto v = r.get<std::uint32_t>(); v != kFormatVersion)
    r.fail("format version " + std::to_string(v) + ", this build reads " + std::to_string(kFormatVersion));
  Classifier m;
  auto algorithm = r.get<std::uint32_t>();
  if (algorithm > static_cast<std::uint32_t>(Algorithm::combined)) r.fail("unknown algorithm");
  m.algorithm_ = static_cast<Algorithm>(algorithm);
  auto ncat = r.get<std::uint32_t>();
  if (ncat == 0 || ncat > 10000) r.fail("corrupt category count");
  for (std::uint32_t i = 0; i < ncat; ++i) m.category_labels_.push_back(r.get_string());
  auto nvocab = r.get<std::uint64_t>();
  if (nvocab > (1ull << 28)) r.fail("corrupt vocabulary size");
  in.seekg(-static_cast<std::streamoff>(sizeof nvocab), std::ios::cur);
  m.vocabulary_keys_ = r.get_vector<std::uint64_t>(nvocab);
  m.vocabulary_.build(m.vocabulary_keys_);
  for (Task* task : {&m.category_, &m.type_}) {
    task->classes = r.get<std::uint32_t>();
    const std::size_t expected = task == &m.category_ ? ncat : kRequestTypes.size();
    if (task->classes != expected) r.fail("class count does not match its labels");
    auto nheads = r.get<std::uint32_t>();
    if (nheads < 1 || nheads > 2) r.fail("corrupt head count");
    for (std::uint32_t i = 0; i < nheads; ++i) {
      Head h;
      h.counts = r.get<std::uint8_t>() != 0;
      h.bias = r.get_vector<float>(task->classes);
      h.weights = r.get_vector<float>(nvocab * task->classes);
      task->heads.push_back(std::move(h));
    }
  }
  if (in.peek() != std::char_traits<char>::eof()) r.fail("trailing bytes");
  m.pack();
  return m;
}

}  // namespace suqiu::classify
