/* SPDX-License-Identifier: MIT */
/*
 * check_md5.c - unit tests of common/md5.c against the test suite of
 * RFC 1321 (appendix A.5), fed whole and in pieces across block borders.
 * Linked with rrs_common only.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/md5.h"

static const struct {
	const char *in, *hex;
} rfc1321[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	  "57edf4a22be3c955ac49da2e2107b67a" },
};

static void hex(const uint8_t d[MD5_DIGEST_LEN], char out[33])
{
	int i;

	for (i = 0; i < MD5_DIGEST_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

START_TEST(md5_rfc1321_whole_matches)
{
	struct md5 m;
	uint8_t d[MD5_DIGEST_LEN];
	char h[33];

	md5_init(&m);
	md5_update(&m, rfc1321[_i].in, strlen(rfc1321[_i].in));
	md5_final(&m, d);
	hex(d, h);
	ck_assert_str_eq(h, rfc1321[_i].hex);
}
END_TEST

START_TEST(md5_rfc1321_pieces_match)
{
	const char *in = rfc1321[_i].in;
	size_t len = strlen(in), step, off;
	struct md5 m;
	uint8_t d[MD5_DIGEST_LEN];
	char h[33];

	for (step = 1; step <= 65; step++) {
		md5_init(&m);
		for (off = 0; off < len; off += step)
			md5_update(&m, in + off, len - off < step ? len - off : step);
		md5_final(&m, d);
		hex(d, h);
		ck_assert_msg(!strcmp(h, rfc1321[_i].hex), "step %zu: %s", step, h);
	}
}
END_TEST

/* Lengths around the padding's edges (55, 56, 63, 64, 119, 120 bytes)
 * and a million 'a's, against digests computed by coreutils' md5sum. */
START_TEST(md5_padding_edges_match)
{
	static const struct {
		size_t n;
		const char *hex;
	} v[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" },
		{ 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 63, "b06521f39153d618550606be297466d5" },
		{ 64, "014842d480b571495a4a0363793f7367" },
		{ 119, "8a7bd0732ed6a28ce75f6dabc90e1613" },
		{ 120, "5f61c0ccad4cac44c75ff505e1f1e537" },
		{ 1000000, "7707d6ae4e027c70eea2a935c2296f21" },
	};
	static char buf[1000000];
	struct md5 m;
	uint8_t d[MD5_DIGEST_LEN];
	char h[33];
	size_t i;

	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_init(&m);
		md5_update(&m, buf, v[i].n);
		md5_final(&m, d);
		hex(d, h);
		ck_assert_msg(!strcmp(h, v[i].hex), "%zu bytes: %s", v[i].n, h);
	}
}
END_TEST

static Suite *md5_suite(void)
{
	Suite *s = suite_create("md5");
	TCase *tc = tcase_create("rfc1321");
	int n = (int)(sizeof(rfc1321) / sizeof(rfc1321[0]));

	tcase_add_loop_test(tc, md5_rfc1321_whole_matches, 0, n);
	tcase_add_loop_test(tc, md5_rfc1321_pieces_match, 0, n);
	tcase_add_test(tc, md5_padding_edges_match);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(md5_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
