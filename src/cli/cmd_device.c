/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov device add: register a sensor or camera whose alarms open cases at its place
 * (the device key is printed once; only its hash is stored), or a worker's tracker, a
 * phone running Traccar Client whose positions come in on the OsmAnd listener.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/sec.h"
#include "gridgov/store_intake.h"
#include "gridgov/store_track.h"

static const char usage[] =
	"usage: gridgov device add --db PATH --id ID --type TYPE --lon LON --lat LAT\n"
	"                          --category CODE\n"
	"       gridgov device add --db PATH --id ID --type tracker --user NAME\n\n"
	"Register a device (TYPE manhole, smoke, water_level or camera) and print its key once.\n"
	"Its alarms (POST /api/v1/intake/alarms) open cases of category CODE at (LON, LAT);\n"
	"alarms within 30 minutes of the previous one join its case while it is open.\n"
	"A tracker is a worker's phone running Traccar Client with ID as its device\n"
	"identifier: its positions (gridgov serve --osmand-listen) make NAME's patrols.\n";

static int tracker_add(const char *db, const char *id, const char *user)
{
	if (!id || !*id || strlen(id) >= TRACK_ID_MAX)
		return cli_fail("--id is required (at most %d bytes)", TRACK_ID_MAX - 1);
	if (!user || !*user)
		return cli_fail("--user NAME is required for a tracker");
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct store_user u;
	int rc = store_user_by_name(s, user, &u, &err);
	if (rc == GG_ENOTFOUND)
		err_set(&err, rc, "no user %s", user);
	if (!rc)
		rc = store_tracker_add(s, id, u.id, clock_now(), &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	fprintf(stderr, "tracker %s registered to %s\n", id, user);
	return 0;
}

static int device_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},  {"id", required_argument, 0, 'i'},
		{"type", required_argument, 0, 't'}, {"lon", required_argument, 0, 'x'},
		{"lat", required_argument, 0, 'y'},  {"category", required_argument, 0, 'c'},
		{"user", required_argument, 0, 'u'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *db = NULL, *id = NULL, *type = NULL, *cat = NULL, *lon = NULL, *lat = NULL;
	const char *user = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'i': id = optarg; break;
		case 't': type = optarg; break;
		case 'x': lon = optarg; break;
		case 'y': lat = optarg; break;
		case 'c': cat = optarg; break;
		case 'u': user = optarg; break;
		default: return cli_usage(usage, c == 'h');
		}
	}
	if (type && !strcmp(type, "tracker"))
		return tracker_add(db, id, user);
	struct store_device d = {.created_at = clock_now()};
	if (!id || !*id || strlen(id) >= sizeof(d.id))
		return cli_fail("--id is required (at most %zu bytes)", sizeof(d.id) - 1);
	if (!type || (strcmp(type, "manhole") && strcmp(type, "smoke") &&
		      strcmp(type, "water_level") && strcmp(type, "camera")))
		return cli_fail("--type is manhole, smoke, water_level, camera or tracker");
	if (!cat || strlen(cat) >= sizeof(d.category))
		return cli_fail("--category CODE is required");
	char *e1 = NULL, *e2 = NULL;
	d.lon = lon ? strtod(lon, &e1) : 0;
	d.lat = lat ? strtod(lat, &e2) : 0;
	if (!lon || !lat || *e1 || *e2 || d.lon < -180 || d.lon > 180 || d.lat < -90 || d.lat > 90)
		return cli_fail("--lon and --lat are required WGS 84 degrees");
	snprintf(d.id, sizeof(d.id), "%s", id);
	snprintf(d.type, sizeof(d.type), "%s", type);
	snprintf(d.category, sizeof(d.category), "%s", cat);
	char key[SEC_TOKEN_LEN];
	sec_token_new(key);
	sec_token_hash(key, d.key_hash);
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	int rc = store_device_add(s, &d, &err);
	store_close(s);
	if (rc) {
		memset(key, 0, sizeof(key));
		return cli_fail_err(&err);
	}
	printf("%s\n", key);
	fprintf(stderr, "device %s registered; its key is shown only this once\n", id);
	memset(key, 0, sizeof(key));
	return 0;
}

int cmd_device(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return device_add(argc - 1, argv + 1);
	return cli_usage(usage, argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")));
}
