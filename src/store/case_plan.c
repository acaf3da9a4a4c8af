/* SPDX-License-Identifier: Apache-2.0 */
/* The case list's plan for every backend (case_plan.h): a filter's conditions and the
 * driver chosen for it. */
#include <string.h>

#include "store/case_plan.h"

/* the conditions each driver's index answers alone */
static const int implies[DRV_COUNT] = {
    [DRV_ID] = 0,
    [DRV_ONE] = C_ID,
    [DRV_PHONE] = C_PHONE,
    [DRV_MERGED] = C_MERGED,
    [DRV_OPEN_SUBTREE] = C_SUBTREE | C_OPEN,
    [DRV_SUBGRID] = C_SUBTREE,
    [DRV_GRID] = C_SUBTREE,
    [DRV_CATEGORY] = C_CATEGORY,
    [DRV_COMMUNITY] = C_SUBTREE,
    [DRV_LIVE] = C_DUE | C_KEEP, /* the light's test in C reads the stage from the index */
    [DRV_OPEN] = C_OPEN,
    [DRV_DEPARTMENT] = C_DEPARTMENT,
    [DRV_STREET] = C_SUBTREE,
    [DRV_STATE] = C_STATE,
    [DRV_CHANNEL] = C_CHANNEL,
};

int store__given(const char *s)
{
	return s && *s;
}

int store__case_conditions(const struct store_case_filter *f, const char *code)
{
	return (code[0] ? C_SUBTREE : 0) | (store__given(f->department) ? C_DEPARTMENT : 0) |
	       (store__given(f->state) ? C_STATE : 0) |
	       (store__given(f->category) ? C_CATEGORY : 0) |
	       (store__given(f->channel) ? C_CHANNEL : 0) | (f->merged_into ? C_MERGED : 0) |
	       (f->open_only ? C_OPEN : 0) | (f->due_to ? C_DUE : 0) | (f->keep ? C_KEEP : 0) |
	       (f->id ? C_ID : 0) | (store__given(f->phone_hash) ? C_PHONE : 0) |
	       (store__given(f->keyword) || store__given(f->address) ? C_TEXT : 0) |
	       (f->created_from || f->created_to ? C_CREATED : 0);
}

enum driver store__case_driver(const struct store_case_filter *f, const char *code)
{
	size_t len = strlen(code), grid = grid_level_code_len(GRID_GRID); /* 15, as in SQL */
	int state = store__given(f->state) ? case_state_parse(f->state) : -1;
	if (f->id)
		return DRV_ONE;
	if (store__given(f->phone_hash))
		return DRV_PHONE;
	if (f->merged_into)
		return DRV_MERGED;
	if (f->open_only && len >= grid_level_code_len(GRID_STREET))
		return DRV_OPEN_SUBTREE;
	if (len > grid)
		return DRV_SUBGRID;
	if (len == grid)
		return DRV_GRID;
	if (store__given(f->category))
		return DRV_CATEGORY;
	if (state >= 0 && !case_state_final((enum case_state)state))
		return DRV_STATE; /* a state still open is rare; a final one is not */
	if (len == grid_level_code_len(GRID_COMMUNITY))
		return DRV_COMMUNITY;
	if (f->due_to)
		return DRV_LIVE;
	if (f->open_only)
		return DRV_OPEN;
	if (store__given(f->department))
		return DRV_DEPARTMENT;
	if (len == grid_level_code_len(GRID_STREET))
		return DRV_STREET;
	if (store__given(f->state))
		return DRV_STATE;
	if (store__given(f->channel))
		return DRV_CHANNEL;
	return DRV_ID;
}

int store__case_implies(enum driver d)
{
	return implies[d];
}
