/* SPDX-License-Identifier: Apache-2.0 */
/* The time-limit light and the rounds of supervision 督办. */
#include <string.h>

#include "gridgov/grid.h"
#include "gridgov/sla.h"

void sla_policy_default(struct sla_policy *p)
{
	struct cal c;
	cal_init(&c);
	p->grace = cal_day_secs(&c);
	p->points[0] = 1;
	p->points[1] = 2;
	p->points[2] = 3;
}

enum sla_light sla_light(int64_t used, int64_t limit)
{
	if (used > limit)
		return SLA_RED;
	/* integer test of used / limit < 0.8 */
	return used * 5 < limit * 4 ? SLA_GREEN : SLA_YELLOW;
}

enum sla_light sla_light_at(const struct cal *c, int64_t start, int64_t deadline, int64_t now)
{
	if (now > deadline)
		return SLA_RED;
	return sla_light(cal_between(c, start, now), cal_between(c, start, deadline));
}

static const char *lights[] = {"green", "yellow", "red"};

const char *sla_light_name(enum sla_light l)
{
	return l >= SLA_GREEN && l <= SLA_RED ? lights[l] : "unknown";
}

int sla_light_parse(const char *name)
{
	for (int i = 0; name && i < 3; i++)
		if (!strcmp(lights[i], name))
			return i;
	return -1;
}

int sla_due_round(const struct cal *c, const struct sla_policy *p, int64_t deadline, int64_t now)
{
	if (now <= deadline)
		return 0;
	if (p->grace <= 0)
		return SLA_ROUNDS;
	int64_t late = cal_between(c, deadline, now);
	int64_t round = 1 + late / p->grace;
	return round > SLA_ROUNDS ? SLA_ROUNDS : (int)round;
}

int sla_round_level(int level, int round)
{
	int l = level - round;
	return l < GRID_DISTRICT ? GRID_DISTRICT : l;
}

int sla_round_points(const struct sla_policy *p, int round)
{
	return round >= 1 && round <= SLA_ROUNDS ? p->points[round - 1] : 0;
}
