-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Everyone who uploaded a photo: the same bytes can come from two people (a picture
-- forwarded from a WeChat group to both a citizen and the grid worker), and each of them
-- may then see it and attach it to a case.
CREATE TABLE media_owner (
  sha256  text COLLATE "C" NOT NULL REFERENCES media(sha256),
  user_id bigint NOT NULL REFERENCES app_user(id),
  PRIMARY KEY (sha256, user_id)
);
INSERT INTO media_owner(sha256, user_id) SELECT sha256, uploader FROM media WHERE uploader IS NOT NULL;
