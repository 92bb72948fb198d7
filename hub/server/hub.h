// The hub: one ZeroMQ context, the ZAP handler when CURVE is on, the writer,
// the ingest front, the api front and the plugin supervisor, started in that
// order and stopped in reverse. suqiu-hub runs one; the console runs one
// in-process in single-office mode.
#pragma once

#include <zmq.hpp>

#include <memory>
#include <string>

#include "front_failure.h"
#include "hub_config.h"

namespace suqiu::protocol {
class ZapHandler;
}

namespace suqiu::server {

class Writer;
class IngestFront;
class ApiFront;
class PluginSupervisor;
class SearchIndexer;

class Hub {
 public:
  explicit Hub(HubConfig config);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Throws with a clear message when the configuration is unsafe (off
  // loopback without keys) or an endpoint cannot be bound.
  void start();
  void stop();

  const HubConfig& config() const { return config_; }
  const std::string& instance() const { return instance_; }
  // The bound endpoints (resolved when the configuration used port *).
  std::string ingest_endpoint() const;
  std::string api_endpoint() const;
  std::string events_endpoint() const;
  Writer& writer() { return *writer_; }
  // Set once a front has stopped for good (see FrontFailure): the hub is no
  // longer whole, and its owner should stop it and exit non-zero.
  std::optional<std::string> failure() const { return failure_.what(); }
  zmq::context_t& context() { return context_; }

 private:
  HubConfig config_;
  std::string instance_;
  zmq::context_t context_;
  std::unique_ptr<protocol::ZapHandler> zap_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<SearchIndexer> search_;
  std::unique_ptr<IngestFront> ingest_;
  std::unique_ptr<ApiFront> api_;
  std::unique_ptr<PluginSupervisor> plugins_;
  FrontFailure failure_;
  bool started_ = false;
};

}  // namespace suqiu::server
