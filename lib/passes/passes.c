/* passes.c - the analysis passes, in the order they run, and which of
 * them a question needs. What each makes and reads is declared in its
 * own file (makes, reads). */
#include "passes/pass.h"

extern const cot__pass cot__core_pass;
extern const cot__pass cot__tokens_pass;
/* ---- steps and patterns ---- */
extern const cot__pass cot__steps_pass;
extern const cot__pass cot__matches_pass;
extern const cot__pass cot__structure_pass;
/* ---- health: status, format, repetition ---- */
extern const cot__pass cot__format_pass;
extern const cot__pass cot__repeat_pass;
extern const cot__pass cot__loop_pass;
extern const cot__pass cot__status_pass;
/* ---- answers and language ---- */
extern const cot__pass cot__lang_pass;
extern const cot__pass cot__answer_pass;
extern const cot__pass cot__grade_pass;

const cot__pass *const cot__passes[] = {
	&cot__core_pass,
	&cot__tokens_pass,
	/* ---- steps and patterns ---- */
	&cot__steps_pass,
	&cot__matches_pass,
	&cot__structure_pass,
	/* ---- health: status, format, repetition ---- */
	&cot__format_pass,
	&cot__repeat_pass,
	&cot__loop_pass,
	&cot__status_pass,
	/* ---- answers and language ---- */
	&cot__lang_pass,
	&cot__answer_pass,
	&cot__grade_pass,
	NULL
};

/* a set of passes is a bit mask */
_Static_assert(sizeof cot__passes / sizeof *cot__passes - 1 <= 32,
	       "more passes than bits in uint32_t");

uint32_t cot__passes_schedule(uint32_t asked)
{
	uint32_t set;
	size_t n = 0;

	while (cot__passes[n])
		n++;
	/* the core pass always runs */
	set = (asked | 1) & (uint32_t)(((uint64_t)1 << n) - 1);
	/* a maker stands before its readers: one sweep from the last pass
	 * to the first reaches the makers of makers */
	for (size_t i = n; i-- > 0;) {
		if (!(set >> i & 1))
			continue;
		for (size_t k = 0; k < i; k++)
			if (cot__passes[k]->makes & cot__passes[i]->reads)
				set |= (uint32_t)1 << k;
	}
	return set;
}

uint32_t cot__passes_making(unsigned prods)
{
	uint32_t set = 0;

	for (size_t i = 0; cot__passes[i]; i++)
		if (cot__passes[i]->makes & prods)
			set |= (uint32_t)1 << i;
	return set;
}

unsigned cot__passes_reads(uint32_t set)
{
	unsigned reads = 0;

	for (size_t i = 0; cot__passes[i]; i++)
		if (set >> i & 1)
			reads |= cot__passes[i]->reads;
	return reads;
}
