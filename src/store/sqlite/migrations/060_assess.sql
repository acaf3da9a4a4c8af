-- SPDX-License-Identifier: Apache-2.0
-- Assessment 考核 (issue 16, include/gridgov/store_assess.h): scoring schemes by version,
-- frozen snapshots of published rankings chained by hash, appeals 申诉 against them, and
-- the indexes behind the counts per person that the case summaries do not keep.

-- A scheme's versions: an edit adds one valid from a day on; none is ever rewritten.
CREATE TABLE assess_scheme (
  kind       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,      -- CST day number
  body       TEXT NOT NULL,         -- the scheme's JSON
  author     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, version)
);

-- A closed period: the ranking as published, its scheme version, and a hash over the
-- previous snapshot's hash and the body.
CREATE TABLE assess_snapshot (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  period         TEXT NOT NULL,
  under          TEXT NOT NULL,
  from_day       INTEGER NOT NULL,
  to_day         INTEGER NOT NULL,
  scheme_version INTEGER NOT NULL,
  body           TEXT NOT NULL,
  hash           TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  closed_by      TEXT NOT NULL,
  closed_at      INTEGER NOT NULL,
  UNIQUE (kind, period, under, from_day)
);
CREATE TRIGGER assess_snapshot_no_update BEFORE UPDATE ON assess_snapshot
  BEGIN SELECT RAISE(ABORT, 'a published ranking is frozen'); END;
CREATE TRIGGER assess_snapshot_no_delete BEFORE DELETE ON assess_snapshot
  BEGIN SELECT RAISE(ABORT, 'a published ranking is frozen'); END;

CREATE TABLE assess_appeal (
  id          INTEGER PRIMARY KEY,
  snapshot_id INTEGER NOT NULL REFERENCES assess_snapshot(id),
  subject     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  evidence    TEXT NOT NULL DEFAULT '',
  by_user     INTEGER NOT NULL,
  by_name     TEXT NOT NULL,
  at          INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'rejected')),
  decided_by  TEXT NOT NULL DEFAULT '',
  decision    TEXT NOT NULL DEFAULT '',
  decided_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX assess_appeal_by_snapshot ON assess_appeal(snapshot_id, id);

-- the trail's entries of one action in a window (核查, 自处置, 立案, 派遣 by person), with
-- who and which case, so the count reads the index and the case, never the entry
CREATE INDEX case_log_by_action ON case_log(action, at, actor_id, case_id);
-- 督办 rounds opened in a window
CREATE INDEX supervision_by_opened ON supervision(opened_at);
-- corrections decided in a window
CREATE INDEX people_correction_by_decided ON people_correction(decided_at) WHERE state = 'approved';
