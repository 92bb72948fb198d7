#include "sdk/feed_client.h"

#include <algorithm>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "protocol/utf8.h"
#include "protocol/wire_codes.h"

namespace suqiu::sdk {

namespace code = protocol::code;
using protocol::Message;

namespace {

std::string random_instance_id() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 2; ++i) {
    std::uint64_t v = gen();
    for (int j = 0; j < 16; ++j, v >>= 4) id.push_back(hex[v & 0xF]);
  }
  return id;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

FeedClient::FeedClient(zmq::context_t& context, FeedOptions options)
    : context_(context),
      options_(std::move(options)),
      outbox_(options_.outbox, options_.durability),
      instance_(random_instance_id()),
      heartbeat_(options_.heartbeat),
      liveness_(std::max(1, options_.liveness)),
      window_(std::max(1, options_.window)),
      reconnect_delay_(options_.reconnect_min) {
  if (options_.plugin.empty()) throw std::invalid_argument("FeedClient: the plugin needs a name");
  pending_ = outbox_.pending_count();
  if (pending_ > 0)
    spdlog::info("feed {}: {} intakes left in the outbox from an earlier run will be resent",
                 options_.plugin, pending_);
}

FeedClient::~FeedClient() {
  try {
    outbox_.commit();
  } catch (const OutboxError& e) {
    spdlog::error("feed {}: outbox commit on shutdown failed: {}", options_.plugin, e.what());
  }
  if (socket_ && state_ != State::disconnected) {
    try {
      socket_->set(zmq::sockopt::linger, 200);
      protocol::send_frames(*socket_, protocol::encode(protocol::Bye{"shutdown"}),
                            zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
      // Saying goodbye is a courtesy: the hub's liveness check covers its absence.
      spdlog::debug("feed {}: BYE not sent: {}", options_.plugin, e.what());
    }
  }
}

// ---- producer side --------------------------------------------------------

std::string FeedClient::submit(std::string_view record_json) { return stage(record_json, MessageKind::intake); }

std::string FeedClient::submit_notice(std::string_view notice_json) {
  return stage(notice_json, MessageKind::notice);
}

std::string FeedClient::stage(std::string_view record_json, MessageKind kind) {
  ++counters_.submitted;
  std::string cid;
  std::string_view rejected_code;
  std::string reason;
  if (record_json.size() > protocol::kMaxBodyBytes) {
    rejected_code = code::too_large;
    reason = "intake record exceeds " + std::to_string(protocol::kMaxBodyBytes) + " bytes";
  } else if (!protocol::is_valid_utf8(record_json)) {
    rejected_code = code::bad_utf8;
    reason = "intake record is not valid UTF-8";
  }
  if (!rejected_code.empty()) {
    cid = outbox_.add_rejected(record_json, rejected_code, "", reason);
    ++counters_.rejected;
    ++counters_.rejected_by_code[std::string(rejected_code)];
    spdlog::warn("feed {}: intake {} refused before sending: {} {}", options_.plugin, cid,
                 rejected_code, reason);
    if (outcome_handler_)
      outcome_handler_({IntakeOutcome::Kind::rejected, cid, 0, {}, std::string(rejected_code), {}, reason});
    return cid;
  }
  cid = outbox_.add(record_json, kind);
  ++pending_;
  if (++staged_ >= options_.commit_every) poll(Millis(0));  // commit, send, take acks
  return cid;
}

void FeedClient::sync() {
  outbox_.commit();
  staged_ = 0;
  last_sync_ = Clock::now();
}

// Submits are committed before they are sent. Acks, resend attempts and
// refusals ride along with them, or wait at most kLazyCommit: one lost in a
// crash costs a resend that the hub answers as a duplicate. While a feed
// streams this halves the outbox's commits, and with them the WAL it writes
// and the checkpoints that stall the loop.
void FeedClient::sync_if_due() {
  constexpr auto kLazyCommit = Millis(100);
  if (staged_ > 0 || Clock::now() - last_sync_ >= kLazyCommit) sync();
}

bool FeedClient::flush(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  sync();
  while (pending_ > 0) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) break;
    poll(std::min(left, Millis(100)));
  }
  sync();
  return pending_ == 0;
}

// ---- the loop ---------------------------------------------------------------

void FeedClient::poll(std::chrono::microseconds timeout) {
  sync_if_due();
  auto now = Clock::now();
  if (state_ == State::disconnected && now >= reconnect_at_) connect();
  if (state_ == State::ready) fill_window();

  using std::chrono::microseconds;
  const auto until_timer = std::chrono::duration_cast<microseconds>(next_timer() - Clock::now());
  const auto wait = std::max(microseconds(0), std::min(timeout, until_timer));
  if (socket_) {
    if (protocol::wait_readable(*socket_, wait)) receive_all();
  } else if (wait.count() > 0) {
    std::this_thread::sleep_for(wait);
  }
  run_timers();
  if (state_ == State::ready) fill_window();
  sync_if_due();
}

FeedClient::Clock::time_point FeedClient::next_timer() const {
  auto t = Clock::now() + Millis(3'600'000);
  if (state_ == State::disconnected) return std::min(t, reconnect_at_);
  t = std::min(t, last_sent_ + heartbeat_);
  t = std::min(t, last_heard_ + heartbeat_ * liveness_);
  for (const auto& [seq, f] : in_flight_) t = std::min(t, f.deadline);
  if (state_ == State::ready && !retry_.empty() && static_cast<int>(in_flight_.size()) < window_)
    t = std::min(t, retry_.begin()->first);
  return t;
}

void FeedClient::connect() {
  socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
  protocol::configure_client_socket(*socket_);
  if (options_.client_keys)
    protocol::apply_curve_client(*socket_, *options_.client_keys, options_.server_public_key);
  socket_->connect(options_.endpoint);
  last_heard_ = Clock::now();  // the liveness clock starts now
  send_hello();
}

void FeedClient::disconnect(bool reconnect_later) {
  if (socket_) {
    socket_->set(zmq::sockopt::linger, 0);  // queued messages were for a hub that is gone
    socket_.reset();
  }
  state_ = State::disconnected;
  requeue_in_flight();
  reconnect_at_ = Clock::now() + (reconnect_later ? reconnect_delay_ : Millis(0));
  reconnect_delay_ = std::min(reconnect_delay_ * 2, options_.reconnect_max);
}

void FeedClient::send(const Message& m) {
  if (!socket_) return;
  if (protocol::send_frames(*socket_, protocol::encode(m), zmq::send_flags::dontwait))
    last_sent_ = Clock::now();
}

void FeedClient::send_hello() {
  requeue_in_flight();  // whatever was in flight went to a hub that does not know us
  protocol::Hello hello{options_.plugin, options_.version, instance_, {"intake"}, options_.sources};
  if (result_handler_) hello.capabilities.push_back("result");
  send(hello);
  state_ = State::registering;
  hello_sent_ = Clock::now();
}

void FeedClient::requeue_in_flight() {
  const auto now = Clock::now();
  for (const auto& [seq, f] : in_flight_) {
    attempts_[seq] = f.attempts;
    retry_.emplace(now, seq);
  }
  in_flight_.clear();
}

int FeedClient::attempts_of(std::int64_t seq) const {
  if (auto it = in_flight_.find(seq); it != in_flight_.end()) return it->second.attempts;
  if (auto it = attempts_.find(seq); it != attempts_.end()) return it->second;
  return 0;
}

bool FeedClient::send_intake(std::int64_t seq, std::string record, int attempts, MessageKind kind) {
  const auto frames = kind == MessageKind::notice
                          ? protocol::encode(protocol::Notice{std::to_string(seq), std::move(record)})
                          : protocol::encode(protocol::Intake{std::to_string(seq), std::move(record)});
  if (!protocol::send_frames(*socket_, frames, zmq::send_flags::dontwait)) {
    // The pipe to the hub is full: try again on the next turn.
    attempts_[seq] = attempts - 1;
    retry_.emplace(Clock::now(), seq);
    return false;
  }
  const auto now = Clock::now();
  last_sent_ = now;
  // Later attempts wait longer, so a slow hub is not buried in resends.
  in_flight_[seq] = {now + options_.ack_timeout * std::min(attempts, 4), attempts};
  attempts_.erase(seq);
  if (attempts > 1) {
    ++counters_.resent;
    outbox_.record_attempt(seq, attempts, wall_ms());
  }
  return true;
}

void FeedClient::fill_window() {
  const auto now = Clock::now();
  // Due resends first, oldest first.
  while (static_cast<int>(in_flight_.size()) < window_ && !retry_.empty() &&
         retry_.begin()->first <= now) {
    const auto seq = retry_.begin()->second;
    retry_.erase(retry_.begin());
    if (in_flight_.contains(seq)) continue;
    auto entry = outbox_.get(seq);
    if (!entry) {  // acked or rejected while it waited
      attempts_.erase(seq);
      continue;
    }
    if (!send_intake(seq, std::move(entry->record), attempts_of(seq) + 1, entry->kind)) return;
  }
  // Then new intakes, in order.
  while (static_cast<int>(in_flight_.size()) < window_) {
    auto batch = outbox_.pending_after(cursor_, static_cast<std::size_t>(window_) - in_flight_.size());
    if (batch.empty()) return;
    for (auto& e : batch) {
      cursor_ = e.seq;
      if (in_flight_.contains(e.seq)) continue;
      // attempts > 0: sent by an earlier run of this plugin.
      if (!send_intake(e.seq, std::move(e.record), e.attempts + 1, e.kind)) return;
    }
  }
}

void FeedClient::receive_all() {
  while (socket_) {
    auto frames = protocol::recv_frames(*socket_, zmq::recv_flags::dontwait);
    if (!frames) return;
    last_heard_ = Clock::now();  // any message is a sign of life
    auto decoded = protocol::decode(*frames, protocol::kClientLimits);
    if (auto* err = std::get_if<protocol::DecodeError>(&decoded)) {
      spdlog::warn("feed {}: undecodable message from the hub: {} {} ({})", options_.plugin, err->code,
                   err->field, err->reason);
      continue;
    }
    handle(std::get<Message>(decoded));
  }
}

void FeedClient::handle(const Message& m) {
  if (auto* ack = std::get_if<protocol::Ack>(&m)) return handle_ack(*ack);
  if (auto* nack = std::get_if<protocol::Nack>(&m)) return handle_nack(*nack);
  if (std::holds_alternative<protocol::Heartbeat>(m)) return;
  if (auto* w = std::get_if<protocol::Welcome>(&m)) {
    const bool restarted = !hub_instance_.empty() && w->hub != hub_instance_;
    if (state_ == State::ready && !restarted) return;  // answer to a repeated HELLO
    if (restarted) {
      ++counters_.hub_restarts;
      spdlog::info("feed {}: hub restarted ({} -> {}), resending {} in flight", options_.plugin,
                   hub_instance_, w->hub, in_flight_.size());
      requeue_in_flight();
    }
    hub_instance_ = w->hub;
    heartbeat_ = Millis(w->heartbeat_ms);
    liveness_ = std::max(1, w->liveness);
    window_ = std::max(1, std::min(options_.window, w->window));
    reconnect_delay_ = options_.reconnect_min;
    state_ = State::ready;
    ++counters_.registrations;
    spdlog::info("feed {}: registered with hub {} (window {}, heartbeat {} ms x {})", options_.plugin,
                 hub_instance_, window_, heartbeat_.count(), liveness_);
    return;
  }
  if (auto* r = std::get_if<protocol::Result>(&m)) return handle_result(*r);
  if (auto* e = std::get_if<protocol::Error>(&m)) return handle_error(*e);
  if (std::holds_alternative<protocol::Bye>(m)) {
    spdlog::info("feed {}: the hub said BYE; reconnecting", options_.plugin);
    return disconnect(true);
  }
  spdlog::warn("feed {}: unexpected {} from the hub", options_.plugin, protocol::type_name(m));
}

void FeedClient::handle_ack(const protocol::Ack& ack) {
  const auto seq = Outbox::seq_of(ack.cid);
  if (!seq) {
    spdlog::warn("feed {}: ACK for unknown cid '{}'", options_.plugin, ack.cid);
    return;
  }
  const int attempts = attempts_of(*seq);
  in_flight_.erase(*seq);
  attempts_.erase(*seq);
  if (!outbox_.remove(*seq)) return;  // a second ACK for a resent intake
  --pending_;
  if (ack.duplicate) {
    ++counters_.duplicates;
    if (attempts > 1) ++counters_.duplicates_after_resend;
  } else {
    ++counters_.accepted;
  }
  if (outcome_handler_)
    outcome_handler_({ack.duplicate ? IntakeOutcome::Kind::duplicate : IntakeOutcome::Kind::accepted,
                      ack.cid, ack.case_id, ack.case_number, {}, {}, {}});
}

void FeedClient::handle_nack(const protocol::Nack& nack) {
  const auto seq = Outbox::seq_of(nack.cid);
  if (!seq) {
    spdlog::warn("feed {}: NACK for unknown cid '{}'", options_.plugin, nack.cid);
    return;
  }
  if (code::is_transient(nack.code)) {
    const int attempts = attempts_of(*seq);
    in_flight_.erase(*seq);
    attempts_[*seq] = attempts;
    const auto delay = options_.busy_backoff * (1 << std::clamp(attempts - 1, 0, 6));
    retry_.emplace(Clock::now() + delay, *seq);
    ++counters_.transient_nacks;
    return;
  }
  in_flight_.erase(*seq);
  attempts_.erase(*seq);
  if (!outbox_.reject(*seq, nack.code, nack.field, nack.reason)) return;
  --pending_;
  ++counters_.rejected;
  ++counters_.rejected_by_code[nack.code];
  spdlog::warn("feed {}: intake {} rejected: {} {} ({})", options_.plugin, nack.cid, nack.code,
               nack.field, nack.reason);
  if (outcome_handler_)
    outcome_handler_({IntakeOutcome::Kind::rejected, nack.cid, 0, {}, nack.code, nack.field, nack.reason});
}

void FeedClient::handle_result(const protocol::Result& result) {
  auto ack = [&](bool delivered, std::string c, std::string reason) {
    send(protocol::ResultAck{result.rid, delivered, std::move(c), std::move(reason)});
  };
  if (auto status = outbox_.result_status(result.rid)) {
    // Seen before (our RESULT_ACK was lost): ack again, do not deliver twice.
    return ack(*status == "delivered", *status == "delivered" ? "" : "E_UPSTREAM", "");
  }
  if (!result_handler_) return ack(false, "E_UNSUPPORTED", "this plugin takes no results");
  ResultDelivery d;
  try {
    d = result_handler_(result);
  } catch (const std::exception& e) {
    spdlog::error("feed {}: result {} handler failed: {}; the hub will resend it", options_.plugin,
                  result.rid, e.what());
    return;
  }
  if (d.outcome == ResultDelivery::Outcome::retry_later) return;
  const bool delivered = d.outcome == ResultDelivery::Outcome::delivered;
  // Remember before acking: a crash between the two means one more redelivery,
  // which the record then answers without reaching the upstream again.
  outbox_.record_result(result.rid, delivered ? "delivered" : "failed");
  outbox_.commit();
  ++(delivered ? counters_.results_delivered : counters_.results_failed);
  ack(delivered, d.code, d.reason);
}

void FeedClient::handle_error(const protocol::Error& error) {
  if (error.code == code::not_registered) {
    if (state_ == State::ready) {
      spdlog::info("feed {}: the hub does not know us (restarted?); registering again", options_.plugin);
      send_hello();
    }
    return;
  }
  spdlog::error("feed {}: hub error {} ({}){}", options_.plugin, error.code, error.reason,
                error.cid.empty() ? "" : " for " + error.cid);
}

void FeedClient::run_timers() {
  if (state_ == State::disconnected) return;
  const auto now = Clock::now();
  if (now - last_heard_ > heartbeat_ * liveness_) {
    spdlog::warn("feed {}: no word from the hub for {} ms; reconnecting", options_.plugin,
                 std::chrono::duration_cast<Millis>(now - last_heard_).count());
    ++counters_.reconnects;
    disconnect(true);
    return;
  }
  // Acks overdue: resend.
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    if (it->second.deadline <= now) {
      attempts_[it->first] = it->second.attempts;
      retry_.emplace(now, it->first);
      it = in_flight_.erase(it);
    } else {
      ++it;
    }
  }
  if (now - last_sent_ >= heartbeat_) {
    // Until WELCOME, repeat the HELLO instead (the first may have gone to a
    // hub that was not there yet).
    if (state_ == State::registering) send_hello();
    else send(protocol::Heartbeat{});
  }
}

}  // namespace suqiu::sdk
