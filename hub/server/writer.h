// The writer actor: the one thread that owns the SQLite write connection
// (STYLE.md §2). It runs the intake pipeline on the batches the ingest front
// hands it (one transaction per drained set of batches: group commit), applies
// case actions for the api, publishes every change on the events socket with
// its sequence number, runs the deadline timers, and reloads the classifier
// when `suqiu classify --train` writes a new model.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "batch_channel.h"
#include "front_failure.h"
#include "hub_config.h"
#include "pipeline/case_workflow.h"
#include "pipeline/intake_pipeline.h"

namespace suqiu::server {

// The endpoint of the inproc pair between the ingest front and the writer.
inline constexpr const char* kWriterIntakeEndpoint = "inproc://suqiu-writer-intake";

class Writer {
 public:
  Writer(zmq::context_t& context, const HubConfig& config, std::string hub_instance);
  ~Writer();  // stops the thread
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Binds the inproc pair and the events socket, then starts the thread.
  void start();
  void stop();
  // Where this front reports that it cannot go on (set before start()).
  void set_failure(FrontFailure* failure) { failure_ = failure; }

  // Runs a case action on the writer thread; any thread may call it and waits
  // for the outcome. Publishes the event.
  ActionOutcome apply_action(const Viewer& actor, std::int64_t case_id, const std::string& action,
                             const nlohmann::json& args);
  // Stores one intake taken by a person at the desk (the api's case.create):
  // the intake pipeline as for any feed, `taken_by` the signed-in user, the
  // "created" event published; any thread may call it and waits for the
  // commit. A record already stored comes back as a duplicate.
  IntakeResult take_intake(RawIntake raw);
  // Runs arbitrary store work on the writer thread (user management, audit
  // entries for protected reads); waits for it.
  void run(std::function<void(store::Store&)> work);

  std::int64_t last_sequence() const { return last_seq_.load(); }
  // For preparing intakes on other threads (valid after start()).
  const IntakePipeline& pipeline() const { return *pipeline_; }
  // The events socket's bound endpoint (useful with tcp://127.0.0.1:*).
  std::string events_endpoint() const;
  std::uint64_t batches() const { return batches_.load(); }

 private:
  void loop();
  void serve();
  void run_on_writer(const std::function<void()>& work);
  std::size_t take_batches(std::vector<std::unique_ptr<IngestBatch>>& batches);
  void handle_ingest(std::vector<std::unique_ptr<IngestBatch>>& batches);
  IntakeResult take_notice(const PlatformNotice& notice, const std::string& notice_bytes, bool& store_failed);
  void hand_back(std::unique_ptr<IngestBatch> batch);
  void handle_calls();
  void attach_results(IngestBatch& batch);
  void push_results();
  void publish(std::int64_t seq, std::int64_t case_id, const std::string& event,
               nlohmann::json body);
  void publish_created(const IntakeResult& r, const std::string& actor);
  void publish_heartbeat();
  void escalate();
  void reload_model_if_changed();
  void checkpoint_rest();

  zmq::context_t& context_;
  const HubConfig& config_;
  std::string hub_instance_;
  std::thread thread_;
  std::thread checkpoint_thread_;  // keeps checkpoints out of the commit path
  std::atomic<bool> checkpoint_passed_{false};  // ... but the writer copies what it left
  std::atomic<bool> running_{false};
  std::atomic<std::int64_t> last_seq_{0};
  std::atomic<std::uint64_t> batches_{0};

  // Group commit under a steady stream: when the batches waiting hold fewer
  // than kGatherBelow intakes and intakes came kStreamGap or less apart, the
  // writer waits up to kGatherWait for the next before it commits. At 2,000
  // intakes/s that made commits 40% fewer and the hub's CPU 13-15% less, for
  // half a millisecond more at the median (bench_ingest); a lone intake, or
  // a flood, is committed at once.
  static constexpr std::size_t kGatherBelow = 4;
  static constexpr std::chrono::milliseconds kStreamGap{2};
  static constexpr std::chrono::microseconds kGatherWait{300};
  std::chrono::steady_clock::time_point last_intake_{};  // writer thread only

  // Between checkpoint passes. Each pass makes the disk write back what the
  // commits since the last one changed, and a commit's own sync waits behind
  // that: bench_ingest at 2,000 intakes/s had an ack p99 of 4.7-7.5 ms with
  // passes every 100 ms where every 250 ms gave 5.3-10.4 ms (six interleaved
  // pairs of runs, 100 ms lower in each), and every second 7.9-11.2 ms.
  static constexpr std::chrono::milliseconds kCheckpointEvery{100};

  // Calls from other threads: a queue plus a wake-up on an inproc socket.
  std::mutex calls_mutex_;
  std::deque<std::packaged_task<void()>> calls_;
  std::unique_ptr<zmq::socket_t> wake_send_;  // guarded by wake_mutex_
  std::mutex wake_mutex_;

  // Owned by the writer thread once started.
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<IntakePipeline> pipeline_;
  std::unique_ptr<CaseWorkflow> workflow_;
  std::unique_ptr<SlaPolicy> sla_;
  std::unique_ptr<zmq::socket_t> intake_pipe_;
  std::unique_ptr<BatchChannel> channel_;  // over intake_pipe_
  std::unique_ptr<zmq::socket_t> wake_recv_;
  std::unique_ptr<zmq::socket_t> events_;
  std::filesystem::file_time_type model_time_{};
  FrontFailure* failure_ = nullptr;
  bool checkpoint_rest_failing_ = false;  // writer thread only
};

}  // namespace suqiu::server
