-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Case summaries 统计汇总 (include/gridgov/store_stats.h): counts kept in the same
-- transaction as every case change, so the command center reads groups × days, never
-- every case. kind 0 = all cases (dept = chan = ''), 1 = per department (chan = ''),
-- 2 = per department × channel; lvl 1 district, 2 street, 3 community, 4 grid key.

-- Per CST day: the 13 facts of the cases reported that day, and the closures of that day.
CREATE TABLE case_sum (
  kind               bigint NOT NULL,
  lvl                bigint NOT NULL,
  node               text COLLATE "C" NOT NULL,
  day                bigint NOT NULL,  -- days since 1970-01-01 in the platform's zone
  dept               text COLLATE "C" NOT NULL,
  chan               text COLLATE "C" NOT NULL,
  reported           bigint NOT NULL DEFAULT 0,
  filed              bigint NOT NULL DEFAULT 0,
  filed_on_time      bigint NOT NULL DEFAULT 0,
  dispatched         bigint NOT NULL DEFAULT 0,
  accurate           bigint NOT NULL DEFAULT 0,
  handled            bigint NOT NULL DEFAULT 0,
  handled_on_time    bigint NOT NULL DEFAULT 0,
  closed             bigint NOT NULL DEFAULT 0,
  closed_on_time     bigint NOT NULL DEFAULT 0,
  reworked           bigint NOT NULL DEFAULT 0,
  extended           bigint NOT NULL DEFAULT 0,
  rated              bigint NOT NULL DEFAULT 0,
  satisfied          bigint NOT NULL DEFAULT 0,
  closed_day         bigint NOT NULL DEFAULT 0,  -- closures on this day, by closing day
  closed_day_on_time bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, lvl, node, day, dept, chan)
);

-- Live, whenever the cases were reported: open, and overdue (open, with a deadline and
-- a 督办 round opened on the current stage), and the cases of the node: kind 0 rows are
-- the list of nodes the reads walk.
CREATE TABLE case_live (
  kind    bigint NOT NULL,
  lvl     bigint NOT NULL,
  node    text COLLATE "C" NOT NULL,
  dept    text COLLATE "C" NOT NULL,
  chan    text COLLATE "C" NOT NULL,
  open    bigint NOT NULL DEFAULT 0,
  overdue bigint NOT NULL DEFAULT 0,
  cases   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, lvl, node, dept, chan)
);

-- The heat map: cases (not merged) per CST day, grid key, department and 0.0005° cell;
-- x = y = 2^40 for cases without a point.
CREATE TABLE case_heat (
  node text COLLATE "C" NOT NULL,
  day  bigint NOT NULL,
  dept text COLLATE "C" NOT NULL,
  x    bigint NOT NULL,
  y    bigint NOT NULL,
  n    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (node, day, dept, x, y)
);

-- How the summaries were built: the zone's offset their days are in, and whether they
-- are complete (a database that had cases before this migration needs
-- `gridgov stats rebuild`; `serve` does it at start).
CREATE TABLE case_sum_meta (
  one        bigint PRIMARY KEY CHECK (one = 1),
  utc_offset bigint NOT NULL,
  built      bigint NOT NULL
);
INSERT INTO case_sum_meta VALUES (1, 28800, CASE WHEN EXISTS (SELECT 1 FROM gcase) THEN 0 ELSE 1 END);

-- The bounded reads behind windows that do not fall on day boundaries.
CREATE INDEX gcase_by_created ON gcase(created_at);
CREATE INDEX gcase_by_closed ON gcase(closed_at) WHERE closed_at > 0;
