/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The gridgov command: a table of subcommands, each a cmd_* function in its own file,
 * and the few helpers they share (option parsing, opening the database, errors).
 */
#ifndef GRIDGOV_CLI_INT_H
#define GRIDGOV_CLI_INT_H

#include <getopt.h>
#include <stdio.h>
#include <stdint.h>

#include "config.h"
#include "gridgov/err.h"
#include "gridgov/store.h"

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

extern const struct cli_cmd cli__commands[];

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_apikey(int argc, char **argv);
int cmd_device(int argc, char **argv);

/** Print "gridgov: error: …" on stderr and return 1 (the exit status). */
int cli_fail(const char *fmt, ...) GG_PRINTF(1, 2);
/** Print the failure in err and return 1. */
int cli_fail_err(const struct err *err);
/** Print usage text to stdout and return 0 (for --help) or to stderr and return 2. */
int cli_usage(const char *text, int ok);
/**
 * Read the arguments of `gridgov CMD SUB --db PATH`, a subcommand whose only option is
 * the database: -1 with *db set when the command should go on, otherwise the exit status
 * to return (usage printed, or the error said).
 */
int cli_sub_db_args(int argc, char **argv, const char *sub, const char *usage, const char **db);

/** One kind of a command that takes a kind first (gridgov import KIND, check KIND). */
struct cli_kind {
	const char *kind;
	int (*fn)(int argc, char **argv);
};
/**
 * Run the kind named by argv[1] (with argv shifted by one), answer --help with usage, or
 * fail naming the command (cmd) when the kind is unknown.
 */
int cli_run_kind(const struct cli_kind *kinds, size_t n, const char *cmd, const char *usage,
		 int argc, char **argv);

/** Open an existing, initialised database; fails with a hint to run init otherwise. */
int cli_open_db(const char *path, struct store **out, struct err *err);
/** Open or create and migrate. */
int cli_init_db(const char *path, struct store **out, int *from, int *to, struct err *err);
/** The data directory: --data, else $GRIDGOV_DATA, else the one built in. */
const char *cli_data_dir(const char *opt);

/** A progress bar on stderr when it is a terminal; silent otherwise. */
struct cli_progress {
	const char *what;
	int64_t total, done;
	int tty;
	uint64_t last_ns;
};
void cli_progress_start(struct cli_progress *p, const char *what, int64_t total);
void cli_progress_step(struct cli_progress *p, int64_t n);
void cli_progress_end(struct cli_progress *p);

/** Load the district › street › community tree from the shared divisions CSV. */
struct cli_division_counts {
	int64_t by_level[GRID_LEVEL_MAX + 1];
	int errors;
};
int cli__import_divisions(struct store *s, const char *file, const char *district,
			  struct cli_division_counts *counts, struct err *err) GG_WUR;

/* ---- grid map (issue 3) ---- */
int cmd_locate(int argc, char **argv);
/** gridgov stats rebuild (cmd_stats.c). */
int cmd_stats(int argc, char **argv);
/** gridgov assess (cmd_assess.c). */
int cmd_assess(int argc, char **argv);
/** gridgov province publish|subscribe (cmd_province.c). */
int cmd_province(int argc, char **argv);
int cmd_check(int argc, char **argv);
/** gridgov import geojson (geojson.c). */
int cli__import_geojson(int argc, char **argv);
/** Give the demo district its geometry, households and grid staff (demo_map.c). */
int cli__demo_map(struct store *s, const char *district, const char *data_dir,
		  unsigned long seed, struct err *err) GG_WUR;
/* ---- people and housing 人房 ------------------------------------------------------ */

/** gridgov import people (people_import.c). */
int cli__import_people(int argc, char **argv);

enum {
	CLI_PEOPLE_SKIP_BAD_ROWS = 1 << 0, /* commit the good rows, report the bad */
	CLI_PEOPLE_LEGACY = 1 << 1,	   /* keep invalid or duplicate ID numbers, marked */
	CLI_PEOPLE_CREATE_GRIDS = 1 << 2,  /* create missing basic grids under communities */
};
struct cli_people_counts {
	int64_t residents, buildings, houses, bad;
};
/**
 * Load a people CSV (docs/people-csv.md) from f into s, in one transaction, with the key
 * file of db. Bad rows are reported on stderr; unless CLI_PEOPLE_SKIP_BAD_ROWS any bad
 * row rolls everything back (GG_EFIELD).
 */
int cli__people_load(struct store *s, const char *db, FILE *f, const char *name,
		     unsigned flags, struct cli_people_counts *out, struct err *err) GG_WUR;
/**
 * n cases over the last `days` days in the demo district, each driven through the domain
 * layer as far as its story reaches by now (demo_cases.c); prints what it wrote.
 */
int cli__demo_cases(struct store *s, const char *district, int64_t n, int days,
		    unsigned long seed, struct err *err) GG_WUR;
/** Synthetic residents for the demo district, with a few planted faults of each kind. */
int cli__demo_people(struct store *s, const char *db, const char *district, int64_t n,
		     struct err *err) GG_WUR;
/** gridgov import hotline: 12345 work orders from CSV (intake). */
int cli__import_hotline(int argc, char **argv);
/** gridgov check people (check_people.c). */
int cli__check_people(int argc, char **argv);
/** Load the category catalog CSV (data/categories.csv) in one transaction. */
int cli__import_categories(struct store *s, const char *file, int64_t *count,
			   struct err *err) GG_WUR;

/**
 * A set of ID hashes (32 bytes each) for a large people import: which ID numbers the file
 * repeats or the database already holds, without an index lookup per row (idset.c).
 */
struct cli_idset {
	unsigned char (*k)[32];
	size_t cap, n;
	int has_zero;
};
/** The 32 bytes of a 64-character hex hash; 0 when it is not one. */
int cli__idset_key(const char *hex, unsigned char key[32]);
/** Size the set for about n hashes up front (growing rehashes all of them). */
void cli__idset_reserve(struct cli_idset *t, size_t n);
/** Add a hash; *had says whether it was there already. GG_EINTERNAL when out of memory. */
int cli__idset_put(struct cli_idset *t, const unsigned char key[32], int *had);
/** store_resident_hashes callback: add one hex hash (arg is the set). */
int cli__idset_add(void *arg, const char *hex);
void cli__idset_free(struct cli_idset *t);

#endif
