-- SPDX-License-Identifier: Apache-2.0
-- The rules on house.use and resident.status written as comparisons instead of IN lists.
-- SQLite evaluates a constant IN list of more than two values through an ephemeral index
-- that it builds again on every execution of an INSERT: for the people import that was a
-- fifth of its time. Same rules, same rows; the two tables are rebuilt the way SQLite
-- documents (create, copy, drop, rename: migrations run with foreign keys off and check
-- them before committing), and their indexes made again as 040 made them, but for
-- resident_by_household, which now holds the status too.

CREATE TABLE house_new (
  id          INTEGER PRIMARY KEY,
  building_id INTEGER REFERENCES building(id),   -- NULL: a fault check people lists
  bref        TEXT NOT NULL DEFAULT '',          -- building ref, '' when none (unique key)
  grid_code   TEXT NOT NULL REFERENCES grid(code),
  unit        TEXT NOT NULL DEFAULT '',
  number      TEXT NOT NULL,
  area        REAL,
  use         TEXT NOT NULL DEFAULT '自住'
              CHECK (use = '自住' OR use = '出租' OR use = '空置' OR use = '经营'),
  UNIQUE (grid_code, bref, unit, number)
);
INSERT INTO house_new SELECT id, building_id, bref, grid_code, unit, number, area, use FROM house;
DROP TABLE house;
ALTER TABLE house_new RENAME TO house;
CREATE INDEX house_by_building ON house(building_id);
CREATE INDEX house_without_building ON house(grid_code) WHERE building_id IS NULL;

CREATE TABLE resident_new (
  id           INTEGER PRIMARY KEY,
  household_id INTEGER REFERENCES household(id),
  house_id     INTEGER REFERENCES house(id),   -- NULL: a fault check people lists
  grid_code    TEXT NOT NULL REFERENCES grid(code),
  name         TEXT NOT NULL,
  id_sealed    TEXT NOT NULL,
  id_hash      TEXT NOT NULL,
  id_mask      TEXT NOT NULL,
  id_valid     INTEGER NOT NULL DEFAULT 1,
  gender       TEXT NOT NULL DEFAULT '',       -- 'M' / 'F' from the ID number
  birth        TEXT NOT NULL DEFAULT '',       -- YYYY-MM-DD from the ID number
  phone_sealed TEXT NOT NULL DEFAULT '',
  phone_mask   TEXT NOT NULL DEFAULT '',
  relation     TEXT NOT NULL DEFAULT '',       -- 户主 配偶 子女 父母 租户 其他
  registered   INTEGER NOT NULL DEFAULT 1,     -- 户籍在此
  living       INTEGER NOT NULL DEFAULT 1,     -- 实际居住
  tags         TEXT NOT NULL DEFAULT '',       -- comma-separated: 独居老人,残疾人,低保,重点人员,租户,党员
  status       TEXT NOT NULL DEFAULT 'active'
               CHECK (status = 'active' OR status = 'moved_out' OR status = 'died')
);
INSERT INTO resident_new SELECT id, household_id, house_id, grid_code, name, id_sealed, id_hash,
  id_mask, id_valid, gender, birth, phone_sealed, phone_mask, relation, registered, living, tags,
  status FROM resident;
DROP TABLE resident;
ALTER TABLE resident_new RENAME TO resident;
-- (id_hash, status) covers the duplicate check's GROUP BY without touching the table
CREATE INDEX resident_by_hash ON resident(id_hash, status);
-- partial indexes: the faults check people looks for are rare, so these stay tiny
CREATE INDEX resident_without_house ON resident(grid_code) WHERE house_id IS NULL;
CREATE INDEX resident_invalid_id ON resident(grid_code) WHERE id_valid = 0;
CREATE INDEX resident_by_grid ON resident(grid_code);
-- with status: the recount's "household with someone living there" reads the index alone
CREATE INDEX resident_by_household ON resident(household_id, status);
