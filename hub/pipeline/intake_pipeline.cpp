#include "intake_pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/lifecycle.h"

#include "classify/corpus.h"
#include "classify/normalizer.h"

namespace suqiu {

IntakePipeline::IntakePipeline(store::Store& writer, PipelineSettings settings,
                               std::shared_ptr<const classify::Classifier> classifier)
    : store_(writer),
      settings_(std::move(settings)),
      router_(settings_.router ? *settings_.router : classify::Router::defaults(settings_.taxonomy)),
      sla_(settings_.sla),
      classifier_(std::move(classifier)),
      judge_(settings_.duplicates),
      recent_(settings_.duplicates.window_seconds),
      full_text_(std::make_unique<FullTextIndexer>(writer)) {
  for (auto& c : store_.recent_cases(settings_.duplicates.window_seconds)) {
    if (!c.simhash) continue;  // stored without a fingerprint: nothing to compare
    classify::Fingerprint fp;
    fp.simhash = *c.simhash;
    fp.phone = classify::phone_key(c.caller_phone);
    fp.received_epoch = c.received_ts;
    fp.category = std::move(c.category);
    fp.objects = std::move(c.objects);
    recent_.add(c.case_id, fp);
  }
}

void IntakePipeline::set_classifier(std::shared_ptr<const classify::Classifier> classifier) {
  std::lock_guard lock(classifier_mutex_);
  classifier_ = std::move(classifier);
}

std::shared_ptr<const classify::Classifier> IntakePipeline::classifier() const {
  std::lock_guard lock(classifier_mutex_);
  return classifier_;
}

bool IntakePipeline::known_source(std::string_view source) const {
  return is_builtin_source(source) ||
         std::find(settings_.extra_sources.begin(), settings_.extra_sources.end(), source) !=
             settings_.extra_sources.end();
}

IntakePipeline::Prepared IntakePipeline::prepare(const RawIntake& raw) const {
  auto parsed = parse_intake(std::string_view(raw.bytes));
  if (auto* err = std::get_if<IntakeError>(&parsed)) return *err;
  auto& record = std::get<IntakeRecord>(parsed);
  if (!known_source(record.source))
    return IntakeError{"E_FIELD_INVALID", "source",
                       "field 'source' names an unknown source '" + record.source +
                           "' (known: 12345, 12328, reportbox, walkin, open311 and configured ones)"};
  if (record.category && !settings_.taxonomy.category(*record.category))
    return IntakeError{"E_FIELD_INVALID", "category",
                       "field 'category' names an unknown category '" + *record.category + "'"};

  PreparedCase p;
  store::NewCase& c = p.case_;
  // Normalised once: the classifier and the fingerprint read the same text.
  const std::string normalised = classify::normalise(classify::classification_text(record));
  classify::Suggestion s = classifier()->classify(record, normalised);
  c.category = s.category;
  c.request_type = s.request_type;
  c.confidence = std::min(s.category_confidence, s.type_confidence);
  c.needs_review = s.needs_review;
  classify::Routing routing = router_.route(record, c.category);
  c.section = routing.lead_section;
  c.assisting = routing.assisting_sections;
  c.deadline = sla_.deadline(c.request_type, record.received_at, record.deadline);
  p.fingerprint = classify::fingerprint(record, c.category, normalised);
  c.simhash = p.fingerprint.simhash;
  c.record_json = raw.bytes;
  c.taken_by = raw.taken_by.empty() ? raw.origin : raw.taken_by;
  c.record = std::move(record);
  return p;
}

std::vector<IntakeResult> IntakePipeline::submit(std::span<const RawIntake> batch) {
  std::vector<Prepared> prepared;
  prepared.reserve(batch.size());
  for (const auto& raw : batch) prepared.push_back(prepare(raw));
  return commit(batch, prepared);
}

std::vector<IntakeResult> IntakePipeline::commit(std::span<const RawIntake> batch,
                                                 std::vector<Prepared>& all_prepared,
                                                 std::span<const store::DeadLetter> extra_dead,
                                                 std::span<const store::ResultOutcome> result_outcomes) {
  std::vector<IntakeResult> results(batch.size());
  std::vector<store::NewCase> cases;
  std::vector<classify::Fingerprint> fingerprints;  // parallel to `cases`
  std::vector<std::size_t> case_index;  // position in `batch` of each case
  std::vector<store::DeadLetter> dead;
  cases.reserve(batch.size());

  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& prepared = all_prepared[i];
    if (auto* err = std::get_if<IntakeError>(&prepared)) {
      results[i].kind = IntakeResult::Kind::rejected;
      results[i].error = *err;
      dead.push_back({batch[i].origin, batch[i].line, err->code, err->field, err->message,
                      batch[i].bytes});
      continue;
    }
    auto& p = std::get<PreparedCase>(prepared);
    cases.push_back(std::move(p.case_));
    fingerprints.push_back(std::move(p.fingerprint));
    case_index.push_back(i);
  }

  dead.insert(dead.end(), extra_dead.begin(), extra_dead.end());
  const std::size_t mark = recent_.mark();
  std::vector<store::StoredCase> stored;
  try {
    stored = store_.insert_cases(
        cases, dead,
        [&](store::NewCase& c, std::int64_t id) {
          check_duplicate(c, fingerprints[static_cast<std::size_t>(&c - cases.data())], id);
        },
        result_outcomes);
  } catch (...) {
    recent_.roll_back(mark);  // none of the batch was stored
    throw;
  }

  for (std::size_t k = 0; k < stored.size(); ++k) {
    IntakeResult& r = results[case_index[k]];
    r.kind = stored[k].existing ? IntakeResult::Kind::duplicate : IntakeResult::Kind::accepted;
    r.case_id = stored[k].id;
    r.case_no = stored[k].case_no;
    r.suspected_duplicate_of = cases[k].duplicate_of;
    r.seq = stored[k].seq;
    r.category = cases[k].category;
    r.section = cases[k].section;
    r.request_type = std::string(to_code(cases[k].request_type));
  }
  if (full_text_ && !stored.empty()) {
    try {
      while (full_text_->catch_up(kFullTextBatch) == kFullTextBatch) {
      }
    } catch (const std::exception& e) {
      // The cases are stored; the index catches up on the next commit.
      spdlog::warn("full-text index: {}", e.what());
    }
  }
  return results;
}

void IntakePipeline::leave_full_text_to_indexer() { full_text_.reset(); }

void IntakePipeline::check_duplicate(store::NewCase& c, const classify::Fingerprint& fp,
                                     std::int64_t id) {
  auto candidates = recent_.candidates(fp, judge_.options().text_max_hamming);
  // The index keeps closed cases too: the best match still open wins.
  for (const auto& m : judge_.matches(fp, candidates)) {
    auto summary = store_.case_summary(m.case_id);
    auto status = summary ? parse_case_status(summary->status) : std::nullopt;
    if (!status || !is_open(*status)) continue;
    c.duplicate_of = m.case_id;
    c.duplicate_score = m.score;
    break;
  }
  for (const auto& object : recent_.repeated_objects(fp))
    (classify::is_plate(object) ? c.repeats_plate : c.repeats_route) = true;
  c.objects = fp.objects;
  recent_.add(id, fp);
}

}  // namespace suqiu
