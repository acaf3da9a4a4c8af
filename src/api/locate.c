/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seam between the HTTP layer and the grid-map locator: handlers that need the grid
 * of a point (case intake, buildings) call api_locate. Until a grid map with geometry is
 * loaded there is nothing to locate against, and every point is outside.
 */
#include "api/api_int.h"

int api_locate(struct api_server *srv, double lon, double lat, char *code, struct err *err)
{
	(void)srv;
	(void)lon;
	(void)lat;
	code[0] = 0;
	return err_set(err, GG_ENOTFOUND, "no grid map with geometry is loaded");
}
