/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: a multipart/form-data body (photo uploads, citizen reports) through
 * libmicrohttpd's post processor and the HTTP layer's field collection and text check
 * (see mhd_post.h). The boundary is fixed: the corpus teaches it to the fuzzer.
 */
#define CONTENT_TYPE "multipart/form-data; boundary=gridgovFuzzBoundary"
#include "mhd_post.h"
