#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Adds N synthetic cases to a gridgov database (built by `gridgov demo`) straight in SQL,
# with the rows a case detail reads: a three-entry trail each, 1 % merged into an earlier
# case, 0.5 % with a whistle to two departments, 2 % with a supervision round, 10 % with
# a photo. States are spread like a year of a district (most cases closed or evaluated,
# a backlog of open ones in the last 30 days, some overdue). Trail hashes are
# placeholders: `gridgov audit verify` fails on these cases by design. This is for measuring reads (bench/reads), not
# a demo: `gridgov demo --cases N` is the way to real data.
#   usage: bench/reads/mkcases.py DB N [--now EPOCH]
import argparse, sqlite3, time

p = argparse.ArgumentParser()
p.add_argument('db')
p.add_argument('n', type=int)
p.add_argument('--now', type=int, default=int(time.time()))
a = p.parse_args()

db = sqlite3.connect(a.db)
db.executescript('PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;')
now, n = a.now, a.n
start = db.execute('SELECT coalesce(max(id), 0) FROM gcase').fetchone()[0]
db.executescript(f'''

CREATE TEMP TABLE g AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, code
  FROM grid WHERE level = 5;
CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, department
  FROM category;
CREATE TEMP TABLE st(i INTEGER PRIMARY KEY, state TEXT);
INSERT INTO st(state) VALUES ('evaluated'),('evaluated'),('evaluated'),('evaluated'),
  ('evaluated'),('evaluated'),('closed'),('closed'),('closed'),('closed'),('closed'),
  ('closed'),('closed'),('rejected'),('dispatched'),('accepted'),('handled'),('verified'),
  ('filed'),('reported');
UPDATE st SET i = i - 1;
CREATE TEMP TABLE ch(i INTEGER PRIMARY KEY, channel TEXT);
INSERT INTO ch(channel) VALUES ('grid'),('grid'),('hotline'),('hotline'),('citizen'),
  ('sensor'),('open311');
UPDATE ch SET i = i - 1;
INSERT OR IGNORE INTO media(sha256, kind, bytes, created_at)
  VALUES ('{'ab' * 32}', 'image/jpeg', 1000, {now});
''')
ng = db.execute('SELECT count(*) FROM g').fetchone()[0]
nc = db.execute('SELECT count(*) FROM c').fetchone()[0]
span = 365 * 86400
db.executescript(f'''
WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < {n}),
r AS (SELECT {start} + x AS id, {now} - ({n} - x) * {span} / {n} AS t,
  (x * 7919) % {ng} AS gi, (x * 104729) % {nc} AS ci, (x * 31) % 20 AS si,
  (x * 13) % 7 AS hi FROM k)
INSERT INTO gcase(id, category, description, lon, lat, channel, grid, community, street,
  level, state, department, proposed_dept, reporter_id, reporter, created_at, updated_at,
  stage_started, deadline)
SELECT r.id, c.code, 'synthetic case ' || r.id, 104.05, 30.66, ch.channel, g.code,
  substr(g.code, 1, 12), substr(g.code, 1, 9), 5, st.state,
  CASE WHEN st.state IN ('dispatched','accepted','handled','verified','closed','evaluated')
    THEN c.department END, c.department, 0, 'bench', r.t, r.t, r.t,
  CASE WHEN st.state IN ('reported','filed','dispatched','accepted','handled','verified')
    THEN r.t + 3 * 86400 ELSE 0 END
FROM r JOIN g ON g.i = r.gi JOIN c ON c.i = r.ci JOIN st ON st.i = r.si JOIN ch ON ch.i = r.hi;
''')
# a district's backlog is recent: cases older than 30 days are all finished, and every
# overdue stage has had its three rounds of supervision (the scheduler has nothing to do)
db.executescript(f'''
UPDATE gcase SET state = 'closed', deadline = 0, department = proposed_dept
  WHERE id > {start} AND created_at < {now - 30 * 86400}
  AND state IN ('reported','filed','dispatched','accepted','handled','verified');
UPDATE gcase SET supervision = 3 WHERE id > {start} AND deadline > 0 AND deadline < {now};
UPDATE gcase SET state = 'merged', merged_into = id - 1 - (id % 50), deadline = 0
  WHERE id > {start} + 50 AND id % 100 = 7;
INSERT INTO case_log(case_id, seq, action, actor_id, actor, role, at, from_state, to_state,
  prev_hash, hash)
SELECT id, s.seq, 'step', 0, 'bench', 'operator', created_at + s.seq, '', state, 'x', 'x'
FROM gcase, (SELECT 1 AS seq UNION ALL SELECT 2 UNION ALL SELECT 3) s WHERE id > {start};
INSERT INTO whistle(id, case_id, type, blower_id, blower, at, deadline)
  SELECT NULL, id, 'assembly', 0, 'bench', created_at, created_at + 86400
  FROM gcase WHERE id > {start} AND id % 200 = 3;
INSERT INTO whistle_dept(whistle_id, department)
  SELECT w.id, d.code FROM whistle w, (SELECT code FROM department ORDER BY code LIMIT 2) d
  WHERE w.case_id > {start};
INSERT INTO supervision(case_id, stage, round, level, supervisor, target_kind, target,
  points, opened_at)
  SELECT id, 'handle', 1, 3, street, 'grid', grid, 1, created_at + 86400
  FROM gcase WHERE id > {start} AND id % 50 = 11;
INSERT INTO case_media(case_id, sha256) SELECT id, '{'ab' * 32}' FROM gcase
  WHERE id > {start} AND id % 10 = 1;

''')
print(db.execute('SELECT count(*) FROM gcase').fetchone()[0], 'cases')
