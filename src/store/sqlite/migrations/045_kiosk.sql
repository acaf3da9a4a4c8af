-- SPDX-License-Identifier: Apache-2.0
-- Wall screens 大屏: a long-lived, read-only, revocable session for one named screen.
-- The screen trades a one-time code (valid until code_expires) for its token once; only
-- the hashes of both are kept.
CREATE TABLE kiosk (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  scope        TEXT NOT NULL DEFAULT '',
  code_hash    TEXT UNIQUE,
  code_expires INTEGER NOT NULL DEFAULT 0,
  token_hash   TEXT UNIQUE,
  created_by   INTEGER NOT NULL REFERENCES app_user(id),
  created_at   INTEGER NOT NULL,
  claimed_at   INTEGER NOT NULL DEFAULT 0,
  revoked_at   INTEGER NOT NULL DEFAULT 0
);
