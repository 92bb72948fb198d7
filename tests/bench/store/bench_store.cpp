// bench_store [--cases N] [--dir DIR]: fills a store with N cases (default one
// million) made from the bundled sample texts, then times what a leader and a
// liaison do all day: the statistics, the first page of the case list (all,
// and filtered by section and status), and full-text searches. Each timing is
// the median of 21 runs. The last line is JSON.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "pipeline/full_text_indexer.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace suqiu;
using Clock = std::chrono::steady_clock;

namespace {

double median_ms(const std::function<void()>& f, int runs = 21) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto a = Clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

struct Sample {
  std::string subject, content, category, type;
};

std::vector<Sample> load_samples() {
  std::vector<Sample> out;
  std::ifstream in(std::string(SUQIU_DATA_DIR) + "/samples/intakes.jsonl");
  std::ifstream labels(std::string(SUQIU_DATA_DIR) + "/samples/labels.jsonl");
  for (std::string line, label; std::getline(in, line) && std::getline(labels, label);) {
    auto j = nlohmann::json::parse(line);
    auto l = nlohmann::json::parse(label);
    out.push_back({j.value("subject", ""), j["content"], l["category"], l["request_type"]});
  }
  return out;
}

const char* kSections[] = {"urban", "transport", "enforcement", "highway", "port", "supervision", "office"};

}  // namespace

int main(int argc, char** argv) {
  std::int64_t total = 1'000'000;
  fs::path dir = fs::temp_directory_path() / "suqiu-bench-store";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--cases") total = std::stoll(argv[i + 1]);
    else if (a == "--dir") dir = argv[i + 1];
  }
  auto samples = load_samples();
  if (samples.empty()) {
    std::cerr << "no samples under " << SUQIU_DATA_DIR << "\n";
    return 2;
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  store::Store s(store::Store::database_file(dir), store::Store::Access::writer);

  std::mt19937_64 rng(42);
  const std::int64_t start = Timestamp::parse("2024-01-01T08:00:00+08:00")->epoch;
  const std::int64_t span = 3LL * 365 * 86400;  // three years of work orders
  auto fill_start = Clock::now();
  const int batch_size = 10000;
  std::int64_t made = 0;
  std::vector<store::NewCase> batch;
  suqiu::FullTextIndexer indexer(s);
  while (made < total) {
    batch.clear();
    for (int i = 0; i < batch_size && made < total; ++i, ++made) {
      const Sample& sm = samples[rng() % samples.size()];
      store::NewCase c;
      c.record.source = made % 5 < 2 ? "12345" : (made % 5 < 4 ? "12328" : "reportbox");
      c.record.external_id = "B-" + std::to_string(made);
      c.record.received_at = {start + static_cast<std::int64_t>(made * span / total), 480};
      // Vary the text so that the index is not one document repeated.
      c.record.content = sm.content + " 编号" + std::to_string(rng() % 100000);
      c.record.subject = sm.subject;
      c.record.caller.phone = "13" + std::to_string(100000000 + rng() % 900000000);
      c.request_type = parse_request_type(sm.type).value_or(RequestType::complaint);
      c.category = sm.category;
      c.section = kSections[rng() % 7];
      c.deadline = {c.record.received_at.epoch + 7 * 86400, 480};
      c.simhash = rng();
      c.record_json = "{}";
      c.taken_by = "bench";
      batch.push_back(std::move(c));
    }
    s.insert_cases(batch, {});
    indexer.catch_up(batch.size());
    if (made % 100000 == 0) std::cerr << "filled " << made << "\n";
  }
  double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();

  // Readers get their own connection, as in the hub.
  store::Store r(store::Store::database_file(dir), store::Store::Access::reader);
  store::Statistics st;
  double stats_ms = median_ms([&] { st = r.statistics(); });
  double stats_year_ms = median_ms([&] {
    r.statistics(std::chrono::year{2025} / 1 / 1, std::chrono::year{2026} / 1 / 1);
  });
  store::CaseFilter first_page;
  double list_ms = median_ms([&] { r.list_cases(first_page); });
  store::CaseFilter by_section;
  by_section.section = "port";
  by_section.status = "received";
  double list_filtered_ms = median_ms([&] { r.list_cases(by_section); });
  // Source and request type have no index of their own (few values): the
  // list walks received_ts newest first until the page is full. The rarest
  // request type is the worst case.
  store::CaseFilter by_source;
  by_source.source = "reportbox";
  double list_source_ms = median_ms([&] { r.list_cases(by_source); });
  store::CaseFilter by_rare_type;
  by_rare_type.request_type = "praise";
  std::size_t rare_hits = 0;
  double list_rare_type_ms = median_ms([&] { rare_hits = r.list_cases(by_rare_type).size(); });
  store::CaseFilter search;
  search.text = "拒载";
  std::size_t hits = 0;
  double fts_ms = median_ms([&] { hits = r.list_cases(search).size(); }, 5);
  store::CaseFilter search_rare;
  search_rare.text = "渡口 停航";
  double fts_rare_ms = median_ms([&] { r.list_cases(search_rare); }, 5);

  std::cout << "cases                 " << st.total << "\n"
            << "fill                  " << fill_s << " s (" << total / fill_s << " cases/s)\n"
            << "stats (all)           " << stats_ms << " ms\n"
            << "stats (one year)      " << stats_year_ms << " ms\n"
            << "case list, first page " << list_ms << " ms\n"
            << "case list, filtered   " << list_filtered_ms << " ms\n"
            << "case list, by source  " << list_source_ms << " ms\n"
            << "case list, praise     " << list_rare_type_ms << " ms (" << rare_hits << " on the page)\n"
            << "search 拒载 (page)    " << fts_ms << " ms (" << hits << " on the page)\n"
            << "search 渡口 停航      " << fts_rare_ms << " ms\n";
  std::cout << nlohmann::json{{"cases", st.total},
                              {"fill_s", fill_s},
                              {"stats_ms", stats_ms},
                              {"stats_year_ms", stats_year_ms},
                              {"list_first_page_ms", list_ms},
                              {"list_filtered_ms", list_filtered_ms},
                              {"list_source_ms", list_source_ms},
                              {"list_rare_type_ms", list_rare_type_ms},
                              {"fts_ms", fts_ms},
                              {"fts_two_words_ms", fts_rare_ms}}
                   .dump()
            << "\n";
  fs::remove_all(dir);
  return 0;
}
