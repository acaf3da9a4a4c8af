/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The people import's set of ID hashes (cli_int.h): open addressing with linear probing,
 * at most half full, in huge pages where the kernel gives them. The hashes are keyed
 * BLAKE2b, uniform already, so their first bytes serve as the slot. An all-zero key
 * marks an empty slot; the one real hash that could be all zeros is kept aside.
 */
#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "cli/cli_int.h"

int cli__idset_key(const char *hex, unsigned char key[32])
{
	return strlen(hex) == 64 && sodium_hex2bin(key, 32, hex, 64, NULL, NULL, NULL) == 0;
}

static size_t slot(const struct cli_idset *t, const unsigned char key[32])
{
	static const unsigned char zero[32];
	uint64_t h, w;
	memcpy(&h, key, sizeof(h));
	for (size_t i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		memcpy(&w, t->k[i], sizeof(w)); /* the first word settles nearly every probe */
		if ((w == h && !memcmp(t->k[i], key, 32)) || (!w && !memcmp(t->k[i], zero, 32)))
			return i;
	}
}

/*
 * Zeroed memory for cap slots, in huge pages where the kernel gives them: probes land
 * anywhere in tens of MiB, and with 4 KiB pages each would be a TLB miss and the first
 * touch of each page a fault.
 */
static unsigned char (*slots_alloc(size_t cap))[32]
{
	void *p = mmap(NULL, cap * 32, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, cap * 32, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
	return p;
}

void cli__idset_free(struct cli_idset *t)
{
	if (t->k)
		munmap(t->k, t->cap * 32);
	t->k = NULL;
	t->cap = t->n = 0;
}

/* Size the table for about n hashes up front: growing rehashes all of them. */
void cli__idset_reserve(struct cli_idset *t, size_t n)
{
	size_t cap = 1 << 16;
	while (cap < 2 * n && cap < ((size_t)1 << 23)) /* 256 MiB; past it, grow as used */
		cap <<= 1;
	if (t->cap || !(t->k = slots_alloc(cap)))
		return; /* idset_put grows it as needed */
	t->cap = cap;
}

/* Add a hash; *had says whether it was there already. GG_EINTERNAL when out of memory. */
int cli__idset_put(struct cli_idset *t, const unsigned char key[32], int *had)
{
	static const unsigned char zero[32];
	*had = 0;
	if (!memcmp(key, zero, 32)) {
		*had = t->has_zero;
		t->has_zero = 1;
		return GG_OK;
	}
	if (2 * (t->n + 1) > t->cap) {
		struct cli_idset g = {.cap = t->cap ? 2 * t->cap : 1 << 16};
		g.k = slots_alloc(g.cap);
		if (!g.k)
			return GG_EINTERNAL;
		for (size_t i = 0; i < t->cap; i++)
			if (memcmp(t->k[i], zero, 32))
				memcpy(g.k[slot(&g, t->k[i])], t->k[i], 32);
		size_t n = t->n;
		cli__idset_free(t);
		t->k = g.k;
		t->cap = g.cap;
		t->n = n;
	}
	size_t i = slot(t, key);
	if (!memcmp(t->k[i], key, 32)) {
		*had = 1;
		return GG_OK;
	}
	memcpy(t->k[i], key, 32);
	t->n++;
	return GG_OK;
}

int cli__idset_add(void *arg, const char *hex)
{
	int had;
	unsigned char key[32];
	if (!cli__idset_key(hex, key))
		return GG_OK; /* not a hash this program made: cannot match one it makes */
	return cli__idset_put(arg, key, &had);
}

