// One end of the inproc pair that hands IngestBatches between the ingest front
// and the writer, both ways. A batch crosses as its pointer (no copy of the
// intakes), and the types say who owns it: try_send() gives it away only when
// the pipe took it, try_receive() hands it over. Nothing else travels on the
// pair, so the receiver never has to trust bytes for a pointer it did not get
// from a BatchChannel.
#pragma once

#include <zmq.hpp>

#include <cstring>
#include <memory>

#include "ingest_batch.h"

namespace suqiu::server {

class BatchChannel {
 public:
  explicit BatchChannel(zmq::socket_t& end) : end_(end) {}

  // True: the batch is on its way and `batch` is empty. False: the pipe is
  // full (the other side is busy handing batches back); the caller keeps it.
  bool try_send(std::unique_ptr<IngestBatch>& batch) {
    IngestBatch* raw = batch.get();
    zmq::message_t m(&raw, sizeof raw);
    if (!end_.send(m, zmq::send_flags::dontwait)) return false;
    (void)batch.release();  // owned by the receiver now
    return true;
  }

  // The next batch, or nullptr when none is waiting.
  std::unique_ptr<IngestBatch> try_receive() {
    zmq::message_t m;
    if (!end_.recv(m, zmq::recv_flags::dontwait) || m.size() != sizeof(IngestBatch*)) return nullptr;
    IngestBatch* raw = nullptr;
    std::memcpy(&raw, m.data(), sizeof raw);
    return std::unique_ptr<IngestBatch>(raw);
  }

  // At shutdown: the batches the other side sent and nobody will take.
  void discard_waiting() {
    try {
      while (try_receive()) {
      }
    } catch (const zmq::error_t&) {
      // The context was shut down: the pipe and what was in it are gone.
    }
  }

  zmq::socket_t& socket() { return end_; }

 private:
  zmq::socket_t& end_;
};

}  // namespace suqiu::server
