#include "migrations.h"

#include <string>
#include <vector>

namespace suqiu::store {
namespace {

// Append only: never edit a migration that has shipped.
const std::vector<const char*> kMigrations = {
    // 1: cases, their history, audit chain, dead letters, counters, full text.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cases(
  id INTEGER PRIMARY KEY,
  case_no TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  received_ts INTEGER NOT NULL,
  request_type TEXT NOT NULL,
  category TEXT NOT NULL,
  section TEXT NOT NULL,
  assisting TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  deadline TEXT NOT NULL,
  deadline_ts INTEGER NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  caller_name TEXT NOT NULL DEFAULT '',
  caller_phone TEXT NOT NULL DEFAULT '',
  anonymous INTEGER NOT NULL DEFAULT 0,
  confidential INTEGER NOT NULL DEFAULT 0,
  address TEXT NOT NULL DEFAULT '',
  lat REAL,
  lon REAL,
  urgent INTEGER NOT NULL DEFAULT 0,
  confidence REAL NOT NULL DEFAULT 1,
  needs_review INTEGER NOT NULL DEFAULT 0,
  duplicate_of INTEGER REFERENCES cases(id),
  duplicate_score REAL,
  taken_by TEXT NOT NULL DEFAULT '',
  record TEXT NOT NULL,
  created_ts INTEGER NOT NULL,
  updated_ts INTEGER NOT NULL,
  closed_ts INTEGER,
  satisfaction TEXT,
  UNIQUE(source, external_id)
);
CREATE INDEX cases_by_received ON cases(received_ts, id);
CREATE INDEX cases_by_status ON cases(status, received_ts, id);
CREATE INDEX cases_by_section ON cases(section, received_ts, id);
CREATE INDEX cases_by_category ON cases(category, received_ts, id);
CREATE INDEX cases_by_source ON cases(source, received_ts, id);
CREATE INDEX cases_by_type ON cases(request_type, received_ts, id);
CREATE INDEX cases_open_by_deadline ON cases(deadline_ts)
  WHERE status IN ('received','assigned','accepted','replied','returned');

CREATE TABLE case_event(
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at_ts INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_event_by_case ON case_event(case_id, id);

CREATE TABLE audit(
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  case_id INTEGER,
  detail TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);

CREATE TABLE dead_letter(
  id INTEGER PRIMARY KEY,
  at_ts INTEGER NOT NULL,
  origin TEXT NOT NULL,
  line INTEGER,
  code TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  raw BLOB NOT NULL
);

-- Counters kept in the same transaction as the change they count, so that
-- statistics read a few hundred rows instead of scanning cases.
CREATE TABLE stat_counter(
  dim TEXT NOT NULL,
  code TEXT NOT NULL,
  day TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(dim, code, day)
) WITHOUT ROWID;

-- Subject and content as CJK bigrams and whole Latin/digit words, written by
-- the store (see FullText); contentless, the rowid is the case id.
CREATE VIRTUAL TABLE case_fts USING fts5(terms, content='', tokenize='unicode61 remove_diacritics 0');
)sql",
    // 2: users, and the near-duplicate index (SimHash bands + caller phone).
    R"sql(
CREATE TABLE users(
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  section TEXT,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_ts INTEGER NOT NULL
);
ALTER TABLE cases ADD COLUMN simhash INTEGER;
CREATE TABLE dup_band(
  band INTEGER NOT NULL,
  received_ts INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  PRIMARY KEY(band, received_ts, case_id)
) WITHOUT ROWID;
CREATE INDEX cases_by_phone ON cases(caller_phone, received_ts) WHERE caller_phone <> '';
)sql",
    // 3: results owed to upstream platforms, and the escalation level reached.
    R"sql(
CREATE TABLE outbound_result(
  rid INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  source TEXT NOT NULL,
  body TEXT NOT NULL,
  created_ts INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  code TEXT,
  reason TEXT,
  done_ts INTEGER
);
CREATE INDEX outbound_pending ON outbound_result(source, rid) WHERE status = 'pending';
ALTER TABLE cases ADD COLUMN escalation TEXT NOT NULL DEFAULT 'none';
ALTER TABLE cases ADD COLUMN extension_days INTEGER;
)sql",
    // 4: the near-duplicate lookup moved into the hub's memory (RecentCases);
    // it needs the plates and routes each case names, one per line.
    R"sql(
ALTER TABLE cases ADD COLUMN objects TEXT NOT NULL DEFAULT '';
DROP TABLE dup_band;
)sql",
    // 5: cases stored but not yet in the full-text index (the hub indexed
    // apart from the intake transaction; replaced by 6).
    R"sql(
CREATE TABLE fts_pending(case_id INTEGER PRIMARY KEY);
)sql",
    // 6: the full-text index moved to a file of its own (SearchIndex), which
    // indexes every case after the last one it holds: it starts empty and
    // catches up.
    R"sql(
DROP TABLE case_fts;
DROP TABLE fts_pending;
)sql",
    // 7: fewer indexes for each intake to update. No query looks cases up by
    // phone any more (the duplicate check keeps its own index in memory), and
    // source and request type have so few values that the newest-first
    // received_ts index finds a page of them quickly; their totals come from
    // stat_counter.
    R"sql(
DROP INDEX cases_by_phone;
DROP INDEX cases_by_source;
DROP INDEX cases_by_type;
)sql",
    // 8: counters keyed by day first. An intake adds to six or more counters
    // of its day; keyed (dim, code, day) they lay on as many pages, apart,
    // and statistics for a period read the whole table. Day first, one
    // commit touches a page or two, and a period is one range.
    R"sql(
CREATE TABLE stat_counter_by_day(
  day TEXT NOT NULL,
  dim TEXT NOT NULL,
  code TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(day, dim, code)
) WITHOUT ROWID;
INSERT INTO stat_counter_by_day(day, dim, code, n) SELECT day, dim, code, n FROM stat_counter;
DROP TABLE stat_counter;
ALTER TABLE stat_counter_by_day RENAME TO stat_counter;
)sql",
    // 9: the 12328 assessment's indicators need closings and call-backs per
    // request type and the inquiries answered on the call; counted at write
    // time from now on, and here from the history so far. Days are the
    // received day in Beijing time, as every counter's.
    R"sql(
INSERT INTO stat_counter(day, dim, code, n)
  SELECT date(c.received_ts + 28800, 'unixepoch'), 'answered_on_call', '', count(*)
  FROM case_event e JOIN cases c ON c.id = e.case_id
  WHERE e.action = 'close_directly' GROUP BY 1
  ON CONFLICT(day, dim, code) DO UPDATE SET n = n + excluded.n;
INSERT INTO stat_counter(day, dim, code, n)
  SELECT date(c.received_ts + 28800, 'unixepoch'), 'closed_by_type',
         c.request_type || CASE WHEN e.at_ts <= c.deadline_ts THEN ':on_time' ELSE ':late' END, count(*)
  FROM case_event e JOIN cases c ON c.id = e.case_id
  WHERE e.to_status = 'closed' AND e.action IN ('close_directly', 'approve_close') GROUP BY 1, 3
  ON CONFLICT(day, dim, code) DO UPDATE SET n = n + excluded.n;
INSERT INTO stat_counter(day, dim, code, n)
  SELECT date(c.received_ts + 28800, 'unixepoch'), 'callback_by_type',
         c.request_type || ':' || json_extract(e.detail, '$.satisfaction'), count(*)
  FROM case_event e JOIN cases c ON c.id = e.case_id
  WHERE e.action = 'callback' AND json_extract(e.detail, '$.satisfaction') IS NOT NULL GROUP BY 1, 3
  ON CONFLICT(day, dim, code) DO UPDATE SET n = n + excluded.n;
)sql",
    // 10: platforms' notices (protocol 1.1), applied once each: a resent
    // notice finds its row and changes nothing.
    R"sql(
CREATE TABLE IF NOT EXISTS platform_notice (
  source TEXT NOT NULL,
  notice_id TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  event_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  received_ts INTEGER NOT NULL,
  PRIMARY KEY (source, notice_id)
) WITHOUT ROWID;
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int schema_version(Connection& c) {
  auto st = c.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.int64(0));
}

void migrate(Connection& c, int target) {
  if (target < 0) target = latest_schema_version();
  int current = schema_version(c);
  if (current > latest_schema_version())
    throw StoreError(0, c.file().string() + " has schema version " + std::to_string(current) +
                            ", newer than this Suqiu (" +
                            std::to_string(latest_schema_version()) + "); upgrade Suqiu");
  for (int v = current; v < target; ++v) {
    Transaction txn(c);
    c.exec(kMigrations[v]);
    c.exec("PRAGMA user_version=" + std::to_string(v + 1));
    txn.commit();
  }
}

}  // namespace suqiu::store
