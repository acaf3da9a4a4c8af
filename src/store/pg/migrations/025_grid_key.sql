-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) The summaries' grid key is now where a case was placed, not the level
-- handling it: a case placed in a micro-grid counts for its basic grid also after it was
-- escalated. A database with cases rebuilds its summaries (`serve` and `init` do it at
-- start; `gridgov stats rebuild` by hand).
UPDATE case_sum_meta SET built = 0 WHERE EXISTS (SELECT 1 FROM gcase);
