/* report.h - inside a cot_report: a summary of the fields the page
 * shows, per group what the summary does not keep (histograms of
 * positions in the trace, accuracy by length), and the traces chosen
 * for the viewer. Shared by the files that fill it and draw it. */
#ifndef COT_REPORT_H
#define COT_REPORT_H

#include "stats/summary.h"

/* Positions and ratios in [0, 1]: REL_BINS bins of equal width (1.0 in
 * the last). Lengths: octaves of think.words, [2^k, 2^(k+1)), and 0. */
enum { REL_BINS = 20, LEN_BINS = 26 };

/* The fields the report reads trace by trace, by name: one table, so
 * that the list of names and the enum cannot disagree. */
#define REPORT_FIELDS(X) \
	X(F_THINK_WORDS, "think.words") \
	X(F_THINK_TOKENS, "think.tokens") \
	X(F_ANSWER_WORDS, "answer.words") \
	X(F_STEPS, "steps") \
	X(F_CORRECT, "correct") \
	X(F_REF, "ref") \
	X(F_FINAL, "final_answer") \
	X(F_STATUS, "status") \
	X(F_STATUS_RULE, "status_rule") \
	X(F_FINISH_REASON, "finish_reason") \
	X(F_MODEL, "model") \
	X(F_LOOP_FOUND, "loop.found") \
	X(F_LOOP_START, "loop.start") \
	X(F_LOOP_END, "loop.end") \
	X(F_LOOP_START_STEP, "loop.start_step") \
	X(F_LOOP_PERIOD, "loop.period") \
	X(F_LOOP_PERIOD_WORDS, "loop.period_words") \
	X(F_LOOP_REPEATS, "loop.repeats") \
	X(F_LOOP_TAIL, "loop.tail") \
	X(F_REPEAT_NGRAM, "repeat.ngram") \
	X(F_LANG_MIX, "lang.mix") \
	X(F_LANG_DOMINANT, "lang.dominant") \
	X(F_AFTER_ANSWER, "after_answer")
#define REPORT_ENUM(id, name) id,
enum { REPORT_FIELDS(REPORT_ENUM) F_COUNT };
#undef REPORT_ENUM
extern const char *const cot__report_field_names[F_COUNT];

/* Why a trace is shown: each reason keeps its best traces by a score
 * (the highest first), ties broken by the trace's id, so that which
 * traces are kept does not depend on how the input was split. */
#define REPORT_REASONS(X) \
	X(R_LOOP, "loop", "Loops", "the most repeats of the loop's period") \
	X(R_REPEAT, "repetition", "Most repetitive", \
	  "the highest repeat.ngram") \
	X(R_LANG, "language", "Most mixed scripts", "the highest lang.mix") \
	X(R_CUT, "cut-off", "Cut off", \
	  "status truncated or unterminated, the longest first") \
	X(R_EARLY, "early-answer", "Answer found earliest", \
	  "the highest after_answer: the answer stated, then thinking " \
	  "went on") \
	X(R_LONG, "longest", "Longest", "the most think.words") \
	X(R_RANDOM, "random", "Random", \
	  "a uniform sample, by a hash of file, line and trace")
#define REPORT_ENUM(id, ...) id,
enum { REPORT_REASONS(REPORT_ENUM) R_COUNT };
#undef REPORT_ENUM
typedef struct reason_info {
	const char *name, *title, *rule;
} reason_info;
extern const reason_info cot__report_reasons[R_COUNT];

/* Per group: the histograms of the ratio fields and, by octave of
 * think.words, the traces graded correct and incorrect. */
typedef struct rgroup {
	uint64_t (*rel)[REL_BINS];	/* [nrel] */
	uint64_t acc[LEN_BINS][2];	/* [octave][correct] */
} rgroup;

/* A trace kept for the viewer: its section of the page and its row in
 * the index, made when it was chosen. Shared by the reasons that chose
 * it (refs). */
typedef struct shown {
	uint64_t id;
	char *file;
	uint64_t line;
	size_t trace;
	char *group;		/* display name of its group; NULL: none */
	double think_words;	/* NaN when null */
	char *status;
	char *html;		/* <section>...</section> */
	size_t refs;
	unsigned reasons;	/* bit per reason, set at render time */
} shown;

typedef struct pick {
	double score;
	uint64_t id;
	shown *t;
} pick;

/* A reason's best picks: a min-heap of at most cap, the worst on top. */
typedef struct pickset {
	pick *v;
	size_t n, cap;
} pickset;

struct cot_report {
	const cot_analyzer *az;
	cot_summary *s;
	char *title;
	size_t traces_max;	/* the picks' caps add up to it */
	size_t field[F_COUNT];
	bool have[F_COUNT];	/* the analyzer has the field */
	/* the ratio fields histogrammed, registry indexes and names */
	size_t nrel;
	size_t *rel_field;
	const char **rel_name;
	pickset pick[R_COUNT];
	cot_buf scratch;	/* a section being made */
	int failed;		/* COT_ENOMEM once an allocation failed */
};

/* sample.c: choose trace i of res (added to group display name gname)
 * for the reasons it qualifies for; COT_OK or COT_ENOMEM. */
int cot__report_pick(cot_report *r, cot_result *res, size_t i,
		     const char *file, uint64_t line, const char *gname,
		     const cot_value *v);
/* Add src's picks into dst's (copies); COT_OK or COT_ENOMEM. */
int cot__report_pick_merge(cot_report *dst, const cot_report *src);
void cot__report_picks_dispose(cot_report *r);
/* The traces kept, each once, ordered by id; NULL when none or out of
 * memory (*n says which: 0 for none). */
shown **cot__report_shown(cot_report *r, size_t *n);
/* A pick's trace in the order of its reason, best first (a copy of the
 * heap, sorted); NULL when empty or out of memory. */
pick *cot__report_sorted_picks(const pickset *p);

/* html.c: text of the records as HTML text: & < > " ' escaped, every
 * control character but TAB and LF and every byte that is not UTF-8
 * as U+FFFD, so the page is valid UTF-8 whatever the input. */
void cot__html_text(sb *b, const char *s, size_t n);
void cot__html_cstr(sb *b, const char *s);
/* A number for people: 12,345 or 0.123 (3 significant digits), an en
 * dash for NaN; as text, and appended. */
void cot__num_text(char t[64], double x);
void cot__html_num(sb *b, double x);
/* x as a percentage with one decimal ("12.5%"), "–" for NaN. */
void cot__html_pct(sb *b, double x);

/* chart.c: charts as inline SVG, with axes, units and a legend. */
typedef struct series {
	const char *name;	/* for the legend; may be long */
	const double *y;	/* [npoints]; NaN: no point */
} series;
typedef struct chart {
	const char *id;		/* element id, unique in the page */
	const char *title;
	const char *xlabel, *ylabel;	/* with their units */
	const char *const *xticks;	/* [npoints] labels of the points;
					 * NULL entries are not written */
	size_t npoints;
	const series *s;
	size_t ns;
	double ymax;		/* 0: from the data */
	bool percent;		/* y is a share: ticks as % */
} chart;
/* Lines (one per series) over categorical x points. */
void cot__chart_lines(sb *b, const chart *c);
/* Horizontal bars: a row per x point, a bar per series in it. */
void cot__chart_bars(sb *b, const chart *c);
/* A row per series, split into the x points' shares (each row's
 * values sum to 1). */
void cot__chart_stack(sb *b, const chart *c);
/* The legend of series names, as HTML (names wrap, never cut). */
void cot__chart_legend(sb *b, const series *s, size_t ns, bool stacked);

/* page.c */
extern const char cot__report_css[];
extern const char cot__report_js[];

#endif
