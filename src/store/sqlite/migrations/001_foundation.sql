-- SPDX-License-Identifier: Apache-2.0
-- Foundation: the grid tree, departments, users and sessions.

CREATE TABLE grid (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 6),
  parent_code TEXT REFERENCES grid(code),
  households  INTEGER NOT NULL DEFAULT 0,
  population  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX grid_by_parent ON grid(parent_code, code);
CREATE INDEX grid_by_level ON grid(level, code);

CREATE TABLE department (
  code    TEXT PRIMARY KEY,
  name    TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE app_user (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  scope         TEXT NOT NULL DEFAULT '',
  dept          TEXT REFERENCES department(code),
  pwhash        TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
);

CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX session_by_expiry ON session(expires_at);

-- The functional departments 职能部门 a district summons; codes are stable identifiers.
INSERT INTO department (code, name, name_en) VALUES
  ('CGZF', '城市管理和综合执法局', 'Urban Management and Law Enforcement'),
  ('HW',   '环境卫生管理所',       'Sanitation'),
  ('SZ',   '市政设施管理所',       'Municipal Facilities'),
  ('YL',   '园林绿化管理所',       'Parks and Greening'),
  ('ZJ',   '住房和城乡建设局',     'Housing and Construction'),
  ('GH',   '规划和自然资源局',     'Planning and Natural Resources'),
  ('SCJG', '市场监督管理局',       'Market Regulation'),
  ('GA',   '公安分局',             'Public Security'),
  ('JJ',   '交通警察大队',         'Traffic Police'),
  ('JT',   '交通运输局',           'Transport'),
  ('MZ',   '民政局',               'Civil Affairs'),
  ('SW',   '水务局',               'Water Affairs'),
  ('STHJ', '生态环境局',           'Ecology and Environment'),
  ('YJ',   '应急管理局',           'Emergency Management'),
  ('XF',   '消防救援大队',         'Fire and Rescue'),
  ('WJ',   '卫生健康局',           'Health'),
  ('SF',   '司法局',               'Justice'),
  ('XFJ',  '信访局',               'Petitions and Visits'),
  ('RS',   '人力资源和社会保障局', 'Human Resources and Social Security'),
  ('WL',   '文化体育和旅游局',     'Culture, Sports and Tourism'),
  ('GS',   '供水公司',             'Water Supply Company'),
  ('GD',   '供电公司',             'Power Supply Company'),
  ('RQ',   '燃气公司',             'Gas Company'),
  ('TX',   '通信运营商',           'Telecom Operators');
