/* SPDX-License-Identifier: MIT */
/*
 * seccomp-exec.c - put a command under a Docker (moby) seccomp profile.
 *
 * `seccomp-exec [-v] PROFILE.json -- CMD [ARGS...]` stands in for a
 * container engine in the tests: tests/container/docker_profile.sh starts
 * it already as an unprivileged user without capabilities (setpriv), and it
 * loads Docker's or Podman's default profile before it execs rrsandbox.  It
 * parses the profile with its own small JSON parser, turns it into a
 * libseccomp filter the way moby (profiles/seccomp/seccomp_linux.go) and
 * runc (libcontainer/seccomp) do, sets no_new_privs, loads the filter and
 * execvp()s CMD.  It knows nothing of rrsandbox.
 *
 * How a profile is read, for a process with NO capabilities on the native
 * architecture (x86-64 here, "amd64" in the profile's Go names):
 *   - defaultAction, with defaultErrnoRet (EPERM if absent) for ERRNO;
 *   - archMap: the entry for the native architecture adds itself and its
 *     subArchitectures; or architectures: each one libseccomp knows (moby
 *     refuses a profile with both);
 *   - syscalls[]: an entry whose includes (caps, arches, minKernel) do not
 *     all hold, or whose excludes match, is dropped.  Having no
 *     capabilities, every includes.caps entry is dropped and no
 *     excludes.caps one is.  minKernel compares with uname's release;
 *   - names unknown to libseccomp are skipped silently, as runc does;
 *     rules whose action is the default one are skipped (libseccomp
 *     refuses them); args whose index repeats become one rule per
 *     condition (runc's "old behaviour"), otherwise one rule ANDs them.
 * Known difference: runc also makes system calls newer than any the
 * profile names return ENOSYS instead of the default action; this
 * program leaves them to the default action.
 *
 * Exit status: CMD's (it is exec'd); 125 with a message on stderr for our
 * own errors, malformed JSON naming the byte offset; 127 if CMD is not
 * found and 126 if it cannot be run, as with `docker run`.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define EXIT_SETUP	125		/* our own error, as in docker run */
#define MAX_PROFILE	(16 << 20)	/* bytes */
#define MAX_DEPTH	64		/* JSON nesting */
#define MAX_ARGS	16		/* args[] entries of one syscall entry */

/* ---- JSON ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

static const char *const jtype_name[] = {
	"null", "a boolean", "a number", "a string", "an array", "an object",
};

/**
 * struct jv - one parsed JSON value
 * @type:	its type
 * @off:	byte offset of its first character in the input
 * @b:		J_BOOL: the value
 * @integral:	J_NUM: no fraction and no exponent
 * @s:		J_STR: the decoded UTF-8 text (no NUL inside);
 *		J_NUM: the number's text as written
 * @n:		J_ARR, J_OBJ: number of members
 * @v:		J_ARR, J_OBJ: the members
 * @k:		J_OBJ: the keys, decoded like strings
 */
struct jv {
	enum jtype type;
	size_t off;
	bool b;
	bool integral;
	char *s;
	size_t n;
	struct jv **v;
	char **k;
};

/**
 * struct jp - parser state
 * @buf:	the input
 * @len:	its length
 * @pos:	next byte to read
 * @depth:	arrays and objects open around @pos
 * @err_off:	where the first error is
 * @err:	what it is
 */
struct jp {
	const char *buf;
	size_t len;
	size_t pos;
	int depth;
	size_t err_off;
	char err[160];
};

/* Growable byte buffer for decoded strings. */
struct sbuf {
	char *d;
	size_t n, cap;
};

static void oom(void)
{
	fputs("seccomp-exec: out of memory\n", stderr);
	exit(EXIT_SETUP);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->d = xrealloc(b->d, b->cap);
	}
	memcpy(b->d + b->n, s, n);
	b->n += n;
	b->d[b->n] = '\0';
}

static int jp_fail(struct jp *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the first error only: later ones are consequences. */
static int jp_fail(struct jp *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (!p->err[0]) {
		p->err_off = off;
		va_start(ap, fmt);
		vsnprintf(p->err, sizeof(p->err), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Describe the byte at @off for a message: 'x', byte 0x01, or the end. */
static const char *what_at(const struct jp *p, size_t off, char *out, size_t sz)
{
	unsigned char c;

	if (off >= p->len)
		return "end of input";
	c = (unsigned char)p->buf[off];
	if (c >= 0x21 && c < 0x7f)
		snprintf(out, sz, "character '%c'", c);
	else
		snprintf(out, sz, "byte 0x%02x", c);
	return out;
}

static int unexpected(struct jp *p, const char *wanted)
{
	char tmp[32];

	return jp_fail(p, p->pos, "unexpected %s, expected %s",
		       what_at(p, p->pos, tmp, sizeof(tmp)), wanted);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len && (p->buf[p->pos] == ' ' ||
	       p->buf[p->pos] == '\t' || p->buf[p->pos] == '\n' ||
	       p->buf[p->pos] == '\r'))
		p->pos++;
}

static struct jv *jv_new(enum jtype type, size_t off)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (!v)
		oom();
	v->type = type;
	v->off = off;
	return v;
}

/**
 * jv_free() - free a parsed value and everything under it
 * @v:		the value, or NULL
 */
static void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		jv_free(v->v[i]);
		if (v->k)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	free(v->s);
	free(v);
}

/*
 * utf8_len() - length of the valid UTF-8 sequence at @s, or 0 if it is not
 * one (overlong forms, UTF-16 surrogates and code points above U+10FFFF
 * are invalid, RFC 3629 section 4).
 */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void put_utf8(struct sbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sb_put(b, u, n);
}

/* Four hex digits at @p->pos; advances past them. */
static int hex4(struct jp *p, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;
	char c;

	for (i = 0; i < 4; i++) {
		if (p->pos >= p->len)
			return jp_fail(p, p->pos, "unexpected end of input in \\u escape");
		c = p->buf[p->pos];
		if (is_digit(c))
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (uint32_t)(c - 'A' + 10);
		else
			return unexpected(p, "a hex digit in \\u escape");
		p->pos++;
	}
	*out = v;
	return 0;
}

/*
 * unicode_escape() - decode \uXXXX (with @p->pos after the 'u'), joining a
 * UTF-16 surrogate pair (RFC 8259 section 7).  NUL is refused: names are
 * C strings.
 */
static int unicode_escape(struct jp *p, struct sbuf *b, size_t esc)
{
	uint32_t cp = 0, lo = 0;
	int ret;

	if ((ret = hex4(p, &cp)))
		return ret;
	if (cp == 0)
		return jp_fail(p, esc, "\\u0000 (NUL) in a string is not supported");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return jp_fail(p, esc, "lone low surrogate \\u%04" PRIx32, cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->pos + 2 > p->len || p->buf[p->pos] != '\\' ||
		    p->buf[p->pos + 1] != 'u')
			return jp_fail(p, esc, "high surrogate \\u%04" PRIx32
				       " not followed by a low one", cp);
		p->pos += 2;
		if ((ret = hex4(p, &lo)))
			return ret;
		if (lo < 0xdc00 || lo > 0xdfff)
			return jp_fail(p, p->pos - 6, "\\u%04" PRIx32
				       " is not a low surrogate", lo);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(b, cp);
	return 0;
}

/* One escape sequence, @p->pos on the backslash. */
static int escape(struct jp *p, struct sbuf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t esc = p->pos;
	const char *hit;
	char c;

	if (++p->pos >= p->len)
		return jp_fail(p, p->pos, "unexpected end of input in escape");
	c = p->buf[p->pos++];
	if (c == 'u')
		return unicode_escape(p, b, esc);
	hit = c ? strchr(from, c) : NULL;
	if (!hit)
		return jp_fail(p, esc, "invalid escape sequence '\\%c'",
			       c >= 0x21 && c < 0x7f ? c : '?');
	sb_put(b, &to[hit - from], 1);
	return 0;
}

/**
 * parse_string() - parse a string, @p->pos on its opening quote
 * @p:		parser
 * @out:	the decoded, NUL-terminated text, to free
 *
 * Return: 0 or -EINVAL (control characters, bad escapes, invalid UTF-8)
 */
static int parse_string(struct jp *p, char **out)
{
	struct sbuf b = { 0 };
	size_t start = p->pos++, n;
	unsigned char c;
	int ret = 0;

	sb_put(&b, "", 0);
	while (!ret) {
		if (p->pos >= p->len) {
			ret = jp_fail(p, p->pos, "unexpected end of input in the "
				      "string started at byte offset %zu", start);
			break;
		}
		c = (unsigned char)p->buf[p->pos];
		if (c == '"') {
			p->pos++;
			*out = b.d;
			return 0;
		}
		if (c == '\\') {
			ret = escape(p, &b);
		} else if (c < 0x20) {
			ret = jp_fail(p, p->pos, "control character 0x%02x in a "
				      "string (escape it)", c);
		} else if (!(n = utf8_len((const unsigned char *)p->buf + p->pos,
					  p->len - p->pos))) {
			ret = jp_fail(p, p->pos, "invalid UTF-8 in a string");
		} else {
			sb_put(&b, p->buf + p->pos, n);
			p->pos += n;
		}
	}
	free(b.d);
	return ret;
}

static void skip_digits(struct jp *p)
{
	while (p->pos < p->len && is_digit(p->buf[p->pos]))
		p->pos++;
}

/* A number, RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int parse_number(struct jp *p, struct jv **out)
{
	size_t start = p->pos;
	bool integral = true;
	struct jv *v;

	if (p->buf[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->buf[p->pos]))
		return unexpected(p, "a digit");
	if (p->buf[p->pos++] == '0' && p->pos < p->len && is_digit(p->buf[p->pos]))
		return jp_fail(p, p->pos - 1, "number with a leading zero");
	skip_digits(p);
	if (p->pos < p->len && p->buf[p->pos] == '.') {
		integral = false;
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->buf[p->pos]))
			return unexpected(p, "a digit after '.'");
		skip_digits(p);
	}
	if (p->pos < p->len && (p->buf[p->pos] == 'e' || p->buf[p->pos] == 'E')) {
		integral = false;
		p->pos++;
		if (p->pos < p->len && (p->buf[p->pos] == '+' || p->buf[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->buf[p->pos]))
			return unexpected(p, "a digit in the exponent");
		skip_digits(p);
	}
	v = jv_new(J_NUM, start);
	v->integral = integral;
	v->s = strndup(p->buf + start, p->pos - start);
	if (!v->s)
		oom();
	*out = v;
	return 0;
}

static int parse_literal(struct jp *p, struct jv **out)
{
	static const struct { const char *text; enum jtype type; bool b; } lit[] = {
		{ "true", J_BOOL, true }, { "false", J_BOOL, false },
		{ "null", J_NULL, false },
	};
	size_t i, n;

	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		n = strlen(lit[i].text);
		if (p->len - p->pos >= n && !memcmp(p->buf + p->pos, lit[i].text, n)) {
			*out = jv_new(lit[i].type, p->pos);
			(*out)->b = lit[i].b;
			p->pos += n;
			return 0;
		}
	}
	if ((p->buf[p->pos] >= 'a' && p->buf[p->pos] <= 'z') ||
	    (p->buf[p->pos] >= 'A' && p->buf[p->pos] <= 'Z'))
		return jp_fail(p, p->pos, "unknown word (a value is a string, "
			       "a number, an object, an array, true, false or null)");
	return unexpected(p, "a value");
}

static int parse_value(struct jp *p, struct jv **out);

static void push(struct jv *parent, char *key, struct jv *member)
{
	parent->v = xrealloc(parent->v, (parent->n + 1) * sizeof(*parent->v));
	if (parent->type == J_OBJ) {
		parent->k = xrealloc(parent->k, (parent->n + 1) * sizeof(*parent->k));
		parent->k[parent->n] = key;
	}
	parent->v[parent->n++] = member;
}

/*
 * After a member: skip to ',' (then to the next member, refusing a trailing
 * comma) or to @close.  Return: 1 at the next member, 0 at the end.
 */
static int next_member(struct jp *p, char close, const char *after)
{
	size_t comma;

	skip_ws(p);
	if (p->pos < p->len && p->buf[p->pos] == close) {
		p->pos++;
		return 0;
	}
	if (p->pos >= p->len || p->buf[p->pos] != ',')
		return unexpected(p, after);
	comma = p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->buf[p->pos] == close)
		return jp_fail(p, comma, "trailing comma before '%c'", close);
	return 1;
}

static bool has_key(const struct jv *obj, const char *key)
{
	size_t i;

	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->k[i], key))
			return true;
	return false;
}

/* An object, @p->pos on '{'; duplicate keys are refused. */
static int parse_object(struct jp *p, struct jv *obj)
{
	struct jv *member;
	char *key = NULL;
	size_t key_off;
	int ret;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->buf[p->pos] == '}') {
		p->pos++;
		return 0;
	}
	do {
		skip_ws(p);
		if (p->pos >= p->len || p->buf[p->pos] != '"')
			return unexpected(p, "a string (an object key)");
		key_off = p->pos;
		if ((ret = parse_string(p, &key)))
			return ret;
		if (has_key(obj, key)) {
			ret = jp_fail(p, key_off, "duplicate key \"%s\"", key);
			free(key);
			return ret;
		}
		skip_ws(p);
		if (p->pos >= p->len || p->buf[p->pos] != ':') {
			free(key);
			return unexpected(p, "':' after an object key");
		}
		p->pos++;
		if ((ret = parse_value(p, &member))) {
			free(key);
			return ret;
		}
		push(obj, key, member);
	} while ((ret = next_member(p, '}', "',' or '}' in an object")) == 1);
	return ret;
}

/* An array, @p->pos on '['. */
static int parse_array(struct jp *p, struct jv *arr)
{
	struct jv *member;
	int ret;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->buf[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	do {
		if ((ret = parse_value(p, &member)))
			return ret;
		push(arr, NULL, member);
	} while ((ret = next_member(p, ']', "',' or ']' in an array")) == 1);
	return ret;
}

static int parse_container(struct jp *p, struct jv **out)
{
	bool is_obj = p->buf[p->pos] == '{';
	struct jv *v;
	int ret;

	if (p->depth >= MAX_DEPTH)
		return jp_fail(p, p->pos, "nested deeper than %d levels", MAX_DEPTH);
	p->depth++;
	v = jv_new(is_obj ? J_OBJ : J_ARR, p->pos);
	ret = is_obj ? parse_object(p, v) : parse_array(p, v);
	p->depth--;
	if (ret) {
		jv_free(v);
		return ret;
	}
	*out = v;
	return 0;
}

/* Any value, after optional white space. */
static int parse_value(struct jp *p, struct jv **out)
{
	size_t off;
	char c;
	int ret;

	skip_ws(p);
	if (p->pos >= p->len)
		return unexpected(p, "a value");
	c = p->buf[p->pos];
	if (c == '{' || c == '[')
		return parse_container(p, out);
	if (c == '-' || is_digit(c))
		return parse_number(p, out);
	if (c != '"')
		return parse_literal(p, out);
	off = p->pos;
	*out = jv_new(J_STR, off);
	if ((ret = parse_string(p, &(*out)->s))) {
		jv_free(*out);
		*out = NULL;
	}
	return ret;
}

/**
 * json_parse() - parse one JSON text (RFC 8259)
 * @buf:	the text
 * @len:	its length
 * @out:	the value, to free with jv_free()
 * @p:		parser state; on error p->err and p->err_off say what and where
 *
 * Return: 0 or -EINVAL
 */
static int json_parse(const char *buf, size_t len, struct jv **out, struct jp *p)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->buf = buf;
	p->len = len;
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		return jp_fail(p, 0, "byte order mark (not allowed, RFC 8259 section 8.1)");
	if ((ret = parse_value(p, out)))
		return ret;
	skip_ws(p);
	if (p->pos < p->len) {
		jv_free(*out);
		*out = NULL;
		return unexpected(p, "the end of input after the top-level value");
	}
	return 0;
}

/* ---- the profile ---- */

/**
 * struct prof - translating one profile into a filter
 * @path:	the profile's file name, for messages
 * @buf:	its text, to turn offsets into lines and columns
 * @len:	its length
 * @f:		the filter being built
 * @def_act:	the default action
 * @native:	SCMP_ARCH_* of this machine
 * @kmaj:	running kernel, major version
 * @kmin:	running kernel, minor version
 * @rules:	rules added
 * @unknown:	syscall names libseccomp does not know, skipped
 * @dropped:	syscall entries dropped by includes/excludes
 * @as_default:	rules skipped because their action is the default one
 * @arches:	architectures in the filter, for -v
 */
struct prof {
	const char *path;
	const char *buf;
	size_t len;
	scmp_filter_ctx f;
	uint32_t def_act;
	uint32_t native;
	unsigned int kmaj, kmin;
	unsigned int rules, unknown, dropped, as_default;
	char arches[160];
};

/* Architectures: libseccomp token, Go's name (used by includes.arches). */
static const struct {
	uint32_t token;
	const char *go;
	const char *name;
} arch_names[] = {
	{ SCMP_ARCH_X86_64, "amd64", "x86_64" },
	{ SCMP_ARCH_X86, "386", "x86" },
	{ SCMP_ARCH_X32, "x32", "x32" },
	{ SCMP_ARCH_AARCH64, "arm64", "aarch64" },
	{ SCMP_ARCH_ARM, "arm", "arm" },
	{ SCMP_ARCH_PPC64LE, "ppc64le", "ppc64le" },
	{ SCMP_ARCH_PPC64, "ppc64", "ppc64" },
	{ SCMP_ARCH_S390X, "s390x", "s390x" },
	{ SCMP_ARCH_S390, "s390", "s390" },
	{ SCMP_ARCH_RISCV64, "riscv64", "riscv64" },
	{ SCMP_ARCH_MIPS64, "mips64", "mips64" },
	{ SCMP_ARCH_MIPSEL64, "mips64le", "mipsel64" },
	{ SCMP_ARCH_MIPS, "mips", "mips" },
	{ SCMP_ARCH_MIPSEL, "mipsle", "mipsel" },
};

static const struct {
	const char *name;
	uint32_t act;
	bool data;	/* takes errnoRet */
} actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL, false },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const struct {
	const char *name;
	enum scmp_filter_attr attr;
} flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* "FILE: byte offset N (line L, column C): " */
static void where(const char *path, const char *buf, size_t len, size_t off)
{
	size_t i, line = 1, col = 1;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	fprintf(stderr, "seccomp-exec: %s: byte offset %zu (line %zu, column %zu): ",
		path, off, line, col);
}

static int perr(const struct prof *pr, const struct jv *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void subpath(char *out, size_t sz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Name a place in the profile ("syscalls[3].args[0]"), cut to @sz. */
static void subpath(char *out, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, sz, fmt, ap);
	va_end(ap);
}

/* Report a profile error at @v's offset. Return: -EINVAL */
static int perr(const struct prof *pr, const struct jv *v, const char *fmt, ...)
{
	va_list ap;

	where(pr->path, pr->buf, pr->len, v->off);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

/* Member @key of object @obj; JSON null counts as absent (as in Go). */
static const struct jv *member(const struct jv *obj, const char *key)
{
	size_t i;

	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->k[i], key))
			return obj->v[i]->type == J_NULL ? NULL : obj->v[i];
	return NULL;
}

static int want(const struct prof *pr, const struct jv *v, enum jtype t,
		const char *path)
{
	if (v->type == t)
		return 0;
	return perr(pr, v, "%s: expected %s, got %s", path, jtype_name[t],
		    jtype_name[v->type]);
}

/* A non-negative integer up to @max. */
static int want_uint(const struct prof *pr, const struct jv *v, uint64_t max,
		     const char *path, uint64_t *out)
{
	uint64_t n = 0;
	const char *c;
	int ret;

	if ((ret = want(pr, v, J_NUM, path)))
		return ret;
	if (!v->integral || v->s[0] == '-')
		return perr(pr, v, "%s: %s is not a non-negative integer", path, v->s);
	for (c = v->s; *c; c++) {
		if (n > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
			return perr(pr, v, "%s: %s does not fit in 64 bits", path, v->s);
		n = n * 10 + (uint64_t)(*c - '0');
	}
	if (n > max)
		return perr(pr, v, "%s: %s is above %" PRIu64, path, v->s, max);
	*out = n;
	return 0;
}

/* Whether the string array @arr (checked) holds @s, or @alt if not NULL. */
static int str_in(const struct prof *pr, const struct jv *arr, const char *path,
		  const char *s, const char *alt, bool *found)
{
	size_t i;
	int ret;

	*found = false;
	if ((ret = want(pr, arr, J_ARR, path)))
		return ret;
	for (i = 0; i < arr->n; i++) {
		if ((ret = want(pr, arr->v[i], J_STR, path)))
			return ret;
		if (!strcmp(arr->v[i]->s, s) || (alt && !strcmp(arr->v[i]->s, alt)))
			*found = true;
	}
	return 0;
}

static const char *arch_go_name(uint32_t token)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arch_names); i++)
		if (arch_names[i].token == token)
			return arch_names[i].go;
	return "?";
}

static const char *arch_lib_name(uint32_t token)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arch_names); i++)
		if (arch_names[i].token == token)
			return arch_names[i].name;
	return "?";
}

/* "SCMP_ARCH_X86_64" (or "x86_64") to its token; 0 if libseccomp has none. */
static uint32_t arch_token(const char *name)
{
	char low[32];
	size_t i;

	if (!strncmp(name, "SCMP_ARCH_", 10))
		name += 10;
	for (i = 0; i < sizeof(low) - 1 && name[i]; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
				name[i] - 'A' + 'a' : name[i]);
	if (name[i])
		return 0;
	low[i] = '\0';
	return seccomp_arch_resolve_name(low);
}

/* ---- conditions: includes / excludes ---- */

/* "4.8" against the running kernel. */
static int kernel_at_least(const struct prof *pr, const struct jv *v,
			   const char *path, bool *yes)
{
	unsigned int maj, min;
	int n = 0, ret;

	if ((ret = want(pr, v, J_STR, path)))
		return ret;
	if (sscanf(v->s, "%u.%u%n", &maj, &min, &n) != 2 || v->s[n] ||
	    !is_digit(v->s[0]))
		return perr(pr, v, "%s: \"%s\" is not a MAJOR.MINOR kernel version",
			    path, v->s);
	*yes = pr->kmaj > maj || (pr->kmaj == maj && pr->kmin >= min);
	return 0;
}

/*
 * cond_match() - evaluate one includes/excludes object
 * @pr:		the translation
 * @c:		the object
 * @path:	its place in the profile, for messages
 * @include:	true for includes (all must hold), false for excludes (any)
 * @keep:	set to whether the entry stays
 *
 * We hold no capabilities: a caps list in includes never holds, one in
 * excludes never matches.  An arches list matches the native architecture
 * by Go's name ("amd64"), as moby compares with runtime.GOARCH, or by
 * libseccomp's ("x86_64").
 *
 * Return: 0 or -EINVAL
 */
static int cond_match(struct prof *pr, const struct jv *c, const char *path,
		      bool include, bool *keep)
{
	const struct jv *arches, *caps, *kv;
	char sub[96];
	bool in = false, hit = false, ge = false;
	int ret;

	*keep = true;
	if ((ret = want(pr, c, J_OBJ, path)))
		return ret;
	if ((arches = member(c, "arches"))) {
		subpath(sub, sizeof(sub), "%s.arches", path);
		if ((ret = str_in(pr, arches, sub, arch_go_name(pr->native),
				  arch_lib_name(pr->native), &in)))
			return ret;
		if (include ? (arches->n && !in) : in)
			hit = true;
	}
	if ((caps = member(c, "caps"))) {
		subpath(sub, sizeof(sub), "%s.caps", path);
		if ((ret = str_in(pr, caps, sub, "", NULL, &in)))
			return ret;
		if (include && caps->n)
			hit = true;	/* a capability we do not have */
	}
	if ((kv = member(c, "minKernel"))) {
		subpath(sub, sizeof(sub), "%s.minKernel", path);
		if ((ret = kernel_at_least(pr, kv, sub, &ge)))
			return ret;
		if (include ? !ge : ge)
			hit = true;
	}
	*keep = !hit;
	return 0;
}

/* ---- actions, arguments, rules ---- */

/*
 * parse_action() - "SCMP_ACT_ERRNO" and an errnoRet to a libseccomp action
 * @pr:		the translation
 * @v:		the action's string
 * @eret:	errnoRet, or NULL: EPERM, as runc does
 * @path:	place of the action, for messages
 * @eret_path:	place of errnoRet
 * @out:	the action
 *
 * Return: 0 or -EINVAL (unknown action, errnoRet on an action without data,
 * as moby refuses)
 */
static int parse_action(const struct prof *pr, const struct jv *v,
			const struct jv *eret, const char *path,
			const char *eret_path, uint32_t *out)
{
	uint64_t data = EPERM;
	size_t i;
	int ret;

	if ((ret = want(pr, v, J_STR, path)))
		return ret;
	if (!strcmp(v->s, "SCMP_ACT_NOTIFY"))
		return perr(pr, v, "%s: SCMP_ACT_NOTIFY needs a listener, which "
			    "seccomp-exec does not provide", path);
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(v->s, actions[i].name))
			break;
	if (i == ARRAY_SIZE(actions))
		return perr(pr, v, "%s: unknown action \"%s\"", path, v->s);
	if (eret && !actions[i].data)
		return perr(pr, eret, "%s: errnoRet is only for SCMP_ACT_ERRNO "
			    "and SCMP_ACT_TRACE, not %s", path, v->s);
	if (eret && (ret = want_uint(pr, eret, 0xffff, eret_path, &data)))
		return ret;
	*out = actions[i].data ? actions[i].act | (uint32_t)data : actions[i].act;
	return 0;
}

/* One args[] entry: {index, value, valueTwo, op}. */
static int parse_arg(const struct prof *pr, const struct jv *a, const char *path,
		     struct scmp_arg_cmp *cmp)
{
	const struct jv *idx, *val, *val2, *op;
	uint64_t i, v = 0, v2 = 0;
	char sub[112];
	size_t k;
	int ret;

	if ((ret = want(pr, a, J_OBJ, path)))
		return ret;
	idx = member(a, "index");
	op = member(a, "op");
	if (!idx || !op)
		return perr(pr, a, "%s: needs \"index\" and \"op\"", path);
	subpath(sub, sizeof(sub), "%s.index", path);
	if ((ret = want_uint(pr, idx, 5, sub, &i)))
		return ret;
	subpath(sub, sizeof(sub), "%s.value", path);
	if ((val = member(a, "value")) && (ret = want_uint(pr, val, UINT64_MAX, sub, &v)))
		return ret;
	subpath(sub, sizeof(sub), "%s.valueTwo", path);
	if ((val2 = member(a, "valueTwo")) &&
	    (ret = want_uint(pr, val2, UINT64_MAX, sub, &v2)))
		return ret;
	subpath(sub, sizeof(sub), "%s.op", path);
	if ((ret = want(pr, op, J_STR, sub)))
		return ret;
	for (k = 0; k < ARRAY_SIZE(ops); k++)
		if (!strcmp(op->s, ops[k].name))
			break;
	if (k == ARRAY_SIZE(ops))
		return perr(pr, op, "%s.op: unknown operator \"%s\"", path, op->s);
	/* For MASKED_EQ, value is the mask and valueTwo the datum. */
	*cmp = (struct scmp_arg_cmp){ .arg = (unsigned int)i, .op = ops[k].op,
				      .datum_a = v, .datum_b = v2 };
	return 0;
}

/*
 * parse_args() - an entry's args[]
 * @pr:		the translation
 * @args:	the array, or NULL
 * @path:	place, for messages
 * @cmp:	MAX_ARGS conditions, filled
 * @n:		how many
 * @split:	set if an argument index repeats: runc then adds one rule
 *		per condition (OR) instead of one rule with all (AND)
 *
 * Return: 0 or -EINVAL
 */
static int parse_args(const struct prof *pr, const struct jv *args, const char *path,
		      struct scmp_arg_cmp *cmp, unsigned int *n, bool *split)
{
	unsigned int seen = 0;
	char sub[96];
	size_t i;
	int ret;

	*n = 0;
	*split = false;
	if (!args)
		return 0;
	if ((ret = want(pr, args, J_ARR, path)))
		return ret;
	if (args->n > MAX_ARGS)
		return perr(pr, args, "%s: more than %d conditions", path, MAX_ARGS);
	for (i = 0; i < args->n; i++) {
		subpath(sub, sizeof(sub), "%s[%zu]", path, i);
		if ((ret = parse_arg(pr, args->v[i], sub, &cmp[i])))
			return ret;
		if (seen & 1u << cmp[i].arg)
			*split = true;
		seen |= 1u << cmp[i].arg;
	}
	*n = (unsigned int)args->n;
	return 0;
}

/* Add the rule(s) for one syscall name. */
static int add_name(struct prof *pr, const struct jv *name, uint32_t act,
		    const struct scmp_arg_cmp *cmp, unsigned int n, bool split)
{
	unsigned int i;
	int nr, ret = 0;

	nr = seccomp_syscall_resolve_name(name->s);
	if (nr == __NR_SCMP_ERROR) {
		pr->unknown++;	/* not known to this libseccomp: runc skips it */
		return 0;
	}
	if (act == pr->def_act) {
		pr->as_default++;
		return 0;
	}
	if (!split) {
		ret = seccomp_rule_add_array(pr->f, act, nr, n, cmp);
		pr->rules += !ret;
	}
	for (i = 0; split && i < n && !ret; i++) {
		ret = seccomp_rule_add_array(pr->f, act, nr, 1, &cmp[i]);
		pr->rules += !ret;
	}
	if (ret)
		return perr(pr, name, "libseccomp refuses the rule for \"%s\": %s",
			    name->s, strerror(-ret));
	return 0;
}

/* "names" (or moby's older "name"), checked; *list NULL for "name". */
static int entry_names(const struct prof *pr, const struct jv *e, const char *path,
		       const struct jv **list, const struct jv **single)
{
	char sub[112];

	*list = member(e, "names");
	*single = member(e, "name");
	if (*list && *single)
		return perr(pr, e, "%s: both \"name\" and \"names\" (use one)", path);
	subpath(sub, sizeof(sub), "%s.name%s", path, *single ? "" : "s");
	if (*single)
		return want(pr, *single, J_STR, sub);
	if (!*list)
		return perr(pr, e, "%s: no \"names\"", path);
	return want(pr, *list, J_ARR, sub);
}

/* Whether includes/excludes keep syscall entry @e. */
static int entry_kept(struct prof *pr, const struct jv *e, const char *path,
		      bool *keep)
{
	const struct jv *c;
	char sub[96];
	int ret;

	*keep = true;
	if ((c = member(e, "excludes"))) {
		subpath(sub, sizeof(sub), "%s.excludes", path);
		if ((ret = cond_match(pr, c, sub, false, keep)) || !*keep)
			return ret;
	}
	if ((c = member(e, "includes"))) {
		subpath(sub, sizeof(sub), "%s.includes", path);
		return cond_match(pr, c, sub, true, keep);
	}
	return 0;
}

/**
 * add_entry() - translate one syscalls[] entry
 * @pr:		the translation
 * @e:		the entry
 * @path:	"syscalls[N]", for messages
 *
 * Return: 0 or -EINVAL
 */
static int add_entry(struct prof *pr, const struct jv *e, const char *path)
{
	struct scmp_arg_cmp cmp[MAX_ARGS];
	const struct jv *list, *single, *act_v;
	char sub[96], sub2[96];
	unsigned int n;
	uint32_t act;
	bool keep, split;
	size_t i;
	int ret;

	if ((ret = want(pr, e, J_OBJ, path)) ||
	    (ret = entry_names(pr, e, path, &list, &single)) ||
	    (ret = entry_kept(pr, e, path, &keep)))
		return ret;
	if (!(act_v = member(e, "action")))
		return perr(pr, e, "%s: no \"action\"", path);
	subpath(sub, sizeof(sub), "%s.action", path);
	subpath(sub2, sizeof(sub2), "%s.errnoRet", path);
	if ((ret = parse_action(pr, act_v, member(e, "errnoRet"), sub, sub2, &act)))
		return ret;
	subpath(sub, sizeof(sub), "%s.args", path);
	if ((ret = parse_args(pr, member(e, "args"), sub, cmp, &n, &split)))
		return ret;
	if (!keep) {
		pr->dropped++;
		return 0;
	}
	if (single)
		return add_name(pr, single, act, cmp, n, split);
	for (i = 0; i < list->n; i++) {
		subpath(sub, sizeof(sub), "%s.names[%zu]", path, i);
		if ((ret = want(pr, list->v[i], J_STR, sub)) ||
		    (ret = add_name(pr, list->v[i], act, cmp, n, split)))
			return ret;
	}
	return 0;
}

/* ---- architectures ---- */

static int add_arch(struct prof *pr, const struct jv *name, const char *path)
{
	uint32_t tok;
	size_t len;
	int ret;

	if ((ret = want(pr, name, J_STR, path)))
		return ret;
	if (!(tok = arch_token(name->s)))
		return 0;	/* unknown to this libseccomp */
	ret = seccomp_arch_add(pr->f, tok);
	if (ret == -EEXIST)
		return 0;
	if (ret)
		return perr(pr, name, "%s: libseccomp cannot add %s: %s", path,
			    name->s, strerror(-ret));
	len = strlen(pr->arches);
	snprintf(pr->arches + len, sizeof(pr->arches) - len, " %s",
		 arch_lib_name(tok));
	return 0;
}

/* archMap: the native entry and its subArchitectures. */
static int add_arch_map(struct prof *pr, const struct jv *map)
{
	const struct jv *e, *a, *subs;
	char sub[96];
	size_t i, j;
	int ret;

	if ((ret = want(pr, map, J_ARR, "archMap")))
		return ret;
	for (i = 0; i < map->n; i++) {
		e = map->v[i];
		subpath(sub, sizeof(sub), "archMap[%zu]", i);
		if ((ret = want(pr, e, J_OBJ, sub)))
			return ret;
		if (!(a = member(e, "architecture")))
			return perr(pr, e, "%s: no \"architecture\"", sub);
		if ((ret = want(pr, a, J_STR, "architecture")))
			return ret;
		if (arch_token(a->s) != pr->native)
			continue;
		if ((subs = member(e, "subArchitectures")) &&
		    (ret = want(pr, subs, J_ARR, "subArchitectures")))
			return ret;
		for (j = 0; subs && j < subs->n; j++)
			if ((ret = add_arch(pr, subs->v[j], "subArchitectures")))
				return ret;
	}
	return 0;
}

static int add_arches(struct prof *pr, const struct jv *root)
{
	const struct jv *list = member(root, "architectures");
	const struct jv *map = member(root, "archMap");
	size_t i;
	int ret;

	snprintf(pr->arches, sizeof(pr->arches), " %s", arch_lib_name(pr->native));
	if (list && map)
		return perr(pr, root, "both \"architectures\" and \"archMap\" "
			    "(use one, as moby requires)");
	if (map)
		return add_arch_map(pr, map);
	if (!list)
		return 0;
	if ((ret = want(pr, list, J_ARR, "architectures")))
		return ret;
	for (i = 0; i < list->n; i++)
		if ((ret = add_arch(pr, list->v[i], "architectures")))
			return ret;
	return 0;
}

/* ---- the whole profile ---- */

static int set_flags(struct prof *pr, const struct jv *fl)
{
	size_t i, k;
	int ret;

	if ((ret = want(pr, fl, J_ARR, "flags")))
		return ret;
	for (i = 0; i < fl->n; i++) {
		if ((ret = want(pr, fl->v[i], J_STR, "flags")))
			return ret;
		for (k = 0; k < ARRAY_SIZE(flags); k++)
			if (!strcmp(fl->v[i]->s, flags[k].name))
				break;
		if (k == ARRAY_SIZE(flags))
			return perr(pr, fl->v[i], "flags: unknown flag \"%s\"",
				    fl->v[i]->s);
		if ((ret = seccomp_attr_set(pr->f, flags[k].attr, 1)))
			return perr(pr, fl->v[i], "flags: libseccomp refuses %s: %s",
				    fl->v[i]->s, strerror(-ret));
	}
	return 0;
}

/* defaultAction and defaultErrnoRet (used only with SCMP_ACT_ERRNO). */
static int default_action(struct prof *pr, const struct jv *root)
{
	const struct jv *act = member(root, "defaultAction");
	const struct jv *eret = member(root, "defaultErrnoRet");

	if (!act)
		return perr(pr, root, "no \"defaultAction\"");
	if (eret && act->type == J_STR && strcmp(act->s, "SCMP_ACT_ERRNO"))
		eret = NULL;	/* moby ignores it for other actions */
	return parse_action(pr, act, eret, "defaultAction", "defaultErrnoRet",
			    &pr->def_act);
}

/**
 * prof_build() - build the filter a profile describes
 * @pr:		translation state, with path, buf and len set; pr->f is the
 *		filter on success, to release
 * @root:	the parsed profile
 *
 * Return: 0 or a negative errno, the reason printed
 */
static int prof_build(struct prof *pr, const struct jv *root)
{
	const struct jv *calls, *v;
	struct utsname u;
	char sub[32];
	size_t i;
	int ret;

	if ((ret = want(pr, root, J_OBJ, "the profile")) ||
	    (ret = default_action(pr, root)))
		return ret;
	if ((v = member(root, "listenerPath")) && (v->type != J_STR || v->s[0]))
		return perr(pr, v, "listenerPath: seccomp agents are not supported");
	if (uname(&u) || sscanf(u.release, "%u.%u", &pr->kmaj, &pr->kmin) != 2) {
		fprintf(stderr, "seccomp-exec: cannot read the kernel version\n");
		return -EIO;
	}
	pr->native = seccomp_arch_native();
	if (!(pr->f = seccomp_init(pr->def_act))) {
		fprintf(stderr, "seccomp-exec: seccomp_init failed\n");
		return -ENOMEM;
	}
	if ((ret = add_arches(pr, root)) ||
	    ((v = member(root, "flags")) && (ret = set_flags(pr, v))))
		return ret;
	if (!(calls = member(root, "syscalls")))
		return 0;
	if ((ret = want(pr, calls, J_ARR, "syscalls")))
		return ret;
	for (i = 0; i < calls->n; i++) {
		subpath(sub, sizeof(sub), "syscalls[%zu]", i);
		if ((ret = add_entry(pr, calls->v[i], sub)))
			return ret;
	}
	return 0;
}

/* ---- main ---- */

/* Read the whole profile. Return: 0 or -errno, the reason printed. */
static int read_profile(const char *path, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = NULL;
	ssize_t got;
	int fd, ret = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ret = -errno;
		fprintf(stderr, "seccomp-exec: %s: %s\n", path, strerror(errno));
		return ret;
	}
	b = xrealloc(NULL, cap);
	for (;;) {
		if (n == cap && (cap *= 2) > MAX_PROFILE) {
			fprintf(stderr, "seccomp-exec: %s: larger than %d bytes\n",
				path, MAX_PROFILE);
			ret = -EFBIG;
			break;
		}
		b = xrealloc(b, cap);
		got = read(fd, b + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			ret = got < 0 ? -errno : 0;
			if (got < 0)
				fprintf(stderr, "seccomp-exec: %s: %s\n", path,
					strerror(errno));
			break;
		}
		n += (size_t)got;
	}
	close(fd);
	if (ret) {
		free(b);
		return ret;
	}
	*buf = b;
	*len = n;
	return 0;
}

static void usage(void)
{
	fputs("usage: seccomp-exec [-v] PROFILE.json -- CMD [ARGS...]\n"
	      "Load a Docker (moby) seccomp profile, for a process with no\n"
	      "capabilities, then exec CMD.  -v prints a summary of the filter.\n",
	      stderr);
	exit(EXIT_SETUP);
}

/* Parse and translate @path; the filter is left in pr->f. */
static int load_profile(struct prof *pr, const char *path)
{
	struct jv *root = NULL;
	char *buf = NULL;
	size_t len = 0;
	struct jp p;
	int ret;

	if ((ret = read_profile(path, &buf, &len)))
		return ret;
	*pr = (struct prof){ .path = path, .buf = buf, .len = len };
	if ((ret = json_parse(buf, len, &root, &p))) {
		where(path, buf, len, p.err_off);
		fprintf(stderr, "invalid JSON: %s\n", p.err);
	} else {
		ret = prof_build(pr, root);
	}
	jv_free(root);
	free(buf);
	pr->buf = NULL;
	return ret;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	struct prof pr = { 0 };
	int i = 1, ret;

	if (i < argc && !strcmp(argv[i], "-v")) {
		verbose = true;
		i++;
	}
	if (argc - i < 3 || strcmp(argv[i + 1], "--"))
		usage();
	if (load_profile(&pr, argv[i])) {
		seccomp_release(pr.f);
		return EXIT_SETUP;
	}
	if (verbose)
		fprintf(stderr, "seccomp-exec: %s: default 0x%08" PRIx32 ", arches%s, "
			"%u rules; skipped: %u entries by includes/excludes, "
			"%u unknown names, %u rules with the default action\n",
			argv[i], pr.def_act, pr.arches, pr.rules, pr.dropped,
			pr.unknown, pr.as_default);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		perror("seccomp-exec: PR_SET_NO_NEW_PRIVS");
		return EXIT_SETUP;
	}
	if ((ret = seccomp_load(pr.f))) {
		fprintf(stderr, "seccomp-exec: loading the filter failed: %s\n",
			strerror(-ret));
		return EXIT_SETUP;
	}
	seccomp_release(pr.f);
	execvp(argv[i + 2], &argv[i + 2]);
	ret = errno;
	fprintf(stderr, "seccomp-exec: %s: %s\n", argv[i + 2], strerror(ret));
	return ret == ENOENT ? 127 : 126;
}
