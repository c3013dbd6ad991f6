/* reward.c - a reward function for RL on reasoning models, on libcotlog.
 *
 * An RL trainer scores each sampled completion against the problem's
 * reference answer. This one adds: 1 for a correct final answer, up to
 * 0.5 for open-r1's R1-Zero format and tag count, minus open-r1's
 * repetition ratio of the reasoning (word trigrams), minus 0.5 per
 * 8,000 words of reasoning beyond the first 8,000.
 *
 * Build against an installed libcotlog:
 *   cc -std=c11 -Wall -Wextra -Werror reward.c \
 *      $(pkg-config --cflags --libs cotlog) -o reward
 */
#include <stdio.h>
#include <string.h>

#include <cotlog.h>

/* The fields the reward reads, found once by name. */
enum { CORRECT, FORMAT, TAGS, REPEAT, WORDS, NFIELDS };
static const char *const names[NFIELDS] = {
	"correct", "reward.format", "reward.tag_count", "repeat.ngram",
	"think.words",
};

/* Field f of the analyzed completion as a number (true 1, null 0). */
static int number(cot_result *res, const size_t *ids, int f, double *out,
		  cot_error *err)
{
	cot_value v;
	int rc = cot_result_get(&v, res, 0, ids[f], err);

	*out = v.type == COT_TYPE_BOOL ? v.b : v.type == COT_TYPE_INT ?
	       (double)v.i : v.type == COT_TYPE_REAL ? v.r : 0.0;
	return rc;
}

static int reward(cot_result *res, const size_t *ids, const char *text,
		  const char *ref, double *out, cot_error *err)
{
	cot_text_options o = COT_TEXT_OPTIONS_INIT;
	double x[NFIELDS];
	int rc;

	o.ref = ref;
	o.flags = COT_TEXT_REPLACE_INVALID;	/* a sample cut mid-character */
	rc = cot_analyze_text(res, text, strlen(text), &o, err);
	for (int f = 0; f < NFIELDS && !rc; f++)
		rc = number(res, ids, f, &x[f], err);
	if (rc)
		return rc;
	*out = x[CORRECT] + 0.25 * (x[FORMAT] + x[TAGS]) - x[REPEAT] -
	       (x[WORDS] > 8000 ? 0.5 * (x[WORDS] - 8000) / 8000 : 0);
	return COT_OK;
}

int main(void)
{
	static const char *const samples[] = {
		"<think>\n17 * 23 = 17 * 20 + 17 * 3 = 340 + 51 = 391.\n"
		"</think>\n<answer>\n\\boxed{391}\n</answer>",
		"<think>\n17 * 23 is about 400.\n</think>\n\\boxed{400}",
		"<think>\nLet me think. Let me think. Let me think. Let me "
		"think. Let me think.",
	};
	size_t ids[NFIELDS];
	cot_analyzer *az = NULL;
	cot_result *res = NULL;
	cot_error err;
	int rc = cot_analyzer_new(&az, NULL, &err);

	if (!rc)
		rc = cot_result_new(&res, az, &err);
	for (int f = 0; f < NFIELDS && !rc; f++)
		rc = cot_field_find(&ids[f], az, names[f], &err);
	if (!rc)	/* run only the passes these fields need */
		rc = cot_result_need(res, ids, NFIELDS, &err);
	for (size_t i = 0; i < sizeof samples / sizeof *samples && !rc; i++) {
		double r;

		rc = reward(res, ids, samples[i], "391", &r, &err);
		if (!rc)
			printf("sample %zu: reward %.4f\n", i + 1, r);
	}
	if (rc)
		fprintf(stderr, "reward: %s\n", err.message);
	cot_result_free(res);
	cot_analyzer_free(az);
	return rc ? 1 : 0;
}
