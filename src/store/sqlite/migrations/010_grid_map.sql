-- SPDX-License-Identifier: Apache-2.0
-- Grid map: one geometry per grid-tree node, staff per grid, level names per district and
-- a map version that every geometry change bumps (the server's locator polls it).

CREATE TABLE grid_geom (
  code    TEXT PRIMARY KEY REFERENCES grid(code) ON DELETE CASCADE,
  wkb     BLOB NOT NULL,          -- Polygon or MultiPolygon, WGS 84 lon/lat, ISO WKB
  area_m2 REAL NOT NULL,          -- on a local equirectangular projection
  cx      REAL NOT NULL,          -- centroid
  cy      REAL NOT NULL,
  minx    REAL NOT NULL,          -- bounding box
  miny    REAL NOT NULL,
  maxx    REAL NOT NULL,
  maxy    REAL NOT NULL
);

CREATE TABLE grid_map_meta (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO grid_map_meta (id, version) VALUES (1, 0);
CREATE TRIGGER grid_geom_ins AFTER INSERT ON grid_geom
  BEGIN UPDATE grid_map_meta SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER grid_geom_upd AFTER UPDATE ON grid_geom
  BEGIN UPDATE grid_map_meta SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER grid_geom_del AFTER DELETE ON grid_geom
  BEGIN UPDATE grid_map_meta SET version = version + 1 WHERE id = 1; END;

-- Staff per grid: 网格长 leader, 专职网格员 dedicated, 兼职网格员 part_time (with a
-- department), 微网格长 micro_leader, 楼栋长 building_head.
CREATE TABLE grid_staff (
  id        INTEGER PRIMARY KEY,
  grid_code TEXT NOT NULL REFERENCES grid(code) ON DELETE CASCADE,
  role      TEXT NOT NULL CHECK (role IN
              ('leader','dedicated','part_time','micro_leader','building_head')),
  name      TEXT NOT NULL,
  dept      TEXT REFERENCES department(code),
  user_id   INTEGER REFERENCES app_user(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX grid_staff_by_grid ON grid_staff(grid_code, role);

-- Level names are configuration: district '' holds the defaults; a district that uses
-- other levels lists its own (Xifeng 西峰区 goes down to the building).
CREATE TABLE grid_level_name (
  district TEXT NOT NULL,
  level    INTEGER NOT NULL CHECK (level BETWEEN 1 AND 6),
  name     TEXT NOT NULL,
  PRIMARY KEY (district, level)
);
INSERT INTO grid_level_name (district, level, name) VALUES
  ('', 1, '区'), ('', 2, '街道'), ('', 3, '社区'), ('', 4, '网格'), ('', 5, '微网格'),
  ('621002', 1, '区'), ('621002', 2, '街道/镇'), ('621002', 3, '社区/村'),
  ('621002', 4, '网格'), ('621002', 5, '微网格'), ('621002', 6, '楼栋');
