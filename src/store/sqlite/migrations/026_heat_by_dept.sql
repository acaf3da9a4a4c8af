-- SPDX-License-Identifier: Apache-2.0
-- The heat map's rows are keyed by department before day, and each case also counts in
-- the rows of department "*" (any): the unfiltered map (the command center's) seeks the
-- "*" rows of each grid's days alone, a filtered one its department's, instead of reading
-- every department's rows of the window. The summaries are rebuilt (`serve` and `init`
-- do it at start; `gridgov stats rebuild` by hand).
DROP TABLE case_heat;
CREATE TABLE case_heat (
  node TEXT NOT NULL,
  day  INTEGER NOT NULL,
  dept TEXT NOT NULL,     -- '*': every department's cases
  x    INTEGER NOT NULL,
  y    INTEGER NOT NULL,
  n    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (node, dept, day, x, y)
) WITHOUT ROWID;
UPDATE case_sum_meta SET built = 0 WHERE EXISTS (SELECT 1 FROM gcase);
