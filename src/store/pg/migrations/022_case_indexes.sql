-- SPDX-License-Identifier: Apache-2.0
-- (PostgreSQL) Indexes for the reads of cases, so that a request costs in proportion to what it
-- returns. The case list pages by id (newest first, `?after=ID`): each filter has an
-- index ending in id, so "filter = X AND id < after ORDER BY id DESC LIMIT n" walks n
-- entries of it (src/store/pg/case.c chooses which one drives). The scope's
-- subtree has one per level that cases carry: street and community (columns of gcase),
-- grid (the first 15 digits of the code, as an expression), and (grid, id) below that.
-- The partial indexes hold only the merged or the open cases, a small part of a year.

-- merged cases of a survivor (case detail, visibility): almost every case has none
CREATE INDEX gcase_merged ON gcase(merged_into, id) WHERE merged_into IS NOT NULL;

-- list filters
CREATE INDEX gcase_by_state_id ON gcase(state, id);
CREATE INDEX gcase_by_category_id ON gcase(category, id);
CREATE INDEX gcase_by_channel ON gcase(channel, id);
CREATE INDEX gcase_by_street ON gcase(street, id);
CREATE INDEX gcase_by_community ON gcase(community, id);
CREATE INDEX gcase_by_grid15 ON gcase(substr(grid, 1, 15), id);
-- open=true: cases not yet final (the same list as the list's condition, word for word,
-- so that the planner may use a partial index)
CREATE INDEX gcase_open ON gcase(id)
  WHERE state NOT IN ('closed', 'evaluated', 'rejected', 'merged');
-- open=true within a subtree (a grid worker's phone list): the open cases by grid code,
-- a range of them sorted by id; its cost is the subtree's open cases, never its history
-- (state is in it so that counting them needs no case read)
CREATE INDEX gcase_open_by_grid ON gcase(grid, id, state)
  WHERE state NOT IN ('closed', 'evaluated', 'rejected', 'merged');
-- light=: only a stage with a deadline has a light. Walked newest first, its rows are
-- tested on the deadline (red is deadline < now) and the stage's start (yellow, green)
-- without reading the case, and however many stages are overdue a page stops at its size.
CREATE INDEX gcase_live ON gcase(id, deadline, stage_started) WHERE deadline > 0;

-- (a case's trail, whistles, supervision rounds and photos already have theirs: the
-- primary keys of case_log and case_media, whistle_by_case, supervision_by_case)

-- a department's whistles 吹哨报到 (what it was summoned to)
CREATE INDEX whistle_dept_by_dept ON whistle_dept(department, whistle_id);
