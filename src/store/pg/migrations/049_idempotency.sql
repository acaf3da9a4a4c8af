-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Idempotency keys: a client that may send a write twice (the field app's
-- offline queue replaying after a dropped answer) names it with a key; the first write keeps
-- the key with the case it made, so a replay answers that case instead of making a second
-- one. digest is the SHA-256 of the request's fields: the same key with other fields is
-- refused.
CREATE TABLE idempotency_key (
  owner      text COLLATE "C" NOT NULL,
  key        text COLLATE "C" NOT NULL,
  route      text COLLATE "C" NOT NULL,
  digest     text COLLATE "C" NOT NULL,
  case_id    bigint NOT NULL REFERENCES gcase(id),
  code       text COLLATE "C" NOT NULL DEFAULT '',
  created_at bigint NOT NULL,
  PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_key_by_case ON idempotency_key(case_id);

-- The department's reply to the reporter 答复 (issue 14, item 13), given with 处置 or
-- 自处置: the citizen's lookup shows it, while the action's note stays internal (it may
-- name people). One per case, the latest.
CREATE TABLE case_reply (
  case_id bigint PRIMARY KEY REFERENCES gcase(id),
  text    text COLLATE "C" NOT NULL,
  at      bigint NOT NULL
);
