/* SPDX-License-Identifier: Apache-2.0 */
/* The province view's store calls (store_province.h): the city name's rule, then forwarding. */
#include <string.h>

#include "store/store_int.h"

int store_city_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= STORE_CITY_MAX || name[0] < 'a' || name[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return 0;
	return 1;
}

static int bad_name(const char *city, struct err *err)
{
	return err_set(err, GG_EINVAL,
		       "city name '%s': 1 to %d of a-z, 0-9 and _, starting with a letter", city,
		       STORE_CITY_MAX - 1);
}

int store_province_publish(struct store *s, const char *city, struct err *err)
{
	if (!store_city_name_ok(city))
		return bad_name(city, err);
	return STORE_CALL(province_publish, (s, city, err));
}

int store_province_subscribe(struct store *s, const char *city, const char *uri, struct err *err)
{
	if (!store_city_name_ok(city))
		return bad_name(city, err);
	return STORE_CALL(province_subscribe, (s, city, uri, err));
}

int store_province_unsubscribe(struct store *s, const char *city, struct err *err)
{
	if (!store_city_name_ok(city))
		return bad_name(city, err);
	return STORE_CALL(province_unsubscribe, (s, city, err));
}

STORE_FWD(province_read, (struct store * s, int on, struct err *err), (s, on, err))
