#include "protocol/api_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "protocol/wire_codes.h"

using namespace suqiu::protocol;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A tiny api front in its own thread: LOGIN wang/secret, echo ops, a slow op,
// E_TOKEN for a wrong token, ERROR E_VERSION for a wrong signature.
class FakeApi {
 public:
  explicit FakeApi(zmq::context_t& ctx) {
    std::promise<std::string> ready;
    thread_ = std::thread([this, &ctx, &ready] {
      zmq::socket_t s(ctx, zmq::socket_type::router);
      configure_server_socket(s);
      s.bind("tcp://127.0.0.1:*");
      ready.set_value(s.get(zmq::sockopt::last_endpoint));
      run(s);
    });
    endpoint_ = ready.get_future().get();
  }
  ~FakeApi() {
    stop_ = true;
    thread_.join();
  }
  const std::string& endpoint() const { return endpoint_; }
  int requests() const { return requests_; }

 private:
  void run(zmq::socket_t& s) {
    while (!stop_) {
      if (!wait_readable(s, 20ms)) continue;
      auto in = recv_frames(s);
      if (!in || in->empty()) continue;
      const std::string peer = in->front();
      in->erase(in->begin());
      auto decoded = decode(*in);
      if (auto* e = std::get_if<DecodeError>(&decoded)) {
        send_routed(s, peer, encode(Error{e->code, e->reason, e->cid}));
        continue;
      }
      auto& m = std::get<Message>(decoded);
      if (auto* login = std::get_if<Login>(&m)) {
        Reply r = login->user == "wang" && login->password == "secret"
                      ? Reply::success(login->cid, {{"token", "T-1"}, {"role", "operator"}})
                      : Reply::failure(login->cid, code::auth, "bad user or password");
        send_routed(s, peer, encode(r));
      } else if (auto* req = std::get_if<Request>(&m)) {
        ++requests_;
        if (req->token != "T-1") {
          send_routed(s, peer, encode(Reply::failure(req->cid, code::token, "log in")));
        } else if (req->op == "slow") {
          std::this_thread::sleep_for(300ms);
          send_routed(s, peer, encode(Reply::success(req->cid, {{"slow", true}})));
        } else {
          send_routed(s, peer, encode(Reply::success(req->cid, {{"op", req->op}, {"args", req->args}})));
        }
      }
    }
  }
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace

TEST(ApiClient, LoginThenRequestCarriesTheToken) {
  zmq::context_t ctx;
  FakeApi api(ctx);
  ApiClient client(ctx, api.endpoint());
  auto login = client.login("wang", "secret");
  ASSERT_TRUE(login.ok) << login.code;
  EXPECT_EQ(client.token(), "T-1");

  auto r = client.request("case.list", {{"status", "assigned"}});
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.data["op"], "case.list");
  EXPECT_EQ(r.data["args"]["status"], "assigned");

  auto action = client.case_action(42, "dispatch", {{"section", "urban"}});
  ASSERT_TRUE(action.ok);
  EXPECT_EQ(action.data["op"], "case.action");
  EXPECT_EQ(action.data["args"]["case_id"], 42);
  EXPECT_EQ(action.data["args"]["action"], "dispatch");

  EXPECT_EQ(client.snapshot().data["op"], "snapshot");
}

TEST(ApiClient, BadLoginAndBadTokenAreCodes) {
  zmq::context_t ctx;
  FakeApi api(ctx);
  ApiClient client(ctx, api.endpoint());
  auto login = client.login("wang", "wrong");
  EXPECT_FALSE(login.ok);
  EXPECT_EQ(login.code, "E_AUTH");
  EXPECT_TRUE(client.token().empty());

  client.set_token("stale");
  auto r = client.request("whoami");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, "E_TOKEN");
  EXPECT_TRUE(client.token().empty());  // the caller must log in again
}

TEST(ApiClient, TimeoutIsACodeAndTheLateReplyIsNotMistakenForTheNext) {
  zmq::context_t ctx;
  FakeApi api(ctx);
  ApiClient client(ctx, api.endpoint(), {.timeout = 2000ms});
  ASSERT_TRUE(client.login("wang", "secret").ok);
  auto slow = client.request("slow", json::object(), 50ms);
  EXPECT_FALSE(slow.ok);
  EXPECT_EQ(slow.code, "E_TIMEOUT");
  auto next = client.request("whoami");
  ASSERT_TRUE(next.ok) << next.code;
  EXPECT_EQ(next.data["op"], "whoami");
}

TEST(ApiClient, NoHubMeansTimeoutNotAHang) {
  zmq::context_t ctx;
  ApiClient client(ctx, "tcp://127.0.0.1:1", {.timeout = 100ms});
  const auto t0 = std::chrono::steady_clock::now();
  auto r = client.login("wang", "secret");
  EXPECT_EQ(r.code, "E_TIMEOUT");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}
