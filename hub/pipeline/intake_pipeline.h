// The one way in (STYLE.md §3): every intake, from any client, passes
// validate → normalise → classify → route → deadline → duplicate check → store
// with its audit entry, a batch per transaction. The hub's writer actor runs
// it on the batches its ingest front collects; the CLI's --data mode and the
// console's single-office mode run it in-process.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "classify/duplicate_judge.h"
#include "classify/recent_cases.h"
#include "classify/router.h"
#include "core/intake_record.h"
#include "core/sla_policy.h"
#include "core/taxonomy.h"
#include "full_text_indexer.h"
#include "store/store.h"

namespace suqiu {

// An intake as it arrived: the bytes, and where from (for dead letters).
struct RawIntake {
  std::string bytes;
  std::string origin;               // plugin name, or the file being ingested
  std::optional<std::int64_t> line; // line number within a file
  std::string taken_by;             // who brought it in (plugin, operator)
};

struct IntakeResult {
  enum class Kind { accepted, duplicate, rejected };
  Kind kind = Kind::rejected;
  std::int64_t case_id = 0;
  std::string case_no;
  IntakeError error;  // when rejected
  std::optional<std::int64_t> suspected_duplicate_of;
  std::int64_t seq = 0;  // the event sequence of a new case
  std::string category, section, request_type;  // what the pipeline decided
};

struct PipelineSettings {
  Taxonomy taxonomy = Taxonomy::builtin();
  std::vector<std::string> extra_sources;  // sources configured beyond DESIGN.md's
  std::optional<classify::Router> router;  // default: the taxonomy's sections
  SlaRules sla;
  classify::DuplicateOptions duplicates;
};

class IntakePipeline {
 public:
  // `writer` must be a writer Store owned by the calling thread. The cases of
  // the duplicate window are read from it once, into memory: from then on
  // this pipeline must be the only one storing cases in that database (the
  // hub's writer; the CLI's --data mode while no hub runs on the folder).
  IntakePipeline(store::Store& writer, PipelineSettings settings,
                 std::shared_ptr<const classify::Classifier> classifier);

  // The part of the work that needs no store (validate, normalise, classify,
  // route, deadline, fingerprint): the record made ready to insert, or why not.
  struct PreparedCase {
    store::NewCase case_;
    classify::Fingerprint fingerprint;
  };
  using Prepared = std::variant<PreparedCase, IntakeError>;

  // Validates and stores a batch in one transaction; results in input order.
  // Rejected records land in the dead-letter table with their raw bytes.
  std::vector<IntakeResult> submit(std::span<const RawIntake> batch);

  // The same in two steps, so that a hub can prepare on another thread while
  // the writer commits the previous batch. prepare() is safe from any thread;
  // commit() belongs to the thread that owns the writer Store. `prepared` is
  // consumed. `extra_dead` (undecodable input) and `result_outcomes` (the
  // plugins' answers to RESULTs) share the batch's transaction: the whole
  // batch is stored, or it throws and nothing of it is.
  Prepared prepare(const RawIntake& raw) const;
  std::vector<IntakeResult> commit(std::span<const RawIntake> batch, std::vector<Prepared>& prepared,
                                   std::span<const store::DeadLetter> extra_dead = {},
                                   std::span<const store::ResultOutcome> result_outcomes = {});

  // Without a hub, commit() brings the full-text index up to date before it
  // returns. The hub's writer calls this: its SearchIndexer thread does that
  // work, so that no acknowledgement waits for it.
  void leave_full_text_to_indexer();

  // Replaces the classifier (after `suqiu classify --train`) without a
  // restart; safe from any thread.
  void set_classifier(std::shared_ptr<const classify::Classifier> classifier);

  const PipelineSettings& settings() const { return settings_; }
  const SlaPolicy& sla() const { return sla_; }

 private:
  // Everything that needs no store: the record made ready to insert, or why not.
  std::shared_ptr<const classify::Classifier> classifier() const;
  bool known_source(std::string_view source) const;

  store::Store& store_;
  PipelineSettings settings_;
  classify::Router router_;
  SlaPolicy sla_;
  mutable std::mutex classifier_mutex_;
  std::shared_ptr<const classify::Classifier> classifier_;
  // The duplicate check for one case about to be stored under `id`.
  void check_duplicate(store::NewCase& c, const classify::Fingerprint& fp, std::int64_t id);

  classify::DuplicateJudge judge_;
  classify::RecentCases recent_;  // only commit() touches it
  static constexpr std::size_t kFullTextBatch = 1000;
  std::unique_ptr<FullTextIndexer> full_text_;  // null in the hub
};

}  // namespace suqiu
