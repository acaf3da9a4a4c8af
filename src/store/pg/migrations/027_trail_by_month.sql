-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) The case trail partitioned by month of its time (`at`, China Standard Time
-- months): a province writes a hundred million cases' trails a year, and a month is what
-- is archived, moved to cheaper storage or dropped as a whole (docs/scale.md). Nothing a
-- caller sees changes: the same columns, the same order of entries, the same hash chain.
--
-- A partitioned table's unique keys must hold the partition column, so the primary key is
-- (case_id, seq, at): (case_id, seq) is still unique because appends are serialised by the
-- writers' lock (conn.c) and chained by hash, which `gridgov audit verify` checks.
-- Partitions: every month that holds entries, this one and the next two are made here;
-- case_log_month() makes any other at write time (case_log.c calls it when an entry falls
-- outside the month its connection last saw), and the month after it, so a new month's
-- partition is normally there before its first entry.
ALTER TABLE case_log RENAME TO case_log_flat;

CREATE TABLE case_log (
  case_id     bigint NOT NULL REFERENCES gcase(id),
  seq         bigint NOT NULL,
  action      text COLLATE "C" NOT NULL,
  actor_id    bigint NOT NULL DEFAULT 0,
  actor       text COLLATE "C" NOT NULL,
  role        text COLLATE "C" NOT NULL,
  at          bigint NOT NULL,
  from_state  text COLLATE "C" NOT NULL,
  to_state    text COLLATE "C" NOT NULL,
  note        text COLLATE "C" NOT NULL DEFAULT '',
  attachments text COLLATE "C" NOT NULL DEFAULT '[]',
  prev_hash   text COLLATE "C" NOT NULL,
  hash        text COLLATE "C" NOT NULL,
  PRIMARY KEY (case_id, seq, at)
) PARTITION BY RANGE (at);

-- The partition of the CST month holding t (and of the month after it), made if missing;
-- answers that month's bounds [lo, hi) in seconds since the epoch.
CREATE FUNCTION case_log_month(t bigint, OUT lo bigint, OUT hi bigint)
LANGUAGE plpgsql AS $$
DECLARE
  m timestamp := date_trunc('month', to_timestamp(t) AT TIME ZONE 'Asia/Shanghai');
  k timestamp;
  a bigint;
  b bigint;
  name text;
BEGIN
  FOR i IN 0..1 LOOP
    k := m + make_interval(months => i);
    a := extract(epoch FROM k AT TIME ZONE 'Asia/Shanghai')::bigint;
    b := extract(epoch FROM (k + interval '1 month') AT TIME ZONE 'Asia/Shanghai')::bigint;
    IF i = 0 THEN
      lo := a;
      hi := b;
    END IF;
    name := 'case_log_' || to_char(k, 'YYYYMM');
    IF to_regclass(name) IS NULL THEN
      -- two sessions outside the writers' lock (autocommit tools) queue here
      PERFORM pg_advisory_xact_lock(hashtext('case_log_month'));
      IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF case_log FOR VALUES FROM (%s) TO (%s)',
                       name, a, b);
      END IF;
    END IF;
  END LOOP;
END $$;

SELECT case_log_month(extract(epoch FROM m AT TIME ZONE 'Asia/Shanghai')::bigint)
  FROM (SELECT DISTINCT date_trunc('month', to_timestamp(at) AT TIME ZONE 'Asia/Shanghai') AS m
          FROM case_log_flat) AS months;
SELECT case_log_month(extract(epoch FROM now() + make_interval(months => i))::bigint)
  FROM generate_series(0, 1) AS i;

INSERT INTO case_log SELECT * FROM case_log_flat;
DROP TABLE case_log_flat;

-- the append-only rule of 020, on the partitioned table (row triggers reach every
-- partition, made now or later)
CREATE TRIGGER case_log_no_update BEFORE UPDATE ON case_log
  FOR EACH ROW EXECUTE FUNCTION case_log_append_only();
CREATE TRIGGER case_log_no_delete BEFORE DELETE ON case_log
  FOR EACH ROW EXECUTE FUNCTION case_log_append_only();
CREATE TRIGGER case_log_no_truncate BEFORE TRUNCATE ON case_log
  FOR EACH STATEMENT EXECUTE FUNCTION case_log_append_only();
