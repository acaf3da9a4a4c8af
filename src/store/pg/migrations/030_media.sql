-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Photos and files: the bytes live in the media directory under their SHA-256; this
-- table says what each object is and who brought it.
CREATE TABLE media (
  sha256     text COLLATE "C" PRIMARY KEY,
  kind       text COLLATE "C" NOT NULL,
  bytes      bigint NOT NULL,
  width      bigint NOT NULL DEFAULT 0,
  height     bigint NOT NULL DEFAULT 0,
  uploader   bigint REFERENCES app_user(id),
  created_at bigint NOT NULL
);
