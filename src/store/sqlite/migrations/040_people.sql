-- SPDX-License-Identifier: Apache-2.0
-- People and housing 人房: buildings, houses, households, residents; the trail of every
-- unmasked read of personal data; corrections proposed from visits.
-- ID and phone numbers are stored sealed (secretbox, key file beside the database) with a
-- keyed hash for exact lookup and a masked copy for display; never in clear.

CREATE TABLE building (
  id        INTEGER PRIMARY KEY,
  ref       TEXT NOT NULL UNIQUE,          -- the district's own building number
  address   TEXT NOT NULL,
  lon       REAL,
  lat       REAL,
  grid_code TEXT NOT NULL REFERENCES grid(code),
  floors    INTEGER NOT NULL DEFAULT 0,
  units     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX building_by_grid ON building(grid_code);

CREATE TABLE house (
  id          INTEGER PRIMARY KEY,
  building_id INTEGER REFERENCES building(id),   -- NULL: a fault check people lists
  bref        TEXT NOT NULL DEFAULT '',          -- building ref, '' when none (unique key)
  grid_code   TEXT NOT NULL REFERENCES grid(code),
  unit        TEXT NOT NULL DEFAULT '',
  number      TEXT NOT NULL,
  area        REAL,
  use         TEXT NOT NULL DEFAULT '自住' CHECK (use IN ('自住','出租','空置','经营')),
  UNIQUE (grid_code, bref, unit, number)
);
CREATE INDEX house_by_building ON house(building_id);
CREATE INDEX house_without_building ON house(grid_code) WHERE building_id IS NULL;

CREATE TABLE household (
  id        INTEGER PRIMARY KEY,
  ref       TEXT NOT NULL UNIQUE,
  house_id  INTEGER REFERENCES house(id),
  grid_code TEXT NOT NULL REFERENCES grid(code),
  head_id   INTEGER                            -- resident(id) of the head 户主
);
CREATE INDEX household_by_grid ON household(grid_code);
CREATE INDEX household_by_house ON household(house_id);

CREATE TABLE resident (
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
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','moved_out','died'))
);
-- (id_hash, status) covers the duplicate check's GROUP BY without touching the table
CREATE INDEX resident_by_hash ON resident(id_hash, status);
-- partial indexes: the faults check people looks for are rare, so these stay tiny
CREATE INDEX resident_without_house ON resident(grid_code) WHERE house_id IS NULL;
CREATE INDEX resident_invalid_id ON resident(grid_code) WHERE id_valid = 0;
CREATE INDEX resident_by_grid ON resident(grid_code);
CREATE INDEX resident_by_household ON resident(household_id);

CREATE TABLE pii_access (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,
  user_name   TEXT NOT NULL,
  resident_id INTEGER NOT NULL,
  grid_code   TEXT NOT NULL,
  reason      TEXT NOT NULL             -- the route that showed it
);
CREATE INDEX pii_access_by_resident ON pii_access(resident_id, at);

CREATE TABLE people_correction (
  id           INTEGER PRIMARY KEY,
  resident_id  INTEGER REFERENCES resident(id),   -- moved_out, died, new_phone
  house_id     INTEGER REFERENCES house(id),      -- new_tenant
  grid_code    TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('moved_out','died','new_phone','new_tenant')),
  phone_sealed TEXT NOT NULL DEFAULT '',   -- new_phone
  phone_mask   TEXT NOT NULL DEFAULT '',
  name         TEXT NOT NULL DEFAULT '',   -- new_tenant: the tenant's name
  id_sealed    TEXT NOT NULL DEFAULT '',   -- new_tenant: the tenant's ID number
  id_hash      TEXT NOT NULL DEFAULT '',
  id_mask      TEXT NOT NULL DEFAULT '',
  gender       TEXT NOT NULL DEFAULT '',
  birth        TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  state        TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed','approved','rejected')),
  proposed_by  INTEGER NOT NULL,
  proposed_at  INTEGER NOT NULL,
  decided_by   INTEGER,
  decided_at   INTEGER,
  decision     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX correction_by_grid ON people_correction(grid_code, state);
