#include "hub.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "api_front.h"
#include "ingest_front.h"
#include "plugin_supervisor.h"
#include "search_indexer.h"
#include "protocol/zap_handler.h"
#include "writer.h"

namespace suqiu::server {
namespace {

std::string new_instance_id() {
  unsigned char bytes[8];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

}  // namespace

Hub::Hub(HubConfig config) : config_(std::move(config)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  instance_ = new_instance_id();
}

Hub::~Hub() { stop(); }

void Hub::start() {
  config_.check_security();
  if (config_.server_keys)
    zap_ = std::make_unique<protocol::ZapHandler>(context_, config_.allowed_keys);
  writer_ = std::make_unique<Writer>(context_, config_, instance_);
  writer_->set_failure(&failure_);
  writer_->start();
  search_ = std::make_unique<SearchIndexer>(store::Store::database_file(config_.data_dir));
  search_->start();
  ingest_ = std::make_unique<IngestFront>(context_, config_, instance_);
  ingest_->set_preparer(&writer_->pipeline());
  ingest_->set_failure(&failure_);
  ingest_->start();
  api_ = std::make_unique<ApiFront>(context_, config_, *writer_, instance_);
  api_->set_plugins_provider([this] { return ingest_->plugins_json(); });
  api_->set_failure(&failure_);
  api_->start();
  if (!config_.plugins.empty()) {
    plugins_ = std::make_unique<PluginSupervisor>(config_.plugins, ingest_->endpoint());
    plugins_->start();
  }
  started_ = true;
}

void Hub::stop() {
  if (!started_) return;
  started_ = false;
  if (plugins_) plugins_->stop();
  if (api_) api_->stop();
  if (ingest_) ingest_->stop();
  if (writer_) writer_->stop();
  if (search_) search_->stop();  // after the writer: indexes its last cases
  plugins_.reset();
  api_.reset();
  ingest_.reset();
  writer_.reset();
  search_.reset();
  zap_.reset();
}

std::string Hub::ingest_endpoint() const { return ingest_ ? ingest_->endpoint() : config_.ingest; }
std::string Hub::events_endpoint() const { return writer_ ? writer_->events_endpoint() : config_.events; }
std::string Hub::api_endpoint() const { return api_ ? api_->endpoint() : config_.api; }

}  // namespace suqiu::server
