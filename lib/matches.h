/* matches.h - the patterns pass: matches and their statistics. */
#ifndef COT_MATCHES_H
#define COT_MATCHES_H

#include "patterns.h"
#include "steps.h"

/* Per pattern or family, over one trace's reasoning. */
typedef struct cot__pstat {
	uint32_t count;
	size_t first, last;	/* offsets of the first and last match */
	uint32_t *steps;	/* paragraphs holding a match, ascending */
	uint32_t nsteps;
} cot__pstat;

typedef struct cot__matches {
	cot__hitlist hits;
	cot__pstat *pat;	/* per pattern of the analyzer */
	cot__pstat *fam;	/* per family */
} cot__matches;

#endif
