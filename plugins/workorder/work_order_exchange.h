// WorkOrderExchange: the I/O half of a platform feed (12345, 12328). Work
// orders and notices come in three ways, each optional: pushed by the
// platform to an HTTP endpoint, polled from the platform's API with a cursor
// kept on disk, or dropped as exported files in a folder. Each is decoded by
// the pure parser (decode_batch, with the platform's Mapping) and handed to
// the hub through the plugin SDK, whose on-disk outbox keeps it until the hub
// has stored it. The bureau's steps (RESULTs from the hub) go back to the
// platform's step URL; one the platform does not confirm is left unacked, so
// the hub sends it again, and the outbox remembers what was delivered.
//
// Threads: the caller's thread runs run(): it owns the FeedClient, polls and
// scans the folder. The HTTP server has its own threads; a push is decoded
// there and answered 200 only once its records are durable in the outbox.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <zmq.hpp>

#include "sdk/feed_client.h"
#include "workorder/mapping.h"
#include "workorder/work_order_parser.h"

namespace httplib {
class Server;
}

namespace suqiu::workorder {

struct ExchangeOptions {
  sdk::FeedOptions feed;  // hub endpoint, plugin name, sources, outbox file
  Mapping mapping;
  std::filesystem::path state_dir;  // the poll cursor and the drop folder's done/ and failed/

  // Push: the platform POSTs JSON (one order, an array, or items_path) to
  // http://listen/workorders. A request must carry the shared token
  // (X-Suqiu-Token) or an HMAC-SHA256 of its body keyed with the secret
  // (X-Suqiu-Signature: hex); with neither configured, pushes are refused.
  std::string listen_host;
  int listen_port = 0;  // 0: no push endpoint
  std::string push_token, push_secret;
  std::size_t max_body = 8u << 20;

  // Poll: GET poll_url (with cursor=<last cursor> when there is one) every poll_every.
  std::string poll_url, poll_token;
  std::chrono::milliseconds poll_every{60'000};
  Format poll_format = Format::json;

  // Drop: files in drop_dir (*.json, *.csv, *.xml); charset "" = detect.
  std::filesystem::path drop_dir;
  std::string drop_charset;

  // Steps back: POST to step_url, token in X-Suqiu-Token, the rid in X-Suqiu-Step-Id.
  std::string step_url, step_token;
  std::chrono::milliseconds step_timeout{3000};
};

class WorkOrderExchange {
 public:
  WorkOrderExchange(zmq::context_t& context, ExchangeOptions options);
  ~WorkOrderExchange();
  WorkOrderExchange(const WorkOrderExchange&) = delete;
  WorkOrderExchange& operator=(const WorkOrderExchange&) = delete;

  // Binds the push endpoint (if any); throws when it cannot.
  void start();
  // Until `stop_requested()` (asked between turns): poll the hub, take pushes, poll the platform, scan
  // the drop folder. With `once`, takes the drop folder and one poll, waits
  // until the hub answered everything, and returns.
  void run(const std::function<bool()>& stop_requested, bool once = false);

  int push_port() const { return bound_port_; }
  const sdk::FeedCounters& counters() const { return client_.counters(); }

 private:
  // A push waiting for the loop thread to stage its records.
  struct PushJob {
    Batch batch;
    std::promise<std::size_t> staged;  // how many records were staged
  };

  void serve_push();
  std::size_t stage(const Batch& batch, const std::string& origin);
  void take_pushes();
  void poll_platform();
  void scan_drop_folder();
  sdk::ResultDelivery deliver_step(const protocol::Result& result);
  bool authorised(const std::string& body, const std::string& token, const std::string& signature) const;

  zmq::context_t& context_;
  ExchangeOptions options_;
  sdk::FeedClient client_;

  std::unique_ptr<httplib::Server> server_;
  std::thread server_thread_;
  int bound_port_ = 0;
  std::mutex jobs_mutex_;
  std::deque<std::shared_ptr<PushJob>> jobs_;

  std::string cursor_;  // the poll cursor, kept in state_dir/poll.cursor
  std::chrono::steady_clock::time_point next_poll_{};
  std::chrono::steady_clock::time_point next_scan_{};
};

}  // namespace suqiu::workorder
