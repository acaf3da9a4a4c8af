-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) The scheduler's queue: when each case next needs looking at (its stage turning late,
-- or its next 督办 round falling due), kept by the domain layer with every case change,
-- so the scheduler reads only what is due and sleeps until the earliest entry. Summoned
-- departments still owing their report 报到 are found through a partial index.

CREATE TABLE case_due (
  case_id bigint PRIMARY KEY REFERENCES gcase(id),
  due_at  bigint NOT NULL
);
CREATE INDEX case_due_by_time ON case_due(due_at);

-- Existing open stages: look at each once; the sweep then files the exact next time.
INSERT INTO case_due(case_id, due_at)
  SELECT id, deadline + 1 FROM gcase
  WHERE deadline > 0 AND supervision < 3
    AND state IN ('reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified');

CREATE INDEX whistle_dept_pending ON whistle_dept(whistle_id)
  WHERE reported_at = 0 AND supervised = 0;
