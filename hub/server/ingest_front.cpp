#include "ingest_front.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "protocol/wire_codes.h"

namespace suqiu::server {
namespace {

using nlohmann::json;

// How many messages one turn drains, prepares and hands to the writer. The
// writer still commits everything queued together, so transactions stay
// large under load; but it starts on the first 64 while this thread prepares
// the next, and acks go out between turns. Draining 4,096 at a time left the
// writer idle for the 150 ms it took to classify them (bench_ingest: 5,000
// intakes/s then, 6,500-7,000 now).
constexpr std::size_t kMaxDrain = 64;

std::string short_id(const std::string& routing_id) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : routing_id.substr(0, 5)) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// The cid of an INTAKE or a NOTICE, the messages answered ACK/NACK; nullptr for others.
const std::string* answered_cid(const protocol::Message& m) {
  if (auto* i = std::get_if<protocol::Intake>(&m)) return &i->cid;
  if (auto* n = std::get_if<protocol::Notice>(&m)) return &n->cid;
  return nullptr;
}

// The ingest socket's messages that only the hub sends.
bool is_sent_by_hub(std::string_view type) {
  return type == "WELCOME" || type == "ACK" || type == "NACK" || type == "RESULT";
}

}  // namespace

bool IngestFront::Peer::takes_results() const {
  return std::find(capabilities.begin(), capabilities.end(), "result") != capabilities.end();
}

bool IngestFront::Peer::feeds(std::string_view source) const {
  if (sources.empty()) return plugin == source;
  return std::find(sources.begin(), sources.end(), source) != sources.end();
}

IngestFront::IngestFront(zmq::context_t& context, const HubConfig& config, std::string hub_instance)
    : context_(context), config_(config), hub_instance_(std::move(hub_instance)) {}

IngestFront::~IngestFront() { stop(); }

void IngestFront::start() {
  router_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::router);
  protocol::configure_server_socket(*router_);
  if (config_.server_keys) protocol::apply_curve_server(*router_, *config_.server_keys);
  // Connection events, to log peers cut off (for instance by the size limit).
  const std::string monitor = "inproc://suqiu-ingest-monitor-" + hub_instance_;
  zmq_socket_monitor(router_->handle(), monitor.c_str(), ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPTED);
  monitor_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pair);
  monitor_->connect(monitor);
  router_->bind(config_.ingest);
  endpoint_ = router_->get(zmq::sockopt::last_endpoint);

  writer_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pair);
  writer_->set(zmq::sockopt::linger, 0);
  writer_->connect(kWriterIntakeEndpoint);
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void IngestFront::stop() {
  if (!running_.exchange(false)) return;
  if (thread_.joinable()) thread_.join();
}

json IngestFront::plugins_json() const {
  std::lock_guard lock(registry_mutex_);
  return registry_;
}

void IngestFront::send(const std::string& peer, const protocol::Message& message) {
  // Never block the front on one peer: with ROUTER_MANDATORY a blocking send
  // waits for ever when that peer's pipe is full because it does not read. A
  // reply that cannot be queued is dropped: the plugin resends, the store is
  // idempotent.
  if (!protocol::send_routed(*router_, peer, protocol::encode(message), zmq::send_flags::dontwait)) {
    spdlog::debug("ingest: peer {} gone or not reading, {} not delivered", short_id(peer),
                  protocol::type_name(message));
    return;
  }
  if (auto it = peers_.find(peer); it != peers_.end()) it->second.last_sent = Clock::now();
}

void IngestFront::loop() {
  pthread_setname_np(pthread_self(), "hub-ingest");
  try {
    serve();
  } catch (const std::exception& e) {
    // Each message is handled inside serve()'s own try; reaching here means
    // the sockets failed and the front cannot go on.
    if (failure_) failure_->report("ingest", e.what());
  }
}

void IngestFront::serve() {
  BatchChannel channel(*writer_);
  auto batch = std::make_unique<IngestBatch>();
  bool batch_waiting = false;  // the last send to the writer found its pipe full
  auto next_results = Clock::now() + kResultSweep;
  while (running_) {
    // A batch the writer's pipe had no room for waits here and grows (see below).
    const short writer_events = batch_waiting ? ZMQ_POLLIN | ZMQ_POLLOUT : ZMQ_POLLIN;
    zmq::pollitem_t items[] = {{router_->handle(), 0, ZMQ_POLLIN, 0},
                               {writer_->handle(), 0, writer_events, 0},
                               {monitor_->handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 3, std::chrono::milliseconds(std::min(config_.heartbeat_ms, 500)));
    try {
      if (items[1].revents & ZMQ_POLLIN) read_writer(channel);
      if (items[0].revents & ZMQ_POLLIN) read_router(*batch);
      if (items[2].revents & ZMQ_POLLIN) read_monitor();
      if (Clock::now() >= next_results) {
        results_wanted_ = true;
        next_results = Clock::now() + kResultSweep;
      }
      if (results_wanted_ && std::any_of(peers_.begin(), peers_.end(),
                                         [](auto& p) { return p.second.takes_results(); })) {
        batch->want_results = true;
        results_wanted_ = false;
      }
      if (preparer_)
        for (auto& item : batch->intakes)
          if (!item.prepared && !item.notice) item.prepared = preparer_->prepare(item.raw);
      if (!batch->intakes.empty() || !batch->result_acks.empty() || !batch->dead_letters.empty() ||
          batch->want_results) {
        // Never block here: a full pipe means the writer is itself waiting
        // to hand batches back to us (Writer::hand_back), and a blocking send
        // would leave each waiting for the other for good. The batch stays,
        // takes what comes meanwhile, and goes once we have read the writer.
        batch_waiting = !channel.try_send(batch);
        if (!batch_waiting) {
          ++batches_in_writer_;
          batch = std::make_unique<IngestBatch>();
        }
      }
      heartbeats();
    } catch (const std::exception& e) {
      spdlog::error("ingest: {}", e.what());
    }
  }
  channel.discard_waiting();  // answered batches nobody will send on now
  for (const auto& [id, peer] : peers_) send(id, protocol::Bye{"hub shutting down"});
  // Batches still in the writer are answered after it commits; we do not wait:
  // their plugins resend, and the store is idempotent.
  router_->close();
  monitor_->close();
  writer_->close();
}

void IngestFront::read_router(IngestBatch& batch) {
  for (std::size_t n = 0; n < kMaxDrain; ++n) {
    auto frames = protocol::recv_frames(*router_, zmq::recv_flags::dontwait);
    if (!frames) break;
    if (frames->empty()) continue;
    const std::string peer_id = (*frames)[0];
    std::vector<std::string_view> body(frames->begin() + 1, frames->end());
    auto decoded = protocol::decode(std::span<const std::string_view>(body));
    auto peer = peers_.find(peer_id);
    if (peer != peers_.end()) peer->second.last_seen = Clock::now();

    // A message the hub sends (ACK, WELCOME, ...) coming back is the same
    // mistake whether or not its header is well formed.
    if (body.size() >= 2 && is_sent_by_hub(body[1])) {
      send(peer_id, protocol::Error{std::string(protocol::code::protocol),
                                    std::string(body[1]) + " is not sent to the hub", "", "type"});
      continue;
    }
    if (auto* err = std::get_if<protocol::DecodeError>(&decoded)) {
      const std::string who = peer != peers_.end() ? peer->second.plugin : short_id(peer_id);
      spdlog::warn("ingest: rejected input from {}: {} {}", who, err->code, err->reason);
      if (err->type == "INTAKE" && !err->cid.empty()) {
        send(peer_id, protocol::Nack{err->cid, err->code, err->field, err->reason});
        // It carried data: keep its bytes, as for any rejected intake.
        std::string raw = body.size() >= 4 ? std::string(body[3]) : std::string();
        batch.dead_letters.push_back({who, std::nullopt, err->code, err->field, err->reason, raw});
      } else {
        send(peer_id, protocol::Error{err->code, err->reason, err->cid, err->field});
      }
      continue;
    }
    auto& message = std::get<protocol::Message>(decoded);
    if (auto* hello = std::get_if<protocol::Hello>(&message)) {
      bool fresh = peer == peers_.end();
      Peer& p = peers_[peer_id];
      p.plugin = hello->plugin;
      p.version = hello->version;
      p.instance = hello->instance;
      p.sources = hello->sources;
      p.capabilities = hello->capabilities;
      p.last_seen = Clock::now();
      if (fresh) {
        p.connected_at = Timestamp::now().to_string();
        spdlog::info("ingest: plugin {} {} connected (instance {})", p.plugin, p.version, p.instance);
      }
      if (p.takes_results()) {
        // Every registration gets the results owed to its sources at once,
        // even those sent to its previous connection a moment ago (they may
        // never have arrived); the plugin acks a rid it has seen again.
        results_wanted_ = true;
        std::erase_if(results_sent_, [&](const auto& entry) { return p.feeds(entry.second.source); });
      }
      send(peer_id, protocol::Welcome{hub_instance_, SUQIU_VERSION, config_.heartbeat_ms,
                                      config_.liveness, config_.window,
                                      static_cast<std::int64_t>(protocol::kMaxBodyBytes),
                                      protocol::kProtocolMinor});
      publish_registry();
      continue;
    }
    if (peer == peers_.end()) {
      // With the cid, so that the plugin knows which message to send again.
      const std::string* cid = answered_cid(message);
      send(peer_id, protocol::Error{std::string(protocol::code::not_registered), "send HELLO first",
                                    cid ? *cid : std::string()});
      continue;
    }
    Peer& p = peer->second;
    if (const std::string* answered = answered_cid(message)) {
      const std::string cid = *answered;
      auto* intake = std::get_if<protocol::Intake>(&message);
      auto* notice = std::get_if<protocol::Notice>(&message);
      if (p.in_flight >= config_.window) {
        // A peer past the window it was given: tell it to back off, serve the others.
        send(peer_id, protocol::Nack{cid, std::string(protocol::code::busy), "",
                                     "more than the window in flight; retry later"});
        continue;
      }
      ++p.in_flight;
      std::string bytes = intake ? std::move(intake->record) : std::move(notice->body);
      batch.intakes.push_back({peer_id, cid, RawIntake{std::move(bytes), p.plugin, std::nullopt, p.plugin}, {}});
      batch.intakes.back().notice = notice != nullptr;
    } else if (std::get_if<protocol::Heartbeat>(&message)) {
      // last_seen is updated above
    } else if (auto* ack = std::get_if<protocol::ResultAck>(&message)) {
      std::int64_t rid = 0;
      try {
        rid = std::stoll(ack->rid);
      } catch (const std::exception&) {
        send(peer_id, protocol::Error{std::string(protocol::code::protocol), "unknown rid", ack->rid});
        continue;
      }
      results_sent_.erase(rid);
      batch.result_acks.push_back({rid, ack->delivered, ack->code, ack->reason});
    } else if (auto* bye = std::get_if<protocol::Bye>(&message)) {
      spdlog::info("ingest: plugin {} disconnected ({})", p.plugin, bye->reason.empty() ? "bye" : bye->reason);
      peers_.erase(peer);
      publish_registry();
    } else {
      send(peer_id, protocol::Error{std::string(protocol::code::protocol),
                                    std::string(protocol::type_name(message)) + " is not sent to the hub", ""});
    }
  }
}

void IngestFront::read_writer(BatchChannel& channel) {
  while (auto b = channel.try_receive()) {
    for (auto& item : b->intakes) {
      auto peer = peers_.find(item.peer);
      const auto& r = item.result;
      // A transient refusal (the store failed) is resent; it is not a rejection.
      const bool retry = r.kind == IntakeResult::Kind::rejected && protocol::code::is_transient(r.error.code);
      if (peer != peers_.end()) {
        peer->second.in_flight = std::max<std::int64_t>(0, peer->second.in_flight - 1);
        if (!retry)
          (r.kind == IntakeResult::Kind::accepted    ? peer->second.accepted
           : r.kind == IntakeResult::Kind::duplicate ? peer->second.duplicates
                                                     : peer->second.rejected)++;
      }
      if (r.kind == IntakeResult::Kind::rejected) {
        if (!retry)  // the writer logged the failed batch once
          spdlog::warn("ingest: rejected intake {} from {}: {} {} {}", item.cid,
                       peer != peers_.end() ? peer->second.plugin : short_id(item.peer), r.error.code,
                       r.error.field, r.error.message);
        send(item.peer, protocol::Nack{item.cid, r.error.code, r.error.field, r.error.message});
      } else {
        send(item.peer, protocol::Ack{item.cid, r.case_id, r.case_no,
                                      r.kind == IntakeResult::Kind::duplicate});
      }
    }
    if (b->results_attached) deliver_results(b->results);
  }
}

void IngestFront::deliver_results(const std::vector<store::OutboundResult>& results) {
  auto now = Clock::now();
  for (const auto& r : results) {
    auto sent = results_sent_.find(r.rid);
    if (sent != results_sent_.end() && now - sent->second.at < kResultResend) continue;
    // The registration heard from last: a connection that went away without
    // BYE stays registered until it expires, and must not take the result.
    const std::string* to = nullptr;
    Clock::time_point freshest{};
    for (const auto& [id, peer] : peers_)
      if (peer.takes_results() && peer.feeds(r.source) && (!to || peer.last_seen > freshest)) {
        to = &id;
        freshest = peer.last_seen;
      }
    if (!to) continue;
    send(*to, protocol::Result{std::to_string(r.rid), json::parse(r.body, nullptr, false)});
    results_sent_[r.rid] = {now, r.source};
  }
}

void IngestFront::read_monitor() {
  // Monitor messages: frame 1 = event (u16) + value (u32), frame 2 = endpoint.
  zmq::message_t event, address;
  while (monitor_->recv(event, zmq::recv_flags::dontwait)) {
    if (!event.more() || !monitor_->recv(address, zmq::recv_flags::dontwait)) break;
    std::uint16_t id = 0;
    if (event.size() >= 2) std::memcpy(&id, event.data(), 2);
    // Most closes are a plugin going away. A message over kMaxFrameBytes
    // closes the connection too, but libzmq gives no event of its own for
    // it, so the line names no cause.
    if (id == ZMQ_EVENT_DISCONNECTED) spdlog::info("ingest: a connection closed ({})", address.to_string());
  }
}

void IngestFront::heartbeats() {
  const auto now = Clock::now();
  const auto interval = std::chrono::milliseconds(config_.heartbeat_ms);
  bool removed = false;
  for (auto it = peers_.begin(); it != peers_.end();) {
    if (now - it->second.last_seen > interval * config_.liveness) {
      spdlog::info("ingest: plugin {} disconnected (silent for {} ms)", it->second.plugin,
                   config_.heartbeat_ms * config_.liveness);
      it = peers_.erase(it);
      removed = true;
      continue;
    }
    if (now - it->second.last_sent >= interval) send(it->first, protocol::Heartbeat{});
    ++it;
  }
  // Counts and last_seen change with every message: the api's `plugins`
  // sees them at most a second old instead of a registry rebuilt per batch.
  if (removed || (!peers_.empty() && now >= next_registry_)) publish_registry();
}

void IngestFront::publish_registry() {
  const auto now = Clock::now();
  next_registry_ = now + std::chrono::seconds(1);
  const auto wall_now = Timestamp::now();
  json list = json::array();
  for (const auto& [id, p] : peers_) {
    const auto ago = std::chrono::duration_cast<std::chrono::seconds>(now - p.last_seen).count();
    list.push_back({{"plugin", p.plugin},
                    {"instance", p.instance},
                    {"version", p.version},
                    {"sources", p.sources},
                    {"connected_at", p.connected_at},
                    {"last_seen", Timestamp{wall_now.epoch - ago, wall_now.offset_minutes}.to_string()},
                    {"accepted", p.accepted},
                    {"duplicates", p.duplicates},
                    {"rejected", p.rejected},
                    {"in_flight", p.in_flight}});
  }
  std::lock_guard lock(registry_mutex_);
  registry_ = std::move(list);
}

}  // namespace suqiu::server
