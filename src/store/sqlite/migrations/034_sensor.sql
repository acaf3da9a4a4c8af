-- SPDX-License-Identifier: Apache-2.0
-- Sensors and cameras: registered devices (the key's hash, the place that locates their
-- cases, the category their alarms open) and every alarm with the case it opened or joined.
CREATE TABLE device (
  id         TEXT PRIMARY KEY,
  key_hash   TEXT NOT NULL,
  type       TEXT NOT NULL,
  category   TEXT NOT NULL REFERENCES category(code),
  lon        REAL NOT NULL,
  lat        REAL NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE sensor_alarm (
  id        INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES device(id),
  type      TEXT NOT NULL,
  at        INTEGER NOT NULL,
  value     REAL,
  case_id   INTEGER NOT NULL REFERENCES gcase(id)
);
CREATE INDEX sensor_alarm_by_device ON sensor_alarm(device_id, at);
