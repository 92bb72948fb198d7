// What the store keeps about a case, and what callers hand it. Plain data.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/intake_record.h"

namespace suqiu::store {

// A case ready to be stored: the validated intake plus everything the pipeline
// decided about it (classification, routing, deadline, duplicate suspicion).
struct NewCase {
  IntakeRecord record;
  std::string record_json;  // the intake as received, kept verbatim for the record
  RequestType request_type = RequestType::complaint;
  std::string category;
  std::string section;
  std::vector<std::string> assisting;
  Timestamp deadline;
  double confidence = 1.0;
  bool needs_review = false;
  std::optional<std::int64_t> duplicate_of;
  double duplicate_score = 0;
  std::optional<std::uint64_t> simhash;
  std::vector<std::string> objects;  // plates and routes the text names, canonical
  // Whether another case within the duplicate window named one of its plates
  // (routes): counted as a repeated complaint.
  bool repeats_plate = false, repeats_route = false;
  std::string taken_by;     // plugin or operator that brought it in
};

struct StoredCase {
  std::int64_t id = 0;
  std::string case_no;
  bool existing = false;  // already stored under (source, external_id)
  std::int64_t seq = 0;   // the history row of its intake: the event sequence
};

struct CaseSummary {
  std::int64_t id = 0;
  std::string case_no, source, external_id, request_type, category, section, status;
  std::string received_at, deadline, subject;
  std::int64_t received_ts = 0, deadline_ts = 0;
  std::string caller_name, caller_phone;
  bool anonymous = false, confidential = false, urgent = false, needs_review = false;
  std::optional<std::int64_t> duplicate_of;
  std::optional<std::int64_t> closed_ts;
  std::string escalation = "none";
  std::optional<std::int64_t> extension_days;
  std::string assisting_json = "[]";  // the assisting sections (协办), a JSON array
};

struct CaseEvent {
  std::int64_t id = 0;
  std::int64_t at_ts = 0;
  std::string actor, action;
  std::optional<std::string> from_status, to_status;
  std::string detail;  // JSON
};

struct CaseDetail {
  CaseSummary summary;
  std::string content, address, taken_by, record_json, assisting_json;
  std::optional<double> lat, lon;
  double confidence = 1;
  std::optional<double> duplicate_score;
  std::optional<std::string> satisfaction;
  std::vector<CaseEvent> history;
};

struct CaseFilter {
  std::optional<std::string> status, category, section, source, request_type;
  std::optional<std::int64_t> received_from_ts, received_to_ts;  // [from, to)
  std::optional<std::string> text;  // normalised search text
  // Open cases whose deadline is before this time (超期), through the
  // partial index of open cases by deadline.
  std::optional<std::int64_t> overdue_at;
  bool awaiting_callback = false;  // closed, no call-back recorded yet (待回访)
  int limit = 50;
  int offset = 0;
};

using CodeCounts = std::map<std::string, std::int64_t>;

struct Statistics {
  std::int64_t total = 0;
  CodeCounts by_source, by_request_type, by_category, by_section, by_status;
  std::int64_t duplicates = 0;
  std::int64_t closed_on_time = 0, closed_late = 0;
  std::int64_t callbacks = 0, satisfied = 0, basically_satisfied = 0, dissatisfied = 0;
  std::int64_t returns = 0;        // 退单 count
  std::int64_t needs_review = 0;
  // Cases naming a plate (route) that another case named within the
  // duplicate window before them: repeated complaints.
  std::int64_t repeat_plate = 0, repeat_route = 0;
  // For the 12328 assessment's indicators (DOMAIN.md): inquiries answered on
  // the call among all inquiries received, complaints and reports closed in
  // time, and their call-backs 满意 or 基本满意.
  std::int64_t answered_on_call = 0;
  std::int64_t complaints_closed_on_time = 0, complaints_closed_late = 0;
  std::int64_t complaint_callbacks = 0, complaint_callbacks_satisfied = 0;
  std::optional<double> on_time_rate() const;
  std::optional<double> satisfaction_rate() const;
  std::optional<double> inquiries_answered_on_call_rate() const;
  std::optional<double> complaints_on_time_rate() const;
  std::optional<double> complaints_satisfaction_rate() const;
  std::optional<double> return_rate() const;    // 退单率: returns per case received
  std::optional<double> callback_rate() const;  // 回访率: call-backs per case closed
};

// A change of state (or a same-state action such as 督办) with its history row.
struct CaseChange {
  std::int64_t case_id = 0;
  std::string actor;
  std::string action;
  std::string from_status;
  std::string to_status;
  std::string detail = "{}";
  // Optional field updates that come with the action.
  std::optional<std::string> section;
  std::optional<std::string> category;      // an operator's correction (reclassify)
  std::optional<std::string> request_type;  // likewise
  std::optional<std::string> assisting_json;
  std::optional<std::int64_t> deadline_ts;
  std::optional<std::string> deadline;
  std::optional<std::int64_t> duplicate_of;
  std::optional<std::string> satisfaction;
  std::optional<std::string> escalation;    // none, warning, reminder, supervision
  std::optional<std::int64_t> extension_days;  // a pending extension request (0 clears it)
  bool closing = false;  // sets closed_ts and counts on-time/late
  // A result owed to the upstream platform the case came from (JSON, protocol §4.5).
  std::optional<std::string> upstream_result;
  // The platform notice this change applies (protocol §4.6), recorded with it
  // so that the same notice is never applied twice.
  struct NoticeKey {
    std::string source, notice_id, kind;
  };
  std::optional<NoticeKey> notice;
};

struct OutboundResult {
  std::int64_t rid = 0;
  std::int64_t case_id = 0;
  std::string source;
  std::string body;
};

struct DeadLetter {
  std::string origin;  // file name, plugin name
  std::optional<std::int64_t> line;
  std::string code, field, reason;
  std::string raw;
};

// A plugin's answer to a RESULT it was sent: delivered upstream, or refused
// there for good.
struct ResultOutcome {
  std::int64_t rid = 0;
  bool delivered = true;
  std::string code, reason;
};

// A case's text for the full-text index: normalised subject and content.
struct CaseText {
  std::int64_t case_id = 0;
  std::string text;
};

// A case waiting for the full-text index, its text as stored.
struct UnindexedCase {
  std::int64_t case_id = 0;
  std::string subject, content;
};

// What the hub's in-memory duplicate index (RecentCases) is filled from at start.
struct RecentCase {
  std::int64_t case_id = 0;
  std::int64_t received_ts = 0;
  std::optional<std::uint64_t> simhash;
  std::string caller_phone, category;
  std::vector<std::string> objects;
};

// A case whose classification an operator corrected: training data.
struct Correction {
  std::string subject, content, category, request_type;
};

struct UserRecord {
  std::string name, role;
  std::optional<std::string> section;
  std::string password_hash;
  bool disabled = false;
};

}  // namespace suqiu::store
