#include "writer.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include "pipeline/classifier_file.h"
#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "protocol/wire_codes.h"

namespace suqiu::server {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The answer to a message whose commit failed: transient, the plugin resends it.
IntakeError not_stored(std::string_view what) {
  return {std::string(protocol::code::internal), "", "the hub could not store the " + std::string(what) + "; send it again"};
}

// protocol §5.3 names supervision "overdue" on the wire.
std::string event_name(const std::string& level) { return level == "supervision" ? "overdue" : level; }

}  // namespace

Writer::Writer(zmq::context_t& context, const HubConfig& config, std::string hub_instance)
    : context_(context), config_(config), hub_instance_(std::move(hub_instance)) {}

Writer::~Writer() { stop(); }

void Writer::start() {
  std::filesystem::create_directories(config_.data_dir);
  store_ = std::make_unique<store::Store>(store::Store::database_file(config_.data_dir),
                                          store::Store::Access::writer);
  sla_ = std::make_unique<SlaPolicy>(config_.pipeline.sla);
  pipeline_ = std::make_unique<IntakePipeline>(
      *store_, config_.pipeline, load_classifier(config_.data_dir, &config_.raw, config_.pipeline.taxonomy));
  workflow_ = std::make_unique<CaseWorkflow>(*store_, config_.pipeline.taxonomy, *sla_);
  if (std::filesystem::exists(model_file(config_.data_dir)))
    model_time_ = std::filesystem::last_write_time(model_file(config_.data_dir));
  last_seq_ = store_->last_sequence();

  intake_pipe_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pair);
  intake_pipe_->bind(kWriterIntakeEndpoint);
  channel_ = std::make_unique<BatchChannel>(*intake_pipe_);
  const std::string wake = "inproc://suqiu-writer-wake-" + hub_instance_;
  wake_recv_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pull);
  wake_recv_->bind(wake);
  wake_send_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::push);
  wake_send_->set(zmq::sockopt::linger, 0);
  wake_send_->connect(wake);

  events_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pub);
  protocol::configure_server_socket(*events_);
  if (config_.server_keys) protocol::apply_curve_server(*events_, *config_.server_keys);
  events_->bind(config_.events);

  store_->set_auto_checkpoint(false);
  pipeline_->leave_full_text_to_indexer();
  running_ = true;
  thread_ = std::thread([this] { loop(); });
  checkpoint_thread_ = std::thread([this, file = store::Store::database_file(config_.data_dir)] {
    pthread_setname_np(pthread_self(), "hub-checkpoint");
    // A failed pass is tried again on the next round: without checkpoints the
    // WAL only grows until the writer's final one. Logged when it starts
    // failing and when it works again, not every 100 ms.
    std::unique_ptr<store::Checkpointer> checkpointer;
    bool failing = false;
    while (running_) {
      try {
        if (!checkpointer) checkpointer = std::make_unique<store::Checkpointer>(file);
        checkpointer->run_once();
        // The writer copies what the pass could not hold (checkpoint_rest)
        // after its next batch, whatever the pass reported: it saw the WAL
        // as it was when it began.
        checkpoint_passed_ = true;
        if (std::exchange(failing, false)) spdlog::info("checkpointer: checkpoints work again");
      } catch (const std::exception& e) {
        if (!std::exchange(failing, true)) spdlog::error("checkpointer: {}; trying again", e.what());
      }
      std::this_thread::sleep_for(kCheckpointEvery);
    }
  });
}

void Writer::stop() {
  if (!thread_.joinable()) return;  // never started, or stopped already
  // running_ is false already when the writer stopped on its own (FrontFailure).
  if (running_.exchange(false)) {
    std::lock_guard lock(wake_mutex_);
    try {
      wake_send_->send(zmq::str_buffer("stop"), zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
      // The context was shut down: the loop ends at its next poll.
      spdlog::debug("writer: stopping without a wake-up: {}", e.what());
    }
  }
  if (thread_.joinable()) thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  channel_->discard_waiting();  // batches the front sent after our last turn: their plugins resend
  try {
    store_->checkpoint_truncate();
  } catch (const std::exception& e) {
    spdlog::warn("writer: final checkpoint: {}", e.what());  // the next start replays the WAL
  }
  // Calls that raced with the stop are answered with an exception, not left hanging.
  std::lock_guard lock(calls_mutex_);
  calls_.clear();
}

std::string Writer::events_endpoint() const { return events_->get(zmq::sockopt::last_endpoint); }

ActionOutcome Writer::apply_action(const Viewer& actor, std::int64_t case_id,
                                   const std::string& action, const json& args) {
  ActionOutcome outcome;
  run_on_writer([&] {
    outcome = workflow_->apply(actor, case_id, action, args);
    if (!outcome.ok) return;
    auto c = outcome.case_json;
    publish(outcome.seq, case_id, outcome.event,
            {{"status", c["status"]}, {"section", c["section"]}, {"actor", actor.name},
             {"case_number", c["case_no"]}, {"data", json::object()}});
    if (outcome.result_queued) push_results();
  });
  return outcome;
}

IntakeResult Writer::take_intake(RawIntake raw) {
  IntakeResult result;
  run_on_writer([&] {
    std::vector<RawIntake> one{std::move(raw)};
    result = std::move(pipeline_->submit(one).front());
    publish_created(result, one.front().taken_by);
  });
  return result;
}

void Writer::publish_created(const IntakeResult& r, const std::string& actor) {
  if (r.kind != IntakeResult::Kind::accepted) return;
  publish(r.seq, r.case_id, "created",
          {{"status", "received"}, {"section", r.section}, {"category", r.category},
           {"request_type", r.request_type}, {"case_number", r.case_no}, {"actor", actor},
           {"data", {{"duplicate_of", r.suspected_duplicate_of ? json(*r.suspected_duplicate_of) : json()}}}});
}

void Writer::run(std::function<void(store::Store&)> work) {
  run_on_writer([&] { work(*store_); });
}

void Writer::run_on_writer(const std::function<void()>& work) {
  std::packaged_task<void()> task(work);
  auto done = task.get_future();
  {
    // Checked under the lock that a writer stopping on its own takes to
    // clear the queue: a call is either refused here or answered there.
    std::lock_guard lock(calls_mutex_);
    if (!running_) throw std::runtime_error("the hub's writer is not running");
    calls_.push_back(std::move(task));
  }
  {
    std::lock_guard lock(wake_mutex_);
    wake_send_->send(zmq::str_buffer("call"), zmq::send_flags::dontwait);
  }
  done.get();  // rethrows what the work threw
}

void Writer::loop() {
  pthread_setname_np(pthread_self(), "hub-writer");
  try {
    serve();
  } catch (const std::exception& e) {
    // Each batch, call and timer round is handled inside serve()'s own try;
    // reaching here means the writer's sockets failed.
    if (failure_) failure_->report("writer", e.what());
    std::lock_guard lock(calls_mutex_);
    running_ = false;
    calls_.clear();  // their callers get an exception (a broken promise), not a hang
  }
}

void Writer::serve() {
  spdlog::debug("writer: started at sequence {}", last_seq_.load());
  auto next_heartbeat = Clock::now();
  auto next_escalation = Clock::now();
  auto next_model_check = Clock::now() + std::chrono::seconds(5);
  auto next_results = Clock::now() + std::chrono::seconds(5);
  std::vector<std::unique_ptr<IngestBatch>> batches;
  while (running_) {
    auto now = Clock::now();
    auto wait = std::min({next_heartbeat, next_escalation, next_model_check, next_results}) - now;
    auto timeout = std::max<long>(1, std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
    zmq::pollitem_t items[] = {{intake_pipe_->handle(), 0, ZMQ_POLLIN, 0},
                               {wake_recv_->handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 2, std::chrono::milliseconds(timeout));
    try {
      if (items[0].revents & ZMQ_POLLIN) {
        // Every batch the front queued while we were committing shares one
        // transaction (group commit); a steady stream also waits a moment.
        const std::size_t intakes = take_batches(batches);
        const auto arrived = Clock::now();
        if (intakes > 0 && intakes < kGatherBelow && arrived - last_intake_ <= kStreamGap &&
            protocol::wait_readable(*intake_pipe_, kGatherWait))
          take_batches(batches);
        if (intakes > 0) last_intake_ = arrived;
        handle_ingest(batches);
        batches.clear();
        if (checkpoint_passed_.exchange(false)) checkpoint_rest();
      }
      if (items[1].revents & ZMQ_POLLIN) {
        zmq::message_t m;
        while (wake_recv_->recv(m, zmq::recv_flags::dontwait)) {
        }
        handle_calls();
      }
      now = Clock::now();
      if (now >= next_heartbeat) {
        publish_heartbeat();
        next_heartbeat = now + std::chrono::seconds(1);
      }
      if (now >= next_escalation) {
        escalate();
        next_escalation = now + std::chrono::seconds(config_.escalation_interval_s);
      }
      if (now >= next_model_check) {
        reload_model_if_changed();
        next_model_check = now + std::chrono::seconds(5);
      }
      if (now >= next_results) {
        push_results();  // resend what upstream has not acknowledged yet
        next_results = now + std::chrono::seconds(5);  // the front resends after 30 s
      }
    } catch (const std::exception& e) {
      // The writer must keep serving; the failed batch was answered E_INTERNAL.
      spdlog::error("writer: {}", e.what());
    }
  }
  handle_calls();  // do not leave a caller waiting
  spdlog::debug("writer: stopped at sequence {}", last_seq_.load());
}

// Takes what the front has queued; returns how many intakes it holds.
std::size_t Writer::take_batches(std::vector<std::unique_ptr<IngestBatch>>& batches) {
  std::size_t intakes = 0;
  while (auto b = channel_->try_receive()) {
    intakes += b->intakes.size();
    batches.push_back(std::move(b));
  }
  return intakes;
}

void Writer::handle_ingest(std::vector<std::unique_ptr<IngestBatch>>& batches) {
  // Intakes (and the notices' and plugins' bad input, as dead letters) commit
  // together; the notices that parse are applied after, in order, each in a
  // transaction of its own: a notice follows the intake it is about.
  std::vector<RawIntake> raw;
  std::vector<IntakePipeline::Prepared> prepared;
  std::vector<store::DeadLetter> dead;
  std::vector<std::pair<IngestBatch::Item*, PlatformNotice>> notices;
  for (auto& b : batches) {
    for (auto& item : b->intakes) {
      if (!item.notice) {
        prepared.push_back(item.prepared ? std::move(*item.prepared) : pipeline_->prepare(item.raw));
        raw.push_back(std::move(item.raw));
        continue;
      }
      auto parsed = parse_notice(item.raw.bytes);
      if (auto* n = std::get_if<PlatformNotice>(&parsed)) {
        notices.emplace_back(&item, std::move(*n));
      } else {
        const auto& err = std::get<IntakeError>(parsed);
        item.result.error = err;  // kind stays rejected
        dead.push_back({item.raw.origin + " (notice)", std::nullopt, err.code, err.field, err.message, item.raw.bytes});
      }
    }
    dead.insert(dead.end(), b->dead_letters.begin(), b->dead_letters.end());
  }
  std::vector<store::ResultOutcome> outcomes;
  for (auto& b : batches) outcomes.insert(outcomes.end(), b->result_acks.begin(), b->result_acks.end());
  std::vector<IntakeResult> results;
  bool committed = true;
  try {
    if (!raw.empty() || !dead.empty() || !outcomes.empty())
      results = pipeline_->commit(raw, prepared, dead, outcomes);
  } catch (const std::exception& e) {
    // One transaction, rolled back: nothing of this batch was stored. Every
    // intake is answered E_INTERNAL (transient) and its plugin resends; the
    // results stay pending and are sent again.
    spdlog::error("writer: batch of {} intakes failed, none stored: {}", raw.size(), e.what());
    committed = false;
    results.assign(raw.size(), IntakeResult{});
    for (auto& r : results)
      r.error = not_stored("batch");
  }
  batches_ += 1;

  std::size_t k = 0;
  for (auto& b : batches)
    for (auto& item : b->intakes) {
      if (item.notice) {
        // A bad notice's dead letter went with the batch: refused only if it is stored.
        if (!committed && !item.result.error.code.empty())
          item.result.error = not_stored("batch");
        continue;
      }
      item.result = std::move(results[k]);
      publish_created(item.result, raw[k].taken_by);
      ++k;
    }
  bool store_failed = !committed;
  for (auto& [item, notice] : notices) item->result = take_notice(notice, item->raw.bytes, store_failed);
  for (auto& b : batches) {
    if (b->want_results) attach_results(*b);
    hand_back(std::move(b));
  }
}

// One platform notice, committed on its own. After a failed commit in the
// same turn the rest are answered "try again" without trying (one log line).
IntakeResult Writer::take_notice(const PlatformNotice& notice, const std::string& notice_bytes,
                                 bool& store_failed) {
  IntakeResult r;
  if (!store_failed) {
    try {
      auto out = workflow_->apply_notice(notice);
      if (out.ok) {
        r.kind = out.duplicate ? IntakeResult::Kind::duplicate : IntakeResult::Kind::accepted;
        r.case_id = out.case_id;
        r.case_no = out.case_no;
        if (!out.duplicate)
          publish(out.seq, out.case_id, out.event,
                  {{"status", out.status}, {"section", out.section}, {"case_number", out.case_no},
                   {"actor", "platform:" + notice.source},
                   {"data", {{"notice_id", notice.notice_id}}}});
        return r;
      }
      r.error = {out.code, out.field, out.message};
      // Kept, as any refused input: the platform spoke of a case we do not have.
      store::DeadLetter letter{notice.source + " (notice)", std::nullopt, out.code, out.field, out.message,
                               notice_bytes};
      store_->record_dead_letters(std::span(&letter, 1));
      return r;
    } catch (const std::exception& e) {
      spdlog::error("writer: notice {} from {} failed, not applied: {}", notice.notice_id, notice.source, e.what());
      store_failed = true;
    }
  }
  r.error = not_stored("notice");
  return r;
}

// Never block for good handing a batch back: once the hub stops, the front has
// closed its end of the pair. Then the batch is dropped (its intakes are
// stored; the plugin resends and is acked duplicate:true).
void Writer::hand_back(std::unique_ptr<IngestBatch> b) {
  while (!channel_->try_send(b)) {
    if (!running_) return;  // dropped with `b`
    zmq::pollitem_t out[] = {{intake_pipe_->handle(), 0, ZMQ_POLLOUT, 0}};
    zmq::poll(out, 1, std::chrono::milliseconds(100));
  }
}

void Writer::attach_results(IngestBatch& b) {
  b.results = store_->pending_results(500);
  b.results_attached = true;
}

void Writer::push_results() {
  auto b = std::make_unique<IngestBatch>();
  attach_results(*b);
  if (b->results.empty()) return;
  // Never block the writer on this: without a front (or with a full pipe)
  // the results wait for the next round; they stay pending in the store.
  channel_->try_send(b);
}

void Writer::handle_calls() {
  std::deque<std::packaged_task<void()>> calls;
  {
    std::lock_guard lock(calls_mutex_);
    calls.swap(calls_);
  }
  for (auto& task : calls) task();
}

void Writer::publish(std::int64_t seq, std::int64_t case_id, const std::string& event, json body) {
  body["seq"] = seq;
  body["case_id"] = case_id;
  body["event"] = event;
  body["at"] = Timestamp::now().to_string();
  protocol::send_frames(*events_, protocol::encode_event({protocol::case_topic(case_id, event), seq, body}),
                        zmq::send_flags::dontwait);
  if (seq > last_seq_) last_seq_ = seq;
}

void Writer::publish_heartbeat() {
  const std::int64_t seq = last_seq_;
  protocol::send_frames(*events_,
                        protocol::encode_event({std::string(protocol::kHeartbeatTopic), seq,
                                                {{"seq", seq}, {"hub", hub_instance_}}}),
                        zmq::send_flags::dontwait);
}

void Writer::escalate() {
  for (const auto& e : workflow_->escalate(Timestamp::now())) {
    auto c = store_->case_summary(e.case_id);
    publish(e.seq, e.case_id, event_name(e.level),
            {{"status", c->status}, {"section", c->section}, {"case_number", c->case_no},
             {"actor", "system"}, {"data", {{"deadline", c->deadline}}}});
    spdlog::info("case {} {}: deadline {}", c->case_no, e.level, c->deadline);
  }
}

// What the checkpointer's pass left, copied between two commits. Its failure
// costs no intake (they are committed); logged when it starts and ends.
void Writer::checkpoint_rest() {
  try {
    store_->checkpoint_rest();
    if (std::exchange(checkpoint_rest_failing_, false)) spdlog::info("writer: checkpoints work again");
  } catch (const std::exception& e) {
    if (!std::exchange(checkpoint_rest_failing_, true)) spdlog::error("writer: checkpoint: {}", e.what());
  }
}

void Writer::reload_model_if_changed() {
  auto file = model_file(config_.data_dir);
  std::error_code ec;
  auto t = std::filesystem::last_write_time(file, ec);
  if (ec || t == model_time_) return;
  try {
    pipeline_->set_classifier(load_classifier(config_.data_dir, &config_.raw, config_.pipeline.taxonomy));
    model_time_ = t;
    spdlog::info("classifier: loaded the retrained model {}", file.string());
  } catch (const std::exception& e) {
    model_time_ = t;  // do not retry a broken file every 5 s; the next write changes the time
    spdlog::error("classifier: keeping the current model: {}", e.what());
  }
}

}  // namespace suqiu::server
