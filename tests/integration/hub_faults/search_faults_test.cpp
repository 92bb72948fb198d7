// Full-text indexing under faults of the search index file (suqiu-search.db):
// intakes are still ACKed (indexing is off their path), searches are
// answered, and once the fault clears every case becomes searchable, once.
#include "fault_hub.h"

namespace suqiu::faults {
namespace {

struct SearchFault {
  const char* name;
  vfs::Op op;
  std::string_view file;
  int error;
  int lock_arg = -1;
};

std::ostream& operator<<(std::ostream& os, const SearchFault& f) { return os << f.name; }

class SearchFaults : public FaultHubTest, public ::testing::WithParamInterface<SearchFault> {};

// case.search for `word`: the external ids found (every page's worth).
std::optional<std::vector<std::string>> search(protocol::ApiClient& api, const std::string& word,
                                               std::string* code = nullptr) {
  auto r = api.request("case.search", {{"q", word}, {"limit", 100}});
  if (code) *code = r.code;
  if (!r.ok) return std::nullopt;
  std::vector<std::string> ids;
  for (const auto& c : r.data["items"]) ids.push_back(c.value("external_id", ""));
  return ids;
}

bool wait_searchable(protocol::ApiClient& api, const std::string& word, std::size_t n, std::chrono::seconds limit) {
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    auto found = search(api, word);
    if (found && found->size() >= n) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST_P(SearchFaults, IndexingFailsQuietlyAndCatchesUp) {
  start_hub();
  auto wang = api("wang");
  auto p = plugin();
  ASSERT_TRUE(wait_searchable(*wang, "拒载", 1, 10s)) << "the seeded case never became searchable";

  const int fault = vfs::arm({GetParam().op, std::string(GetParam().file), GetParam().error, 0, -1, "", GetParam().lock_arg});
  std::set<std::string> cids, sent;
  for (int i = 0; i < 10; ++i) {
    p->send_intake("s" + std::to_string(i), intake_record("W-" + std::to_string(i), "绕路"));
    cids.insert("s" + std::to_string(i));
    sent.insert("W-" + std::to_string(i));
  }
  auto replies = p->wait(cids, 10s);
  ASSERT_EQ(replies.size(), cids.size());
  for (const auto& [cid, r] : replies) EXPECT_TRUE(r.ack) << cid << " NACKed " << r.code << " for a search index fault";
  const auto until = Clock::now() + 3s;
  while (vfs::injected_by(fault) == 0 && Clock::now() < until) std::this_thread::sleep_for(20ms);
  EXPECT_GT(vfs::injected_by(fault), 0u) << "the indexer never met the fault";
  std::string code;
  auto during = search(*wang, "绕路", &code);
  EXPECT_TRUE(during.has_value()) << "case.search during an indexing fault answered " << code;
  EXPECT_TRUE(wang->request("whoami").ok);

  vfs::clear_all();
  EXPECT_TRUE(wait_searchable(*wang, "绕路", sent.size(), 15s)) << "the cases were never indexed after the fault";
  auto found = search(*wang, "绕路");
  ASSERT_TRUE(found);
  std::set<std::string> unique(found->begin(), found->end());
  EXPECT_EQ(unique, sent);
  EXPECT_EQ(found->size(), sent.size()) << "a case indexed twice";
  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "W-", sent), "");
  expect_audit_intact();
}

INSTANTIATE_TEST_SUITE_P(
    Index, SearchFaults,
    ::testing::Values(SearchFault{"index_wal_write_ioerr", vfs::Op::write, vfs::file::search_wal, SQLITE_IOERR_WRITE},
                      SearchFault{"index_disk_full", vfs::Op::write, vfs::file::search_wal, SQLITE_FULL},
                      SearchFault{"index_busy", vfs::Op::shm_lock, "/suqiu-search.db-shm", SQLITE_BUSY, 0}),
    [](const auto& info) { return std::string(info.param.name); });

// The api's read of the index fails: case.search is answered with a
// transient code and works again after.
TEST_F(FaultHubTest, SearchReadErrorIsAnswered) {
  start_hub();
  auto wang = api("wang", 3s);
  auto p = plugin();
  ASSERT_TRUE(wait_searchable(*wang, "拒载", 1, 10s));
  // Something new in the index, so the api's search connection reads it again.
  ASSERT_TRUE(p->submit("r1", intake_record("V-1", "拒载")).value_or(IntakeReply{}).ack);
  ASSERT_TRUE(wait_searchable(*wang, "拒载", 2, 10s));
  ASSERT_TRUE(p->submit("r2", intake_record("V-2", "拒载")).value_or(IntakeReply{}).ack);
  std::this_thread::sleep_for(500ms);  // indexed meanwhile
  const int a = vfs::arm({vfs::Op::read, std::string(vfs::file::search_db), SQLITE_IOERR_READ, 0, -1, "hub-api"});
  const int b = vfs::arm({vfs::Op::read, std::string(vfs::file::search_wal), SQLITE_IOERR_READ, 0, -1, "hub-api"});
  std::string code;
  auto during = search(*wang, "拒载", &code);
  EXPECT_GT(vfs::injected_by(a) + vfs::injected_by(b), 0u) << "the search never read the index file";
  EXPECT_FALSE(during.has_value());
  EXPECT_NE(code, "E_TIMEOUT") << "no answer: the api front stopped serving";
  EXPECT_TRUE(transient_reply(code)) << "a failed index read answered " << code;
  vfs::clear_all();
  auto after = search(*wang, "拒载", &code);
  ASSERT_TRUE(after.has_value()) << "case.search after the fault: " << code;
  EXPECT_EQ(after->size(), 3u);
  stop_hub();
  expect_audit_intact();
}

}  // namespace
}  // namespace suqiu::faults
