-- SPDX-License-Identifier: Apache-2.0
-- Intake channels: citizen photo reports 随手拍 (a tracking code per report, the
-- reporter's phone sealed with the personal-data key) and the photos attached to cases,
-- through which a photo is visible to whoever may see one of its cases.
CREATE TABLE citizen_report (
  code         TEXT PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES gcase(id),
  phone_sealed TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
);
CREATE INDEX citizen_report_by_case ON citizen_report(case_id);

CREATE TABLE case_media (
  case_id INTEGER NOT NULL REFERENCES gcase(id),
  sha256  TEXT NOT NULL REFERENCES media(sha256),
  PRIMARY KEY (case_id, sha256)
);
CREATE INDEX case_media_by_sha ON case_media(sha256);
