-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) What an Open311 request carries that a case has no column for, kept to
-- answer it back (GeoReport v2 echoes media_url, address_id and zipcode): one row per
-- request that sent any of them. Contact fields (email, names, phone) are not kept.
CREATE TABLE open311_request (
  case_id    bigint PRIMARY KEY REFERENCES gcase(id),
  media_url  text COLLATE "C" NOT NULL DEFAULT '',
  address_id text COLLATE "C" NOT NULL DEFAULT '',
  zipcode    text COLLATE "C" NOT NULL DEFAULT ''
);
