/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synthetic people for gridgov demo --people N: basic grids of about 400 households under
 * the district's communities, buildings of 24 flats, households of one to five people
 * with plausible names, ages, tags and phone numbers, and valid, unique ID numbers of the
 * district. A few faults of every kind check people finds are planted on purpose (three
 * residents without a house, three houses without a building, three duplicated and three
 * invalid ID numbers, one grid of 30 households). Everything goes through the same CSV
 * loader as gridgov import people, from a temporary file; the generator is deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/idcard.h"
#include "gridgov/pii.h"

#define HH_PER_GRID	   400
#define FLATS_PER_BUILDING 24 /* 6 floors × 2 units × 2 flats */
#define DAY0_YEAR	   1930
#define DAYS		   (95 * 366)

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
				       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
static const char *const given[] = {"伟",   "芳",   "娜",   "敏",   "静",   "丽",   "强",
				    "磊",   "军",   "洋",   "勇",   "艳",   "杰",   "娟",
				    "涛",   "明",   "超",   "秀英", "桂英", "建华", "志强",
				    "海燕", "晓东", "雪梅", "子涵", "浩然", "雨桐", "思远"};

struct gen {
	FILE *out;
	const char *district;
	uint16_t *per_day; /* ID sequence numbers used per birth day, so IDs stay unique */
	int64_t residents;
	char dup[3][IDC_LEN + 1]; /* the first three ID numbers, to plant duplicates of */
	int ndup;
};

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A unique valid ID number for someone born in year (±1) of the given sex. */
static void make_id(struct gen *g, int year, int male, char out[IDC_LEN + 1])
{
	static const int64_t day0 = -14610; /* 1930-01-01 in days since 1970 */
	for (;;) {
		int64_t day = (int64_t)(year - DAY0_YEAR) * 365 + rnd(365);
		if (day < 0)
			day = rnd(365);
		if (day >= DAYS)
			day = DAYS - 1 - rnd(365);
		if (g->per_day[day] >= 500)
			continue; /* 500 sequence numbers per sex and day */
		int seq = g->per_day[day]++ * 2 + (male ? 1 : 0);
		int y, m, d;
		civil_from_days(day0 + day, &y, &m, &d);
		char tmp[40];
		snprintf(tmp, sizeof(tmp), "%.6s%04d%02d%02d%03d", g->district, y % 10000, m % 100,
			 d % 100, seq % 1000);
		memcpy(out, tmp, 17);
		out[17] = idc_check_char(out);
		out[18] = 0;
		return;
	}
}

static void make_phone(char out[16])
{
	snprintf(out, 16, "1%c%09u", "3456789"[rnd(7)], rnd(1000000000));
}

static void make_name(char *out, size_t n)
{
	snprintf(out, n, "%s%s", surnames[rnd(sizeof(surnames) / sizeof(*surnames))],
		 given[rnd(sizeof(given) / sizeof(*given))]);
}

/* One row of the people CSV; id and phone may be "". */
static void row(struct gen *g, const char *grid, const char *bref, const char *addr, int unit,
		int number, const char *use, const char *household, const char *name,
		const char *id, const char *phone, const char *rel, const char *tags)
{
	char u[16] = "", num[16] = "";
	if (number) {
		snprintf(u, sizeof(u), "%d", unit);
		snprintf(num, sizeof(num), "%d", number);
	}
	fprintf(g->out, "%s,%s,%s,,,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,\"%s\"\n", grid, bref,
		addr, *bref ? "6" : "", *bref ? "2" : "", u, num,
		number ? (rnd(3) ? "89" : "62") : "", use, household, name, id, phone, rel,
		rnd(10) ? 1 : 0, rnd(20) ? 1 : 0, tags);
	if (*name)
		g->residents++;
}

/* A household of 1–5 people in one flat. */
static void household(struct gen *g, const char *grid, const char *bref, const char *addr, int unit,
		      int number, const char *use, int64_t *left)
{
	static const int sizes[] = {1, 1, 2, 2, 2, 3, 3, 3, 4, 5};
	int size = sizes[rnd(10)];
	if (size > *left)
		size = (int)*left;
	char href[64];
	snprintf(href, sizeof(href), "%s-%d-%d", bref, unit, number);
	int tenant = !strcmp(use, "出租");
	int head_year = 1945 + (int)rnd(70);
	for (int i = 0; i < size; i++) {
		const char *rel = i == 0 ? "户主" : i == 1 ? "配偶" : "子女";
		int year = i < 2 ? head_year + (int)rnd(5) : head_year + 22 + (int)rnd(15);
		if (year > 2024)
			year = 2024;
		char id[IDC_LEN + 1], phone[16] = "", name[64], tags[96] = "";
		make_id(g, year, i == 0 ? (int)rnd(5) != 0 : i == 1 ? 0 : (int)rnd(2), id);
		if (year < 2008 && rnd(10) < 7)
			make_phone(phone);
		make_name(name, sizeof(name));
		if (size == 1 && year < 1960)
			strcat(tags, "独居老人;");
		if (tenant)
			strcat(tags, "租户;");
		if (rnd(100) < 2)
			strcat(tags, "低保;");
		if (rnd(100) < 2)
			strcat(tags, "残疾人;");
		if (year < 2000 && rnd(100) < 8)
			strcat(tags, "党员;");
		if (rnd(1000) < 3)
			strcat(tags, "重点人员;");
		row(g, grid, bref, addr, unit, number, use, href, name, id, phone, rel, tags);
		if (g->ndup < 3)
			memcpy(g->dup[g->ndup++], id, sizeof(id));
	}
	*left -= size;
}

/* A grid with hh households in buildings of 24 flats (a few flats left vacant). */
static void grid_people(struct gen *g, const char *grid, const char *community_name, int64_t hh,
			int64_t *left)
{
	int64_t flats = hh + hh / 20;
	int64_t done = 0;
	for (int64_t b = 0; done < flats; b++) {
		char bref[48], addr[192];
		snprintf(bref, sizeof(bref), "%s-%03lld", grid, (long long)b + 1);
		snprintf(addr, sizeof(addr), "%s%lld栋", community_name, (long long)b + 1);
		for (int f = 0; f < FLATS_PER_BUILDING && done < flats; f++, done++) {
			int unit = f / 12 + 1, number = (f % 12) / 2 * 100 + 101 + f % 2;
			if (done >= hh || *left <= 0) {
				row(g, grid, bref, addr, unit, number, "空置", "", "", "", "", "",
				    "");
				continue;
			}
			int r = (int)rnd(100);
			const char *use = r < 82 ? "自住" : r < 95 ? "出租" : "经营";
			household(g, grid, bref, addr, unit, number, use, left);
		}
	}
}

static int collect_communities(struct store *s, const char *district, struct arena *a,
			       struct grid_node **out, size_t *n, struct err *err)
{
	struct grid_node *streets;
	size_t ns;
	int rc = store_grid_children(s, district, a, &streets, &ns, err);
	if (rc)
		return rc;
	size_t cap = 64, len = 0;
	struct grid_node *v = arena_alloc(a, cap * sizeof(*v));
	for (size_t i = 0; i < ns; i++) {
		struct grid_node *kids;
		size_t nk;
		if ((rc = store_grid_children(s, streets[i].code, a, &kids, &nk, err)))
			return rc;
		for (size_t k = 0; k < nk; k++) {
			if (len == cap) {
				struct grid_node *nv = arena_alloc(a, cap * 2 * sizeof(*v));
				memcpy(nv, v, len * sizeof(*v));
				v = nv;
				cap *= 2;
			}
			v[len++] = kids[k];
		}
	}
	*out = v;
	*n = len;
	return len ? GG_OK : err_set(err, GG_ENOTFOUND, "district %s has no communities", district);
}

int cli__demo_people(struct store *s, const char *db, const char *district, int64_t n,
		     struct err *err)
{
	char kp[PII_KEY_PATH_MAX];
	int created;
	pii_key_path(db, kp);
	int rc = pii_key_create(kp, &created, err);
	if (rc)
		return rc;
	struct arena *a = arena_new();
	struct grid_node *com;
	size_t ncom;
	if ((rc = collect_communities(s, district, a, &com, &ncom, err))) {
		arena_free(a);
		return rc;
	}
	FILE *f = tmpfile();
	if (!f) {
		arena_free(a);
		return err_set(err, GG_EIO, "cannot create a temporary file");
	}
	struct gen g = {.out = f, .district = district, .per_day = calloc(DAYS, sizeof(uint16_t))};
	fputs("grid,building,address,lon,lat,floors,units,unit,number,area,use,household,name,"
	      "id_number,phone,relation,registered,living,tags\n",
	      f);
	/* 2.6 people per household; grids of ~400 households spread over the communities */
	int64_t households = (n * 10 + 25) / 26;
	int64_t grids = (households + HH_PER_GRID / 2) / HH_PER_GRID;
	if (grids < 1)
		grids = 1;
	int64_t left = n - 9 - 30 * 3; /* room for the planted faults */
	char first_grid[40] = "";
	for (int64_t i = 0; i < grids && left > 0; i++) {
		const struct grid_node *c = &com[i % (int64_t)ncom];
		char grid[40];
		/* at most 998 grids per community: 999 is the planted small grid */
		snprintf(grid, sizeof(grid), "%.12s%03d", c->code,
			 (int)(i / (int64_t)ncom % 998 + 1));
		if (!first_grid[0])
			snprintf(first_grid, sizeof(first_grid), "%s", grid);
		int64_t hh = households / grids + (i < households % grids);
		grid_people(&g, grid, c->name, hh, &left);
	}
	/* Planted faults, all in the first grid or a small grid of their own. */
	char id[IDC_LEN + 1], name[64];
	for (int i = 0; i < 3; i++) {
		make_id(&g, 1960 + i, 1, id);
		make_name(name, sizeof(name));
		row(&g, first_grid, "", "", 0, 0, "", "", name, id, "", "其他", ""); /* no house */
		char num[16];
		snprintf(num, sizeof(num), "%d", 9001 + i);
		fprintf(f, "%s,,,,,,,1,%s,,空置,,,,,,,,\n", first_grid, num); /* no building */
	}
	/* Duplicated and invalid ID numbers, housed in a building of their own. */
	char pref[64], paddr[64], hh[80];
	snprintf(pref, sizeof(pref), "%s-P", first_grid);
	snprintf(paddr, sizeof(paddr), "%s号楼", "补录");
	for (int i = 0; i < 6; i++) {
		snprintf(hh, sizeof(hh), "%s-%d", pref, i);
		if (i < 3) { /* duplicate: someone already registered elsewhere */
			snprintf(id, sizeof(id), "%s", g.dup[i % (g.ndup ? g.ndup : 1)]);
		} else { /* invalid: wrong check digit */
			make_id(&g, 1970 + i, 0, id);
			id[17] = id[17] == '0' ? '1' : '0';
		}
		make_name(name, sizeof(name));
		row(&g, first_grid, pref, paddr, 1, 101 + i, "自住", hh, name, id, "", "户主", "");
	}
	char small[40];
	snprintf(small, sizeof(small), "%.12s999", com[0].code);
	int64_t small_left = 30 * 3;
	grid_people(&g, small, com[0].name, 30, &small_left);
	free(g.per_day);
	rewind(f);
	struct cli_people_counts cnt;
	rc = cli__people_load(s, db, f, "demo people", CLI_PEOPLE_LEGACY | CLI_PEOPLE_CREATE_GRIDS,
			      &cnt, err);
	fclose(f);
	arena_free(a);
	if (rc == GG_OK)
		printf("demo people: %lld residents in %lld grids (+1 small grid %s), planted "
		       "faults: 3 residents without a house, 3 houses without a building, 3 ID "
		       "numbers "
		       "held twice, 3 invalid ID numbers, 1 grid of 30 households\n",
		       (long long)cnt.residents, (long long)grids, small);
	return rc;
}
