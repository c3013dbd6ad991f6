/* answer.h - answer statements in a text: final answer, candidates, rounds. */
#ifndef COT_ANSWER_H
#define COT_ANSWER_H

#include "passes/pass.h"

/* The rules that find an answer statement, in priority order for the
 * final answer (see the README, "Final answer"). COT__RULE_ANSWER_IS
 * finds candidates in the reasoning only. */
typedef enum cot__rule {
	COT__RULE_BOXED = 0,	/* as answer_extracted: \boxed{...} / \fbox{...} */
	COT__RULE_ANSWER_TAG,	/* R1-Zero <answer>...</answer> */
	COT__RULE_FINAL_IS,	/* "final answer is" */
	COT__RULE_BOLD,		/* "**Answer:**" */
	COT__RULE_COLON,	/* "Answer:" */
	COT__RULE_ANSWER_IS,	/* "answer is" (candidates only) */
	COT__RULE_LAST_DISPLAY,	/* display math that ends the text */
	COT__RULE_LAST_STATEMENT,	/* "= X." or "is X." ending it */
	COT__NRULES
} cot__rule;

/* Stable names of the rules: "boxed", "answer_tag", ... */
extern const char *const cot__rule_names[COT__NRULES];

/* One place where a text states an answer. */
typedef struct cot__stmt {
	size_t at;		/* where the statement starts: the '\' of
				 * \boxed, the '<' of <answer>, the anchor */
	size_t off, len;	/* the answer text it states */
	size_t end;		/* where the statement ends */
	const char *norm;	/* the text normalised (NULL until needed) */
	size_t nlen;
	uint32_t para;		/* paragraph index (reasoning only) */
	uint8_t rule;		/* a cot__rule */
} cot__stmt;

typedef struct cot__stmts {
	cot__stmt *v;
	size_t n, cap;
} cot__stmts;

/* Every answer statement of t[0..n), in order of `at`, in one pass over
 * the text (see the README for what each rule matches and where the
 * answer text ends). answer: t is an answer text, where an <answer> tag
 * without </answer> runs to the end (in the reasoning it is no
 * statement). A box holding another box, and an anchor or tag whose
 * answer text holds the start of another statement, are left out: the
 * inner one states that answer. Each is handed to sink as soon as it
 * is settled, so that memory stays bounded however many a text has; a
 * non-zero return of sink stops the scan and is returned. Scratch lives
 * in a. Returns COT_OK, COT_ENOMEM or what sink returned. */
typedef int (*cot__stmt_sink)(void *ctx, const cot__stmt *s);
int cot__answer_each(const char *t, size_t n, bool answer, cot__arena *a,
		     cot__stmt_sink sink, void *ctx);

extern size_t cot__answer_window;	/* for tests: see answer.c */

/* The same statements in a list, in a. Returns COT_OK or COT_ENOMEM. */
int cot__answer_scan(const char *t, size_t n, bool answer, cot__arena *a,
		     cot__stmts *out);

/* Does s[0..n) (n >= 1) begin as a stated answer does: a number, math,
 * a bracket or a one-letter name ("the answer is correct" states
 * nothing)? */
bool cot__answer_like(const char *s, size_t n);
/* Where an answer written in prose from t[x] ends within [x, end): at
 * the closing '$' of inline math it starts with, else before the first
 * word of two or more ASCII letters after its first token. */
size_t cot__answer_prose_end(const char *t, size_t x, size_t end);
/* The closing rules, last_display then last_statement (closing.c): the
 * answer t[0..n) states by how it ends, in *out. */
bool cot__answer_closing(const char *t, size_t n, cot__stmt *out);

/* The statement that gives a text's final answer, from its statements
 * seen in order (start from a zeroed picker): the first rule in
 * priority order that has one, and of that rule the last seen (boxed:
 * the one starting last, as answer_extracted; the others: the
 * rightmost); cot__pick gives NULL if none. */
typedef struct cot__picker {
	cot__stmt last[COT__NRULES];
	bool seen[COT__NRULES];
} cot__picker;
void cot__pick_see(cot__picker *k, const cot__stmt *s);
const cot__stmt *cot__pick(const cot__picker *k);

/* The candidates a profile lists: the first ones of the reasoning. A
 * trace dense with answers has more candidates than bytes, and each
 * listed one is some 40 bytes of JSON. */
#define COT__CANDIDATES_MAX 1000

/* What the answer and grade passes found for one trace. */
struct cot__answers {
	/* the final answer: a statement of the answer text (from = 0) or
	 * of the reasoning (from = 1); NULL when there is none */
	const cot__stmt *final;
	int from;
	const char *text;	/* its text (in the answer or reasoning) */
	cot__stmts cand;	/* the first COT__CANDIDATES_MAX statements
				 * of the reasoning */
	uint64_t ncand;		/* all of them */
	uint32_t rounds;	/* solution rounds */
	/* the first statement of the reasoning equal to the final answer,
	 * and to the reference; NULL: none */
	const cot__stmt *first_final, *first_ref;
	const char *ref_norm;	/* NULL: no reference or a sentinel */
	size_t ref_nlen;
	/* grading (grade.c) */
	int correct;		/* -1 null, 0, 1 */
	double first_at, after, efficiency;	/* NaN: null */
	/* the same in tokens (grade.c), when the token counts are made */
	double first_at_tok, after_tok, efficiency_tok;
};

/* Normalise statement s of text t (once; kept in s->norm). */
int cot__stmt_norm(cot__stmt *s, const char *t, cot__arena *a);

extern const cot__pass cot__answer_pass;
extern const cot__pass cot__grade_pass;

#endif
