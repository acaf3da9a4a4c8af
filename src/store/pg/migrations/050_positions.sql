-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Patrol tracks (issue 15): trackers registered to workers, the positions
-- they report (de-duplicated on device and fix time, read by worker and time) and the
-- fixes the cleaning rejected with the filter's name. Times are epoch milliseconds.
--
-- Both tables are partitioned by China Standard Time day, so a day is dropped whole when
-- it passes the retention setting (position_retain) instead of deleted row by row:
-- positions by their fix time (what the cleaning accepted lies within filter.past and
-- filter.future of now), rejected fixes by the time they were received (a rejected fix
-- may carry any time, which must not make a partition for year 9999), so the rejected
-- table has no key: a fix sent twice and rejected twice is kept twice.
-- position_day(tbl, t) makes tbl's partition of the day holding t and of the day after it
-- when missing and answers that day's bounds; the store calls it when a batch holds a
-- time outside the day its connection last saw made.
CREATE TABLE tracker (
  id         text COLLATE "C" PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES app_user(id),
  created_at bigint NOT NULL
);
CREATE INDEX tracker_by_user ON tracker(user_id);

CREATE TABLE position (
  device_id   text COLLATE "C" NOT NULL,
  fix_time    bigint NOT NULL,
  user_id     bigint NOT NULL,
  lat         double precision NOT NULL,
  lon         double precision NOT NULL,
  speed       double precision,
  course      double precision,
  altitude    double precision,
  accuracy    double precision,
  battery     double precision,
  charge      smallint,
  attrs       text COLLATE "C",
  received_at bigint NOT NULL,
  PRIMARY KEY (device_id, fix_time)
) PARTITION BY RANGE (fix_time);
CREATE INDEX position_by_user ON position(user_id, fix_time);

CREATE TABLE position_rejected (
  device_id   text COLLATE "C" NOT NULL,
  fix_time    bigint NOT NULL,
  user_id     bigint NOT NULL,
  lat         double precision,
  lon         double precision,
  speed       double precision,
  course      double precision,
  altitude    double precision,
  accuracy    double precision,
  battery     double precision,
  charge      smallint,
  attrs       text COLLATE "C",
  received_at bigint NOT NULL,
  reason      text COLLATE "C" NOT NULL
) PARTITION BY RANGE (received_at);
CREATE INDEX position_rejected_by_user ON position_rejected(user_id, fix_time);

CREATE FUNCTION position_day(tbl text, t bigint, OUT lo bigint, OUT hi bigint)
LANGUAGE plpgsql AS $$
DECLARE
  d timestamp := date_trunc('day', to_timestamp(t / 1000.0) AT TIME ZONE 'Asia/Shanghai');
  k timestamp;
  a bigint;
  b bigint;
  name text;
BEGIN
  FOR i IN 0..1 LOOP
    k := d + make_interval(days => i);
    a := (extract(epoch FROM k AT TIME ZONE 'Asia/Shanghai') * 1000)::bigint;
    b := (extract(epoch FROM (k + interval '1 day') AT TIME ZONE 'Asia/Shanghai') * 1000)::bigint;
    IF i = 0 THEN
      lo := a;
      hi := b;
    END IF;
    name := tbl || '_' || to_char(k, 'YYYYMMDD');
    IF to_regclass(name) IS NULL THEN
      PERFORM pg_advisory_xact_lock(hashtext('position_day'));
      IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
                       name, tbl, a, b);
      END IF;
    END IF;
  END LOOP;
END $$;

-- Drop the days that end at or before t (epoch ms); answers the partitions dropped.
CREATE FUNCTION position_retain(t bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  p record;
  n integer := 0;
BEGIN
  FOR p IN
    SELECT c.relname AS name,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?\d+)''?\)'))[1]::bigint AS hi
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent IN ('position'::regclass, 'position_rejected'::regclass)
  LOOP
    IF p.hi IS NOT NULL AND p.hi <= t THEN
      EXECUTE format('DROP TABLE %I', p.name);
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

SELECT position_day('position', (extract(epoch FROM now()) * 1000)::bigint);
SELECT position_day('position_rejected', (extract(epoch FROM now()) * 1000)::bigint);
