-- SPDX-License-Identifier: Apache-2.0
-- Photos and files: the bytes live in the media directory under their SHA-256; this
-- table says what each object is and who brought it.
CREATE TABLE media (
  sha256     TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  width      INTEGER NOT NULL DEFAULT 0,
  height     INTEGER NOT NULL DEFAULT 0,
  uploader   INTEGER REFERENCES app_user(id),
  created_at INTEGER NOT NULL
);
