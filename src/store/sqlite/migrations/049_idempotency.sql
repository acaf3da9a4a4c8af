-- SPDX-License-Identifier: Apache-2.0
-- Idempotency keys: a client that may send a write twice (the field app's offline queue
-- replaying after a dropped answer) names it with a key; the first write keeps the key with
-- the case it made, so a replay answers that case instead of making a second one. digest
-- is the SHA-256 of the request's fields: the same key with other fields is refused.
CREATE TABLE idempotency_key (
  owner      TEXT NOT NULL,
  key        TEXT NOT NULL,
  route      TEXT NOT NULL,
  digest     TEXT NOT NULL,
  case_id    INTEGER NOT NULL REFERENCES gcase(id),
  code       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_key_by_case ON idempotency_key(case_id);

-- The department's reply to the reporter 答复 (issue 14, item 13), given with 处置 or
-- 自处置: the citizen's lookup shows it, while the action's note stays internal (it may
-- name people). One per case, the latest.
CREATE TABLE case_reply (
  case_id INTEGER PRIMARY KEY REFERENCES gcase(id),
  text    TEXT NOT NULL,
  at      INTEGER NOT NULL
);
