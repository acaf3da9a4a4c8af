/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time limits of case stages: the traffic light (green under 80 % of the limit, yellow
 * to 100 %, red past it) and supervision 督办 of overdue work — up to three rounds, each
 * escalating one level up the grid tree and deducting points from whoever is
 * responsible. Pure functions over a working-day calendar.
 */
#ifndef GRIDGOV_SLA_H
#define GRIDGOV_SLA_H

#include <stdint.h>

#include "gridgov/cal.h"

enum sla_light { SLA_GREEN, SLA_YELLOW, SLA_RED };

#define SLA_ROUNDS 3

struct sla_policy {
	int64_t grace;		/* working seconds between one supervision round and the next */
	int points[SLA_ROUNDS]; /* deduction of round 1, 2, 3 */
};

/** One working day between rounds; deductions 1, 2 and 3 points. */
void sla_policy_default(struct sla_policy *p);

/** The light of a stage that has used `used` of `limit` working seconds. */
enum sla_light sla_light(int64_t used, int64_t limit);
/** The light of a stage started at start, due at deadline, seen at now. */
enum sla_light sla_light_at(const struct cal *c, int64_t start, int64_t deadline, int64_t now);
/** "green", "yellow", "red"; parse returns -1 if unknown. */
const char *sla_light_name(enum sla_light l);
int sla_light_parse(const char *name);

/**
 * How many supervision rounds are due at now for work due at deadline: 0 before the
 * deadline passes, 1 once it has, then one more per `grace` of working time, at most 3.
 */
int sla_due_round(const struct cal *c, const struct sla_policy *p, int64_t deadline, int64_t now);
/** The grid level that supervises round (1..3) of a case handled at level: one up each. */
int sla_round_level(int level, int round);
/** Points deducted in that round. */
int sla_round_points(const struct sla_policy *p, int round);

#endif
