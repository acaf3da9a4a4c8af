-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) The heat map's rows are keyed by department before day, and each case also
-- counts in the rows of department "*" (any): the unfiltered map seeks the "*" rows of
-- each grid's days alone, a filtered one its department's. The summaries are rebuilt
-- (`serve` and `init` do it at start; `gridgov stats rebuild` by hand).
DROP TABLE case_heat;
CREATE TABLE case_heat (
  node text COLLATE "C" NOT NULL,
  day  bigint NOT NULL,
  dept text COLLATE "C" NOT NULL,  -- '*': every department's cases
  x    bigint NOT NULL,
  y    bigint NOT NULL,
  n    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (node, dept, day, x, y)
);
UPDATE case_sum_meta SET built = 0 WHERE EXISTS (SELECT 1 FROM gcase);
