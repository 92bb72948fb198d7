// bench_classify [--data DIR] [--cases N] [--quick] [--throughput-only SECONDS]
//                [--text-max-hamming BITS]
// Prints the classifier's held-out figures, throughput, model size and the
// duplicate lookup cost at N (default 1,000,000) stored cases; the last line
// is a JSON object with every figure.

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "classify/classifier.h"
#include "classify/corpus.h"
#include "classify/duplicate_judge.h"
#include "classify/fingerprint.h"
#include "classify/normalizer.h"
#include "classify/recent_cases.h"

namespace cls = suqiu::classify;
using Clock = std::chrono::steady_clock;

namespace {

// CPU time of this thread: on a shared machine the wall clock also counts
// the time other processes held the core.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Scores {
  double accuracy = 0, macro_f1 = 0;
};

// Accuracy and macro-F1 over the labels that occur in truth or prediction.
Scores score(const std::vector<std::string>& truth, const std::vector<std::string>& predicted) {
  std::map<std::string, std::array<int, 3>> tally;  // tp, fp, fn
  int correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] == predicted[i]) {
      ++correct;
      ++tally[truth[i]][0];
    } else {
      ++tally[predicted[i]][1];
      ++tally[truth[i]][2];
    }
  }
  double f1_sum = 0;
  for (const auto& [label, t] : tally) {
    double p = t[0] + t[1] ? double(t[0]) / (t[0] + t[1]) : 0;
    double r = t[0] + t[2] ? double(t[0]) / (t[0] + t[2]) : 0;
    f1_sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  return {double(correct) / truth.size(), f1_sum / tally.size()};
}

struct Evaluation {
  Scores category, type;
  std::vector<std::pair<std::string, int>> confusions;  // "truth -> predicted", count
  double train_seconds = 0;
  double review_share = 0;
};

Evaluation evaluate(const cls::Classifier& model, const std::vector<cls::LabelledRecord>& heldout) {
  std::vector<std::string> tc, pc, tt, pt;
  std::map<std::string, int> confusions;
  int review = 0;
  for (const auto& r : heldout) {
    auto s = model.classify_text(r.text);
    tc.push_back(r.category);
    pc.push_back(s.category);
    tt.emplace_back(suqiu::to_code(r.request_type));
    pt.emplace_back(suqiu::to_code(s.request_type));
    review += s.needs_review;
    if (s.category != r.category) ++confusions["category " + r.category + " -> " + s.category];
    if (s.request_type != r.request_type)
      ++confusions["type " + tt.back() + " -> " + pt.back()];
  }
  Evaluation e;
  e.category = score(tc, pc);
  e.type = score(tt, pt);
  e.confusions.assign(confusions.begin(), confusions.end());
  std::stable_sort(e.confusions.begin(), e.confusions.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (e.confusions.size() > 10) e.confusions.resize(10);
  e.review_share = double(review) / heldout.size();
  return e;
}

struct DuplicateFigures {
  std::size_t cases = 0;
  double fill_seconds = 0;
  std::size_t indexed = 0;  // of them, held by the index at the end (the window)
  double mean_ms = 0, p99_ms = 0, mean_candidates = 0;
  double planted_found = 0, false_alarm = 0;
  std::array<double, 4> found_by_edit{};  // share found, by kind of edit (kEdits)
};

// How a planted repeat differs from its stored case: another operator retyping
// the same matter, six characters' worth.
constexpr std::array<const char*, 4> kEdits = {"phrase appended", "phrase inserted",
                                               "6 characters changed", "6 characters dropped"};

std::string retype(const std::string& text, std::size_t kind, std::mt19937_64& rng) {
  static const char* phrases[] = {"已经反映过了", "来电人很着急", "请尽快处理好",
                                  "要求回复结果", "情况属实无误", "群众意见很大"};
  auto code_points = [](std::string_view t) {
    std::vector<std::string> cps;
    for (std::size_t pos = 0; pos < t.size();) {
      std::size_t at = pos;
      unsigned char b = static_cast<unsigned char>(t[pos]);
      pos += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      cps.emplace_back(t.substr(at, pos - at));
    }
    return cps;
  };
  auto cps = code_points(text);
  auto phrase = code_points(phrases[rng() % 6]);
  // Somewhere in the middle, away from both ends.
  std::size_t at = cps.size() > 20 ? 6 + rng() % (cps.size() - 12) : cps.size() / 2;
  switch (kind) {
    case 0: cps.insert(cps.end(), phrase.begin(), phrase.end()); break;
    case 1: cps.insert(cps.begin() + static_cast<std::ptrdiff_t>(at), phrase.begin(), phrase.end()); break;
    case 2:
      for (std::size_t i = 0; i < phrase.size() && at + i < cps.size(); ++i) cps[at + i] = phrase[i];
      break;
    default:
      cps.erase(cps.begin() + static_cast<std::ptrdiff_t>(at),
                cps.begin() + static_cast<std::ptrdiff_t>(std::min(cps.size(), at + 6)));
  }
  std::string out;
  for (const auto& c : cps) out += c;
  return out;
}

// Synthetic stored cases: each text joins three sentences taken from three
// corpus records (new intakes too, so a new text may share a sentence with a
// stored one: the hard side of a false alarm), so the SimHash bits carry the real bias of this domain's
// texts rather than uniform noise.
DuplicateFigures duplicate_lookup(const std::vector<cls::LabelledRecord>& corpus, std::size_t n_cases,
                                  const cls::DuplicateOptions& options) {
  std::vector<std::string> sentences;
  for (const auto& r : corpus) {
    std::string t = cls::normalise(r.text);
    std::size_t pos = 0;
    while (pos < t.size()) {
      std::size_t end = t.find_first_of(".!?\n", pos);
      if (end == std::string::npos) end = t.size();
      if (end - pos > 12) sentences.push_back(t.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, sentences.size() - 1);
  const std::int64_t now = 1'795'000'000;  // late 2026
  const std::int64_t year = 365 * 86400;
  auto text_of = [&](const std::array<std::uint32_t, 3>& parts) {
    return sentences[parts[0]] + "." + sentences[parts[1]] + "." + sentences[parts[2]];
  };
  auto phone_of = [](std::uint64_t caller) { return "13" + std::to_string(100000000 + caller % 300000 * 2711); };

  // The hub's own index (RecentCases), filled in order of receipt as the
  // writer fills it: at the end it holds the window behind the newest case.
  auto t0 = Clock::now();
  std::vector<std::array<std::uint32_t, 3>> parts(n_cases);
  std::vector<std::int64_t> received(n_cases);
  std::size_t indexed = 0;
  cls::RecentCases recent(options.window_seconds);
  {
    std::uniform_int_distribution<std::int64_t> when(now - year, now);
    for (auto& r : received) r = when(rng);
    std::sort(received.begin(), received.end());
    for (std::size_t i = 0; i < n_cases; ++i) {
      parts[i] = {std::uint32_t(pick(rng)), std::uint32_t(pick(rng)), std::uint32_t(pick(rng))};
      cls::Fingerprint f;
      f.simhash = cls::simhash(text_of(parts[i]));
      f.phone = phone_of(rng());
      f.received_epoch = received[i];
      recent.add(std::int64_t(i + 1), f);
    }
    indexed = recent.size();
  }
  DuplicateFigures f;
  f.cases = n_cases;
  f.indexed = indexed;
  f.fill_seconds = seconds_since(t0);

  cls::DuplicateJudge judge(options);
  const int intakes = 20000;
  std::vector<double> ms;
  std::size_t candidates_total = 0;
  int planted = 0, found = 0, fresh = 0, alarms = 0;
  std::array<int, 4> planted_by{}, found_by{};
  std::uniform_int_distribution<std::size_t> any_case(0, n_cases - 1);
  for (int k = 0; k < intakes; ++k) {
    // Half the intakes repeat a recent stored case with a small edit (each
    // kind of edit in turn), half are new.
    std::string text;
    std::size_t target = 0;
    bool is_repeat = k % 2 == 0;
    const std::size_t edit = static_cast<std::size_t>(k / 2) % kEdits.size();
    if (is_repeat) {
      do target = any_case(rng); while (received[target] < now - 25 * 86400);
      text = retype(text_of(parts[target]), edit, rng);
      ++planted;
      ++planted_by[edit];
    } else {
      text = text_of({std::uint32_t(pick(rng)), std::uint32_t(pick(rng)), std::uint32_t(pick(rng))});
      ++fresh;
    }
    cls::Fingerprint in;
    in.simhash = cls::simhash(text);
    in.phone = phone_of(rng());
    in.received_epoch = now;
    auto t = Clock::now();
    auto cands = recent.candidates(in, judge.options().text_max_hamming);
    auto match = judge.best_match(in, cands);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    candidates_total += cands.size();
    if (is_repeat && match && match->case_id == std::int64_t(target + 1)) {
      ++found;
      ++found_by[edit];
    }
    if (!is_repeat && match) ++alarms;
  }
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double v : ms) sum += v;
  f.mean_ms = sum / ms.size();
  f.p99_ms = ms[ms.size() * 99 / 100];
  f.mean_candidates = double(candidates_total) / intakes;
  f.planted_found = double(found) / planted;
  for (std::size_t e = 0; e < kEdits.size(); ++e) f.found_by_edit[e] = double(found_by[e]) / planted_by[e];
  f.false_alarm = double(alarms) / fresh;
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path data = SUQIU_DATA_DIR;
  std::size_t n_cases = 1'000'000;
  bool quick = false;
  double throughput_only = 0;  // seconds of the throughput loop alone, for profilers
  cls::DuplicateOptions dup_options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) data = argv[++i];
    else if (a == "--cases" && i + 1 < argc) n_cases = std::stoul(argv[++i]);
    else if (a == "--quick") quick = true;
    else if (a == "--throughput-only" && i + 1 < argc) throughput_only = std::stod(argv[++i]);
    else if (a == "--text-max-hamming" && i + 1 < argc) dup_options.text_max_hamming = std::stoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_classify [--data DIR] [--cases N] [--quick] [--throughput-only SECONDS]\n                      [--text-max-hamming BITS]\n");
      return 2;
    }
  }
  auto train = cls::load_corpus(data / "corpus" / "train.jsonl");
  auto heldout = cls::load_corpus(data / "corpus" / "heldout.jsonl");
  if (throughput_only > 0) {
    const auto& model = cls::Classifier::builtin();
    std::size_t done = 0;
    auto t = Clock::now();
    const double cpu_start = thread_cpu_seconds();
    while (seconds_since(t) < throughput_only)
      for (const auto& r : heldout) done += model.classify_text(r.text).category.empty() ? 0 : 1;
    std::printf("throughput: %.0f records per CPU second\n", done / (thread_cpu_seconds() - cpu_start));
    return 0;
  }
  std::printf("corpus: %zu training, %zu held-out records\n\n", train.size(), heldout.size());

  nlohmann::json out;
  out["train_records"] = train.size();
  out["heldout_records"] = heldout.size();
  std::printf("%-20s %8s %8s %8s %8s %8s %8s\n", "algorithm", "cat acc", "cat F1", "type acc",
              "type F1", "review", "train s");
  const cls::Algorithm chosen = cls::TrainOptions{}.algorithm;
  Evaluation chosen_eval;
  for (auto alg : {cls::Algorithm::naive_bayes, cls::Algorithm::logistic_regression, cls::Algorithm::combined}) {
    cls::TrainOptions o;
    o.algorithm = alg;
    auto t = Clock::now();
    auto model = cls::Classifier::train(train, suqiu::Taxonomy::builtin(), o);
    double train_s = seconds_since(t);
    auto e = evaluate(model, heldout);
    e.train_seconds = train_s;
    std::printf("%-20s %8.4f %8.4f %8.4f %8.4f %8.3f %8.3f\n", std::string(cls::to_code(alg)).c_str(),
                e.category.accuracy, e.category.macro_f1, e.type.accuracy, e.type.macro_f1,
                e.review_share, train_s);
    out["algorithms"][std::string(cls::to_code(alg))] = {
        {"category_accuracy", e.category.accuracy}, {"category_macro_f1", e.category.macro_f1},
        {"type_accuracy", e.type.accuracy}, {"type_macro_f1", e.type.macro_f1},
        {"needs_review_share", e.review_share}, {"train_seconds", train_s}};
    if (alg == chosen) chosen_eval = e;
  }
  std::printf("\nchosen: %s\nten most common confusions (held-out, truth -> predicted):\n",
              std::string(cls::to_code(chosen)).c_str());
  for (const auto& [what, n] : chosen_eval.confusions) std::printf("  %3d  %s\n", n, what.c_str());

  // Throughput: raw text in, suggestion out, one thread.
  const auto& model = cls::Classifier::builtin();
  std::size_t done = 0;
  auto t = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  double elapsed = 0;
  while ((elapsed = seconds_since(t)) < (quick ? 0.5 : 2.0))
    for (const auto& r : heldout) {
      auto s = model.classify_text(r.text);
      done += s.category.size();
      done -= s.category.size() - 1;
    }
  double per_second = done / elapsed;
  double per_cpu_second = done / (thread_cpu_seconds() - cpu_start);
  auto model_file = std::filesystem::temp_directory_path() / "bench_classify.model";
  model.save(model_file);
  auto model_bytes = std::filesystem::file_size(model_file);
  std::filesystem::remove(model_file);
  auto t_builtin = Clock::now();
  auto retrained = cls::Classifier::train(cls::builtin_corpus(), suqiu::Taxonomy::builtin());
  double builtin_train_s = seconds_since(t_builtin);
  std::printf("\nthroughput: %.0f records/s wall clock, %.0f per CPU second, one thread\n"
              "  (raw text in: normalise + segment + classify both decisions)\n",
              per_second, per_cpu_second);
  std::printf("model: %s, %zu features, %.2f MB on disk; training on the bundled corpus %.3f s\n",
              std::string(cls::to_code(model.algorithm())).c_str(), retrained.vocabulary_size(),
              model_bytes / 1e6, builtin_train_s);

  auto dup = duplicate_lookup(train, quick ? std::min<std::size_t>(n_cases, 100000) : n_cases, dup_options);
  std::printf("\nduplicate lookup at %zu stored cases received over a year (the hub's in-memory\n"
              "  index RecentCases, filled in %.1f s, holds the %zu of the last 30 days):\n"
              "  %.4f ms mean, %.4f ms p99 per intake (lookup + judge), %.1f candidates;\n"
              "  planted near-duplicates found %.3f, false alarms on new texts %.4f\n",
              dup.cases, dup.fill_seconds, dup.indexed, dup.mean_ms, dup.p99_ms, dup.mean_candidates,
              dup.planted_found, dup.false_alarm);
  std::printf("  found by kind of edit (another caller, the same matter retyped):");
  for (std::size_t e = 0; e < kEdits.size(); ++e) std::printf(" %s %.3f;", kEdits[e], dup.found_by_edit[e]);
  std::printf("\n  text_max_hamming %d\n", dup_options.text_max_hamming);

  out["algorithm"] = cls::to_code(chosen);
  out["category_accuracy"] = chosen_eval.category.accuracy;
  out["category_macro_f1"] = chosen_eval.category.macro_f1;
  out["type_accuracy"] = chosen_eval.type.accuracy;
  out["type_macro_f1"] = chosen_eval.type.macro_f1;
  nlohmann::json conf = nlohmann::json::array();
  for (const auto& [what, n] : chosen_eval.confusions) conf.push_back({{"confusion", what}, {"count", n}});
  out["confusions"] = conf;
  out["records_per_second"] = per_second;
  out["records_per_cpu_second"] = per_cpu_second;
  out["model_bytes"] = model_bytes;
  out["train_seconds_builtin"] = builtin_train_s;
  out["duplicate_cases"] = dup.cases;
  out["duplicate_cases_indexed"] = dup.indexed;
  out["duplicate_lookup_ms_mean"] = dup.mean_ms;
  out["duplicate_lookup_ms_p99"] = dup.p99_ms;
  out["duplicate_candidates_mean"] = dup.mean_candidates;
  out["duplicate_planted_found"] = dup.planted_found;
  out["duplicate_false_alarm"] = dup.false_alarm;
  for (std::size_t e = 0; e < kEdits.size(); ++e) out["duplicate_found_by_edit"][kEdits[e]] = dup.found_by_edit[e];
  out["duplicate_text_max_hamming"] = dup_options.text_max_hamming;
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
