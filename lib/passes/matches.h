/* matches.h - the patterns pass: matches and their statistics. */
#ifndef COT_MATCHES_H
#define COT_MATCHES_H

#include "match/patterns.h"
#include "passes/steps.h"

/* Per pattern or family, over one trace's reasoning. */
typedef struct cot__pstat {
	uint32_t count;
	size_t first, last;	/* offsets of the first and last match */
	uint32_t *steps;	/* paragraphs holding a match, ascending */
	uint32_t nsteps;
} cot__pstat;

typedef struct cot__matches {
	/* the matches themselves, found again only when asked for
	 * (cot_result_hit): a dense trace has more of them than bytes,
	 * and the statistics below need none kept */
	cot__hitlist hits;
	bool hits_ready;
	size_t nhits;
	cot__pstat *pat;	/* per pattern of the analyzer */
	cot__pstat *fam;	/* per family */
} cot__matches;

#endif
