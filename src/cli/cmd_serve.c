/* SPDX-License-Identifier: Apache-2.0 */
/* gridgov serve: run the HTTP server until SIGINT or SIGTERM, then stop cleanly. */
#include <pthread.h>
#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/api.h"
#include "gridgov/log.h"
#include "gridgov/utf8.h"

static const char usage[] =
    "usage: gridgov serve --db PATH [--listen HOST:PORT] [options]\n\n"
    "Serve the API (and the web UI, when built) until interrupted.\n\n"
    "  --db PATH          the database (created by 'gridgov init')\n"
    "  --read-db URI      a PostgreSQL standby for the read-only routes (GET); a caller's\n"
    "                     reads go to the primary for a moment after its own writes\n"
    "  --read-your-writes MS  how long that moment is (default 5000)\n"
    "  --read-max-lag MS  a standby further behind its primary serves no reads until it\n"
    "                     catches up (default 10000; 0 = no limit)\n"
    "  --province         the database is a province's (gridgov province subscribe):\n"
    "                     serve its cities' indicators, read-only\n"
    "  --listen HOST:PORT address to listen on (default 127.0.0.1:8080; port 0 = any)\n"
    "  --threads N        HTTP polling threads (default: one per core)\n"
    "  --workers N        threads for requests that may block (default: 2 per core, >= 4)\n"
    "  --web DIR          directory of the built web UI (default: the one built by make)\n"
    "  --media DIR        where photos are kept (default: PATH.media beside the db;\n"
    "                     required with a postgres:// database)\n"
    "  --token-ttl SECS   lifetime of a login token (default 28800)\n"
    "  --lock-after N     failed logins from one address that lock a name there (default 5)\n"
    "  --lock-secs SECS   how long it stays locked (default 900)\n"
    "  --body-max BYTES   largest JSON body accepted (default 1048576)\n"
    "  --max-connections N      open connections at most (default 512)\n"
    "  --per-ip-connections N   connections from one address at most (default 64; 0 = any)\n"
    "  --header-timeout SECS    time to send a request's headers (default 15; 0 = none)\n"
    "  --body-timeout SECS      time to send a request's body (default 300; 0 = none)\n"
    "  --idle-timeout SECS      time a connection may stay silent, or wait between\n"
    "                           requests (default 60)\n"
    "  --sse-clients N          live event streams (GET /api/v1/events) at most (default 64)\n"
    "  --sse-heartbeat SECS     a comment on an idle event stream this often (default 15)\n"
    "  --no-access-log    do not log one line per request\n"
    "  --hotline-webhook URL  send each status change of hotline cases to this http:// URL\n"
    "  --hotline-secret-file F  the webhook's HMAC-SHA256 key (the file's first line)\n"
    "  --report-rate N    citizen reports a minute per address (default 6; 0 = no limit)\n"
    "  --login-rate N     login attempts a minute per address (default 60; 0 = no limit)\n"
    "  --lock-after-all N failed logins from all addresses that lock a name (default 20)\n"
    "  --image-decoders N photos decoded at once (default 2); more wait their turn\n"
    "  --image-memory MIB memory one photo's decoding may hold (default 256)\n"
    "  --lookup-rate N    person lookups by ID number a minute per user (default 20;\n"
    "                     0 = no limit)\n"
    "  --public-rate N    tracking-code lookups and ratings a minute per address\n"
    "                     (default 30; 0 = no limit)\n"
    "  --jurisdiction ID  the Open311 jurisdiction_id of this endpoint (e.g. chengdu.gov.cn):\n"
    "                     requests naming another one are refused (default: the field\n"
    "                     is ignored)\n"
    "  --trusted-proxy CIDR,...  reverse proxies (addresses or ranges, at most 16)\n"
    "                     whose X-Forwarded-For names the client for rate limits, login\n"
    "                     counters and the access log; from other peers it is ignored\n"
    "  --osmand-listen HOST[:PORT]  also take positions in the OsmAnd protocol (Traccar\n"
    "                     Client) on this address (port 5055 unless given; 0 = any)\n"
    "  --osmand-connections N  OsmAnd connections at most, a thread each (default 256)\n"
    "  --osmand-rate N    OsmAnd requests a minute per address (default 0 = no limit:\n"
    "                     phones behind a carrier's NAT share addresses)\n"
    "  --track-config FILE  cleaning and patrol settings, key=value lines with Traccar's\n"
    "                     names (filter.accuracy=100, filter.maxSpeed=60, track.gap=3600,\n"
    "                     track.retentionDays=90 …; docs/track.md)\n"
    "  --test-clock       let POST /api/v1/test/clock move the server's time: for the tests\n"
    "                     and the demo's replay of past cases only, never in production\n";

static int parse_listen(const char *s, char *host, size_t hlen, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= hlen)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

/* A rate a minute: 0 (no limit) to a million; -1 if s is not one. */
static int rate_arg(const char *s, double *out)
{
	char *end;
	double rate = strtod(s, &end);
	if (*end || end == s || !(rate >= 0 && rate <= 1e6))
		return -1;
	*out = rate;
	return 0;
}

static int positive(const char *s, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* The first line of a secret file, without its line end; -1 if unreadable or empty. */
static int read_secret(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(out, (int)n, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\r\n")] = 0;
	return out[0] ? 0 : -1;
}

int cmd_serve(int argc, char **argv)
{
	enum {
		O_DB = 1,
		O_LISTEN,
		O_THREADS,
		O_WORKERS,
		O_WEB,
		O_TTL,
		O_LOCKN,
		O_LOCKS,
		O_BODY,
		O_NOLOG,
		O_TEST,
		O_MEDIA,
		O_RATE,
		O_PRATE,
		O_LRATE,
		O_LOCKALL,
		O_MAXC,
		O_IPC,
		O_HDRT,
		O_BODYT,
		O_IDLET,
		O_SSE_CLIENTS,
		O_SSE_BEAT,
		O_LOOKR,
		O_IMGD,
		O_IMGM,
		O_HOOK,
		O_HOOKSEC,
		O_JURIS,
		O_PROXY,
		O_READDB,
		O_RYW,
		O_MAX_LAG,
		O_PROVINCE,
		O_OSMAND,
		O_OSMANDC,
		O_OSMANDR,
		O_TRACKCFG,
		O_HELP
	};
	static const struct option opts[] = {
	    {"db", required_argument, 0, O_DB},
	    {"listen", required_argument, 0, O_LISTEN},
	    {"threads", required_argument, 0, O_THREADS},
	    {"workers", required_argument, 0, O_WORKERS},
	    {"web", required_argument, 0, O_WEB},
	    {"media", required_argument, 0, O_MEDIA},
	    {"token-ttl", required_argument, 0, O_TTL},
	    {"lock-after", required_argument, 0, O_LOCKN},
	    {"lock-secs", required_argument, 0, O_LOCKS},
	    {"body-max", required_argument, 0, O_BODY},
	    {"no-access-log", no_argument, 0, O_NOLOG},
	    {"test-clock", no_argument, 0, O_TEST},
	    {"report-rate", required_argument, 0, O_RATE},
	    {"public-rate", required_argument, 0, O_PRATE},
	    {"login-rate", required_argument, 0, O_LRATE},
	    {"lock-after-all", required_argument, 0, O_LOCKALL},
	    {"max-connections", required_argument, 0, O_MAXC},
	    {"per-ip-connections", required_argument, 0, O_IPC},
	    {"header-timeout", required_argument, 0, O_HDRT},
	    {"body-timeout", required_argument, 0, O_BODYT},
	    {"idle-timeout", required_argument, 0, O_IDLET},
	    {"sse-clients", required_argument, 0, O_SSE_CLIENTS},
	    {"sse-heartbeat", required_argument, 0, O_SSE_BEAT},
	    {"lookup-rate", required_argument, 0, O_LOOKR},
	    {"image-decoders", required_argument, 0, O_IMGD},
	    {"image-memory", required_argument, 0, O_IMGM},
	    {"hotline-webhook", required_argument, 0, O_HOOK},
	    {"hotline-secret-file", required_argument, 0, O_HOOKSEC},
	    {"jurisdiction", required_argument, 0, O_JURIS},
	    {"trusted-proxy", required_argument, 0, O_PROXY},
	    {"read-db", required_argument, 0, O_READDB},
	    {"read-your-writes", required_argument, 0, O_RYW},
	    {"read-max-lag", required_argument, 0, O_MAX_LAG},
	    {"province", no_argument, 0, O_PROVINCE},
	    {"osmand-listen", required_argument, 0, O_OSMAND},
	    {"osmand-connections", required_argument, 0, O_OSMANDC},
	    {"osmand-rate", required_argument, 0, O_OSMANDR},
	    {"track-config", required_argument, 0, O_TRACKCFG},
	    {"help", no_argument, 0, O_HELP},
	    {0, 0, 0, 0}};
	struct api_config cfg;
	api_config_defaults(&cfg);
	cfg.web_dir = GRIDGOV_WEBDIR;
	char host[64] = "127.0.0.1", ohost[64] = "127.0.0.1";
	static char secret[512];
	const char *db = NULL;
	long long v;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_READDB:
			cfg.read_dsn = optarg;
			break;
		case O_RYW:
			if (positive(optarg, &v) || v > 3600000)
				return cli_fail("--read-your-writes wants 1 to 3600000 ms");
			cfg.read_primary_ms = (int)v;
			break;
		case O_MAX_LAG:
			v = 0;
			if (strcmp(optarg, "0") && (positive(optarg, &v) || v > 86400000))
				return cli_fail("--read-max-lag wants 0 to 86400000 ms");
			cfg.read_max_lag_ms = (int)v;
			break;
		case O_PROVINCE:
			cfg.province = 1;
			break;
		case O_OSMAND:
			if (!strchr(optarg, ':') && strlen(optarg) < sizeof(ohost)) {
				snprintf(ohost, sizeof(ohost), "%s", optarg);
				cfg.osmand_port = 5055;
			} else if (parse_listen(optarg, ohost, sizeof(ohost), &cfg.osmand_port)) {
				return cli_fail("--osmand-listen wants HOST[:PORT], not '%s'",
						optarg);
			}
			cfg.osmand_host = ohost;
			break;
		case O_OSMANDC:
			if (positive(optarg, &v) || v > 10000)
				return cli_fail("--osmand-connections wants 1 to 10000");
			cfg.osmand_connections = (int)v;
			break;
		case O_OSMANDR:
			if (rate_arg(optarg, &cfg.osmand_rate))
				return cli_fail(
				    "--osmand-rate wants requests a minute >= 0 (0 = none)");
			break;
		case O_TRACKCFG: {
			struct err e = ERR_INIT;
			if (track_config_load(&cfg.track, optarg, &e))
				return cli_fail("--track-config: %s", e.msg);
			break;
		}
		case O_DB:
			db = optarg;
			break;
		case O_LISTEN:
			if (parse_listen(optarg, host, sizeof(host), &cfg.port))
				return cli_fail("--listen wants HOST:PORT, not '%s'", optarg);
			break;
		case O_THREADS:
			if (positive(optarg, &v) || v > 256)
				return cli_fail("--threads wants 1 to 256");
			cfg.threads = (int)v;
			break;
		case O_WORKERS:
			if (positive(optarg, &v) || v > 256)
				return cli_fail("--workers wants 1 to 256");
			cfg.workers = (int)v;
			break;
		case O_WEB:
			cfg.web_dir = optarg;
			break;
		case O_MEDIA:
			cfg.media_dir = optarg;
			break;
		case O_TTL:
			if (positive(optarg, &v))
				return cli_fail("--token-ttl wants seconds > 0");
			cfg.token_ttl = v;
			break;
		case O_LOCKN:
			if (positive(optarg, &v))
				return cli_fail("--lock-after wants a count > 0");
			cfg.lock_after = (int)v;
			break;
		case O_LOCKS:
			if (positive(optarg, &v))
				return cli_fail("--lock-secs wants seconds > 0");
			cfg.lock_secs = v;
			break;
		case O_BODY:
			if (positive(optarg, &v))
				return cli_fail("--body-max wants bytes > 0");
			cfg.body_max = (size_t)v;
			break;
		case O_NOLOG:
			cfg.access_log = 0;
			break;
		case O_TEST:
			cfg.test_clock = 1;
			break;
		case O_HOOK:
			cfg.hotline_webhook = optarg;
			break;
		case O_HOOKSEC:
			if (read_secret(optarg, secret, sizeof(secret)))
				return cli_fail("cannot read a secret from %s (1 to %zu bytes)",
						optarg, sizeof(secret) - 2);
			cfg.hotline_secret = secret;
			break;
		case O_RATE:
			if (rate_arg(optarg, &cfg.report_rate))
				return cli_fail(
				    "--report-rate wants reports a minute >= 0 (0 = no limit)");
			break;
		case O_PRATE:
			if (rate_arg(optarg, &cfg.public_rate))
				return cli_fail(
				    "--public-rate wants requests a minute >= 0 (0 = none)");
			break;
		case O_IMGD:
			if (positive(optarg, &v) || v > 256)
				return cli_fail("--image-decoders wants 1 to 256");
			cfg.image_decoders = (int)v;
			break;
		case O_IMGM:
			if (positive(optarg, &v) || v > 65536)
				return cli_fail("--image-memory wants 1 to 65536 MiB");
			cfg.image_memory = (size_t)v << 20;
			break;
		case O_LOOKR:
			if (rate_arg(optarg, &cfg.lookup_rate))
				return cli_fail(
				    "--lookup-rate wants lookups a minute >= 0 (0 = none)");
			break;
		case O_LRATE:
			if (rate_arg(optarg, &cfg.login_rate))
				return cli_fail(
				    "--login-rate wants attempts a minute >= 0 (0 = none)");
			break;
		case O_MAXC:
			if (positive(optarg, &v) || v > 1000000)
				return cli_fail("--max-connections wants 1 to 1000000");
			cfg.max_connections = (int)v;
			break;
		case O_IPC:
		case O_HDRT:
		case O_BODYT: {
			char *end;
			long long n = strtoll(optarg, &end, 10);
			if (*end || end == optarg || n < 0 || n > 1000000)
				return cli_fail("--%s wants 0 to 1000000",
						c == O_IPC    ? "per-ip-connections"
						: c == O_HDRT ? "header-timeout"
							      : "body-timeout");
			if (c == O_IPC)
				cfg.per_ip_connections = (int)n;
			else if (c == O_HDRT)
				cfg.header_timeout = (int)n;
			else
				cfg.body_timeout = (int)n;
			break;
		}
		case O_IDLET:
			if (positive(optarg, &v) || v > 86400)
				return cli_fail("--idle-timeout wants 1 to 86400 seconds");
			cfg.idle_timeout = (int)v;
			break;
		case O_SSE_CLIENTS:
			if (positive(optarg, &v) || v > 100000)
				return cli_fail("--sse-clients wants 1 to 100000");
			cfg.sse_clients = (int)v;
			break;
		case O_SSE_BEAT:
			if (positive(optarg, &v) || v > 3600)
				return cli_fail("--sse-heartbeat wants 1 to 3600 seconds");
			cfg.sse_heartbeat = (int)v;
			break;
		case O_LOCKALL:
			if (positive(optarg, &v))
				return cli_fail("--lock-after-all wants a count > 0");
			cfg.lock_after_all = (int)v;
			break;
		case O_JURIS:
			if (!*optarg || strlen(optarg) > 255 || utf8_check_str(optarg))
				return cli_fail("--jurisdiction wants 1 to 255 bytes of text");
			cfg.jurisdiction = optarg;
			break;
		case O_PROXY: {
			struct err e = ERR_INIT;
			if (cidr_parse_list(optarg, cfg.trusted_proxies, &cfg.ntrusted_proxies, &e))
				return cli_fail("--trusted-proxy: %s", e.msg);
			break;
		}
		default:
			return cli_usage(usage, c == O_HELP);
		}
	}
	if (cfg.hotline_webhook && !cfg.hotline_secret)
		return cli_fail("--hotline-webhook needs --hotline-secret-file");
	if (!db)
		return cli_fail("--db PATH is required");
	cfg.dsn = db;

	cfg.host = host;

	if (cfg.read_dsn && (!strstr(db, "://") || !strstr(cfg.read_dsn, "://")))
		return cli_fail("--read-db is for a PostgreSQL standby: --db and --read-db are"
				" postgres:// URIs");
	if (strstr(db, "://") && !(cfg.media_dir && *cfg.media_dir))
		return cli_fail("--media DIR is required with a PostgreSQL database");

	/* a backend that lacks operations would fail requests at random: refuse it whole */
	struct store *probe;
	struct err perr = ERR_INIT;
	if (store_open(db, &probe, &perr))
		return cli_fail_err(&perr);
	const char *first;
	int missing = store_ops_missing(probe, &first);
	char backend[16];
	snprintf(backend, sizeof(backend), "%s", store_backend(probe));
	store_close(probe);
	if (missing)
		return cli_fail(
		    "the %s backend lacks %d store operations (%s among them): it cannot"
		    " serve yet (docs/postgres.md)",
		    backend, missing, first);

	/* Block the signals before any thread starts, so only sigwait below sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
#ifdef __GLIBC__
	/* A large reply (a month by grid, a week's heat map: ~0.5 MB of JSON built from tens of
	 * thousands of small allocations) would give its heap back to the kernel when freed
	 * and fault it in again on the next request (a fifth of such a request's time): keep
	 * up to 16 MiB of free heap per malloc arena, and serve blocks below 4 MiB from it. */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif

	struct api_server *srv;
	struct err err = ERR_INIT;
	if (api_server_start(&cfg, &srv, &err))
		return cli_fail_err(&err);
	printf("gridgov: listening on http://%s:%d\n", host, api_server_port(srv));
	if (api_server_osmand_port(srv) >= 0)
		printf("gridgov: osmand listening on http://%s:%d\n", ohost,
		       api_server_osmand_port(srv));
	fflush(stdout);
	log_info("listening on %s:%d%s", host, api_server_port(srv),
		 cfg.test_clock ? " (test clock enabled)" : "");
	int sig = 0;
	sigwait(&set, &sig);
	log_info("received %s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	api_server_stop(srv);
	log_info("stopped");
	return 0;
}
