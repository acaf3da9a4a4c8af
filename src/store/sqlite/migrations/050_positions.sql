-- SPDX-License-Identifier: Apache-2.0
-- Patrol tracks (issue 15): trackers registered to workers (a phone running Traccar
-- Client, its OsmAnd id), the positions they report, de-duplicated on (device, fix time)
-- and read by worker and time, and the fixes the cleaning rejected, kept with the name of
-- the filter that rejected them. Times are epoch milliseconds. No foreign keys on the
-- positions: they are written a hundred thousand a second and read by range; a tracker's
-- worker is checked when its batch is written.
--
-- One B-tree each, keyed by worker, time and device: a tracker belongs to one worker for
-- good (tracker.id is never re-assigned), so (worker, time, device) is unique exactly when
-- (device, time) is, and the key that de-duplicates is also the one patrols read by, with
-- no second index to write.
CREATE TABLE tracker (
  id         TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX tracker_by_user ON tracker(user_id);

CREATE TABLE position (
  device_id   TEXT NOT NULL,
  fix_time    INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,
  lat         REAL NOT NULL,
  lon         REAL NOT NULL,
  speed       REAL,
  course      REAL,
  altitude    REAL,
  accuracy    REAL,
  battery     REAL,
  charge      INTEGER,
  attrs       TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, fix_time, device_id)
) WITHOUT ROWID;

CREATE TABLE position_rejected (
  device_id   TEXT NOT NULL,
  fix_time    INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,
  lat         REAL,
  lon         REAL,
  speed       REAL,
  course      REAL,
  altitude    REAL,
  accuracy    REAL,
  battery     REAL,
  charge      INTEGER,
  attrs       TEXT,
  received_at INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  PRIMARY KEY (user_id, fix_time, device_id)
) WITHOUT ROWID;
