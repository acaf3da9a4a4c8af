-- SPDX-License-Identifier: Apache-2.0
-- The heat map's rows hold a week of a cell: one row per node × department × week
-- (Monday to Sunday, CST days) × cell, with the week's seven days in n0 (Monday) … n6.
-- A window of days reads each cell's one or two weeks and adds the days inside it: a
-- week's map at a city's volume is ~25,000 rows instead of ~65,000 day rows, a month's
-- ~60,000 instead of ~280,000. The summaries are rebuilt (`serve` and `init` do it at
-- start; `gridgov stats rebuild` by hand).
DROP TABLE case_heat;
CREATE TABLE case_heat (
  node TEXT NOT NULL,
  dept TEXT NOT NULL,     -- '*': every department's cases
  wk   INTEGER NOT NULL,  -- the CST day number of the week's Monday
  x    INTEGER NOT NULL,
  y    INTEGER NOT NULL,
  n0   INTEGER NOT NULL DEFAULT 0,
  n1   INTEGER NOT NULL DEFAULT 0,
  n2   INTEGER NOT NULL DEFAULT 0,
  n3   INTEGER NOT NULL DEFAULT 0,
  n4   INTEGER NOT NULL DEFAULT 0,
  n5   INTEGER NOT NULL DEFAULT 0,
  n6   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (node, dept, wk, x, y)
) WITHOUT ROWID;
UPDATE case_sum_meta SET built = 0 WHERE EXISTS (SELECT 1 FROM gcase);
