/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: a JSON request body as the dispatcher reads it (api__json_parse, then
 * api__json_fault over every key and string). What it accepts is an object; what it
 * refuses is GG_EJSON or GG_EFIELD, and a field it names is valid text, since it goes
 * into the answer and the log (a key may be "", so the name may be empty).
 */
#include <stdint.h>
#include <stdlib.h>

#include "api/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const struct err *e)
{
	if (e->code == GG_EFIELD && utf8_check_str(e->field) != UTF8_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = NULL;
	struct err e = ERR_INIT;
	int rc = api__json_parse((const char *)data, size, &j, &e);
	if (rc != GG_OK) {
		if (rc != GG_EJSON && rc != GG_EFIELD)
			abort();
		check_field(&e);
	} else {
		if (!json_is_object(j))
			abort();
		struct buf field = BUF_INIT;
		enum utf8_fault f = api__json_fault(j, &field);
		if (f != UTF8_OK) {
			if (api__text_fault(&e, field.p, f) != GG_EFIELD)
				abort();
			check_field(&e);
		} else if (field.len != 0) {
			abort(); /* the path is cut back to empty when all is well */
		}
		buf_release(&field);
	}
	json_decref(j);
	return 0;
}
