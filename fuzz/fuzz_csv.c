/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the CSV reader on any bytes; every field it accepts is clean text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct csv c;
	csv_init(&c, f);
	int rc, records = 0;
	while ((rc = csv_next(&c)) != 0 && records++ < 100000) {
		if (rc == 1)
			for (int i = 0; i < c.nfields; i++)
				if (utf8_check_str(c.fields[i]) != UTF8_OK)
					abort();
	}
	csv_release(&c);
	fclose(f);
	return 0;
}
