/* cotlog.h - read reasoning traces of thinking models and profile them.
 *
 * The one header users include. The library turns bytes (files, stdin,
 * gzip) into records, finds every trace in a record (reasoning text,
 * answer text and what the record says about them), and profiles each
 * trace into named fields (see cot_field_at and the README's field list).
 *
 * Conventions, for every function below:
 * - A function that can fail returns a status `int`: COT_OK (0),
 *   COT_DONE (1, end of iteration) or a negative cot_status, and is
 *   marked COT_NODISCARD. Its results come back through out-parameters,
 *   which come first; a `cot_error *` comes last. err may be NULL; on
 *   failure it holds the code and a message. A status is never a
 *   verdict: a yes/no answer comes back through an out-parameter.
 * - A getter that cannot fail returns its value; a length that goes
 *   with it comes back through its last parameter.
 * - Objects are opaque, made by *_new / *_open_* and released by *_free,
 *   which accept NULL. On failure the `**out` argument is set to NULL and
 *   nothing leaks.
 * - Pointers returned by getters are borrowed: they live as long as the
 *   object they came from, or until the next call named in the comment.
 * - Field indexes are `size_t` everywhere (cot_field_find).
 * - The structs a caller allocates (cot_error, cot_value, cot_step,
 *   cot_hit, cot_record_span, cot_analyzer_options, cot_text_options)
 *   keep their layout for as long as the library's soname
 *   (libcotlog.so.1) stays the same. Those with a version member grow
 *   only at their end, under a new version number, and the library
 *   still reads a struct of any older version as the shorter struct it
 *   was; the others keep their size. The library hands out no arrays of
 *   structs, so nothing depends on their size elsewhere.
 * - The library never prints, never exits and never aborts on bad input.
 * - Thread-safety: a cot_analyzer is immutable after cot_analyzer_new and
 *   may be shared by any number of threads. A cot_result, a cot_reader
 *   and a cot_summary belong to one thread at a time. There is no
 *   global state.
 */
#ifndef COTLOG_H
#define COTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "cotlog/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define COT_API __attribute__((visibility("default")))
#define COT_NODISCARD __attribute__((warn_unused_result))
#else
#define COT_API
#define COT_NODISCARD
#endif

/* ------------------------------------------------------------------ */
/* Status codes and errors                                              */

typedef enum cot_status {
	COT_OK = 0,
	COT_DONE = 1,		/* end of iteration */
	COT_ERROR = -1,		/* unexpected; see the message */
	COT_ENOMEM = -2,	/* out of memory */
	COT_EIO = -3,		/* cannot open, read, decompress or write */
	COT_EPARSE = -4,	/* malformed JSON (a record, not the stream) */
	COT_ELIMIT = -6,	/* a size limit was reached */
	COT_EINVAL = -7,	/* bad argument, option or path */
	COT_EPATTERN = -8,	/* an invalid pattern (regex or file) */
	COT_EEXPR = -9,		/* an invalid expression */
} cot_status;

#define COT_ERROR_MESSAGE_MAX 320

typedef struct cot_error {
	int code;		/* a cot_status */
	uint64_t line;		/* 1-based input line; 0 = not applicable */
	uint64_t column;	/* 1-based byte in that line; 0 = n/a */
	char message[COT_ERROR_MESSAGE_MAX];	/* NUL-terminated */
} cot_error;

/* A short static name for a status code ("out of memory", ...). */
COT_API const char *cot_status_str(int code);

/* The library's version string at run time, e.g. "0.1.0". Compare with
 * COT_VERSION_STRING to detect a header/library mismatch. */
COT_API const char *cot_version(void);

/* A growable byte buffer the library appends to and the caller owns.
 * Start from COT_BUF_INIT; release with cot_buf_dispose. `ptr` is
 * NUL-terminated whenever size > 0. */
typedef struct cot_buf {
	char *ptr;
	size_t size;
	size_t cap;
} cot_buf;
#define COT_BUF_INIT { NULL, 0, 0 }
COT_API void cot_buf_dispose(cot_buf *buf);

/* ------------------------------------------------------------------ */
/* Text: UTF-8 and JSON strings, as the library reads and writes them */

/* What cot_utf8_next gives for bytes that are no character. */
#define COT_UTF8_INVALID 0xFFFFFFFFu

/* The character at s[0..n): its length in bytes, with its code point in
 * *cp. Where s does not start a well-formed UTF-8 sequence (RFC 3629: a
 * stray continuation byte, a sequence cut short, an overlong form, a
 * surrogate, a code point past U+10FFFF), *cp is COT_UTF8_INVALID and
 * the length is that of the maximal ill-formed subpart, which one
 * U+FFFD replaces (the Unicode standard's "substitution of maximal
 * subparts", as Python's bytes.decode("utf-8", "replace") does).
 * Returns 0 only when n is 0. This is the library's own decoder. */
COT_API size_t cot_utf8_next(const char *s, size_t n, uint32_t *cp);

/* Flags of cot_json_string. COT_JSON_TERMINAL: a literal that is valid
 * JSON whatever the bytes, and that puts nothing on a terminal that it
 * would act on: DEL and the C1 controls (U+0080-U+009F) are escaped
 * too, and each maximal ill-formed subpart of s is written as \ufffd. */
#define COT_JSON_TERMINAL 1u

/* Append s[0..n) to out as a JSON string literal, quotes included, as
 * the profiles are written: '"', '\\' and the controls below U+0020
 * escaped (\n \r \t \b \f, the others \u00XX), every other byte as
 * it is (so s must be UTF-8 for the literal to be JSON, unless flags
 * has COT_JSON_TERMINAL). Returns COT_OK, COT_EINVAL (an unknown flag)
 * or COT_ENOMEM; on failure out is as it was. */
COT_API COT_NODISCARD int cot_json_string(cot_buf *out, const char *s,
					  size_t n, unsigned flags,
					  cot_error *err);

/* ------------------------------------------------------------------ */
/* Analyzer: what to look for, built once, shared by threads            */

typedef struct cot_analyzer cot_analyzer;

/* How untagged text is read (README "From a record to traces"): by
 * default a message's text with no marker is the answer and a bare long
 * text field the reasoning. */
typedef enum cot_untagged {
	COT_UNTAGGED_AUTO = 0,
	COT_UNTAGGED_THINK,	/* untagged text is always reasoning */
	COT_UNTAGGED_ANSWER,	/* untagged text is always answer */
} cot_untagged;

/* Version 2 added `tokenizer`; a struct of version 1 (without it) is
 * still read, as the shorter struct it was. */
#define COT_ANALYZER_OPTIONS_VERSION 2

typedef struct cot_tokenizer cot_tokenizer;

typedef struct cot_analyzer_options {
	unsigned int version;	/* COT_ANALYZER_OPTIONS_VERSION */
	/* Paths that override shape detection (syntax: a.b[0].c, negative
	 * indexes count from the end, [*] is every element, one trace each;
	 * a key with dots or brackets is written ["a.b"]). NULL = detect. */
	const char *field;	/* reasoning (or whole tagged text) */
	const char *answer_field;
	const char *ref_field;	/* reference answer */
	cot_untagged untagged;
	/* Patterns (see the README, "Patterns"): a file of user patterns,
	 * and NAME=REGEX strings (a NULL-terminated list), added to the
	 * built-in lexicons, or replacing them when no_builtin_patterns. */
	const char *patterns_file;
	const char *const *patterns;
	int no_builtin_patterns;
	/* Language: the script the reasoning should be in ("Latin",
	 * "Han", ...) for lang.target_share; NULL = none. */
	const char *target_script;
	/* Repetition: n of the word n-gram duplicate ratio (0 = 3). */
	unsigned ngram;
	/* Pattern matching's work budget per trace (README "Patterns"):
	 * pcre2 steps per byte of the reasoning, on top of 10,000,000;
	 * 0 = COT_MATCH_LIMIT_DEFAULT. Spent, it makes the trace's
	 * analysis fail with COT_ELIMIT naming the pattern, so that a
	 * pattern with nested quantifiers cannot take quadratic time. */
	unsigned match_limit;
	/* Tokens (README "Tokens"): the tokenizer that gives think.tokens,
	 * answer.tokens, preamble.tokens and the token twins of the
	 * measures in words; NULL = those fields are null. Borrowed: it
	 * must outlive the analyzer (one tokenizer may serve many). */
	const cot_tokenizer *tokenizer;
} cot_analyzer_options;

#define COT_MATCH_LIMIT_DEFAULT 100u

#define COT_ANALYZER_OPTIONS_INIT \
	{ COT_ANALYZER_OPTIONS_VERSION, NULL, NULL, NULL, \
	  COT_UNTAGGED_AUTO, NULL, NULL, 0, NULL, 0, 0, NULL }

/* Build an analyzer. opts may be NULL (defaults).
 * Returns COT_OK, COT_EINVAL (unknown options version, or a path that does
 * not parse: err->column points at it), COT_ENOMEM. */
COT_API COT_NODISCARD int cot_analyzer_new(cot_analyzer **out,
					   const cot_analyzer_options *opts,
					   cot_error *err);
COT_API void cot_analyzer_free(cot_analyzer *az);

/* ------------------------------------------------------------------ */
/* Tokens: a model's own tokenizer, loaded from its tokenizer.json      */

/* Load a Hugging Face tokenizer.json: name is the file, a folder that
 * holds one, or a model id ("Qwen/Qwen3-8B") whose tokenizer.json is in
 * the local Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else
 * $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub; the
 * snapshot refs/main names, or without refs/main the only one that has
 * the file); nothing is downloaded.
 * The ids are those of Hugging Face `tokenizers` encoding without
 * special tokens. What the file asks for and the library does not do
 * exactly (a model other than byte-level BPE, byte fallback, dropout,
 * a normalizer other than NFC, a pre-tokenizer other than Split and
 * ByteLevel, ...) is refused, never approximated. A tokenizer is
 * immutable: any number of threads may share it, each with its own
 * cot_encoder. Returns COT_OK; COT_EIO (no such file, or a model id
 * not in the cache: the message says where it looked); COT_EPARSE (not
 * JSON, or what is refused: the message names it); COT_ENOMEM. */
COT_API COT_NODISCARD int cot_tokenizer_load(cot_tokenizer **out,
					     const char *name,
					     cot_error *err);
COT_API void cot_tokenizer_free(cot_tokenizer *tok);
/* The path of the file loaded (for a model id, the one found). */
COT_API const char *cot_tokenizer_path(const cot_tokenizer *tok);

/* One thread's encoder: the tokenizer's working memory (match data,
 * work arrays, a cache of pre-token results), which grows with the
 * longest text encoded and is bounded by it. */
typedef struct cot_encoder cot_encoder;
COT_API COT_NODISCARD int cot_encoder_new(cot_encoder **out,
					  const cot_tokenizer *tok,
					  cot_error *err);
COT_API void cot_encoder_free(cot_encoder *enc);
/* The token ids of text[0..len) (any bytes: what is not UTF-8 reads as
 * U+FFFD, one per maximal ill-formed subpart, as the Rust crate sees a
 * string decoded that way), their number in *count. With ids NULL only
 * counts; else *ids is borrowed until the next cot_encode or
 * cot_encoder_free. Returns COT_OK, COT_ENOMEM, or COT_ELIMIT (the
 * pre-tokenizer's regex hit a PCRE2 limit). */
COT_API COT_NODISCARD int cot_encode(cot_encoder *enc, const char *text,
				     size_t len, const uint32_t **ids,
				     size_t *count, cot_error *err);

/* ------------------------------------------------------------------ */
/* Reader: files, stdin, memory -> units holding records                */

/* A reader yields *units*: the input cut into pieces that, written one
 * after another (each unit's bytes, then its line end), give back the
 * input byte for byte (after gzip, without a leading UTF-8 BOM). A unit is a JSON
 * Lines line (with its line end), a blank line, a malformed line, or a
 * piece of a multi-line JSON document (one array element with the bytes
 * before it, or a whole value). A unit holds zero or more *records*
 * (README "Input": an object; each element of an array; a string). */
typedef struct cot_reader cot_reader;
typedef struct cot_unit cot_unit;

typedef enum cot_unit_kind {
	COT_UNIT_RECORDS = 0,	/* well-formed; 0 or more records */
	COT_UNIT_BLANK,		/* only space, tab, CR */
	COT_UNIT_MALFORMED,	/* not valid JSON; see cot_unit_error */
	COT_UNIT_SKIPPED,	/* bytes after a document error, unread */
} cot_unit_kind;

/* Open a file ("-" = stdin). Compression and container are detected
 * from the bytes (see the README). Returns COT_OK, COT_EIO (cannot open;
 * the message names the file), COT_ENOMEM. */
COT_API COT_NODISCARD int cot_reader_open_path(cot_reader **out,
					       const char *path,
					       cot_error *err);
/* Read from memory (borrowed until cot_reader_free); name is used in
 * messages (NULL = "<memory>"). */
COT_API COT_NODISCARD int cot_reader_open_mem(cot_reader **out,
					      const void *data, size_t len,
					      const char *name,
					      cot_error *err);
COT_API void cot_reader_free(cot_reader *r);

/* The next unit, borrowed until the next call on r.
 * Returns COT_OK (*unit set; a malformed line is a COT_OK unit of kind
 * COT_UNIT_MALFORMED: report it and go on), COT_DONE, or a stream error
 * that ends this input: COT_EIO (read or decompression error, after every
 * unit decoded before it), COT_EPARSE (a syntax error inside a multi-line
 * document, after the records before it), COT_ENOMEM. err->line tells
 * the line, err->message what happened. After COT_EPARSE keep calling:
 * the rest of that input comes as COT_UNIT_SKIPPED units, unread, so a
 * writer can copy it through and nothing is lost. */
COT_API COT_NODISCARD int cot_reader_next(const cot_unit **unit,
					  cot_reader *r, cot_error *err);
/* The input's name as used in messages ("<stdin>" for stdin). */
COT_API const char *cot_reader_name(const cot_reader *r);
/* Compressed input bytes consumed so far, and the total when known (a
 * regular file; else 0): for progress reports. */
COT_API uint64_t cot_reader_consumed(const cot_reader *r);
COT_API uint64_t cot_reader_total(const cot_reader *r);
/* Whether the input began with a UTF-8 BOM (skipped); known once the
 * first unit has been read. */
COT_API int cot_reader_had_bom(const cot_reader *r);

COT_API cot_unit_kind cot_unit_kind_of(const cot_unit *u);
/* The unit's bytes exactly as read (after gzip), and the line end that
 * follows them ("", "\n" or "\r\n"; a multi-line document piece keeps
 * its line ends in its bytes and has ""). */
COT_API const char *cot_unit_bytes(const cot_unit *u, size_t *len);
COT_API const char *cot_unit_eol(const cot_unit *u);
/* 1-based line of the unit's first byte, and of its last line. */
COT_API uint64_t cot_unit_line(const cot_unit *u);
COT_API uint64_t cot_unit_last_line(const cot_unit *u);
/* For a malformed unit: what is wrong (line and column set). The code
 * is COT_EPARSE, or COT_EIO for the last line of an input that damage
 * cut short (a truncated or corrupt gzip stream, a read error): its
 * decoded bytes, delivered so that nothing decoded is lost; the stream
 * error follows. */
COT_API const cot_error *cot_unit_error(const cot_unit *u);
COT_API size_t cot_unit_records(const cot_unit *u);

/* Where record i stands in the unit's bytes. */
typedef struct cot_record_span {
	size_t off;		/* first byte of the JSON value */
	size_t len;		/* its length */
	size_t close;		/* offset of an object's final '}' (where a
				 * key can be added), SIZE_MAX if the record
				 * is not an object */
	int empty_object;	/* the object has no members */
	uint64_t line;		/* line of its first byte */
	int whole_unit;		/* the record is the unit's whole value
				 * (a JSON Lines line) */
} cot_record_span;
/* Returns COT_OK, or COT_EINVAL when i >= cot_unit_records(u) (*out
 * is then zeroed). */
COT_API COT_NODISCARD int cot_unit_record(cot_record_span *out,
					  const cot_unit *u, size_t i,
					  cot_error *err);

/* A copy of u that outlives the reader's next call, for handing units to
 * other threads: cot_analyze_unit works on it as on the original (no
 * re-parsing). One allocation; free it with cot_unit_free. Returns
 * COT_OK or COT_ENOMEM. Only clones may be passed to cot_unit_free. */
COT_API COT_NODISCARD int cot_unit_clone(cot_unit **out, const cot_unit *u,
					 cot_error *err);
COT_API void cot_unit_free(cot_unit *u);

/* ------------------------------------------------------------------ */
/* Streams: the chunks of one streamed response, put back together     */

/* A streamed response told chunk by chunk (an inference server's log,
 * a JSON Lines file of chunks: cotlog annotate --stream): OpenAI-
 * compatible chat.completion.chunk objects, Anthropic Messages events,
 * OpenAI Responses events, Gemini streamGenerateContent responses, or
 * Bedrock ConverseStream events as {"contentBlockDelta": {...}}. Feed
 * every chunk of the stream in order; cot_stream_response then gives the
 * JSON of the response sent without streaming, for cot_analyze_json
 * (README "Streamed responses"). One stream per object; not shared
 * between threads. */
typedef struct cot_stream cot_stream;

COT_API COT_NODISCARD int cot_stream_new(cot_stream **out, cot_error *err);
COT_API void cot_stream_free(cot_stream *s);
/* One chunk: a JSON object. A chunk of no known provider, or of
 * another provider than the stream's first, changes nothing. Returns
 * COT_OK, COT_EPARSE (not JSON: err->column set) or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_stream_feed(cot_stream *s, const char *chunk,
					  size_t len, cot_error *err);
/* 1 when s has read the event that ends a stream: a finish reason on every
 * choice or candidate, message_stop, response.completed (or
 * .incomplete, .failed), messageStop; else 0. */
COT_API int cot_stream_ended(const cot_stream *s);
/* Append the response s stands for to out as one JSON object (its
 * finish reason null when the stream has not ended); nothing when s
 * has read no chunk of a known provider. COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_stream_response(cot_buf *out, cot_stream *s,
					      cot_error *err);
/* The stream a chunk belongs to, as the chunk names it: "id" (chat),
 * "responseId" (Gemini), message.id (Anthropic message_start),
 * response.id (Responses response.* events), appended to out as its
 * JSON text; nothing when the chunk names none (later events of
 * Anthropic, Responses and Bedrock belong to the stream that started
 * last). COT_OK, COT_EPARSE or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_stream_id(cot_buf *out, const char *chunk,
					size_t len, cot_error *err);

/* ------------------------------------------------------------------ */
/* Results: per-thread workspace holding the profiles of one record      */

typedef struct cot_result cot_result;

COT_API COT_NODISCARD int cot_result_new(cot_result **out,
					 const cot_analyzer *az,
					 cot_error *err);
COT_API void cot_result_free(cot_result *res);

/* Analyze record i of a unit (no re-parsing). Replaces the previous
 * contents of res. Returns COT_OK (cot_result_traces may be 0: a record
 * with no trace is not an error), COT_EINVAL (i out of range or the unit
 * is not well-formed), COT_ENOMEM. res keeps borrowed pointers into the
 * unit: read res before the next cot_reader_next. */
COT_API COT_NODISCARD int cot_analyze_unit(cot_result *res,
					   const cot_unit *u, size_t i,
					   cot_error *err);
/* Parse and analyze one JSON value (an object, array or string).
 * The bytes are borrowed until the next analysis. Returns COT_OK,
 * COT_EPARSE (err->column = byte in json), COT_ENOMEM. */
COT_API COT_NODISCARD int cot_analyze_json(cot_result *res, const char *json,
					   size_t len, cot_error *err);

/* What the caller knows about a completion text that a record would
 * otherwise say: for a reward function, which holds one completion and
 * its reference answer. Start from COT_TEXT_OPTIONS_INIT. */
#define COT_TEXT_OPTIONS_VERSION 1

/* Bytes that are not UTF-8 (a completion cut inside a character) are
 * read as U+FFFD, as Python's bytes.decode("utf-8", "replace") reads
 * them (one U+FFFD per maximal ill-formed subsequence), instead of
 * failing with COT_EINVAL. */
#define COT_TEXT_REPLACE_INVALID 1u

typedef struct cot_text_options {
	unsigned int version;	/* COT_TEXT_OPTIONS_VERSION */
	/* NUL-terminated UTF-8, or NULL for "not known" */
	const char *ref;	/* the reference answer: gives `ref`,
				 * `ref_normalized`, `correct`,
				 * `efficiency` */
	const char *finish_reason;	/* as the API said it ("stop",
					 * "length", ...): gives `finish`
					 * and the status rules using it */
	const char *model;	/* gives `model` */
	unsigned int flags;	/* COT_TEXT_REPLACE_INVALID */
} cot_text_options;

#define COT_TEXT_OPTIONS_INIT \
	{ COT_TEXT_OPTIONS_VERSION, NULL, NULL, NULL, 0 }

/* Analyze a raw completion text (reasoning and answer found by tags;
 * with no marker the text is the reasoning unless the analyzer says
 * COT_UNTAGGED_ANSWER), as the record `{"text": ...}` with the options'
 * reference, finish reason and model would be. opts may be NULL (none
 * known). Always yields exactly one trace, of format "string".
 * The text is borrowed until the next analysis (a copy is made only
 * when invalid bytes are replaced). Returns COT_OK, COT_EINVAL (the
 * text, or a string of opts, is not valid UTF-8 and
 * COT_TEXT_REPLACE_INVALID is not set: err->column is the 1-based byte
 * where it goes wrong, and the message says which string; or an
 * unknown options version), COT_ENOMEM. */
COT_API COT_NODISCARD int cot_analyze_text(cot_result *res, const char *text,
					   size_t len,
					   const cot_text_options *opts,
					   cot_error *err);

/* Compute only what these fields need (indexes from cot_field_find),
 * from the next analysis on: the core pass, the passes that fill them,
 * and the passes that make what those read (a field's value is the
 * same however it is asked for); every other field then reads as null
 * (and is written as null in JSON). fields == NULL asks for everything again (the default).
 * Returns COT_OK or COT_EINVAL (an index out of range). */
COT_API COT_NODISCARD int cot_result_need(cot_result *res,
					  const size_t *fields, size_t n,
					  cot_error *err);
/* Like cot_result_need, and the JSON profiles (cot_result_json,
 * cot_result_profile_json) then hold only these fields, in registry
 * order, each once, nested as usual: a smaller profile, and only the
 * passes it needs run. fields == NULL: every field again (the default).
 * Returns COT_OK, COT_EINVAL (an index out of range) or COT_ENOMEM
 * (the selection in force stays). */
COT_API COT_NODISCARD int cot_result_select(cot_result *res,
					    const size_t *fields, size_t n,
					    cot_error *err);

/* Number of traces found by the last analysis. */
COT_API size_t cot_result_traces(const cot_result *res);
/* Number of assistant turns of the last record analysed that held tool
 * calls and nothing else (no reasoning, not even redacted, and no text):
 * no trace is made of them (README "Tool calls"). */
COT_API size_t cot_result_tool_only(const cot_result *res);
/* The reasoning / answer text of trace i (decoded UTF-8, may hold NUL
 * bytes, not NUL-terminated), borrowed until the next analysis. NULL with
 * *len = 0 when i is out of range. */
COT_API const char *cot_result_reasoning(const cot_result *res, size_t i,
					 size_t *len);
COT_API const char *cot_result_answer(const cot_result *res, size_t i,
				      size_t *len);

/* ------------------------------------------------------------------ */
/* Fields: the registry of every profile field                          */

typedef enum cot_type {
	COT_TYPE_NULL = 0,
	COT_TYPE_BOOL,
	COT_TYPE_INT,
	COT_TYPE_REAL,
	COT_TYPE_STRING,
	COT_TYPE_JSON,		/* a list or object, as compact JSON text */
} cot_type;

typedef struct cot_value {
	cot_type type;		/* COT_TYPE_NULL when the field has no value */
	int b;			/* BOOL */
	int64_t i;		/* INT */
	double r;		/* REAL */
	const char *s;		/* STRING (UTF-8) or JSON text, with its length;
				 * NUL-terminated; borrowed until the next
				 * analysis with the result it came from */
	size_t len;
} cot_value;

typedef struct cot_field_info {
	const char *name;	/* dotted, stable: "think.words" */
	cot_type type;		/* the type of a non-null value */
	const char *unit;	/* "bytes", "words", "" ... */
	const char *doc;	/* one-line exact definition */
} cot_field_info;

/* The registry of an analyzer, in output order: every field any
 * analyzer has (the same indexes in all of them), then the fields its
 * options added (user patterns). az may be NULL: then only the fields
 * every analyzer has. cot_field_at returns NULL past the end. */
COT_API size_t cot_field_count(const cot_analyzer *az);
COT_API const cot_field_info *cot_field_at(const cot_analyzer *az,
					   size_t i);
/* The index of the field called name ("think.words") in *out.
 * Returns COT_OK, or COT_EINVAL when az has no such field. */
COT_API COT_NODISCARD int cot_field_find(size_t *out, const cot_analyzer *az,
					 const char *name, cot_error *err);

/* The fields a list names: names and shell patterns (fnmatch(3)),
 * comma-separated ("think.*,closed", "families.*.count"), as --fields
 * takes them. Writes the registry indexes of the fields chosen,
 * ascending and each once, to out (room for cot_field_count(az) of
 * them) and their number to *n. With COT_FIELDS_SCALAR a pattern passes
 * over list fields and a list named outright is an error. Returns
 * COT_OK; COT_EINVAL when a name or pattern matches no field (err names
 * it) or names a list under COT_FIELDS_SCALAR; COT_ENOMEM. */
#define COT_FIELDS_SCALAR 1u
COT_API COT_NODISCARD int cot_fields_match(size_t *out, size_t *n,
					   const cot_analyzer *az,
					   const char *list, unsigned flags,
					   cot_error *err);

/* Value of field `field` (an index from cot_field_find) for trace i of
 * the last analysis. A string or JSON text in *out stays valid until
 * the next analysis with res, however many other values are read in
 * between. Returns COT_OK, COT_EINVAL (i or field out of range),
 * COT_ENOMEM. */
COT_API COT_NODISCARD int cot_result_get(cot_value *out, cot_result *res,
					 size_t i, size_t field,
					 cot_error *err);

/* Append the profile of trace i as one line of compact JSON (no line
 * break) to out. Returns COT_OK, COT_EINVAL (i out of range),
 * COT_ENOMEM. */
COT_API COT_NODISCARD int cot_result_profile_json(cot_buf *out,
						  const cot_result *res,
						  size_t i, cot_error *err);
/* Append the profiles of all traces as a JSON array: "[P0,P1,...]".
 * Returns COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_result_json(cot_buf *out,
					  const cot_result *res,
					  cot_error *err);

/* ------------------------------------------------------------------ */
/* Expressions: --where conditions and --by keys over profile fields    */

/* An expression over the fields of one trace (see the README,
 * "Expressions", for the grammar): `closed && !loop.tail && think.words
 * < 8000`, `rec.model == "deepseek-r1"`, `status in ["complete"]`,
 * `lower(format) =~ "^openai"`. Field names are checked against the
 * analyzer's registry and types are checked when compiling; `rec.PATH`
 * reads the record's own JSON at evaluation time.
 * Thread-safety: an expression keeps its evaluation stack inside, so
 * each thread compiles its own (compiling is cheap). */
typedef struct cot_expr cot_expr;

/* Compile src for analyzer az (its fields). Returns COT_OK,
 * COT_EEXPR (a syntax error, unknown field or function, or type
 * mismatch, or a regex literal that does not compile: err->column is
 * the 1-based byte of src where it is, the message says what),
 * COT_ENOMEM. */
COT_API COT_NODISCARD int cot_expr_compile(cot_expr **out,
					   const cot_analyzer *az,
					   const char *src, cot_error *err);
COT_API void cot_expr_free(cot_expr *e);

/* The type of the expression's value when it is known before running
 * (COT_TYPE_BOOL for a condition); COT_TYPE_NULL when it depends on
 * the record (a bare rec.PATH). */
COT_API cot_type cot_expr_type(const cot_expr *e);

/* The fields e reads (their cot_field_find indexes, each once), for
 * cot_result_need. Writes at most max of them to out (out may be NULL)
 * and returns how many there are. */
COT_API size_t cot_expr_fields(size_t *out, size_t max, const cot_expr *e);

/* Evaluate on trace i of the last analysis in res, or, with
 * i == COT_NO_TRACE, on the record alone (every trace field is null;
 * rec.PATH still reads the record). Strings in *out are borrowed until
 * the next evaluation or analysis. Allocates nothing once warm.
 * Returns COT_OK, or COT_EINVAL with err saying what went wrong in this
 * record (a value of the wrong type from rec.PATH: column and message
 * as for compile errors). */
#define COT_NO_TRACE ((size_t)-1)
COT_API COT_NODISCARD int cot_expr_eval(cot_value *out, cot_expr *e,
					cot_result *res, size_t i,
					cot_error *err);

/* ------------------------------------------------------------------ */
/* Steps and patterns                                                   */

/* Units of a reasoning text (README "Segmentation"): paragraphs (the
 * `steps` of the profile), sentences, or thoughts (runs of paragraphs,
 * a new one at each paragraph that opens with a switch marker). */
typedef enum cot_by {
	COT_BY_PARAGRAPH = 0,
	COT_BY_SENTENCE,
	COT_BY_THOUGHT,
} cot_by;

/* Step functions: the Thought Anchors taxonomy, assigned by a
 * rule-based lexical classifier (README "Step functions"), which
 * approximates what the paper did with a language model. */
typedef enum cot_function {
	COT_FN_PROBLEM_SETUP = 0,
	COT_FN_PLAN_GENERATION,
	COT_FN_FACT_RETRIEVAL,
	COT_FN_ACTIVE_COMPUTATION,
	COT_FN_RESULT_CONSOLIDATION,
	COT_FN_UNCERTAINTY_MANAGEMENT,
	COT_FN_SELF_CHECKING,
	COT_FN_FINAL_ANSWER_EMISSION,
	COT_FN_UNKNOWN,
} cot_function;
#define COT_FN_COUNT 9

/* The label of a step function ("problem_setup", ...), a static
 * string; NULL for a value out of range. */
COT_API const char *cot_function_name(int fn);

/* One unit of a trace's reasoning, copied out by cot_result_step. */
typedef struct cot_step {
	size_t start;		/* byte offset into the reasoning */
	size_t end;		/* exclusive */
	size_t words;		/* White_Space-separated words in it */
	int function;		/* a cot_function */
	const char *label;	/* cot_function_name(function) */
	size_t paragraph;	/* index of the paragraph holding start */
	size_t thought;		/* index of the thought holding start */
} cot_step;

/* The units of trace i of the last analysis in res, in text order:
 * non-empty, disjoint, each beginning and ending with a character that
 * is not White_Space, and only White_Space between and around them.
 * cot_result_step_count gives how many there are (0 for empty
 * reasoning, when i or by is out of range, and when cot_result_need
 * left out every step field); cot_result_step copies
 * unit k (from 0) into *out. Labels come from the same classifier as
 * the profile's `functions.*` (which labels paragraphs); the labels of
 * sentences and thoughts are made inside res on the first call that
 * needs them, so these calls, const as they are, must not run on one
 * result from two threads at once (no use of a result may).
 * cot_result_step returns COT_OK or COT_EINVAL (i, k or by out of
 * range; *out is then zeroed). */
COT_API size_t cot_result_step_count(const cot_result *res, size_t i,
				     cot_by by);
COT_API COT_NODISCARD int cot_result_step(cot_step *out,
					  const cot_result *res, size_t i,
					  cot_by by, size_t k,
					  cot_error *err);

/* Why unit k of mode by in trace i got its label: *rule is the rule of
 * the classifier that decided it (README "Step functions": "boxed",
 * "computational", "recall", ...; "none" for unknown), a static
 * string; *confidence is that rule's precision on
 * the development set (the share of the annotated sentences it decided
 * on which the annotator gave the same label; per paragraph for
 * paragraphs and thoughts), from 0 to 1, 0 for "none". Either pointer
 * may be NULL. Returns COT_OK or COT_EINVAL (i, k or by out of range;
 * then *rule is NULL and *confidence 0). */
COT_API COT_NODISCARD int cot_result_step_rule(const cot_result *res,
					       size_t i, cot_by by, size_t k,
					       const char **rule,
					       double *confidence,
					       cot_error *err);

/* One match of a pattern in the reasoning, copied out by
 * cot_result_hit. */
typedef struct cot_hit {
	size_t pattern;		/* index for cot_pattern_at */
	size_t off;		/* byte offset into the reasoning */
	size_t len;		/* bytes */
} cot_hit;

/* The pattern matches in trace i's reasoning, sorted by offset, then
 * pattern; per pattern the matches do not overlap (README "Patterns").
 * cot_result_hit_count gives how many (0 when i is out of range, or
 * when cot_result_need left out every pattern field);
 * cot_result_hit copies match k into *out and returns COT_OK or
 * COT_EINVAL (i or k out of range; *out is then zeroed). The analysis
 * keeps only the matches' statistics (a dense trace has more matches
 * than bytes): the first cot_result_hit of a trace finds them again,
 * kept until the next analysis, and may then return COT_ENOMEM. */
COT_API size_t cot_result_hit_count(const cot_result *res, size_t i);
COT_API COT_NODISCARD int cot_result_hit(cot_hit *out, const cot_result *res,
					 size_t i, size_t k, cot_error *err);

/* The patterns in force in an analyzer (built-in lexicons and the
 * options' user patterns), in the order of the profile's
 * `patterns.NAME` objects. */
typedef struct cot_pattern_info {
	const char *name;	/* [A-Za-z0-9_]+ */
	const char *family;	/* the family it counts towards */
	const char *source;	/* where it comes from: a citation for the
				 * built-in ones, "FILE:LINE" or "--pattern"
				 * for user patterns */
	const char *regex;	/* the regex matched (PCRE2 syntax, caseless,
				 * UTF and UCP, multiline) */
	const char *phrases;	/* built-in: the literal phrases the regex
				 * was made from, '|'-separated; NULL for
				 * user patterns */
	size_t family_index;	/* for cot_family_at */
	int full_scan;		/* 1: no literal prefix, so the pattern is
				 * run over the whole text (slower) */
} cot_pattern_info;

typedef struct cot_family_info {
	const char *name;
	const char *source;
	size_t patterns;	/* how many patterns count towards it */
} cot_family_info;

/* Counts and entries; az may not be NULL. cot_pattern_at and
 * cot_family_at return NULL past the end; the pointers live as long as
 * az. Thread-safe (az is read-only). */
COT_API size_t cot_pattern_count(const cot_analyzer *az);
COT_API const cot_pattern_info *cot_pattern_at(const cot_analyzer *az,
					       size_t i);
COT_API size_t cot_family_count(const cot_analyzer *az);
COT_API const cot_family_info *cot_family_at(const cot_analyzer *az,
					     size_t i);

/* ------------------------------------------------------------------ */
/* Format rewards and repetition, without a result                     */

/* The format rewards of huggingface/open-r1 (src/open_r1/rewards.py) and
 * huggingface/trl (trl/rewards/format_rewards.py), on a raw completion
 * text (the assistant message's content, tags included): the same value
 * the Python function gives for that content, for any bytes (README,
 * "Format checks"). Pure: no allocation, no error, thread-safe.
 * - cot_format_reward: open-r1 format_reward, the R1-Zero strict format
 *   re.match(r"^<think>\n.*?\n</think>\n<answer>\n.*?\n</answer>$",
 *   text, re.DOTALL | re.MULTILINE): 1.0 or 0.0.
 * - cot_tag_count_reward: open-r1 tag_count_reward: 0.25 for each of
 *   "<think>\n", "\n</think>\n", "\n<answer>\n", "\n</answer>"
 *   occurring exactly once: 0.0 to 1.0.
 * - cot_think_format_reward: TRL think_format_reward, one think block
 *   r"^<think>(?!.*<think>)(.*?)</think>.*$": 1.0 or 0.0. A completion
 *   whose <think> the chat template prefilled scores 0; score "<think>"
 *   followed by the text for the prefilled reading. */
COT_API double cot_format_reward(const char *text, size_t len);
COT_API double cot_tag_count_reward(const char *text, size_t len);
COT_API double cot_think_format_reward(const char *text, size_t len);

/* open-r1's repetition ratio of text (get_repetition_penalty_reward
 * before its scaling): 1 - unique/total over the word n-grams of
 * text.lower().split(), 0.0 when text has fewer than n words. The
 * reward is *out times max_penalty. Words and lower-casing follow
 * Python 3 exactly except the final-sigma rule (README, "Repetition").
 * text may be any bytes; invalid UTF-8 bytes are characters of their
 * own. Allocates its workspace and frees it before returning;
 * thread-safe. Returns COT_OK, COT_EINVAL (n is 0 or above 64; *out is
 * 0), COT_ENOMEM. */
COT_API COT_NODISCARD int cot_repetition_ratio(double *out, const char *text,
					       size_t len, unsigned n,
					       cot_error *err);

/* ------------------------------------------------------------------ */
/* Statistics: summaries of profile fields, exact and mergeable         */

/* A summary holds, for all the traces added and for each group of a
 * `by` key, the counts (records, traces, records with no trace,
 * malformed lines) and per field:
 *   int, real   values, nonzero values, exact sum and sum of squares,
 *               exact min and max, and a quantile sketch (relative
 *               error at most 1/129 for every quantile);
 *   bool        true and false counts;
 *   string      values, and the count of each distinct value while
 *               there are at most COT_SUMMARY_MAX_VALUES of at most
 *               COT_SUMMARY_MAX_VALUE_LEN bytes.
 * List fields are not summarized; null values are not counted.
 *
 * Summaries merge exactly: merging the summaries of any split of the
 * input, in any order, gives the summary of the whole input and the
 * same rendered bytes. A partial is the whole state as one line of
 * JSON, to merge on another machine or later (`cotlog stats --partial`
 * and `--merge` write and read the same lines).
 *
 * Thread-safety: a summary belongs to one thread at a time. For N
 * threads, give each its own (cot_summary_new_like) and merge them.
 * Errors: a call that returns COT_ENOMEM has left the summary
 * incomplete; every later call on it returns COT_ENOMEM again, and it
 * can only be freed. */
typedef struct cot_summary cot_summary;

#define COT_SUMMARY_MAX_VALUES 64
#define COT_SUMMARY_MAX_VALUE_LEN 256
#define COT_SUMMARY_MAX_GROUPS 1000	/* max_groups by default */
/* Separates the keys of cot_summary_options.by: the ASCII unit
 * separator, a byte no key may hold. */
#define COT_SUMMARY_KEY_SEP "\x1f"

typedef struct cot_summary_options {
	/* The fields to summarize: names and shell patterns (fnmatch(3)),
	 * comma-separated (`think.*,closed`, `families.*.count`); a
	 * pattern passes over lists, a list named outright is an error.
	 * NULL: every field that is not a list. */
	const char *fields;
	/* The groups: NULL for none; else one key or several separated
	 * by COT_SUMMARY_KEY_SEP ("rec.model\x1f" "rec.type"), each
	 * "file" (the file name given to cot_summary_add) or an
	 * expression (cot_expr_compile), evaluated on each trace (on the
	 * record alone when it has no trace). With one key, a group's key
	 * is its value as canonical JSON text, and its name for people
	 * that value (a string without quotes). With several, the key is
	 * the JSON list of the values ("[\"m\",\"qa\"]"), the name
	 * their names joined by " \xC3\x97 " (U+00D7, the multiplication
	 * sign, between spaces, in UTF-8), and groups
	 * sort by the first key's value, then the next's; malformed lines
	 * then have no group (only by "file" alone gives them one). An
	 * expression holding the separator byte cannot be given. */
	const char *by;
	/* The analyzer options that change what fields mean, as text:
	 * summaries merge only when theirs are equal. NULL: "". */
	const char *analysis;
	/* At most this many groups (0: COT_SUMMARY_MAX_GROUPS), so that a
	 * key with a value per record cannot eat the machine. */
	size_t max_groups;
} cot_summary_options;

/* An empty summary of the fields of az that o chooses (o may be NULL:
 * every field, no groups). az must outlive the summary. Returns COT_OK;
 * COT_EINVAL when a name of o->fields matches no field or names a list
 * (err says which); COT_EEXPR when a key of o->by does not compile, or
 * of several keys one is empty (err->column is the 1-based byte of
 * o->by where, counted from the start of the whole of o->by); COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_new(cot_summary **out,
					  const cot_analyzer *az,
					  const cot_summary_options *o,
					  cot_error *err);
/* An empty summary with the same fields, groups, analysis and
 * max_groups as s (for another thread, or to merge into). One made
 * like a summary read from a partial takes no records, only merges.
 * Returns COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_new_like(cot_summary **out,
					       const cot_summary *s,
					       cot_error *err);
COT_API void cot_summary_free(cot_summary *s);

/* The fields s summarizes and its `by` expressions read, as registry
 * indexes (cot_field_find), for cot_result_need: only their analysis
 * needs to run. Writes at most max of them to out (out may be NULL) and
 * returns how many there are. */
COT_API size_t cot_summary_fields(const cot_summary *s, size_t *out,
				  size_t max);

/* Add the record res analyzed last: each of its traces to the total and
 * to the group of its key, or, when it has none, the record alone. file
 * names its input (the key with by "file"; NULL: ""). Returns COT_OK;
 * COT_EEXPR when the by expression failed on a trace (err says why;
 * that trace is in the total only, the others are added); COT_ELIMIT
 * when a new group would pass max_groups (the trace is in the total
 * only); COT_EINVAL when s was read from a partial; COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_add(cot_summary *s, cot_result *res,
					  const char *file, cot_error *err);
/* Count n malformed lines (or broken documents) of file (NULL: "").
 * Returns COT_OK, COT_ELIMIT (with by "file", past max_groups: counted
 * in the total only) or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_add_malformed(cot_summary *s,
						    const char *file,
						    uint64_t n,
						    cot_error *err);

/* Add src into dst. Returns COT_OK; COT_EINVAL when they do not hold
 * the same fields, groups and analysis, or their counts together would
 * pass 2^63 - 1 (dst unchanged); COT_ELIMIT when the groups pass dst's
 * max_groups; COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_merge(cot_summary *dst,
					    const cot_summary *src,
					    cot_error *err);

/* Append the partial of s to out: one line of JSON ending in "\n".
 * Returns COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_write_partial(cot_buf *out,
						    cot_summary *s,
						    cot_error *err);
/* Read one partial, text[0..len) (white space around it is allowed),
 * into a summary that holds at most max_groups groups (0: the default,
 * COT_SUMMARY_MAX_GROUPS), then and when merged into. Returns COT_OK;
 * COT_EPARSE when it is not a partial, is damaged, or is of a format
 * this version does not read (err says which); COT_ELIMIT past
 * max_groups groups; COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_read_partial(cot_summary **out,
						   const char *text,
						   size_t len,
						   size_t max_groups,
						   cot_error *err);

typedef enum cot_summary_format {
	COT_SUMMARY_TABLE,	/* for people: tables and sparklines */
	COT_SUMMARY_JSON,	/* one JSON object and a line break */
	COT_SUMMARY_TSV,	/* rows of group, field, stat, value */
} cot_summary_format;

/* Append s rendered as format to out (see the README, "Statistics",
 * for each format). fields chooses what is shown, as for
 * cot_summary_options (NULL: for the table the main fields, for JSON
 * and TSV every field summarized); width is the table's width in
 * columns (0: 100). The table quotes values of the records (models,
 * group keys) as they are: a caller writing it to a terminal removes
 * control characters. Returns COT_OK; COT_EINVAL when a name of fields
 * is not summarized; COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_render(cot_buf *out, cot_summary *s,
					     cot_summary_format format,
					     const char *fields, int width,
					     cot_error *err);

/* Append the comparison of s's groups rendered as format to out: each
 * group against a baseline, the group whose name (as the table and
 * TSV write it, the values joined by " \xC3\x97 " with several keys) is
 * baseline, or with baseline NULL the first group in order. For each
 * field fields chooses (as for cot_summary_render), the difference,
 * group minus baseline, with a 95% confidence interval:
 *   int, real  of the means, by Welch's t interval with the degrees of
 *              freedom of Satterthwaite (Welch 1947, Biometrika 34:28):
 *              d = m1 - m2, se^2 = v1/n1 + v2/n2 (v: sample variances),
 *              df = se^4 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1)),
 *              d -+ t(0.975, df) se; both groups need 2 values or more;
 *              when both variances are 0 the interval is [d, d];
 *   bool       of the rates of true, by Newcombe's hybrid score
 *              interval (Newcombe 1998, Statistics in Medicine 17:873,
 *              method 10): with Wilson's score intervals [l1, u1] of
 *              p1 and [l2, u2] of p2 (z = 1.959964), d = p1 - p2,
 *              lo = d - sqrt((p1-l1)^2 + (u2-p2)^2),
 *              hi = d + sqrt((u1-p1)^2 + (p2-l2)^2);
 *   string     not compared.
 * The README ("Statistics") shows each format. It is computed from the
 * summary alone: merged partials give the bytes of one run. Returns
 * COT_OK; COT_EINVAL when s has no by key or fewer than two groups, no
 * group is named baseline, or a name of fields is not summarized (err
 * says which); COT_ENOMEM. */
COT_API COT_NODISCARD int cot_summary_render_compare(cot_buf *out,
						     cot_summary *s,
						     cot_summary_format format,
						     const char *fields,
						     const char *baseline,
						     int width,
						     cot_error *err);

/* The counts of the total. no_trace: records without a trace, except
 * tool_only: records without a trace whose assistant turns held tool
 * calls only (cot_result_tool_only). by_errors: traces (and records
 * without one) whose by key failed. */
typedef struct cot_summary_counts {
	uint64_t records, traces, no_trace, malformed, by_errors;
	uint64_t tool_only;
} cot_summary_counts;
COT_API void cot_summary_counts_of(const cot_summary *s,
				   cot_summary_counts *out);
/* The number of groups. */
COT_API size_t cot_summary_groups(const cot_summary *s);

/* ------------------------------------------------------------------ */
/* Reports: one self-contained HTML page over a whole input            */

/* A report gathers, in one streaming pass with bounded memory, what the
 * page `cotlog report` writes shows (README "Report"): a summary of the
 * fields it draws (per group of a `by` key, as cot_summary), per group
 * histograms of positions in the trace and accuracy by length, and a
 * bounded sample of traces for its viewer, each rendered when chosen.
 * Memory: the summary's, plus per group a few kilobytes, plus the
 * views of at most `traces` traces, each under 1.2 MiB (of a longer
 * reasoning the first 64 KiB and the last 32 KiB are shown). Reports merge
 * exactly (the traces chosen do not depend on how the input was split),
 * so N threads each fill their own (cot_report_new_like) and merge.
 * A report belongs to one thread at a time. Errors as for summaries: a
 * call that returned COT_ENOMEM leaves the report incomplete, and every
 * later call returns COT_ENOMEM. */
typedef struct cot_report cot_report;

#define COT_REPORT_OPTIONS_VERSION 1
#define COT_REPORT_TRACES_DEFAULT 70

typedef struct cot_report_options {
	unsigned int version;	/* COT_REPORT_OPTIONS_VERSION */
	const char *by;		/* the groups, as cot_summary_options.by */
	size_t max_groups;	/* 0: COT_SUMMARY_MAX_GROUPS */
	/* The viewer's traces at most (0: COT_REPORT_TRACES_DEFAULT),
	 * shared evenly by the reasons a trace is shown for (loops, the
	 * most repetitive, the most mixed scripts, the cut-off, the answer
	 * found earliest, the longest, a random sample) */
	size_t traces;
	const char *title;	/* the page's title; NULL: "cotlog report" */
	const char *analysis;	/* as cot_summary_options.analysis */
} cot_report_options;

#define COT_REPORT_OPTIONS_INIT \
	{ COT_REPORT_OPTIONS_VERSION, NULL, 0, 0, NULL, NULL }

/* An empty report over the fields of az (which must outlive it).
 * Returns COT_OK; COT_EINVAL (unknown options version); COT_EEXPR (by
 * does not compile: err->column says where); COT_ENOMEM. */
COT_API COT_NODISCARD int cot_report_new(cot_report **out,
					 const cot_analyzer *az,
					 const cot_report_options *o,
					 cot_error *err);
/* An empty report with the same options, to fill on another thread and
 * merge. COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_report_new_like(cot_report **out,
					      const cot_report *r,
					      cot_error *err);
COT_API void cot_report_free(cot_report *r);
/* The fields the report reads, for cot_result_need (as
 * cot_summary_fields). */
COT_API size_t cot_report_fields(const cot_report *r, size_t *out,
				 size_t max);
/* Add the record res analyzed last (every analysis it reads must have
 * run: see cot_report_fields), read from line `line` of file (NULL:
 * ""). Returns as cot_summary_add. */
COT_API COT_NODISCARD int cot_report_add(cot_report *r, cot_result *res,
					 const char *file, uint64_t line,
					 cot_error *err);
COT_API COT_NODISCARD int cot_report_add_malformed(cot_report *r,
						   const char *file,
						   uint64_t n,
						   cot_error *err);
/* Add src into dst (src is unchanged). Returns as cot_summary_merge. */
COT_API COT_NODISCARD int cot_report_merge(cot_report *dst,
					   const cot_report *src,
					   cot_error *err);
/* Append the page to out: one HTML5 document, its styles, script and
 * charts inline, that loads nothing else. COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_report_render(cot_buf *out, cot_report *r,
					    cot_error *err);

/* ------------------------------------------------------------------ */
/* Answers, without a result                                          */

/* Answers, as the profile fields answer_normalized and correct judge
 * them (see the README, "Answers"), for callers that grade in their own
 * hot path (a reward function) with the same rules as the profiles.
 * Both functions keep no state and may be called from any thread. */

/* Normalise the answer text s[0..len) (UTF-8) and append the result to
 * out (NUL-terminated; the caller owns out and releases it with
 * cot_buf_dispose). Returns COT_OK or COT_ENOMEM (out unchanged). */
COT_API COT_NODISCARD int cot_answer_normalize(cot_buf *out, const char *s,
					       size_t len, cot_error *err);

/* Whether the answers a[0..alen) and b[0..blen) are equal by the rules of
 * the field `correct`: both are normalised, then compared (the same
 * string; numbers within 1e-6 relative; a/b, \frac{a}{b} and decimals;
 * tuples, intervals, sets and matrices element by element; "x=5" and 5).
 * Symmetric. *equal is set to 1 (equal) or 0 (not equal, and on
 * failure). Returns COT_OK or COT_ENOMEM. */
COT_API COT_NODISCARD int cot_answer_equal(int *equal, const char *a,
					   size_t alen, const char *b,
					   size_t blen, cot_error *err);

#ifdef __cplusplus
}
#endif

#endif
