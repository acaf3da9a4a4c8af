/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The locator: which grid-tree node contains a point. An index is built once from the
 * map (an STR-packed R-tree over bounding boxes, GEOS prepared geometries for the exact
 * test) and is read-only afterwards, so any number of threads query it at once. A slot
 * holds the current index; a new map is swapped in atomically and readers never block:
 * they announce themselves on one of two counters (RCU-style), and the writer frees the
 * old index only after both counters have drained.
 *
 * Rule for points on boundaries: a node contains a point when its polygon *covers* it
 * (interior or boundary). The answer is the covering node of the deepest level; among
 * several at that level (a point on an edge or vertex shared by siblings), the one with
 * the lowest code wins. So every point of the map has exactly one answer.
 */
#ifndef GRIDGOV_LOC_H
#define GRIDGOV_LOC_H

#include <stddef.h>

#include "gridgov/err.h"
#include "gridgov/grid.h"

/** One node to index: its geometry as WKB (copied by loc_index_build). */
struct loc_item {
	const char *code, *name;
	enum grid_level level;
	const unsigned char *wkb;
	size_t wkb_len;
};

struct loc_index;

/** Build an index over items; GG_EFIELD names a node whose WKB cannot be read. */
int loc_index_build(const struct loc_item *items, size_t n, struct loc_index **out,
		    struct err *err) GG_WUR;
void loc_index_free(struct loc_index *idx);
/** Number of nodes indexed. */
size_t loc_index_size(const struct loc_index *idx);
/** Approximate bytes held by the index (coordinates, prepared geometries, tree, names). */
size_t loc_index_memory(const struct loc_index *idx);

struct loc_hit {
	const char *code, *name; /* owned by the index */
	enum grid_level level;
};

/** The deepest node covering (lon, lat), by the rule above; 0 if none (outside the map), 1 if found. */
int loc_index_find(const struct loc_index *idx, double lon, double lat, struct loc_hit *hit);
/** The indexed node with this code, or 0. */
int loc_index_node(const struct loc_index *idx, const char *code, struct loc_hit *hit);

/* ---- the slot: atomic swap ---------------------------------------------------------- */

struct loc_slot;

struct loc_slot *loc_slot_new(void);
/** Frees the slot and the index it holds (no reader may be inside). */
void loc_slot_free(struct loc_slot *s);
/**
 * Enter a read section: returns the current index (NULL when none is loaded) and a ticket
 * to pass to loc_slot_leave. Never blocks.
 */
const struct loc_index *loc_slot_enter(struct loc_slot *s, unsigned *ticket);
void loc_slot_leave(struct loc_slot *s, unsigned ticket);
/** Install idx (taking ownership) and free the previous index once no reader uses it. */
void loc_slot_swap(struct loc_slot *s, struct loc_index *idx);

#endif
