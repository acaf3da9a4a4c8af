-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Intake channels: citizen photo reports 随手拍 (a tracking code per report, the
-- reporter's phone sealed with the personal-data key) and the photos attached to cases,
-- through which a photo is visible to whoever may see one of its cases.
CREATE TABLE citizen_report (
  code         text COLLATE "C" PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES gcase(id),
  phone_sealed text COLLATE "C" NOT NULL DEFAULT '',
  created_at   bigint NOT NULL
);
CREATE INDEX citizen_report_by_case ON citizen_report(case_id);

CREATE TABLE case_media (
  case_id bigint NOT NULL REFERENCES gcase(id),
  sha256  text COLLATE "C" NOT NULL REFERENCES media(sha256),
  -- the order photos were attached in (SQLite's rowid: a case lists them so)
  seq     bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (case_id, sha256)
);
CREATE INDEX case_media_by_sha ON case_media(sha256);
