#include "server/api_front.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "hub_fixture.h"
#include "protocol/api_client.h"
#include "protocol/codec.h"
#include "protocol/sockets.h"

using namespace suqiu;
using namespace suqiu::server;
using namespace suqiu::server::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using protocol::ApiClient;
using protocol::Reply;

namespace {

class ApiFrontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ids_ = seed(dir_.path(), default_users(), default_records());
    hub_ = std::make_unique<RunningHub>(dir_.path());
  }
  void TearDown() override { hub_.reset(); }

  std::string endpoint() const { return hub_->api->endpoint(); }

  // A client logged in as `user` (password "<user>-password").
  std::unique_ptr<ApiClient> as(const std::string& user) {
    auto c = std::make_unique<ApiClient>(hub_->context, endpoint());
    Reply r = c->login(user, user + "-password");
    EXPECT_TRUE(r.ok) << user << ": " << r.code << " " << r.message;
    return c;
  }

  // The audit entries with this action, read through a connection of our own.
  std::vector<std::pair<std::string, json>> audit_entries(const std::string& action) {
    store::Store s(store::Store::database_file(dir_.path()), store::Store::Access::reader);
    auto st = s.connection().prepare("SELECT actor, detail FROM audit WHERE action = ? ORDER BY id");
    st.bind(1, action);
    std::vector<std::pair<std::string, json>> out;
    while (st.step()) out.push_back({st.text(0), json::parse(st.text(1))});
    return out;
  }

  std::int64_t id(const std::string& external_id) { return ids_.at(external_id); }

  TempDir dir_;
  std::map<std::string, std::int64_t> ids_;
  std::unique_ptr<RunningHub> hub_;
};

std::set<std::string> sections_of(const json& items) {
  std::set<std::string> out;
  for (const auto& c : items) out.insert(c["section"].get<std::string>());
  return out;
}

const json* find_case(const json& items, std::int64_t id) {
  for (const auto& c : items)
    if (c["id"] == id) return &c;
  return nullptr;
}

}  // namespace

// ---- login and sessions --------------------------------------------------------

TEST_F(ApiFrontTest, LoginGivesATokenAndWhoamiTheViewer) {
  ApiClient c(hub_->context, endpoint());
  Reply r = c.login("zhao", "zhao-password");
  ASSERT_TRUE(r.ok) << r.code << " " << r.message;
  EXPECT_EQ(r.data["user"], "zhao");
  EXPECT_EQ(r.data["role"], "liaison");
  EXPECT_EQ(r.data["section"], "urban");
  EXPECT_EQ(r.data["token"].get<std::string>().size(), 64u);
  EXPECT_TRUE(Timestamp::parse(r.data["expires_at"].get<std::string>())) << r.data["expires_at"];
  Reply w = c.request("whoami");
  ASSERT_TRUE(w.ok);
  EXPECT_EQ(w.data, (json{{"user", "zhao"}, {"role", "liaison"}, {"section", "urban"}}));
  EXPECT_EQ(hub_->api->sessions().size(), 1u);
  EXPECT_EQ(audit_entries("login").size(), 1u);
}

TEST_F(ApiFrontTest, WrongPasswordUnknownUserAndDisabledUserGetTheSameDelayedAnswer) {
  ApiClient c(hub_->context, endpoint());
  std::vector<Reply> replies;
  for (auto [user, password] : {std::pair{"wang", "not-his-password"},
                                std::pair{"nobody", "whatever-password"},
                                std::pair{"gone", "gone-password"}}) {  // right password, disabled
    const auto t0 = std::chrono::steady_clock::now();
    Reply r = c.login(user, password);
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_FALSE(r.ok) << user;
    EXPECT_EQ(r.code, "E_AUTH") << user;
    EXPECT_GE(took, 190ms) << user << ": failed logins are answered after a delay";
    replies.push_back(r);
  }
  for (const auto& r : replies) {
    EXPECT_EQ(r.message, replies.front().message) << "the answer must not tell which part was wrong";
    EXPECT_EQ(r.field, replies.front().field);
  }
  EXPECT_TRUE(c.token().empty());
  EXPECT_EQ(hub_->api->sessions().size(), 0u);
  EXPECT_EQ(audit_entries("login_failed").size(), 3u);
}

TEST_F(ApiFrontTest, AFailedLoginDoesNotHoldUpOtherClients) {
  auto wang = as("wang");
  // A raw client sends a bad LOGIN and does not wait for it.
  zmq::socket_t raw(hub_->context, zmq::socket_type::dealer);
  protocol::configure_client_socket(raw);
  raw.set(zmq::sockopt::linger, 0);
  raw.connect(endpoint());
  protocol::send_frames(raw, protocol::encode(protocol::Login{"slow-1", "wang", "wrong-password"}));
  std::this_thread::sleep_for(20ms);
  const auto t0 = std::chrono::steady_clock::now();
  Reply w = wang->request("whoami");
  EXPECT_TRUE(w.ok);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 150ms);
  ASSERT_TRUE(protocol::wait_readable(raw, 5s));
  auto in = protocol::recv_frames(raw);
  ASSERT_TRUE(in);
  auto d = protocol::decode(*in, protocol::kClientLimits);
  auto* reply = std::get_if<Reply>(&std::get<protocol::Message>(d));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->cid, "slow-1");
  EXPECT_EQ(reply->code, "E_AUTH");
}

TEST_F(ApiFrontTest, RequestsNeedALiveToken) {
  ApiClient c(hub_->context, endpoint());
  EXPECT_EQ(c.request("whoami").code, "E_TOKEN");
  EXPECT_EQ(c.request("case.list").code, "E_TOKEN");
  c.set_token("0123456789abcdef");
  EXPECT_EQ(c.request("whoami").code, "E_TOKEN");
  ASSERT_TRUE(c.login("wang", "wang-password").ok);
  EXPECT_TRUE(c.request("whoami").ok);
  EXPECT_TRUE(c.logout().ok);
  EXPECT_EQ(c.request("whoami").code, "E_TOKEN");
}

// ---- bad requests ----------------------------------------------------------------

TEST_F(ApiFrontTest, BadRequestsGetCodesAndFields) {
  auto c = as("wang");
  EXPECT_EQ(c->request("case.delete").code, "E_UNKNOWN_OP");
  Reply missing = c->request("case.get");
  EXPECT_EQ(missing.code, "E_ARG_MISSING");
  EXPECT_EQ(missing.field, "case_id");
  Reply text = c->request("case.get", {{"case_id", "one"}});
  EXPECT_EQ(text.code, "E_ARG_INVALID");
  EXPECT_EQ(text.field, "case_id");
  EXPECT_EQ(c->request("case.get", {{"case_id", 999999}}).code, "E_NOT_FOUND");
  Reply limit = c->request("case.list", {{"limit", 501}});
  EXPECT_EQ(limit.code, "E_ARG_INVALID");
  EXPECT_EQ(limit.field, "limit");
  Reply status = c->request("case.list", {{"status", "lost"}});
  EXPECT_EQ(status.code, "E_ARG_INVALID");
  EXPECT_EQ(status.field, "status");
  Reply from = c->request("case.list", {{"from", "yesterday"}});
  EXPECT_EQ(from.code, "E_ARG_INVALID");
  EXPECT_EQ(from.field, "from");
  Reply q = c->request("case.search");
  EXPECT_EQ(q.code, "E_ARG_MISSING");
  EXPECT_EQ(q.field, "q");
  Reply action = c->request("case.action", {{"case_id", id("T-1")}});
  EXPECT_EQ(action.code, "E_ARG_MISSING");
  EXPECT_EQ(action.field, "action");
  Reply unknown_action = c->case_action(id("T-1"), "shred");
  EXPECT_EQ(unknown_action.code, "E_ARG_INVALID");
  EXPECT_EQ(unknown_action.field, "action");
}

TEST_F(ApiFrontTest, UndecodableFramesGetAnErrorAndTheHubKeepsServing) {
  zmq::socket_t raw(hub_->context, zmq::socket_type::dealer);
  protocol::configure_client_socket(raw);
  raw.set(zmq::sockopt::linger, 0);
  raw.connect(endpoint());
  auto exchange = [&](const protocol::Frames& frames) -> protocol::Message {
    EXPECT_TRUE(protocol::send_frames(raw, frames));
    EXPECT_TRUE(protocol::wait_readable(raw, 5s));
    auto in = protocol::recv_frames(raw);
    auto d = protocol::decode(*in, protocol::kClientLimits);
    return std::get<protocol::Message>(d);
  };
  struct Case {
    protocol::Frames frames;
    std::string code;
  };
  const std::vector<Case> cases = {
      {{"SUQIU9", "REQUEST", R"({"cid":"a","token":"t","op":"whoami","args":{}})"}, "E_VERSION"},
      {{"SUQIU1", "REQUEST", "{not json"}, "E_NOT_JSON"},
      {{"SUQIU1", "REQUEST"}, "E_PROTOCOL"},
      {{"SUQIU1", "REQUEST", "\xff\xfe"}, "E_BAD_UTF8"},
      {{"SUQIU1", "HEARTBEAT", "{}"}, "E_PROTOCOL"},  // an ingest message on the api socket
  };
  for (const auto& c : cases) {
    auto m = exchange(c.frames);
    auto* e = std::get_if<protocol::Error>(&m);
    ASSERT_TRUE(e) << c.code;
    EXPECT_EQ(e->code, c.code);
  }
  // A REQUEST that decodes is answered with its own cid, even without a token.
  auto m = exchange(protocol::encode(protocol::Request{"cid-77", "", "whoami", json::object()}));
  auto* r = std::get_if<Reply>(&m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cid, "cid-77");
  EXPECT_EQ(r->code, "E_TOKEN");
  // And the hub still serves.
  auto c = as("wang");
  EXPECT_TRUE(c->request("whoami").ok);
}

// ---- roles and sections --------------------------------------------------------------

TEST_F(ApiFrontTest, ALiaisonListsOnlyTheirSectionAndCannotReadAnotherSectionsCase) {
  auto zhao = as("zhao");
  Reply all = zhao->request("case.list");
  ASSERT_TRUE(all.ok) << all.code << " " << all.message;
  EXPECT_EQ(sections_of(all.data["items"]), std::set<std::string>{"urban"});
  EXPECT_EQ(all.data["items"].size(), 4u);  // T-1, T-2, R-1, Q-1
  EXPECT_EQ(all.data["total"], 4);
  EXPECT_EQ(all.data["total_exact"], true);
  // Asking for another section does not widen the view.
  Reply other = zhao->request("case.list", {{"section", "transport"}});
  ASSERT_TRUE(other.ok);
  EXPECT_EQ(sections_of(other.data["items"]), std::set<std::string>{"urban"});
  Reply search = zhao->request("case.search", {{"q", "客运站"}});
  ASSERT_TRUE(search.ok);
  EXPECT_TRUE(search.data["items"].empty()) << search.data.dump();
  Reply snap = zhao->snapshot();
  ASSERT_TRUE(snap.ok);
  EXPECT_EQ(sections_of(snap.data["items"]), std::set<std::string>{"urban"});

  Reply forbidden = zhao->request("case.get", {{"case_id", id("C-1")}});
  EXPECT_EQ(forbidden.code, "E_FORBIDDEN");
  EXPECT_TRUE(zhao->request("case.get", {{"case_id", id("T-1")}}).ok);

  auto qian = as("qian");
  Reply theirs = qian->request("case.list");
  ASSERT_TRUE(theirs.ok);
  ASSERT_EQ(theirs.data["items"].size(), 1u);
  EXPECT_EQ(theirs.data["items"][0]["id"], id("C-1"));
  EXPECT_EQ(qian->request("case.get", {{"case_id", id("T-1")}}).code, "E_FORBIDDEN");
  EXPECT_EQ(qian->case_action(id("T-1"), "sign_for").code, "E_FORBIDDEN");

  // Statistics: their own section's count, nothing about the others.
  Reply stats = zhao->request("stats");
  ASSERT_TRUE(stats.ok);
  EXPECT_EQ(stats.data["total"], 4);
  EXPECT_EQ(stats.data["by_section"], (json{{"urban", 4}}));
}

TEST_F(ApiFrontTest, OperatorsLeadersAndAdminsListEverything) {
  for (const char* user : {"wang", "boss", "root"}) {
    auto c = as(user);
    Reply r = c->request("case.list");
    ASSERT_TRUE(r.ok) << user;
    EXPECT_EQ(r.data["items"].size(), 5u) << user;
    EXPECT_EQ(r.data["total"], 5) << user;
    Reply s = c->request("stats");
    ASSERT_TRUE(s.ok) << user;
    EXPECT_EQ(s.data["total"], 5) << user;
    EXPECT_EQ(s.data["by_section"], (json{{"transport", 1}, {"urban", 4}})) << user;
  }
}

TEST_F(ApiFrontTest, ALiaisonNeverSeesAFullPhoneNumber) {
  auto zhao = as("zhao");
  Reply list = zhao->request("case.list");
  ASSERT_TRUE(list.ok);
  const json* t1 = find_case(list.data["items"], id("T-1"));
  ASSERT_TRUE(t1);
  EXPECT_EQ((*t1)["caller_phone"], "138****8000");
  Reply get = zhao->request("case.get", {{"case_id", id("T-1")}});
  ASSERT_TRUE(get.ok);
  EXPECT_EQ(get.data["case"]["caller_phone"], "138****8000");
  EXPECT_EQ(get.data["case"]["caller_name"], "李先生");
  for (const char* full : {"13800138000", "13900139001", "13600136003", "13500135004"}) {
    EXPECT_EQ(list.data.dump().find(full), std::string::npos) << full;
    EXPECT_EQ(get.data.dump().find(full), std::string::npos) << full;
    EXPECT_EQ(zhao->snapshot().data.dump().find(full), std::string::npos) << full;
  }
  // An operator sees the number in full.
  auto wang = as("wang");
  EXPECT_EQ(wang->request("case.get", {{"case_id", id("T-1")}}).data["case"]["caller_phone"], "13800138000");
}

TEST_F(ApiFrontTest, AWhistleBlowersIdentityIsShownOnlyToTheTakerAndToLeaders) {
  const std::int64_t report = id("R-1");
  auto identity = [&](ApiClient& c) {
    Reply r = c.request("case.get", {{"case_id", report}});
    EXPECT_TRUE(r.ok) << r.code << " " << r.message;
    return r.data["case"];
  };
  auto zhao = as("zhao");
  auto li = as("li");
  auto wang = as("wang");
  auto boss = as("boss");
  for (ApiClient* hidden : {zhao.get(), li.get()}) {
    json c = identity(*hidden);
    EXPECT_EQ(c["caller_name"], "***");
    EXPECT_EQ(c["caller_phone"], "***");
    EXPECT_EQ(c["identity_protected"], true);
    EXPECT_TRUE(c["attachments"].empty()) << "a recording identifies the whistle-blower too";
    const std::string dump = hidden->request("case.list").data.dump();
    EXPECT_EQ(dump.find("张举报"), std::string::npos);
    EXPECT_EQ(dump.find("13600136003"), std::string::npos);
    EXPECT_EQ(dump.find("136****6003"), std::string::npos);
  }
  for (ApiClient* shown : {wang.get(), boss.get()}) {
    json c = identity(*shown);
    EXPECT_EQ(c["caller_name"], "张举报");
    EXPECT_EQ(c["caller_phone"], "13600136003");
    EXPECT_EQ(c["attachments"].size(), 1u);
  }
  // Each full read of the protected identity is in the audit log.
  auto reads = audit_entries("read_protected");
  std::set<std::string> readers;
  for (const auto& [actor, detail] : reads)
    if (detail.value("op", "") == "case.get") readers.insert(actor);
  EXPECT_EQ(readers, (std::set<std::string>{"wang", "boss"}));
}

// ---- the work-order lifecycle through the api ------------------------------------------

TEST_F(ApiFrontTest, DispatchSignReplyApproveAndADissatisfiedCallBackReopens) {
  const std::int64_t t1 = id("T-1");
  auto wang = as("wang");
  auto zhao = as("zhao");
  auto boss = as("boss");
  std::int64_t last_seq = 0;
  auto step = [&](ApiClient& c, const std::string& action, json args, const std::string& status) {
    Reply r = c.case_action(t1, action, std::move(args));
    ASSERT_TRUE(r.ok) << action << ": " << r.code << " " << r.message;
    EXPECT_EQ(r.data["case"]["status"], status) << action;
    EXPECT_EQ(r.data["case"]["id"], t1);
    EXPECT_GT(r.data["seq"].get<std::int64_t>(), last_seq) << action;
    last_seq = r.data["seq"].get<std::int64_t>();
  };
  // A liaison cannot sign for what was not dispatched yet.
  EXPECT_EQ(zhao->case_action(t1, "sign_for").code, "E_STATE");
  step(*wang, "dispatch", {{"section", "urban"}, {"note", "请城市客运科办理"}}, "assigned");
  step(*zhao, "sign_for", json::object(), "accepted");
  step(*zhao, "reply", {{"result", "已约谈驾驶员并处罚"}, {"reply", "已处理，感谢监督"}}, "replied");
  EXPECT_EQ(zhao->case_action(t1, "approve_close").code, "E_FORBIDDEN");
  step(*wang, "approve_close", json::object(), "closed");
  EXPECT_EQ(wang->case_action(t1, "sign_for").code, "E_STATE");
  Reply bad_sat = wang->case_action(t1, "callback", {{"satisfaction", "meh"}});
  EXPECT_EQ(bad_sat.code, "E_ARG_INVALID");
  EXPECT_EQ(bad_sat.field, "satisfaction");
  step(*wang, "callback", {{"satisfaction", "dissatisfied"}}, "accepted");

  // The history, in order, with sequences and notes.
  Reply get = boss->request("case.get", {{"case_id", t1}});
  ASSERT_TRUE(get.ok);
  std::vector<std::string> actions;
  json people = json::array();  // what people did; the deadline timer's entries depend on today's date
  std::int64_t prev = 0;
  for (const auto& e : get.data["history"]) {
    EXPECT_GT(e["seq"].get<std::int64_t>(), prev);
    prev = e["seq"].get<std::int64_t>();
    for (const char* key : {"at", "actor", "from", "to", "note", "data"}) EXPECT_TRUE(e.contains(key)) << key;
    if (e["actor"] == "system") continue;
    actions.push_back(e["action"].get<std::string>());
    people.push_back(e);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"intake", "dispatch", "sign_for", "reply", "approve_close",
                                               "callback"}));
  EXPECT_EQ(people[1]["note"], "请城市客运科办理");
  EXPECT_EQ(people[1]["actor"], "wang");
  EXPECT_EQ(prev, last_seq);
  EXPECT_EQ(get.data["case"]["result"], "已约谈驾驶员并处罚");
  EXPECT_EQ(get.data["case"]["reply"], "已处理，感谢监督");
  EXPECT_EQ(get.data["case"]["satisfaction"], "dissatisfied");
  EXPECT_EQ(get.data["case"]["case_number"], get.data["case"]["case_no"]);
  EXPECT_FALSE(get.data["case"].contains("history"));
}

TEST_F(ApiFrontTest, SnapshotCarriesTheWritersLastSequenceAndTheHub) {
  auto wang = as("wang");
  ASSERT_TRUE(wang->case_action(id("T-2"), "dispatch", {{"section", "urban"}}).ok);
  ASSERT_TRUE(wang->case_action(id("C-1"), "dispatch", {{"section", "transport"}}).ok);
  Reply snap = wang->snapshot();
  ASSERT_TRUE(snap.ok) << snap.code << " " << snap.message;
  EXPECT_EQ(snap.data["seq"].get<std::int64_t>(), hub_->writer->last_sequence());
  EXPECT_GT(snap.data["seq"].get<std::int64_t>(), 0);
  EXPECT_EQ(snap.data["hub"], "test-hub");
  EXPECT_EQ(snap.data["total"], 5);
  EXPECT_EQ(snap.data["items"].size(), 5u);
  const json* t2 = find_case(snap.data["items"], id("T-2"));
  ASSERT_TRUE(t2);
  EXPECT_EQ((*t2)["status"], "assigned");
}

// ---- queries ------------------------------------------------------------------------------

TEST_F(ApiFrontTest, FiltersPagingAndSearch) {
  auto wang = as("wang");
  Reply complaints = wang->request("case.list", {{"request_type", "complaint"}});
  ASSERT_TRUE(complaints.ok);
  EXPECT_EQ(complaints.data["items"].size(), 3u);
  EXPECT_EQ(complaints.data["total"], 3);

  // Several codes in one filter, newest first.
  Reply two = wang->request("case.list", {{"category", json::array({"coach", "bus"})}});
  ASSERT_TRUE(two.ok) << two.code << " " << two.message;
  std::vector<std::int64_t> got;
  for (const auto& c : two.data["items"]) got.push_back(c["id"].get<std::int64_t>());
  EXPECT_EQ(got, (std::vector<std::int64_t>{id("Q-1"), id("C-1"), id("T-2")}));
  EXPECT_EQ(two.data["total"], 3);

  // Pages: newest first, two at a time.
  Reply page1 = wang->request("case.list", {{"limit", 2}});
  Reply page3 = wang->request("case.list", {{"limit", 2}, {"offset", 4}});
  ASSERT_TRUE(page1.ok && page3.ok);
  EXPECT_EQ(page1.data["items"][0]["id"], id("Q-1"));
  EXPECT_EQ(page1.data["offset"], 0);
  ASSERT_EQ(page3.data["items"].size(), 1u);
  EXPECT_EQ(page3.data["items"][0]["id"], id("T-1"));
  EXPECT_EQ(page3.data["offset"], 4);

  // Dates: received on 2026-11-21 .. 2026-11-22 (days inclusive).
  Reply days = wang->request("case.list", {{"from", "2026-11-21"}, {"to", "2026-11-22"}});
  ASSERT_TRUE(days.ok);
  EXPECT_EQ(days.data["items"].size(), 2u);
  EXPECT_EQ(days.data["total_exact"], true) << "whole days: the daily counters give the total";
  EXPECT_EQ(days.data["total"], 2);
  // A period bounded by a time of day is not what the counters keep.
  Reply hours = wang->request("case.list", {{"from", "2026-11-21T12:00:00+08:00"}, {"to", "2026-11-22"}});
  ASSERT_TRUE(hours.ok);
  EXPECT_EQ(hours.data["total_exact"], false);

  // Full-text search through the normaliser (full-width and traditional forms too).
  Reply search = wang->request("case.search", {{"q", "客運站"}});
  ASSERT_TRUE(search.ok) << search.code << " " << search.message;
  ASSERT_EQ(search.data["items"].size(), 1u);
  EXPECT_EQ(search.data["items"][0]["id"], id("C-1"));
}

TEST_F(ApiFrontTest, StartFailsClearlyWhenTheEndpointIsTaken) {
  HubConfig taken = hub_->config;
  taken.api = endpoint();
  ApiFront second(hub_->context, taken, *hub_->writer, "test-hub");
  EXPECT_THROW(second.start(), std::runtime_error);
  EXPECT_EQ(second.endpoint(), "");
  // The first one is unaffected.
  EXPECT_TRUE(as("wang")->request("whoami").ok);
}

TEST_F(ApiFrontTest, PluginsComeFromTheProviderOrAreEmpty) {
  auto root = as("root");
  Reply none = root->request("plugins");
  ASSERT_TRUE(none.ok);
  EXPECT_EQ(none.data, json::array());
  hub_->api->set_plugins_provider([] {
    return json::array({{{"plugin", "feed-12345"}, {"instance", "a1"}, {"accepted", 3}}});
  });
  Reply some = root->request("plugins");
  ASSERT_TRUE(some.ok);
  ASSERT_EQ(some.data.size(), 1u);
  EXPECT_EQ(some.data[0]["plugin"], "feed-12345");
}

// ---- intakes taken at the desk (case.create) ------------------------------------

TEST_F(ApiFrontTest, AnOperatorLogsACallAndOnlyThatOperatorSeesTheWhistleBlower) {
  auto wang = as("wang");
  const json record = {{"source", "12328"},
                       {"external_id", "DESK-wang-1"},
                       {"received_at", "2026-11-25T10:00:00+08:00"},
                       {"request_type", "report"},
                       {"caller", {{"name", "陈举报"}, {"phone", "13312345678"}, {"anonymous", false}}},
                       {"subject", "举报黑车在客运站揽客"},
                       {"content", "客运站门口有黑车长期揽客，请执法大队查处。"}};
  Reply made = wang->request("case.create", {{"record", record}});
  ASSERT_TRUE(made.ok) << made.code << " " << made.message;
  EXPECT_FALSE(made.data["duplicate"].get<bool>());
  const auto case_id = made.data["case"]["id"].get<std::int64_t>();
  EXPECT_EQ(made.data["case"]["status"], "received");
  EXPECT_EQ(made.data["case"]["caller_phone"], "13312345678");  // the operator who took it
  EXPECT_GT(made.data["seq"].get<std::int64_t>(), 0);

  // Sent again (a timeout, say): the same case, not a second one.
  Reply again = wang->request("case.create", {{"record", record}});
  ASSERT_TRUE(again.ok);
  EXPECT_TRUE(again.data["duplicate"].get<bool>());
  EXPECT_EQ(again.data["case"]["id"], case_id);

  // Another operator does not see the whistle-blower; a leader does.
  Reply li = as("li")->request("case.get", {{"case_id", case_id}});
  ASSERT_TRUE(li.ok);
  EXPECT_EQ(li.data["case"]["caller_phone"], "***");
  Reply boss = as("boss")->request("case.get", {{"case_id", case_id}});
  EXPECT_EQ(boss.data["case"]["caller_phone"], "13312345678");
  // Who took it is on the record.
  bool audited = false;
  for (const auto& [actor, detail] : audit_entries("intake"))
    audited = audited || (actor == "wang" && detail["external_id"] == "DESK-wang-1");
  EXPECT_TRUE(audited);
}

TEST_F(ApiFrontTest, CaseCreateChecksTheRoleAndTheRecord) {
  const json record = {{"source", "walkin"},
                       {"external_id", "DESK-1"},
                       {"received_at", "2026-11-25T10:00:00+08:00"},
                       {"content", "咨询驾校退费"}};
  Reply liaison = as("zhao")->request("case.create", {{"record", record}});
  EXPECT_EQ(liaison.code, "E_FORBIDDEN");
  auto wang = as("wang");
  EXPECT_EQ(wang->request("case.create").field, "record");
  EXPECT_EQ(wang->request("case.create", {{"record", "text"}}).code, "E_ARG_INVALID");
  json no_content = record;
  no_content.erase("content");
  Reply bad = wang->request("case.create", {{"record", no_content}});
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.field, "content") << bad.code << " " << bad.message;
  {
    // The refused record is kept, naming who sent it.
    store::Store s(store::Store::database_file(dir_.path()), store::Store::Access::reader);
    auto letters = s.dead_letters(10);
    ASSERT_FALSE(letters.empty());
    EXPECT_EQ(letters.front().origin, "case.create:wang");
    EXPECT_EQ(letters.front().field, "content");
  }
  EXPECT_TRUE(wang->request("case.create", {{"record", record}}).ok);
}

// ---- the desk's lists: overdue (超期) and awaiting the call-back (待回访) ---------

TEST_F(ApiFrontTest, OverdueAndAwaitingCallBackFiltersListTheRightCases) {
  auto wang = as("wang");
  // The deadlines run on today's clock: compare with each case's own flag.
  Reply all = wang->request("case.list", {{"limit", 50}});
  ASSERT_TRUE(all.ok);
  std::set<std::int64_t> expected;
  for (const auto& c : all.data["items"])
    if (c["overdue"].get<bool>()) expected.insert(c["id"].get<std::int64_t>());
  Reply overdue = wang->request("case.list", {{"overdue", true}});
  ASSERT_TRUE(overdue.ok) << overdue.message;
  std::set<std::int64_t> got;
  for (const auto& c : overdue.data["items"]) got.insert(c["id"].get<std::int64_t>());
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(overdue.data["total_exact"].get<bool>());
  EXPECT_EQ(wang->request("case.list", {{"overdue", "yes"}}).field, "overdue");

  EXPECT_TRUE(wang->request("case.list", {{"awaiting_callback", true}}).data["items"].empty());
  // An inquiry answered on the call is closed, and waits for its call-back.
  ASSERT_TRUE(wang->request("case.action", {{"case_id", id("Q-1")}, {"action", "reply"}, {"reply", "已告知线路"}}).ok);
  Reply waiting = wang->request("case.list", {{"awaiting_callback", true}});
  ASSERT_EQ(waiting.data["items"].size(), 1u);
  EXPECT_EQ(waiting.data["items"][0]["id"], id("Q-1"));
  // The overdue list holds open cases only: Q-1 is closed now.
  for (const auto& c : wang->request("case.list", {{"overdue", true}}).data["items"]) EXPECT_NE(c["id"], id("Q-1"));
  ASSERT_TRUE(wang->request("case.action",
                            {{"case_id", id("Q-1")}, {"action", "callback"}, {"satisfaction", "satisfied"}})
                  .ok);
  EXPECT_TRUE(wang->request("case.list", {{"awaiting_callback", true}}).data["items"].empty());
}

// ---- users disabled while signed in --------------------------------------------

TEST_F(ApiFrontTest, DisablingAUserEndsTheirOpenSessionAtOnce) {
  auto li = as("li");
  ASSERT_TRUE(li->request("whoami").ok);
  {
    store::Store admin(store::Store::database_file(dir_.path()), store::Store::Access::writer);
    admin.set_disabled("li", true);
  }
  Reply after = li->request("case.list");
  EXPECT_EQ(after.code, "E_TOKEN");
  EXPECT_EQ(li->request("whoami").code, "E_TOKEN");  // the session is gone, not just refused once
  ApiClient again(hub_->context, endpoint());
  EXPECT_EQ(again.login("li", "li-password").code, "E_AUTH");
  {
    store::Store admin(store::Store::database_file(dir_.path()), store::Store::Access::writer);
    admin.set_disabled("li", false);
  }
  EXPECT_TRUE(again.login("li", "li-password").ok);
  EXPECT_TRUE(again.request("whoami").ok);
  EXPECT_TRUE(as("wang")->request("whoami").ok);  // the others were never touched
}

// ---- a user changes their own password -----------------------------------------

TEST_F(ApiFrontTest, AUserChangesTheirPasswordAfterProvingTheOldOne) {
  auto wang = as("wang");
  EXPECT_EQ(wang->request("password.change", {{"new", "a new long password"}}).field, "old");
  EXPECT_EQ(wang->request("password.change", {{"old", "wang-password"}}).field, "new");
  EXPECT_EQ(wang->request("password.change", {{"old", "not it"}, {"new", "a new long password"}}).code, "E_AUTH");
  Reply short_one = wang->request("password.change", {{"old", "wang-password"}, {"new", "short"}});
  EXPECT_EQ(short_one.code, "E_ARG_INVALID");
  EXPECT_EQ(short_one.field, "new");
  Reply changed = wang->request("password.change", {{"old", "wang-password"}, {"new", "a new long password"}});
  ASSERT_TRUE(changed.ok) << changed.code << " " << changed.message;
  EXPECT_TRUE(wang->request("whoami").ok);  // the session goes on

  ApiClient fresh(hub_->context, endpoint());
  EXPECT_EQ(fresh.login("wang", "wang-password").code, "E_AUTH");
  EXPECT_TRUE(fresh.login("wang", "a new long password").ok);
  bool audited = false;
  for (const auto& [actor, detail] : audit_entries("user_password")) audited = audited || actor == "wang";
  EXPECT_TRUE(audited);
  EXPECT_EQ(audit_entries("password_change_failed").size(), 1u);
  ApiClient nobody(hub_->context, endpoint());
  EXPECT_EQ(nobody.request("password.change", {{"old", "x"}, {"new", "y"}}).code, "E_TOKEN");
}
