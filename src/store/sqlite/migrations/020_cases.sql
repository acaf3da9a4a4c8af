-- SPDX-License-Identifier: Apache-2.0
-- Cases: the category catalog, cases, their hash-chained trail, whistles 吹哨报到,
-- supervision rounds 督办 and the points they deduct.

CREATE TABLE category (
  code                TEXT PRIMARY KEY,
  kind                TEXT NOT NULL,
  major_code          TEXT NOT NULL,
  major_name          TEXT NOT NULL,
  major_name_en       TEXT NOT NULL DEFAULT '',
  minor_code          TEXT NOT NULL,
  minor_name          TEXT NOT NULL,
  minor_name_en       TEXT NOT NULL DEFAULT '',
  name                TEXT NOT NULL,
  name_en             TEXT NOT NULL DEFAULT '',
  department          TEXT REFERENCES department(code),
  limit_general_h     INTEGER NOT NULL CHECK (limit_general_h > 0),
  limit_engineering_h INTEGER NOT NULL,
  limit_special_h     INTEGER NOT NULL,
  verify_min          INTEGER NOT NULL CHECK (verify_min > 0),
  urgency             TEXT NOT NULL DEFAULT 'normal',
  CHECK (limit_general_h <= limit_engineering_h AND limit_engineering_h <= limit_special_h)
);

CREATE TABLE gcase (
  id              INTEGER PRIMARY KEY,
  category        TEXT NOT NULL REFERENCES category(code),
  description     TEXT NOT NULL,
  lon             REAL,
  lat             REAL,
  address         TEXT NOT NULL DEFAULT '',
  channel         TEXT NOT NULL,
  grid            TEXT NOT NULL REFERENCES grid(code),
  community       TEXT NOT NULL DEFAULT '',
  street          TEXT NOT NULL DEFAULT '',
  level           INTEGER NOT NULL,          -- the grid level handling it (escalation moves it up)
  state           TEXT NOT NULL,
  department      TEXT REFERENCES department(code),
  proposed_dept   TEXT,
  reporter_id     INTEGER,
  reporter        TEXT NOT NULL DEFAULT '',
  merged_into     INTEGER REFERENCES gcase(id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  stage_started   INTEGER NOT NULL,
  deadline        INTEGER NOT NULL DEFAULT 0, -- of the current stage; 0 = none
  ext_pending     INTEGER NOT NULL DEFAULT 0,
  ext_hours       INTEGER NOT NULL DEFAULT 0,
  extended        INTEGER NOT NULL DEFAULT 0,
  reopened        INTEGER NOT NULL DEFAULT 0,
  rating          TEXT NOT NULL DEFAULT '',
  supervision     INTEGER NOT NULL DEFAULT 0, -- rounds opened on the current stage
  dispatches      INTEGER NOT NULL DEFAULT 0,
  returns         INTEGER NOT NULL DEFAULT 0,
  reworks         INTEGER NOT NULL DEFAULT 0,
  filed_at        INTEGER NOT NULL DEFAULT 0,
  filed_on_time   INTEGER NOT NULL DEFAULT 0,
  handled_at      INTEGER NOT NULL DEFAULT 0,
  handled_on_time INTEGER NOT NULL DEFAULT 0,
  closed_at       INTEGER NOT NULL DEFAULT 0,
  closed_on_time  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX gcase_by_grid ON gcase(grid, id);
CREATE INDEX gcase_by_state ON gcase(state, deadline);
CREATE INDEX gcase_by_dept ON gcase(department, id);
CREATE INDEX gcase_by_category ON gcase(category, created_at);

-- The trail: append-only, each entry holding the SHA-256 of the one before.
CREATE TABLE case_log (
  case_id     INTEGER NOT NULL REFERENCES gcase(id),
  seq         INTEGER NOT NULL,
  action      TEXT NOT NULL,
  actor_id    INTEGER NOT NULL DEFAULT 0,
  actor       TEXT NOT NULL,
  role        TEXT NOT NULL,
  at          INTEGER NOT NULL,
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '[]',
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
-- gridgov never edits the trail; these stop accidents (not someone with the file, which
-- is what the hash chain and `gridgov audit verify` are for).
CREATE TRIGGER case_log_no_update BEFORE UPDATE ON case_log
  BEGIN SELECT RAISE(ABORT, 'the case trail is append-only'); END;
CREATE TRIGGER case_log_no_delete BEFORE DELETE ON case_log
  BEGIN SELECT RAISE(ABORT, 'the case trail is append-only'); END;

CREATE TABLE whistle (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES gcase(id),
  type       TEXT NOT NULL CHECK (type IN ('assembly', 'livelihood', 'emergency')),
  blower_id  INTEGER NOT NULL,
  blower     TEXT NOT NULL,
  at         INTEGER NOT NULL,
  deadline   INTEGER NOT NULL
);
CREATE INDEX whistle_by_case ON whistle(case_id);

CREATE TABLE whistle_dept (
  whistle_id  INTEGER NOT NULL REFERENCES whistle(id),
  department  TEXT NOT NULL REFERENCES department(code),
  reported_at INTEGER NOT NULL DEFAULT 0,
  supervised  INTEGER NOT NULL DEFAULT 0,
  rating      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (whistle_id, department)
);

-- 督办: one row per round opened; points deducted from the department or grid.
CREATE TABLE supervision (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES gcase(id),
  stage       TEXT NOT NULL,
  round       INTEGER NOT NULL,
  level       INTEGER NOT NULL,
  supervisor  TEXT NOT NULL,       -- the grid node supervising (one level up per round)
  target_kind TEXT NOT NULL,       -- 'department' or 'grid'
  target      TEXT NOT NULL,
  points      INTEGER NOT NULL,
  opened_at   INTEGER NOT NULL
);
CREATE INDEX supervision_by_case ON supervision(case_id, round);
