// IngestBatch: what the ingest front hands the writer and the writer hands
// back, through a BatchChannel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/intake_pipeline.h"
#include "store/case_types.h"

namespace suqiu::server {

// What the ingest front hands the writer: intakes from any number of peers,
// and acknowledgements of results delivered upstream. Passed by pointer over
// an inproc pair (BatchChannel); the receiver owns it.
struct IngestBatch {
  struct Item {
    std::string peer;  // ZeroMQ routing id
    std::string cid;
    RawIntake raw;
    // Done by the ingest front's thread while the writer commits the batch
    // before (classification is the larger half of the work); the writer
    // prepares whatever comes without.
    std::optional<IntakePipeline::Prepared> prepared;
    bool notice = false;  // a platform's NOTICE (protocol §4.6), not an intake
    IntakeResult result;  // filled in by the writer
  };
  std::vector<Item> intakes;
  std::vector<store::DeadLetter> dead_letters;  // undecodable input that carried data
  std::vector<store::ResultOutcome> result_acks;
  bool want_results = false;  // the front asks for the results owed upstream
  // Filled by the writer when asked (or sent on its own after an action):
  // every result still owed upstream.
  std::vector<store::OutboundResult> results;
  bool results_attached = false;
};

}  // namespace suqiu::server
