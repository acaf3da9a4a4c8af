/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: an application/x-www-form-urlencoded body (Open311's POST) through
 * libmicrohttpd's post processor and the HTTP layer's field collection and text check
 * (see mhd_post.h).
 */
#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"
#include "mhd_post.h"
