-- SPDX-License-Identifier: Apache-2.0
-- 12345 hotline work orders 工单: one case per order number (the idempotency key), the
-- caller sealed with the personal-data key, and the outbox of status changes to send back
-- to the hotline, kept until delivered so nothing is lost across outages and restarts.
CREATE TABLE hotline_order (
  order_no     TEXT PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES gcase(id),
  received_at  INTEGER NOT NULL DEFAULT 0,
  deadline     INTEGER NOT NULL DEFAULT 0,
  caller_sealed TEXT NOT NULL DEFAULT '', -- name and phone, sealed together
  created_at   INTEGER NOT NULL
);
CREATE INDEX hotline_order_by_case ON hotline_order(case_id);

CREATE TABLE hotline_outbox (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES gcase(id),
  body         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at_ms   INTEGER NOT NULL DEFAULT 0,
  delivered_at INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_outbox_pending ON hotline_outbox(delivered_at, id);
