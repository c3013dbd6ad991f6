/* fuzz_expr.c - libFuzzer target: the --where compiler and evaluator.
 *
 * Input: an expression, a NUL byte, then a record (JSON; without a NUL
 * the expression runs on a fixed record). The compiler must refuse what
 * it refuses with the column inside the text and give the same verdict
 * twice; a compiled expression must yield a value of its static type
 * (or null) on every trace and on the record alone, the same value when
 * asked again, and the same value when the result computed only the
 * fields the expression reads (cot_result_need) as when it computed
 * them all. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cotlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static const char fixed[] =
	"{\"id\":1234567890123456789,\"model\":\"m\",\"n\":\"3\","
	"\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"},"
	"{\"role\":\"assistant\",\"content\":\"<think>2+2 is 4.\\n\\n"
	"Wait, let me check: 2+2=4. Yes.</think>\\\\boxed{4}\"}],"
	"\"answer\":\"4\",\"tags\":[1,2.5,\"x\",null,{}]}";

static cot_analyzer *az;
static cot_result *all, *some;

static void setup(void)
{
	cot_error err;

	if (az)
		return;
	CHECK(cot_analyzer_new(&az, NULL, &err) == COT_OK);
	CHECK(cot_result_new(&all, az, &err) == COT_OK);
	CHECK(cot_result_new(&some, az, &err) == COT_OK);
}

/* A copy of a value that outlives the next evaluation. */
typedef struct kept {
	int rc;
	cot_value v;
	char *s;
} kept;

static kept eval(cot_expr *e, cot_result *res, size_t i)
{
	kept k = { 0 };
	cot_error err;

	k.rc = cot_expr_eval(&k.v, e, res, i, &err);
	CHECK(k.rc == COT_OK || k.rc == COT_EINVAL);
	if (k.rc == COT_EINVAL)
		CHECK(err.message[0] != '\0');
	if (k.rc == COT_OK && (k.v.type == COT_TYPE_STRING ||
			       k.v.type == COT_TYPE_JSON)) {
		CHECK(k.v.s != NULL && k.v.s[k.v.len] == '\0');
		k.s = malloc(k.v.len + 1);
		CHECK(k.s);
		memcpy(k.s, k.v.s, k.v.len + 1);
	}
	return k;
}

static void same(const kept *a, const kept *b)
{
	CHECK(a->rc == b->rc);
	if (a->rc != COT_OK)
		return;
	CHECK(a->v.type == b->v.type);
	switch (a->v.type) {
	case COT_TYPE_BOOL:
		CHECK(!a->v.b == !b->v.b);
		break;
	case COT_TYPE_INT:
		CHECK(a->v.i == b->v.i);
		break;
	case COT_TYPE_REAL:
		CHECK(a->v.r == b->v.r || (isnan(a->v.r) && isnan(b->v.r)));
		break;
	case COT_TYPE_STRING:
	case COT_TYPE_JSON:
		CHECK(a->v.len == b->v.len &&
		      memcmp(a->s, b->s, a->v.len) == 0);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t slen = nul ? (size_t)(nul - data) : size;
	char *src = malloc(slen + 1);
	const char *rec = nul ? (const char *)nul + 1 : fixed;
	size_t rlen = nul ? size - slen - 1 : strlen(fixed);
	cot_expr *e = NULL, *e2 = NULL;
	cot_error err, err2;
	int rc, rc2;

	setup();
	CHECK(src);
	memcpy(src, data, slen);
	src[slen] = '\0';
	rc = cot_expr_compile(&e, az, src, &err);
	rc2 = cot_expr_compile(&e2, az, src, &err2);
	CHECK(rc == COT_OK || rc == COT_EEXPR);
	CHECK(rc == rc2);
	if (rc == COT_EEXPR) {
		CHECK(err.column >= 1 && err.column <= slen + 1);
		CHECK(err.column == err2.column &&
		      strcmp(err.message, err2.message) == 0);
	} else {
		size_t nf = cot_expr_fields(NULL, 0, e), *f;
		cot_type t = cot_expr_type(e);

		CHECK(nf <= cot_field_count(az));
		f = malloc((nf + 1) * sizeof *f);
		CHECK(f);
		CHECK(cot_expr_fields(f, nf, e) == nf);
		for (size_t k = 0; k < nf; k++)
			CHECK(f[k] < cot_field_count(az));
		CHECK(cot_result_need(some, f, nf, &err) == COT_OK);
		if (cot_analyze_json(all, rec, rlen, &err) == COT_OK) {
			size_t n = cot_result_traces(all);

			CHECK(cot_analyze_json(some, rec, rlen, &err) ==
			      COT_OK);
			CHECK(cot_result_traces(some) == n);
			for (size_t i = 0; i <= n; i++) {
				size_t at = i < n ? i : COT_NO_TRACE;
				kept a = eval(e, all, at);
				kept b = eval(e, all, at);
				kept c = eval(e2, some, at);

				if (a.rc == COT_OK && t != COT_TYPE_NULL)
					CHECK(a.v.type == t ||
					      a.v.type == COT_TYPE_NULL);
				same(&a, &b);
				same(&a, &c);
				free(a.s);
				free(b.s);
				free(c.s);
			}
		}
		free(f);
	}
	cot_expr_free(e);
	cot_expr_free(e2);
	free(src);
	return 0;
}
