-- SPDX-License-Identifier: Apache-2.0
-- Administration (issue 14, item 11): a user whose password an admin reset must change
-- it at the next login; every admin write is kept in the audit log; a device may be a
-- GPS tracker carried by a user (its `user`, by name), which has no category or place,
-- so the device table is rebuilt with those nullable (SQLite cannot drop NOT NULL).
ALTER TABLE app_user ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;

CREATE TABLE admin_audit (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  scope  TEXT NOT NULL DEFAULT '',
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_audit_by_scope ON admin_audit(scope, id);

CREATE TABLE device_047 (
  id         TEXT PRIMARY KEY,
  key_hash   TEXT NOT NULL,
  type       TEXT NOT NULL,
  category   TEXT REFERENCES category(code),
  lon        REAL,
  lat        REAL,
  created_at INTEGER NOT NULL,
  user       TEXT
);
INSERT INTO device_047(id, key_hash, type, category, lon, lat, created_at)
  SELECT id, key_hash, type, category, lon, lat, created_at FROM device;
DROP TABLE device;
ALTER TABLE device_047 RENAME TO device;
