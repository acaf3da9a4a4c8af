-- SPDX-License-Identifier: Apache-2.0
-- Nothing to do on SQLite: PostgreSQL's 027 partitions the case trail by month (a server
-- database's way to archive or drop a month whole); an embedded district database keeps
-- one table. The number is taken here too, so both backends apply the same migrations.
SELECT 1;
