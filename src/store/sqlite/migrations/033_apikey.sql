-- SPDX-License-Identifier: Apache-2.0
-- API keys of systems that feed the intake channels (12345 gateway, Open311 clients):
-- only the key's hash is kept; the key acts as an operator within its scope.
CREATE TABLE api_key (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  hash       TEXT NOT NULL UNIQUE,
  scope      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
);
