-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) SQLite's 041 rebuilt house and resident to write two CHECKs as comparisons (its IN lists
-- cost an ephemeral index per INSERT); PostgreSQL evaluates an IN list as it is, so here
-- the tables stay. What 041 also changed is kept: resident_by_household holds the status,
-- so the recount's "household with someone living there" reads the index alone.
DROP INDEX resident_by_household;
CREATE INDEX resident_by_household ON resident(household_id, status);
