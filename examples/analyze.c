/* analyze.c - profile a raw completion and a JSONL record with libcotlog.
 *
 * Build against an installed libcotlog:
 *   cc analyze.c $(pkg-config --cflags --libs cotlog) -o analyze
 */
#include <stdio.h>
#include <string.h>

#include <cotlog.h>

static int print_profiles(const cot_analyzer *az, cot_result *res,
			  cot_error *err)
{
	cot_buf json = COT_BUF_INIT;
	size_t words;
	int rc = cot_field_find(&words, az, "think.words", err);

	for (size_t i = 0; i < cot_result_traces(res) && !rc; i++) {
		cot_value v;

		json.size = 0;
		/* one field read by name, the whole profile as JSON */
		rc = cot_result_get(&v, res, i, words, err);
		if (!rc)
			rc = cot_result_profile_json(&json, res, i, err);
		if (!rc)
			printf("trace %zu: %lld reasoning words\n%s\n", i,
			       (long long)v.i, json.ptr);
	}
	cot_buf_dispose(&json);
	return rc;
}

int main(void)
{
	static const char text[] =
		"<think>\n17 * 23 = 391.\n\nWait, check: 17 * 20 + 17 * 3 "
		"= 340 + 51 = 391.\n</think>\n\nThe answer is \\boxed{391}.";
	static const char line[] =
		"{\"model\":\"deepseek-reasoner\",\"choices\":[{\"message\":"
		"{\"role\":\"assistant\",\"reasoning_content\":\"2+2 is 4.\","
		"\"content\":\"4\"},\"finish_reason\":\"stop\"}]}";
	cot_analyzer *az = NULL;
	cot_result *res = NULL;
	cot_error err;
	int rc;

	printf("libcotlog %s\n", cot_version());
	/* the analyzer is built once and can be shared by threads; each
	 * thread has its own result */
	rc = cot_analyzer_new(&az, NULL, &err);
	if (!rc)
		rc = cot_result_new(&res, az, &err);
	if (!rc)
		rc = cot_analyze_text(res, text, strlen(text), NULL, &err);
	if (!rc)
		rc = print_profiles(az, res, &err);
	if (!rc)
		rc = cot_analyze_json(res, line, strlen(line), &err);
	if (!rc)
		rc = print_profiles(az, res, &err);
	if (rc)
		fprintf(stderr, "analyze: %s\n", err.message);
	cot_result_free(res);
	cot_analyzer_free(az);
	return rc ? 1 : 0;
}
