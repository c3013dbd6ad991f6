/* test_adapt.c - from a record to traces (SPEC 2), through the public API. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cotlog.h"
#include "corpus.h"
#include "base/internal.h"	/* cot__alloc_fail_after, for the OOM loop */
#include "util.h"

/* ------------------------------------------------------------------ */
/* Fixture and helpers */

/* The records below are written with ' for " so that they stay
 * readable; J() turns them into JSON. No record text needs a real '. */
typedef struct fx {
	cot_analyzer *az;
	cot_result *res;
	char *json;	/* the text last analysed (borrowed by res) */
} fx;

static int fx_setup(void **state)
{
	fx *f = calloc(1, sizeof *f);

	if (!f || cot_analyzer_new(&f->az, NULL, NULL) ||
	    cot_result_new(&f->res, f->az, NULL))
		return -1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	fx *f = *state;

	cot_result_free(f->res);
	cot_analyzer_free(f->az);
	free(f->json);
	free(f);
	return 0;
}

/* A copy of s with ' turned into ", in a buffer of exactly its size
 * (no NUL after it), so that ASan sees any read past the end. */
static char *J(const char *s, size_t *n)
{
	char *p;

	*n = strlen(s);
	p = malloc(*n ? *n : 1);
	assert_non_null(p);
	for (size_t i = 0; i < *n; i++)
		p[i] = s[i] == '\'' ? '"' : s[i];
	return p;
}

/* Analyse record s with res; the copy lives in *keep until the next
 * call (the result borrows it). */
static cot_result *analyze_with(cot_result *res, char **keep, const char *s)
{
	cot_error err;
	size_t n;
	char *p = J(s, &n);

	free(*keep);
	*keep = p;
	if (cot_analyze_json(res, p, n, &err) != COT_OK) {
		print_error("analysis failed: %s\n  record: %s\n", err.message,
			    s);
		fail();
	}
	return res;
}

static cot_result *run(void **state, const char *s)
{
	fx *f = *state;

	return analyze_with(f->res, &f->json, s);
}

/* The same with an analyzer built from opts (freed at teardown of the
 * returned fixture: call done()). */
static fx *with_opts(const cot_analyzer_options *o)
{
	fx *f = calloc(1, sizeof *f);
	cot_error err;

	assert_non_null(f);
	if (cot_analyzer_new(&f->az, o, &err) != COT_OK) {
		print_error("analyzer: %s\n", err.message);
		fail();
	}
	assert_int_equal(cot_result_new(&f->res, f->az, &err), COT_OK);
	return f;
}

static void done(fx *f)
{
	void *st = f;

	fx_teardown(&st);
}

static void show(const char *what, const char *p, size_t n)
{
	size_t i;

	print_error("  %s (%zu bytes): \"", what, n);
	for (i = 0; p && i < n && i < 400; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			print_error("%c", c);
		else
			print_error("\\x%02x", c);
	}
	print_error("%s\"\n", i < n ? "..." : "");
}

static void same_bytes(const char *what, size_t i, const char *got,
		       size_t gn, const char *want, size_t wn)
{
	if (gn == wn && (wn == 0 || memcmp(got, want, wn) == 0))
		return;
	print_error("trace %zu: %s differs\n", i, what);
	show("got ", got, gn);
	show("want", want, wn);
	fail();
}

/* Reasoning and answer of trace i, exactly. */
static void want_textn(cot_result *r, size_t i, const char *think,
		       size_t tn, const char *answer, size_t an)
{
	size_t n;
	const char *p;

	assert_true(i < cot_result_traces(r));
	p = cot_result_reasoning(r, i, &n);
	assert_non_null(p);
	same_bytes("reasoning", i, p, n, think, tn);
	p = cot_result_answer(r, i, &n);
	assert_non_null(p);
	same_bytes("answer", i, p, n, answer, an);
}

static void want_text(cot_result *r, size_t i, const char *think,
		      const char *answer)
{
	want_textn(r, i, think, strlen(think), answer, strlen(answer));
}

static cot_value field(cot_result *r, size_t i, const char *name)
{
	long f = field_id(NULL, name);
	cot_value v;

	if (f < 0) {
		print_error("no field %s\n", name);
		fail();
	}
	assert_int_equal(cot_result_get(&v, r, i, f, NULL), COT_OK);
	return v;
}

/* want NULL: the field is null. */
static void want_str(cot_result *r, size_t i, const char *name,
		     const char *want)
{
	cot_value v = field(r, i, name);

	if (!want) {
		if (v.type != COT_TYPE_NULL) {
			print_error("trace %zu: %s is not null\n", i, name);
			show("got", v.s, v.len);
			fail();
		}
		return;
	}
	if (v.type != COT_TYPE_STRING) {
		print_error("trace %zu: %s is not a string (type %d), want "
			    "\"%s\"\n", i, name, (int)v.type, want);
		fail();
	}
	same_bytes(name, i, v.s, v.len, want, strlen(want));
}

/* want -1: null. */
static void want_bool(cot_result *r, size_t i, const char *name,
		      int want)
{
	cot_value v = field(r, i, name);

	if (want < 0) {
		if (v.type != COT_TYPE_NULL) {
			print_error("trace %zu: %s = %d, want null\n", i,
				    name, v.b);
			fail();
		}
		return;
	}
	if (v.type != COT_TYPE_BOOL || v.b != want) {
		print_error("trace %zu: %s: type %d value %d, want %s\n", i,
			    name, (int)v.type, v.b, want ? "true" : "false");
		fail();
	}
}

static void want_int(cot_result *r, size_t i, const char *name,
		     int64_t want)
{
	cot_value v = field(r, i, name);

	if (v.type != COT_TYPE_INT || v.i != want) {
		print_error("trace %zu: %s = %lld (type %d), want %lld\n", i,
			    name, (long long)v.i, (int)v.type,
			    (long long)want);
		fail();
	}
}

/* A trace whose reasoning came from a structured field. */
static void want_structured(cot_result *r, size_t i, const char *fmt,
			    int64_t blocks)
{
	want_str(r, i, "format", fmt);
	want_bool(r, i, "tagged", 1);
	want_bool(r, i, "closed", 1);
	want_str(r, i, "dialect", NULL);
	want_bool(r, i, "prefilled", 0);
	want_int(r, i, "think_blocks", blocks);
}

/* A trace from a text with no marker. */
static void want_untagged(cot_result *r, size_t i, const char *fmt)
{
	want_str(r, i, "format", fmt);
	want_bool(r, i, "tagged", 0);
	want_bool(r, i, "closed", 0);
	want_str(r, i, "dialect", NULL);
	want_int(r, i, "think_blocks", 0);
}

static void want_traces(cot_result *r, size_t n)
{
	if (cot_result_traces(r) != n) {
		print_error("%zu traces, want %zu\n", cot_result_traces(r),
			    n);
		fail();
	}
}

/* ------------------------------------------------------------------ */
/* OpenAI-compatible chat completions */

static void test_analyze_json_chat_reasoning_content(void **state)
{
	cot_result *r = run(state,
		"{'id':'c1','model':'deepseek-reasoner','object':"
		"'chat.completion','choices':[{'index':0,'finish_reason':"
		"'stop','message':{'role':'assistant','reasoning_content':"
		"'Compare 3 and 5. 5 wins.','content':'5 is larger.'}}],"
		"'usage':{'completion_tokens':9}}");

	want_traces(r, 1);
	want_text(r, 0, "Compare 3 and 5. 5 wins.", "5 is larger.");
	want_structured(r, 0, "openai-chat", 1);
	want_int(r, 0, "index", 0);
	want_int(r, 0, "redacted", 0);
	want_str(r, 0, "finish_reason", "stop");
	want_str(r, 0, "model", "deepseek-reasoner");
	want_str(r, 0, "ref", NULL);
	want_bool(r, 0, "label", -1);
}

static void test_analyze_json_chat_reasoning_field(void **state)
{
	cot_result *r = run(state,
		"{'model':'qwen3','choices':[{'message':{'role':'assistant',"
		"'reasoning':'Seven times six.','content':'42'},"
		"'finish_reason':'stop'}]}");

	want_traces(r, 1);
	want_text(r, 0, "Seven times six.", "42");
	want_structured(r, 0, "openai-chat", 1);
}

static void test_analyze_json_chat_reasoning_content_wins(void **state)
{
	cot_result *r = run(state,
		"{'choices':[{'message':{'role':'assistant','reasoning':"
		"'second','reasoning_content':'first','content':'a'}}]}");

	want_text(r, 0, "first", "a");
	/* an empty reasoning_content gives way to reasoning */
	r = run(state,
		"{'choices':[{'message':{'role':'assistant',"
		"'reasoning_content':'','reasoning':'used','content':'a'}}]}");
	want_text(r, 0, "used", "a");
	want_structured(r, 0, "openai-chat", 1);
}

static void test_analyze_json_chat_reasoning_details(void **state)
{
	cot_result *r = run(state,
		"{'model':'anthropic/claude','choices':[{'message':{'role':"
		"'assistant','content':'Paris.','reasoning':null,"
		"'reasoning_details':[{'type':'reasoning.text','text':"
		"'Capital of France.','format':'x','index':0},"
		"{'type':'reasoning.encrypted','data':'QUJD'},"
		"{'type':'reasoning.summary','summary':'It is Paris.'},"
		"{'type':'reasoning.text','text':'Done.'}]}}]}");

	want_traces(r, 1);
	want_text(r, 0, "Capital of France.\n\nIt is Paris.\n\nDone.",
		  "Paris.");
	want_structured(r, 0, "openai-chat", 3);
	want_int(r, 0, "redacted", 1);
}

static void test_analyze_json_chat_reasoning_beats_details(void **state)
{
	/* OpenRouter repeats the reasoning in reasoning_details: read it
	 * once, but still count what is encrypted */
	cot_result *r = run(state,
		"{'choices':[{'message':{'role':'assistant','content':'ok',"
		"'reasoning':'Summary of thought.','reasoning_details':["
		"{'type':'reasoning.summary','summary':'Summary of thought.'},"
		"{'type':'reasoning.encrypted','data':'eyJ4'}]}}]}");

	want_text(r, 0, "Summary of thought.", "ok");
	want_structured(r, 0, "openai-chat", 1);
	want_int(r, 0, "redacted", 1);
}

static void test_analyze_json_chat_several_choices(void **state)
{
	cot_result *r = run(state,
		"{'model':'m','choices':["
		"{'index':0,'finish_reason':'stop','message':{'role':"
		"'assistant','reasoning_content':'r0','content':'a0'}},"
		"{'index':1,'finish_reason':'length','message':{'role':"
		"'assistant','reasoning_content':'r1','content':null}},"
		"{'index':2,'message':{'role':'assistant','content':"
		"'<think>r2</think>a2'}}]}");

	want_traces(r, 3);
	want_text(r, 0, "r0", "a0");
	want_text(r, 1, "r1", "");
	want_text(r, 2, "r2", "a2");
	want_int(r, 0, "index", 0);
	want_int(r, 1, "index", 1);
	want_int(r, 2, "index", 2);
	want_str(r, 0, "finish_reason", "stop");
	want_str(r, 1, "finish_reason", "length");
	want_str(r, 2, "finish_reason", NULL);
	want_str(r, 2, "model", "m");
	want_str(r, 2, "dialect", "think");
}

static void test_analyze_json_chat_delta_chunk(void **state)
{
	cot_result *r = run(state,
		"{'object':'chat.completion.chunk','model':'glm','choices':"
		"[{'index':0,'delta':{'role':'assistant','content':null,"
		"'reasoning_content':'partial thought'},'finish_reason':"
		"null}]}");

	want_traces(r, 1);
	want_text(r, 0, "partial thought", "");
	want_structured(r, 0, "openai-chat", 1);
	want_str(r, 0, "finish_reason", NULL);
	want_str(r, 0, "model", "glm");
}

static void test_analyze_json_chat_content_null(void **state)
{
	cot_result *r = run(state,
		"{'choices':[{'finish_reason':'length','message':{'role':"
		"'assistant','reasoning':'Okay, 17*23 is','content':null}}]}");

	want_text(r, 0, "Okay, 17*23 is", "");
	want_structured(r, 0, "openai-chat", 1);
	want_str(r, 0, "finish_reason", "length");
	/* no reasoning and no text: still a trace, both empty; but tool
	 * calls alone are none (test_analyze_json_tool_only_turns) */
	r = run(state,
		"{'choices':[{'finish_reason':'stop','message':{'role':"
		"'assistant','content':null}}]}");
	want_traces(r, 1);
	want_text(r, 0, "", "");
	want_untagged(r, 0, "openai-chat");
}

static void test_analyze_json_chat_think_tags_in_content(void **state)
{
	cot_result *r = run(state,
		"{'choices':[{'message':{'role':'assistant','content':"
		"'<think>\\nLet me add.\\n</think>\\n\\n4'}}]}");

	want_text(r, 0, "\nLet me add.\n", "\n\n4");
	want_str(r, 0, "format", "openai-chat");
	want_str(r, 0, "dialect", "think");
	want_bool(r, 0, "tagged", 1);
	want_bool(r, 0, "closed", 1);
	want_bool(r, 0, "prefilled", 0);
	want_int(r, 0, "think_blocks", 1);
}

static void test_analyze_json_chat_close_tag_only_is_prefilled(void **state)
{
	cot_result *r = run(state,
		"{'choices':[{'message':{'role':'assistant','content':"
		"'thinking here</think>answer'}}]}");

	want_text(r, 0, "thinking here", "answer");
	want_bool(r, 0, "prefilled", 1);
	want_bool(r, 0, "closed", 1);
	/* an open tag with no close: unterminated, no answer */
	r = run(state,
		"{'choices':[{'message':{'role':'assistant','content':"
		"'<think>still going'}}]}");
	want_text(r, 0, "still going", "");
	want_bool(r, 0, "tagged", 1);
	want_bool(r, 0, "closed", 0);
}

static void test_analyze_json_chat_untagged_content_is_answer(void **state)
{
	cot_result *r = run(state,
		"{'choices':[{'message':{'role':'assistant','content':"
		"'Just the answer.'}}]}");

	want_traces(r, 1);
	want_text(r, 0, "", "Just the answer.");
	want_untagged(r, 0, "openai-chat");
}

static void test_analyze_json_chat_legacy_text_choice(void **state)
{
	/* vLLM /v1/completions: the raw output, a bare text */
	cot_result *r = run(state,
		"{'object':'text_completion','model':'r1','choices':["
		"{'index':0,'text':'plan</think>done','finish_reason':'stop'},"
		"{'index':1,'text':'no tags at all','finish_reason':"
		"'length'}]}");

	want_traces(r, 2);
	want_text(r, 0, "plan", "done");
	want_bool(r, 0, "prefilled", 1);
	want_text(r, 1, "no tags at all", "");
	want_untagged(r, 1, "openai-chat");
	want_str(r, 1, "finish_reason", "length");
	want_str(r, 1, "model", "r1");
}

static void test_analyze_json_chat_mistral_thinking_chunks(void **state)
{
	cot_result *r = run(state,
		"{'model':'magistral','choices':[{'finish_reason':'stop',"
		"'message':{'role':'assistant','content':["
		"{'type':'thinking','thinking':[{'type':'text','text':"
		"'First '},{'type':'text','text':'chunk.'}]},"
		"{'type':'text','text':'Ans'},{'type':'text','text':"
		"'wer.'}]}}]}");

	want_traces(r, 1);
	want_text(r, 0, "First chunk.", "Answer.");
	want_structured(r, 0, "openai-chat", 1);
}

static void test_analyze_json_openai_batch_wrapper(void **state)
{
	cot_result *r = run(state,
		"{'id':'batch_req_1','custom_id':'q-17','response':{"
		"'status_code':200,'request_id':'x','body':{'model':'o-mini',"
		"'choices':[{'index':0,'finish_reason':'stop','message':{"
		"'role':'assistant','reasoning_content':'Think.','content':"
		"'Answer.'}}]}},'error':null}");

	want_traces(r, 1);
	want_text(r, 0, "Think.", "Answer.");
	want_structured(r, 0, "openai-chat", 1);
	want_str(r, 0, "model", "o-mini");
	want_str(r, 0, "finish_reason", "stop");
	/* a failed request of a batch holds no trace */
	r = run(state,
		"{'id':'b2','custom_id':'q-18','response':null,'error':{"
		"'code':'server_error','message':'boom'}}");
	want_traces(r, 0);
}

static void test_analyze_json_recorded_response_body(void **state)
{
	cot_result *r = run(state,
		"{'cassette':'c.yaml','interaction':0,'method':'POST','uri':"
		"'https://api.example/v1/chat/completions','request_body':{"
		"'model':'req-model','messages':[{'role':'user','content':"
		"'hi'}]},'status':200,'content_type':'application/json',"
		"'response_body':{'model':'resp-model','choices':[{"
		"'finish_reason':'stop','message':{'role':'assistant',"
		"'reasoning_content':'R.','content':'A.'}}]}}");

	want_traces(r, 1);
	want_text(r, 0, "R.", "A.");
	want_str(r, 0, "model", "resp-model");
	want_structured(r, 0, "openai-chat", 1);
}

static void test_analyze_json_recorded_json_text_body(void **state)
{
	/* a recorder that kept the JSON body as text */
	cot_result *r = run(state,
		"{'uri':'https://bedrock/converse','content_type':"
		"'application/json','response_body':null,'response_text':"
		"'\\n {\\'output\\': {\\'message\\': {\\'role\\': "
		"\\'assistant\\', \\'content\\': [{\\'reasoningContent\\': "
		"{\\'reasoningText\\': {\\'text\\': \\'Say ok.\\'}}}, "
		"{\\'text\\': \\'ok\\'}]}}, \\'stopReason\\': "
		"\\'end_turn\\'}'}");

	want_traces(r, 1);
	want_text(r, 0, "Say ok.", "ok");
	want_structured(r, 0, "bedrock", 1);
	want_str(r, 0, "finish_reason", "end_turn");
}

static void test_analyze_json_recorded_stream_text(void **state)
{
	/* a server-sent event stream kept as text is read as the response
	 * it stands for (tests/cli/test_streams.py tests every provider) */
	cot_result *r = run(state,
		"{'uri':'https://api/chat/completions','content_type':"
		"'text/event-stream','response_body':null,'response_text':"
		"'data: {\\'model\\':\\'m\\',\\'choices\\':[{"
		"\\'delta\\':{\\'reasoning_content\\':\\'a\\'}}]}"
		"\\n\\ndata: {\\'choices\\':[{\\'delta\\':{"
		"\\'reasoning_content\\':\\'b\\',\\'content\\':"
		"\\'x\\'},\\'finish_reason\\':\\'stop\\'}]}\\n\\n"
		"data: [DONE]\\n\\ndata: {\\'choices\\':[{\\'delta"
		"\\':{\\'content\\':\\'after the end\\'}}]}\\n\\n'}");

	want_traces(r, 1);
	want_text(r, 0, "ab", "x");
	want_structured(r, 0, "openai-chat", 1);
	want_str(r, 0, "finish_reason", "stop");
	want_str(r, 0, "model", "m");
	/* JSON text that is not an object, or not JSON; a stream of
	 * nothing cotlog reads */
	r = run(state, "{'response_text':'[1,2]'}");
	want_traces(r, 0);
	r = run(state, "{'response_text':'{broken'}");
	want_traces(r, 0);
	r = run(state, "{'response_body':'{}'}");
	want_traces(r, 0);
	r = run(state, "{'response_text':'data: {}\\n\\nevent: x\\n'}");
	want_traces(r, 0);
}

/* ------------------------------------------------------------------ */
/* Messages: bare, wrapped, flat */

static void test_analyze_json_bare_message(void **state)
{
	cot_result *r = run(state,
		"{'role':'assistant','reasoning_content':'Hmm.','content':"
		"'Yes.'}");

	want_traces(r, 1);
	want_text(r, 0, "Hmm.", "Yes.");
	want_structured(r, 0, "message", 1);
	/* a bare message with no reasoning field: split by tags */
	r = run(state, "{'role':'assistant','content':'plain'}");
	want_text(r, 0, "", "plain");
	want_untagged(r, 0, "message");
}

static void test_analyze_json_ollama_wrapped_message(void **state)
{
	cot_result *r = run(state,
		"{'model':'qwen3:8b','created_at':'2025-01-01T00:00:00Z',"
		"'message':{'role':'assistant','content':'Answer: 9',"
		"'thinking':'3 squared.'},'done':true,'done_reason':"
		"'length','eval_count':12}");

	want_traces(r, 1);
	want_text(r, 0, "3 squared.", "Answer: 9");
	want_structured(r, 0, "message", 1);
	want_str(r, 0, "finish_reason", "length");
	want_str(r, 0, "model", "qwen3:8b");
}

static void test_analyze_json_cohere_message_blocks(void **state)
{
	cot_result *r = run(state,
		"{'id':'x','message':{'role':'assistant','content':["
		"{'type':'thinking','thinking':'Plan the route.'},"
		"{'type':'text','text':'Take the '},{'type':'text','text':"
		"'bridge.'}]},'finish_reason':'COMPLETE','usage':{}}");

	want_traces(r, 1);
	want_text(r, 0, "Plan the route.", "Take the bridge.");
	want_structured(r, 0, "message", 1);
	want_str(r, 0, "finish_reason", "COMPLETE");
}

static void test_analyze_json_claude_code_event(void **state)
{
	cot_result *r = run(state,
		"{'type':'assistant','session_id':'s','message':{'id':'m',"
		"'type':'message','role':'assistant','model':'claude-x',"
		"'content':[{'type':'thinking','thinking':'Read the file.',"
		"'signature':'c2ln'},{'type':'text','text':'Done.'}],"
		"'stop_reason':'end_turn'}}");

	want_traces(r, 1);
	want_text(r, 0, "Read the file.", "Done.");
	want_structured(r, 0, "message", 1);
	want_str(r, 0, "model", "claude-x");
	want_str(r, 0, "finish_reason", "end_turn");
	/* the tool results come back as user events: no trace */
	r = run(state,
		"{'type':'user','message':{'role':'user','content':[{'type':"
		"'tool_result','tool_use_id':'t','content':'42'}]}}");
	want_traces(r, 0);
}

/* The public stream API: chunks fed one by one, the response they make
 * up analysed as any record; every allocation failure reported. */
static void test_stream_api(void **state)
{
	static const char *const chunks[] = {
		"{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
		"\"delta\":{\"reasoning_content\":\"Wait, 2+2\"}}]}",
		"{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{"
		"\"reasoning_content\":\" is 4.\",\"content\":\"\\\\boxed{4}\"}}]}",
		"{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},"
		"\"finish_reason\":\"stop\"}]}",
	};
	fx *f = *state;
	cot_stream *s;
	cot_buf out = { 0 }, id = { 0 };
	cot_error err;
	size_t len;
	const char *t;

	assert_int_equal(cot_stream_new(&s, &err), COT_OK);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(cot_stream_ended(s), 0);
		assert_int_equal(cot_stream_feed(s, chunks[i],
						 strlen(chunks[i]), &err),
				 COT_OK);
	}
	assert_int_equal(cot_stream_ended(s), 1);
	assert_int_equal(cot_stream_feed(s, "{x", 2, &err), COT_EPARSE);
	assert_int_equal(cot_stream_response(&out, s, &err), COT_OK);
	assert_int_equal(cot_analyze_json(f->res, out.ptr, out.size, &err),
			 COT_OK);
	want_traces(f->res, 1);
	t = cot_result_reasoning(f->res, 0, &len);
	assert_int_equal(len, 15);
	assert_memory_equal(t, "Wait, 2+2 is 4.", 15);
	want_str(f->res, 0, "finish_reason", "stop");
	want_str(f->res, 0, "model", "m");
	assert_int_equal(cot_stream_id(&id, chunks[0], strlen(chunks[0]),
				       &err), COT_OK);
	assert_int_equal(id.size, 4);
	assert_memory_equal(id.ptr, "\"c1\"", 4);
	id.size = 0;
	assert_int_equal(cot_stream_id(&id, "{\"type\":\"ping\"}", 15,
				       &err), COT_OK);
	assert_int_equal(id.size, 0);
	cot_stream_free(s);
	/* out of memory at every allocation: reported, never a crash */
	for (long n = 0; n < 40; n++) {
		int rc = COT_OK;

		cot__alloc_fail_after(n);
		if (cot_stream_new(&s, &err) == COT_OK) {
			for (size_t i = 0; i < 3 && rc == COT_OK; i++)
				rc = cot_stream_feed(s, chunks[i],
						     strlen(chunks[i]), &err);
			out.size = 0;
			if (rc == COT_OK)
				rc = cot_stream_response(&out, s, &err);
			cot_stream_free(s);
		} else {
			rc = COT_ENOMEM;
		}
		cot__alloc_fail_after(-1);
		assert_true(rc == COT_OK || rc == COT_ENOMEM);
	}
	cot_buf_dispose(&out);
	cot_buf_dispose(&id);
}

/* Inspect AI: a sample's output.choices[i].message with reasoning and
 * text blocks; target is the reference; a whole log sample by sample. */
static void test_analyze_json_inspect(void **state)
{
	cot_result *r = run(state,
		"{'id':1,'epoch':1,'input':'2+2?','target':'4','messages':[],"
		"'output':{'model':'openai/o4-mini','choices':[{'message':{"
		"'role':'assistant','content':[{'type':'reasoning','reasoning':"
		"'Two and two.','signature':'s','redacted':false},{'type':"
		"'reasoning','reasoning':'Four.'},{'type':'text','text':"
		"'\\\\boxed{4}'}],'source':'generate'},'stop_reason':"
		"'stop'}]},'scores':{'match':{'value':'C'}}}");

	want_traces(r, 1);
	want_text(r, 0, "Two and two.\n\nFour.", "\\boxed{4}");
	want_structured(r, 0, "inspect", 2);
	want_str(r, 0, "model", "openai/o4-mini");
	want_str(r, 0, "finish_reason", "stop");
	want_str(r, 0, "ref", "4");
	/* redacted reasoning is counted, not read */
	r = run(state,
		"{'target':'4','output':{'choices':[{'message':{'role':"
		"'assistant','content':[{'type':'reasoning','reasoning':"
		"'ZW5j','redacted':true},{'type':'text','text':'4'}]}}]}}");
	want_text(r, 0, "", "4");
	want_int(r, 0, "redacted", 1);
	/* a whole log: the samples in order, the eval's model */
	r = run(state,
		"{'version':2,'eval':{'model':'m/x'},'samples':[{'target':'1',"
		"'output':{'choices':[{'message':{'role':'assistant','content':"
		"[{'type':'reasoning','reasoning':'a'},{'type':'text','text':"
		"'1'}]}}]}},{'target':'2','output':{'choices':[{'message':{"
		"'role':'assistant','content':[],'tool_calls':[{'id':'c'}]}}]}},"
		"{'target':'3','output':{'choices':[{'message':{'role':"
		"'assistant','content':'<think>b</think>3'}}]}}]}");
	want_traces(r, 2);
	want_text(r, 0, "a", "1");
	want_text(r, 1, "b", "3");
	want_str(r, 1, "ref", "3");
	want_str(r, 1, "model", "m/x");
	assert_int_equal(cot_result_tool_only(r), 1);
}

/* An assistant turn of tool calls and nothing else is no trace, in every
 * shape, and is counted (README "Tool calls"). */
static void test_analyze_json_tool_only_turns(void **state)
{
	static const char *const only[] = {
		/* Anthropic tool_use, with an empty text block */
		"{'type':'message','role':'assistant','content':[{'type':"
		"'text','text':'\\n'},{'type':'tool_use','id':'t','name':"
		"'ls','input':{}}],'stop_reason':'tool_use'}",
		/* Claude Code stream-json */
		"{'type':'assistant','message':{'role':'assistant','content':"
		"[{'type':'tool_use','id':'t','name':'Read','input':{}}]}}",
		/* OpenAI chat: tool_calls, content null */
		"{'choices':[{'message':{'role':'assistant','content':null,"
		"'tool_calls':[{'id':'c','type':'function','function':{"
		"'name':'f','arguments':'{}'}}]},'finish_reason':"
		"'tool_calls'}]}",
		/* the same as the last turn of a conversation */
		"{'messages':[{'role':'user','content':'q'},{'role':"
		"'assistant','content':'','tool_calls':[{'id':'c'}]}]}",
		/* Responses: function_call items only */
		"{'object':'response','status':'completed','output':[{'type':"
		"'function_call','call_id':'c','name':'f','arguments':'{}'}]}",
		"{'object':'response','output':[{'type':'web_search_call',"
		"'id':'w','status':'completed'}]}",
		/* Gemini functionCall parts */
		"{'candidates':[{'content':{'role':'model','parts':[{"
		"'functionCall':{'name':'f','args':{}}}]},'finishReason':"
		"'STOP'}]}",
		/* Bedrock toolUse */
		"{'output':{'message':{'role':'assistant','content':[{"
		"'toolUse':{'toolUseId':'t','name':'f','input':{}}}]}},"
		"'stopReason':'tool_use'}",
	};
	/* a call with reasoning or text beside it is a turn with a trace */
	static const char *const not_only[] = {
		"{'type':'message','role':'assistant','content':[{'type':"
		"'thinking','thinking':'Which file?'},{'type':'tool_use','id':"
		"'t','name':'ls','input':{}}]}",
		"{'type':'message','role':'assistant','content':[{'type':"
		"'redacted_thinking','data':'x'},{'type':'tool_use','id':'t',"
		"'name':'ls','input':{}}]}",
		"{'choices':[{'message':{'role':'assistant','content':'I will "
		"look.','tool_calls':[{'id':'c'}]}}]}",
		"{'choices':[{'message':{'role':'assistant','content':null,"
		"'reasoning_content':'Need the tool.','tool_calls':[{'id':"
		"'c'}]}}]}",
		"{'object':'response','output':[{'type':'reasoning','summary':"
		"[{'type':'summary_text','text':'Call it.'}]},{'type':"
		"'function_call','name':'f'}]}",
	};

	for (size_t i = 0; i < sizeof only / sizeof *only; i++) {
		cot_result *r = run(state, only[i]);

		if (cot_result_traces(r) != 0 || cot_result_tool_only(r) != 1) {
			print_error("%s: %zu traces, %zu tool_only\n", only[i],
				    cot_result_traces(r),
				    cot_result_tool_only(r));
			fail();
		}
	}
	for (size_t i = 0; i < sizeof not_only / sizeof *not_only; i++) {
		cot_result *r = run(state, not_only[i]);

		if (cot_result_traces(r) != 1 || cot_result_tool_only(r) != 0) {
			print_error("%s: %zu traces, %zu tool_only\n",
				    not_only[i], cot_result_traces(r),
				    cot_result_tool_only(r));
			fail();
		}
	}
	/* the next record starts from nought */
	want_traces(run(state, "{'response':'<think>a</think>b'}"), 1);
	assert_int_equal(cot_result_tool_only(run(state, "{'x':1}")), 0);
}

static void test_analyze_json_flat_thinking_and_content(void **state)
{
	cot_result *r = run(state,
		"{'item_id':'a-1','model':'qwen3:8b','think_requested':true,"
		"'content':'Answer: 670','thinking':'43*11=473...',"
		"'done_reason':'stop','eval_count':99}");

	want_traces(r, 1);
	want_text(r, 0, "43*11=473...", "Answer: 670");
	want_structured(r, 0, "message", 1);
	want_str(r, 0, "finish_reason", "stop");
	want_str(r, 0, "model", "qwen3:8b");
	/* thinking switched off: an empty field, the text is the answer */
	r = run(state,
		"{'model':'qwen3:8b','content':'Answer: 670','thinking':'',"
		"'done_reason':'stop'}");
	want_text(r, 0, "", "Answer: 670");
	want_untagged(r, 0, "message");
}

static void test_analyze_json_flat_thinking_and_response(void **state)
{
	/* Ollama /api/generate */
	cot_result *r = run(state,
		"{'model':'qwen3','response':'Paris','thinking':'France has "
		"one capital.','done':true,'done_reason':'stop'}");

	want_traces(r, 1);
	want_text(r, 0, "France has one capital.", "Paris");
	want_structured(r, 0, "message", 1);
}

static void test_analyze_json_non_assistant_messages_no_trace(void **state)
{
	static const char *const recs[] = {
		"{'role':'user','content':'<think>not a model</think>x'}",
		"{'role':'system','content':'You are helpful.'}",
		"{'role':'tool','content':'42','tool_call_id':'t'}",
		"{'role':'developer','content':'rules'}",
		"{'message':{'role':'user','content':'hello'}}",
		"{'role':'user','content':[{'type':'text','text':'hi'}]}",
		"{'messages':[{'role':'system','content':'s'},{'role':"
		"'user','content':'q'}]}",
		"{'conversations':[{'from':'human','value':'q'}]}",
		"{'candidates':[{'content':{'role':'user','parts':[{'text':"
		"'q'}]}}]}",
	};

	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
		cot_result *r = run(state, recs[i]);

		if (cot_result_traces(r) != 0) {
			print_error("record %zu: %s\n", i, recs[i]);
			want_traces(r, 0);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Anthropic, Bedrock, Gemini, Responses */

static void test_analyze_json_anthropic_blocks(void **state)
{
	cot_result *r = run(state,
		"{'id':'msg_1','type':'message','role':'assistant','model':"
		"'claude-3-7','stop_reason':'end_turn','content':["
		"{'type':'thinking','thinking':'Try 17.','signature':'EqoB'},"
		"{'type':'redacted_thinking','data':'EmwK'},"
		"{'type':'thinking','thinking':'17*23=391.','signature':'x'},"
		"{'type':'text','text':'391 = '},"
		"{'type':'tool_use','id':'t','name':'calc','input':{}},"
		"{'type':'text','text':'17 x 23'}],'usage':{}}");

	want_traces(r, 1);
	want_text(r, 0, "Try 17.\n\n17*23=391.", "391 = 17 x 23");
	want_structured(r, 0, "anthropic", 2);
	want_int(r, 0, "redacted", 1);
	want_str(r, 0, "finish_reason", "end_turn");
	want_str(r, 0, "model", "claude-3-7");
}

static void test_analyze_json_anthropic_redacted_only(void **state)
{
	cot_result *r = run(state,
		"{'type':'message','role':'assistant','content':["
		"{'type':'redacted_thinking','data':'A'},"
		"{'type':'redacted_thinking','data':'B'},"
		"{'type':'text','text':'Hidden.'}]}");

	want_traces(r, 1);
	want_text(r, 0, "", "Hidden.");
	want_untagged(r, 0, "anthropic");
	want_int(r, 0, "redacted", 2);
}

static void test_analyze_json_anthropic_tags_in_text_block(void **state)
{
	cot_result *r = run(state,
		"{'role':'assistant','content':[{'type':'text','text':"
		"'<think signature=\\'abc\\'>quiet</think>loud'}]}");

	want_text(r, 0, "quiet", "loud");
	want_str(r, 0, "format", "anthropic");
	want_str(r, 0, "dialect", "think");
}

static void test_analyze_json_anthropic_message_batch(void **state)
{
	cot_result *r = run(state,
		"{'custom_id':'s1k-0','result':{'type':'succeeded',"
		"'message':{'id':'m','type':'message','role':'assistant',"
		"'model':'claude-3-7','content':[{'type':'thinking',"
		"'thinking':'Prove it.','signature':'s'},{'type':'text',"
		"'text':'QED.'}],'stop_reason':'max_tokens'}}}");

	want_traces(r, 1);
	want_text(r, 0, "Prove it.", "QED.");
	want_structured(r, 0, "anthropic", 1);
	want_str(r, 0, "finish_reason", "max_tokens");
	want_str(r, 0, "model", "claude-3-7");
	/* an errored batch entry holds none */
	r = run(state,
		"{'custom_id':'s1k-1','result':{'type':'errored','error':{"
		"'type':'invalid_request'}}}");
	want_traces(r, 0);
}

static void test_analyze_json_bedrock_converse(void **state)
{
	cot_result *r = run(state,
		"{'output':{'message':{'role':'assistant','content':["
		"{'reasoningContent':{'reasoningText':{'text':'Step one.',"
		"'signature':'s'}}},"
		"{'reasoningContent':{'redactedContent':'YWJj'}},"
		"{'reasoningContent':{'reasoningText':{'text':'Step two.'}}},"
		"{'text':'Result: '},{'toolUse':{'name':'x'}},{'text':'7'}]}},"
		"'stopReason':'end_turn','usage':{'inputTokens':3},"
		"'metrics':{'latencyMs':9}}");

	want_traces(r, 1);
	want_text(r, 0, "Step one.\n\nStep two.", "Result: 7");
	want_structured(r, 0, "bedrock", 2);
	want_int(r, 0, "redacted", 1);
	want_str(r, 0, "finish_reason", "end_turn");
	/* no reasoning blocks: the text split by tags */
	r = run(state,
		"{'output':{'message':{'role':'assistant','content':["
		"{'text':'plain reply'}]}},'stopReason':'end_turn'}");
	want_text(r, 0, "", "plain reply");
	want_untagged(r, 0, "bedrock");
}

static void test_analyze_json_gemini_thought_parts(void **state)
{
	cot_result *r = run(state,
		"{'candidates':[{'finishReason':'STOP','index':0,'content':{"
		"'role':'model','parts':[{'text':'**Plan** check primes.',"
		"'thought':true},{'text':'Then verify.','thought':true,"
		"'thoughtSignature':'c2ln'},{'text':'391 = '},{'text':"
		"'17 x 23'},{'functionCall':{'name':'f'}}]}}],"
		"'usageMetadata':{'thoughtsTokenCount':240},"
		"'modelVersion':'gemini-2.5-pro'}");

	want_traces(r, 1);
	want_text(r, 0, "**Plan** check primes.\n\nThen verify.",
		  "391 = 17 x 23");
	want_structured(r, 0, "gemini", 2);
	want_str(r, 0, "finish_reason", "STOP");
	want_str(r, 0, "model", "gemini-2.5-pro");
}

static void test_analyze_json_gemini_several_candidates(void **state)
{
	cot_result *r = run(state,
		"{'candidates':["
		"{'finishReason':'STOP','content':{'role':'model','parts':["
		"{'text':'t0','thought':true},{'text':'a0'}]}},"
		"{'finishReason':'MAX_TOKENS','content':{'role':'model',"
		"'parts':[{'text':'a1 only'}]}}],'modelVersion':'g'}");

	want_traces(r, 2);
	want_text(r, 0, "t0", "a0");
	want_structured(r, 0, "gemini", 1);
	want_text(r, 1, "", "a1 only");
	want_untagged(r, 1, "gemini");
	want_str(r, 0, "finish_reason", "STOP");
	want_str(r, 1, "finish_reason", "MAX_TOKENS");
	want_int(r, 1, "index", 1);
}

static void test_analyze_json_gemini_batch_wrapper(void **state)
{
	cot_result *r = run(state,
		"{'key':'req-1','response':{'candidates':[{'content':{'role':"
		"'model','parts':[{'text':'why','thought':true},{'text':"
		"'because'}]},'finishReason':'STOP'}]}}");

	want_traces(r, 1);
	want_text(r, 0, "why", "because");
	want_structured(r, 0, "gemini", 1);
}

static void test_analyze_json_responses_summaries(void **state)
{
	cot_result *r = run(state,
		"{'id':'resp_1','object':'response','status':'completed',"
		"'model':'o3','incomplete_details':null,'output':["
		"{'type':'reasoning','id':'rs_1','summary':["
		"{'type':'summary_text','text':'**Factoring** Try 17.'},"
		"{'type':'summary_text','text':'It divides.'}],"
		"'encrypted_content':'gAAA'},"
		"{'type':'function_call','name':'f','arguments':'{}'},"
		"{'type':'reasoning','id':'rs_2','summary':[],"
		"'encrypted_content':'gBBB'},"
		"{'type':'reasoning','id':'rs_3','summary':[{'type':"
		"'summary_text','text':'Confirmed.'}]},"
		"{'type':'message','role':'assistant','content':["
		"{'type':'output_text','text':'391 = ','annotations':[]},"
		"{'type':'output_text','text':'17 x 23'}]}]}");

	want_traces(r, 1);
	want_text(r, 0, "**Factoring** Try 17.\n\nIt divides.\n\nConfirmed.",
		  "391 = 17 x 23");
	want_structured(r, 0, "openai-responses", 3);
	want_int(r, 0, "redacted", 1);
	want_str(r, 0, "finish_reason", "completed");
	want_str(r, 0, "model", "o3");
}

static void test_analyze_json_responses_incomplete(void **state)
{
	cot_result *r = run(state,
		"{'object':'response','status':'incomplete',"
		"'incomplete_details':{'reason':'max_output_tokens'},"
		"'output':[{'type':'reasoning','summary':[{'type':"
		"'summary_text','text':'Long...'}]}]}");

	want_traces(r, 1);
	want_text(r, 0, "Long...", "");
	want_str(r, 0, "finish_reason", "max_output_tokens");
}

static void test_analyze_json_responses_encrypted_only(void **state)
{
	cot_result *r = run(state,
		"{'object':'response','status':'completed','output':["
		"{'type':'reasoning','summary':[],'encrypted_content':'e1'},"
		"{'type':'reasoning','summary':[],'encrypted_content':'e2'},"
		"{'type':'message','content':[{'type':'output_text','text':"
		"'Paris'}]}]}");

	want_traces(r, 1);
	want_text(r, 0, "", "Paris");
	want_untagged(r, 0, "openai-responses");
	want_int(r, 0, "redacted", 2);
}

static void test_analyze_json_responses_reasoning_text(void **state)
{
	/* raw reasoning in content[] (DeepSeek and gpt-oss servers) */
	cot_result *r = run(state,
		"{'object':'response','status':'completed','output':["
		"{'type':'reasoning','summary':[],'content':[{'type':"
		"'reasoning_text','text':'We need 391.'}],"
		"'encrypted_content':'e'},{'type':'message','content':["
		"{'type':'output_text','text':'391'}]}]}");

	want_text(r, 0, "We need 391.", "391");
	want_structured(r, 0, "openai-responses", 1);
	want_int(r, 0, "redacted", 0);
}

static void test_analyze_json_responses_tags_in_text(void **state)
{
	cot_result *r = run(state,
		"{'object':'response','status':'completed','output':["
		"{'type':'message','content':[{'type':'output_text','text':"
		"'<think>inner</think>outer'}]}]}");

	want_text(r, 0, "inner", "outer");
	want_str(r, 0, "dialect", "think");
	want_str(r, 0, "format", "openai-responses");
}

/* ------------------------------------------------------------------ */
/* Conversations, parallel arrays, eval dumps, text fields */

static void test_analyze_json_chat_messages_last_assistant(void **state)
{
	cot_result *r = run(state,
		"{'messages':[{'role':'system','content':'s'},"
		"{'role':'user','content':'q1'},"
		"{'role':'assistant','content':'<think>old</think>first'},"
		"{'role':'user','content':'q2'},"
		"{'role':'assistant','content':'<think>new</think>second'},"
		"{'role':'user','content':'thanks'}],'answer':'second'}");

	want_traces(r, 1);
	want_text(r, 0, "new", "second");
	want_str(r, 0, "format", "chat");
	want_str(r, 0, "dialect", "think");
	want_str(r, 0, "ref", "second");
	/* structured reasoning in the last assistant message */
	r = run(state,
		"{'messages':[{'role':'user','content':'q'},{'role':"
		"'assistant','reasoning_content':'why','content':'what'}]}");
	want_text(r, 0, "why", "what");
	want_structured(r, 0, "chat", 1);
}

static void test_analyze_json_prompt_messages_and_text_field(void **state)
{
	/* messages without an assistant turn are the prompt: the output
	 * is in another field */
	cot_result *r = run(state,
		"{'messages':[{'role':'user','content':'2+2?'}],"
		"'response':'<think>add</think>4'}");

	want_traces(r, 1);
	want_text(r, 0, "add", "4");
	want_str(r, 0, "format", "text");
}

/* s1K and OpenThoughts rows: reasoning and answer in named columns. */
static void test_analyze_json_columns_s1k_and_openthoughts(void **state)
{
	cot_result *r = run(state,
		"{'question':'Q?','solution':'391','thinking_trajectories':"
		"['First line.','Second line.'],'attempt':'It is 391.'}");

	want_traces(r, 1);
	want_text(r, 0, "First line.\nSecond line.", "It is 391.");
	want_structured(r, 0, "columns", 1);
	want_str(r, 0, "ref", NULL);
	r = run(state,
		"{'deepseek_thinking_trajectory':'R1 thinks.',"
		"'deepseek_attempt':'A1','gemini_thinking_trajectory':"
		"'G thinks.','gemini_attempt':'A2','answer':'7'}");
	want_traces(r, 2);
	want_text(r, 0, "R1 thinks.", "A1");
	want_text(r, 1, "G thinks.", "A2");
	want_str(r, 1, "ref", "7");
	r = run(state,
		"{'problem':'P','deepseek_reasoning':'Hmm.\\n\\nOk.',"
		"'deepseek_solution':'\\\\boxed{3}','ground_truth_solution':"
		"'3'}");
	want_traces(r, 1);
	want_text(r, 0, "Hmm.\n\nOk.", "\\boxed{3}");
	want_int(r, 0, "steps", 2);
}

static void test_analyze_json_sharegpt_last_gpt(void **state)
{
	cot_result *r = run(state,
		"{'system':'Your role...','conversations':["
		"{'from':'human','value':'17*23?'},"
		"{'from':'gpt','value':'<|begin_of_thought|>\\n\\n17*20=340"
		"\\n\\n<|end_of_thought|>\\n\\n<|begin_of_solution|>\\n\\n391"
		"\\n\\n<|end_of_solution|>'},{'from':'human','value':'ok'}]}");

	want_traces(r, 1);
	want_text(r, 0, "\n\n17*20=340\n\n", "\n\n391\n\n");
	want_str(r, 0, "format", "sharegpt");
	want_str(r, 0, "dialect", "thought");
	want_bool(r, 0, "closed", 1);
	/* OpenThoughts says assistant; untagged value is the answer */
	r = run(state,
		"{'conversations':[{'from':'user','value':'q'},{'from':"
		"'assistant','value':'plain'}]}");
	want_text(r, 0, "", "plain");
	want_untagged(r, 0, "sharegpt");
}

static void test_analyze_json_openr1_generations(void **state)
{
	cot_result *r = run(state,
		"{'problem':'Compute 17*23.','answer':'391','uuid':'u1',"
		"'generations':['<think>\\nA\\n</think>\\n\\n\\\\boxed{391}',"
		"'<think>\\nB\\n</think>\\n\\n\\\\boxed{390}','<think>\\nC'],"
		"'finish_reasons':['stop','stop','length'],"
		"'correctness_math_verify':[true,false,false],"
		"'correctness_llama':[null,null,null],'is_reasoning_complete':"
		"[true,true,false],'messages':[{'role':'user','content':"
		"'Compute 17*23.'},{'role':'assistant','content':'x'}]}");

	want_traces(r, 3);
	want_text(r, 0, "\nA\n", "\n\n\\boxed{391}");
	want_text(r, 1, "\nB\n", "\n\n\\boxed{390}");
	want_text(r, 2, "\nC", "");
	for (size_t i = 0; i < 3; i++) {
		want_str(r, i, "format", "openr1");
		want_str(r, i, "ref", "391");
		want_int(r, i, "index", (int64_t)i);
	}
	want_str(r, 0, "finish_reason", "stop");
	want_str(r, 2, "finish_reason", "length");
	want_bool(r, 0, "label", 1);
	want_bool(r, 1, "label", 0);
	want_bool(r, 2, "label", 0);
	want_bool(r, 2, "closed", 0);
	want_str(r, 0, "answer_extracted", "391");
}

static void test_analyze_json_openr1_short_parallel_arrays(void **state)
{
	/* arrays shorter than generations: the rest is not said */
	cot_result *r = run(state,
		"{'generations':['g0','g1'],'finish_reasons':['stop'],"
		"'correctness_math_verify':[true]}");

	want_traces(r, 2);
	want_text(r, 1, "g1", "");
	want_str(r, 1, "finish_reason", NULL);
	want_bool(r, 1, "label", -1);
	want_bool(r, 0, "label", 1);
}

static void test_analyze_json_skythought_responses(void **state)
{
	cot_result *r = run(state,
		"{'prompt':'Return your final response...','answer':'70',"
		"'responses':{'0.7':{'content':'<|begin_of_thought|>a"
		"<|end_of_thought|>b','correctness':true,'reason':'ok'},"
		"'1.0':{'content':'untagged long thought','correctness':"
		"false}},'token_usages':{'0.7':{'completion_tokens':5}}}");

	want_traces(r, 2);
	want_text(r, 0, "a", "b");
	want_text(r, 1, "untagged long thought", "");
	want_str(r, 0, "format", "skythought");
	want_untagged(r, 1, "skythought");
	want_bool(r, 0, "label", 1);
	want_bool(r, 1, "label", 0);
	want_str(r, 1, "ref", "70");
}

static void test_analyze_json_long_text_fields(void **state)
{
	static const char *const keys[] = {
		"response", "output", "completion", "generation", "text",
		"full_response",
	};
	char rec[256];

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		cot_result *r;

		snprintf(rec, sizeof rec,
			 "{'id':%zu,'%s':'<think>r%zu</think>a%zu'}", i,
			 keys[i], i, i);
		r = run(state, rec);
		want_traces(r, 1);
		want_str(r, 0, "format", "text");
		want_str(r, 0, "dialect", "think");
		{
			char t[16], a[16];

			snprintf(t, sizeof t, "r%zu", i);
			snprintf(a, sizeof a, "a%zu", i);
			want_text(r, 0, t, a);
		}
		/* with no marker a bare text field is the reasoning */
		snprintf(rec, sizeof rec, "{'%s':'just thinking'}", keys[i]);
		r = run(state, rec);
		want_text(r, 0, "just thinking", "");
		want_untagged(r, 0, "text");
	}
}

static void test_analyze_json_code_first_element(void **state)
{
	cot_result *r = run(state,
		"{'idx':0,'question':'Q?','gt':'70','score':[true],"
		"'pred':['70'],'code':['<|begin_of_thought|>\\n\\nthink"
		"\\n\\n<|end_of_thought|>\\n\\n<|begin_of_solution|>\\n\\n"
		"\\\\boxed{70}\\n\\n<|end_of_solution|>','second']}");

	want_traces(r, 1);
	want_text(r, 0, "\n\nthink\n\n", "\n\n\\boxed{70}\n\n");
	want_str(r, 0, "format", "text");
	want_str(r, 0, "dialect", "thought");
	want_str(r, 0, "ref", "70");
	want_bool(r, 0, "label", 1);
	want_str(r, 0, "answer_extracted", "70");
}

static void test_analyze_json_empty_text_field_no_trace(void **state)
{
	cot_result *r = run(state, "{'response':'','output':null}");

	want_traces(r, 0);
	/* an empty first field gives way to the next one */
	r = run(state, "{'response':'','completion':'c'}");
	want_text(r, 0, "c", "");
}

static void test_analyze_json_string_record(void **state)
{
	cot_result *r = run(state, "'<think>why</think>because'");

	want_traces(r, 1);
	want_text(r, 0, "why", "because");
	want_str(r, 0, "format", "string");
	want_str(r, 0, "dialect", "think");
	want_str(r, 0, "model", NULL);
	r = run(state, "'untagged'");
	want_text(r, 0, "untagged", "");
	want_untagged(r, 0, "string");
	r = run(state, "''");
	want_traces(r, 1);
	want_text(r, 0, "", "");
}

static void test_analyze_json_keyed_eval_dump(void **state)
{
	cot_result *r = run(state,
		"{'What is 2+2?':{'answer':'4','responses':{'0.0':{"
		"'content':'<|begin_of_thought|>x<|end_of_thought|>4',"
		"'correctness':true}}},"
		"'What is 3+3?':{'answer':6,'response':'<think>y</think>6',"
		"'is_correct':false},"
		"'Empty':{'note':'no output here'}}");

	want_traces(r, 2);
	want_text(r, 0, "x", "4");
	want_str(r, 0, "format", "skythought");
	want_str(r, 0, "ref", "4");
	want_bool(r, 0, "label", 1);
	want_text(r, 1, "y", "6");
	want_str(r, 1, "format", "text");
	want_str(r, 1, "ref", "6");
	want_bool(r, 1, "label", 0);
	/* one value that is not an object: not a dump, no trace */
	r = run(state,
		"{'a':{'response':'x'},'b':{'response':'y'},'n':3}");
	want_traces(r, 0);
}

static void test_analyze_json_no_trace_is_not_an_error(void **state)
{
	static const char *const recs[] = {
		"{'id':1,'prompt':'question only','answer':'42'}",
		"{}", "[]", "{'a':{}}", "{'messages':[]}",
		"{'choices':[]}", "{'candidates':[]}", "{'output':[]}",
		"{'generations':[]}", "{'code':[]}", "{'response':{}}",
		"42", "-1.5e300", "123456789012345678901234567890",
		"true", "false", "null", " 7 ",
	};

	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
		cot_result *r = run(state, recs[i]);

		if (cot_result_traces(r) != 0) {
			print_error("record %zu: %s\n", i, recs[i]);
			want_traces(r, 0);
		}
	}
}

static void test_analyze_json_array_of_records(void **state)
{
	cot_result *r = run(state,
		"[{'response':'<think>a</think>b'},'<think>c</think>d',7,"
		"{'x':1},{'role':'assistant','content':'e'}]");

	want_traces(r, 3);
	want_text(r, 0, "a", "b");
	want_str(r, 0, "format", "text");
	want_text(r, 1, "c", "d");
	want_str(r, 1, "format", "string");
	want_text(r, 2, "", "e");
	want_str(r, 2, "format", "message");
	want_int(r, 2, "index", 2);
}

static void test_analyze_json_malformed_is_eparse(void **state)
{
	fx *f = *state;
	cot_error err;
	static const char bad[] = "{\"response\":\"x\",}";

	assert_int_equal(cot_analyze_json(f->res, bad, sizeof bad - 1, &err),
			 COT_EPARSE);
	assert_true(err.column > 0);
	assert_int_equal(cot_result_traces(f->res), 0);
}

/* ------------------------------------------------------------------ */
/* Metadata */

static void test_analyze_json_ref_number_kept_as_written(void **state)
{
	cot_result *r = run(state,
		"{'response':'t','gt':1.50e3,'answer':'ignored'}");

	want_str(r, 0, "ref", "1.50e3");
	r = run(state,
		"{'response':'t','ground_truth':-0,'gt':'later'}");
	want_str(r, 0, "ref", "-0");
	r = run(state,
		"{'response':'t','answer':123456789012345678901234567890}");
	want_str(r, 0, "ref", "123456789012345678901234567890");
	/* an empty reference is none; the next key is asked */
	r = run(state, "{'response':'t','ground_truth':'','target':'T'}");
	want_str(r, 0, "ref", "T");
	/* objects and booleans are not references */
	r = run(state, "{'response':'t','answer':{'v':1},'gold':true}");
	want_str(r, 0, "ref", NULL);
}

static void test_analyze_json_label_keys(void **state)
{
	static const struct {
		const char *rec;
		int label;
	} cases[] = {
		{ "{'response':'t','is_correct':true}", 1 },
		{ "{'response':'t','is_correct':false}", 0 },
		{ "{'response':'t','correct':true}", 1 },
		{ "{'response':'t','correctness':false}", 0 },
		{ "{'response':'t','score':[true]}", 1 },
		{ "{'response':'t','score':[false,true]}", 0 },
		{ "{'response':'t','score':0.5}", -1 },
		{ "{'response':'t','score':1}", -1 },
		{ "{'response':'t','correct':'yes'}", -1 },
		{ "{'response':'t','is_correct':null,'correct':true}", 1 },
		{ "{'response':'t'}", -1 },
		{ "{'response':'t','correctness_math_verify':[true]}", 1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cot_result *r = run(state, cases[i].rec);

		want_traces(r, 1);
		want_bool(r, 0, "label", cases[i].label);
	}
}

static void test_analyze_json_finish_reason_and_model_keys(void **state)
{
	cot_result *r = run(state,
		"{'role':'assistant','content':'x','stopReason':'end_turn',"
		"'model_name':'m1'}");

	want_str(r, 0, "finish_reason", "end_turn");
	want_str(r, 0, "model", "m1");
	r = run(state, "{'text':'x','finish_reason':7,'model':''}");
	want_str(r, 0, "finish_reason", "7");
	want_str(r, 0, "model", NULL);
	/* the innermost object is asked first */
	r = run(state,
		"{'model':'outer','response':{'model':'inner','choices':[{"
		"'finish_reason':'stop','message':{'role':'assistant',"
		"'content':'x'}}],'finish_reason':'unused'}}");
	want_str(r, 0, "model", "inner");
	want_str(r, 0, "finish_reason", "stop");
}

/* ------------------------------------------------------------------ */
/* Escapes */

static void test_analyze_json_escapes_are_decoded(void **state)
{
	static const char want[] =
		"a\nb\t\"q\" \\ /\xc3\xa9 \xef\xbf\xbd|\xef\xbf\xbd"
		"\xef\xbf\xbd| \xf0\x9f\x98\x80 x\0y";
	cot_result *r = run(state,
		"{'choices':[{'message':{'role':'assistant',"
		"'reasoning_content':'a\\nb\\t\\'q\\' \\\\ \\/\\u00e9 "
		"\\ud800|\\udc00\\ud800| \\ud83d\\ude00 x\\u0000y',"
		"'content':'caf\\u00E9'}}]}");

	want_textn(r, 0, want, sizeof want - 1, "caf\xc3\xa9", 5);
	want_int(r, 0, "think.chars", 24);
	want_int(r, 0, "think.bytes", (int64_t)(sizeof want - 1));
}

static void test_analyze_json_escaped_tags_split(void **state)
{
	cot_result *r = run(state,
		"{'text':'\\u003cthink\\u003e\\u00e9\\u003c/think\\u003e"
		"\\'ok\\''}");

	want_text(r, 0, "\xc3\xa9", "\"ok\"");
	want_str(r, 0, "dialect", "think");
}

/* ------------------------------------------------------------------ */
/* Options: field, answer_field, ref_field, untagged */

static fx *opts_field(const char *field, const char *answer,
		      const char *ref, cot_untagged untagged)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;

	o.field = field;
	o.answer_field = answer;
	o.ref_field = ref;
	o.untagged = untagged;
	return with_opts(&o);
}

static void test_analyze_json_field_path(void **state)
{
	fx *f = opts_field("a.b[0].c", NULL, NULL, COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'a':{'b':[{'c':'<think>x</think>y'},{'c':'no'}]},"
		"'model':'m','response':'<think>ignored</think>'}");

	(void)state;
	want_traces(r, 1);
	want_text(r, 0, "x", "y");
	want_str(r, 0, "format", "field");
	want_str(r, 0, "dialect", "think");
	/* the record's metadata still applies */
	want_str(r, 0, "model", "m");
	/* untagged: a bare text, so reasoning */
	r = analyze_with(f->res, &f->json, "{'a':{'b':[{'c':'plain'}]}}");
	want_text(r, 0, "plain", "");
	want_untagged(r, 0, "field");
	/* missing, or not a string: no trace */
	r = analyze_with(f->res, &f->json, "{'a':{'b':[]}}");
	want_traces(r, 0);
	r = analyze_with(f->res, &f->json, "{'a':{'b':[{'c':5}]}}");
	want_traces(r, 0);
	r = analyze_with(f->res, &f->json, "'a string record'");
	want_traces(r, 0);
	done(f);
}

static void test_analyze_json_field_negative_index(void **state)
{
	fx *f = opts_field("turns[-1].text", NULL, NULL, COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'turns':[{'text':'first'},{'text':'mid'},{'text':"
		"'last</think>end'}]}");

	(void)state;
	want_traces(r, 1);
	want_text(r, 0, "last", "end");
	want_bool(r, 0, "prefilled", 1);
	done(f);
}

static void test_analyze_json_field_star_fans_out(void **state)
{
	fx *f = opts_field("samples[*]", NULL, NULL, COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'samples':['<think>0</think>a','<think>1</think>b',7,"
		"'<think>3</think>d'],'finish_reasons':['stop','length',"
		"'x','stop'],'is_correct':[true,false,true,false]}");

	(void)state;
	want_traces(r, 3);
	want_text(r, 0, "0", "a");
	want_text(r, 1, "1", "b");
	want_text(r, 2, "3", "d");
	/* parallel arrays are read at the element's position */
	want_str(r, 1, "finish_reason", "length");
	want_bool(r, 1, "label", 0);
	want_str(r, 2, "finish_reason", "stop");
	want_bool(r, 2, "label", 0);
	want_int(r, 2, "index", 2);
	done(f);
}

static void test_analyze_json_field_quoted_key(void **state)
{
	fx *f = opts_field("[\"out.text\"][\"a[0]\"]", NULL, NULL,
			   COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'out.text':{'a[0]':'[THINK]m[/THINK]n'},'out':{'text':"
		"'wrong'}}");

	(void)state;
	want_traces(r, 1);
	want_text(r, 0, "m", "n");
	want_str(r, 0, "dialect", "mistral");
	done(f);
}

static void test_analyze_json_field_with_answer_field(void **state)
{
	fx *f = opts_field("trace", "final", NULL, COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'trace':'<think>kept as is</think>','final':42}");

	(void)state;
	want_traces(r, 1);
	/* with an answer path the field is the reasoning, not split */
	want_text(r, 0, "<think>kept as is</think>", "42");
	want_str(r, 0, "format", "field");
	want_bool(r, 0, "tagged", 1);
	want_bool(r, 0, "closed", 1);
	/* a missing answer is empty */
	r = analyze_with(f->res, &f->json, "{'trace':'t'}");
	want_text(r, 0, "t", "");
	done(f);
}

static void test_analyze_json_answer_field_overrides(void **state)
{
	fx *f = opts_field(NULL, "extracted", NULL, COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'choices':[{'message':{'role':'assistant',"
		"'reasoning_content':'r','content':'long answer'}}],"
		"'extracted':'B'}");

	(void)state;
	want_traces(r, 1);
	want_text(r, 0, "r", "B");
	want_str(r, 0, "format", "openai-chat");
	done(f);
}

static void test_analyze_json_ref_field(void **state)
{
	fx *f = opts_field(NULL, NULL, "meta.gold", COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'response':'x','answer':'detected','meta':{'gold':1e2}}");

	(void)state;
	want_str(r, 0, "ref", "1e2");
	r = analyze_with(f->res, &f->json,
		"{'response':'x','meta':{'gold':'G'}}");
	want_str(r, 0, "ref", "G");
	/* the path rules: missing means no reference */
	r = analyze_with(f->res, &f->json,
		"{'response':'x','answer':'detected'}");
	want_str(r, 0, "ref", NULL);
	done(f);
}

static void test_analyze_json_ref_field_star(void **state)
{
	fx *f = opts_field(NULL, NULL, "golds[*]", COT_UNTAGGED_AUTO);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'generations':['a','b'],'golds':['A',2]}");

	(void)state;
	want_traces(r, 2);
	want_str(r, 0, "ref", "A");
	want_str(r, 1, "ref", "2");
	done(f);
}

static void test_analyze_json_untagged_think(void **state)
{
	fx *f = opts_field(NULL, NULL, NULL, COT_UNTAGGED_THINK);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'choices':[{'message':{'role':'assistant','content':"
		"'all thought'}}]}");

	(void)state;
	want_text(r, 0, "all thought", "");
	want_untagged(r, 0, "openai-chat");
	/* tags still win */
	r = analyze_with(f->res, &f->json,
		"{'role':'assistant','content':'<think>t</think>a'}");
	want_text(r, 0, "t", "a");
	/* structured fields are not affected */
	r = analyze_with(f->res, &f->json,
		"{'role':'assistant','thinking':'t','content':'a'}");
	want_text(r, 0, "t", "a");
	done(f);
}

static void test_analyze_json_untagged_answer(void **state)
{
	fx *f = opts_field(NULL, NULL, NULL, COT_UNTAGGED_ANSWER);
	cot_result *r = analyze_with(f->res, &f->json,
		"{'output':'a bare text'}");

	(void)state;
	want_text(r, 0, "", "a bare text");
	want_untagged(r, 0, "text");
	r = analyze_with(f->res, &f->json, "'str'");
	want_text(r, 0, "", "str");
	r = analyze_with(f->res, &f->json, "{'generations':['g']}");
	want_text(r, 0, "", "g");
	done(f);
}

static void test_analyzer_new_rejects_bad_paths(void **state)
{
	static const struct {
		const char *field, *answer, *ref, *opt;
		uint64_t column;
	} cases[] = {
		{ "a..b", NULL, NULL, "--field", 3 },
		{ NULL, "x[", NULL, "--answer-field", 3 },
		{ NULL, NULL, "[\"k", "--ref-field", 4 },
		{ "", NULL, NULL, "--field", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
		cot_analyzer *az = (cot_analyzer *)1;
		cot_error err;

		o.field = cases[i].field;
		o.answer_field = cases[i].answer;
		o.ref_field = cases[i].ref;
		assert_int_equal(cot_analyzer_new(&az, &o, &err), COT_EINVAL);
		assert_null(az);
		assert_int_equal(err.code, COT_EINVAL);
		assert_int_equal(err.column, cases[i].column);
		assert_non_null(strstr(err.message, cases[i].opt));
	}
}

static void test_analyzer_new_rejects_bad_options(void **state)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
	cot_analyzer *az;

	(void)state;
	o.version = 99;
	assert_int_equal(cot_analyzer_new(&az, &o, NULL), COT_EINVAL);
	assert_null(az);
	o.version = COT_ANALYZER_OPTIONS_VERSION;
	o.untagged = (cot_untagged)7;
	assert_int_equal(cot_analyzer_new(&az, &o, NULL), COT_EINVAL);
	assert_null(az);
}

/* ------------------------------------------------------------------ */
/* Out of memory: every allocation of an analysis may fail; each failure
 * is COT_ENOMEM and leaves nothing behind (run under ASan/valgrind). */

static void test_analyze_json_out_of_memory_fails_cleanly(void **state)
{
	static const char *const recs[] = {
		"{'content':[{'type':'thinking','thinking':'a\\u00e9'},"
		"{'type':'thinking','thinking':'b'},{'type':'text','text':"
		"'c'},{'type':'text','text':'d\\n'}],'role':'assistant'}",
		"{'generations':['<think>x</think>y','z','w','v','u'],"
		"'finish_reasons':['stop','stop','stop','stop','length']}",
		"{'response_text':'{\\'output\\':{\\'message\\':{"
		"\\'content\\':[{\\'text\\':\\'t\\\\u00e9\\'}]}}}'}",
	};

	(void)state;
	for (size_t k = 0; k < sizeof recs / sizeof *recs; k++) {
		size_t n;
		char *json = J(recs[k], &n);
		int fails, rc;

		for (fails = 0;; fails++) {
			cot_analyzer *az;
			cot_result *res;
			cot_error err;

			assert_int_equal(cot_analyzer_new(&az, NULL, NULL),
					 COT_OK);
			assert_int_equal(cot_result_new(&res, az, NULL),
					 COT_OK);
			cot__alloc_fail_after(fails);
			rc = cot_analyze_json(res, json, n, &err);
			cot__alloc_fail_after(-1);
			if (rc != COT_OK) {
				assert_int_equal(rc, COT_ENOMEM);
				assert_int_equal(cot_result_traces(res), 0);
			} else {
				assert_true(cot_result_traces(res) >= 1);
			}
			cot_result_free(res);
			cot_analyzer_free(az);
			if (rc == COT_OK)
				break;
		}
		assert_true(fails >= 1);
		free(json);
	}
}

/* ------------------------------------------------------------------ */
/* The real corpus (SOURCES.md): what each file yields, and the texts
 * compared with the fields SOURCES.md names, read with jansson. */

typedef struct file_counts {
	size_t records, traces, no_trace, malformed;
	size_t tagged, closed, prefilled, label_true, length;
	const char *fmt[3];
	size_t nfmt[3];
} file_counts;

static void tbuf_addj(tbuf *b, const json_t *s)
{
	assert_true(json_is_string(s));
	tbuf_add(b, json_string_value(s), json_string_length(s));
}

/* A reference for one record: what SOURCES.md says the trace is.
 * Returns 0 when the record is not checked. */
typedef struct refs {
	tbuf think, answer;
	int pieces;	/* reasoning pieces joined so far */
	int checked;	/* records compared */
} refs;

static void think_piece(refs *rf, const json_t *s)
{
	if (rf->pieces++)
		tbuf_add(&rf->think, "\n\n", 2);
	tbuf_addj(&rf->think, s);
}

/* Each reference reader fills rf->think / rf->answer from the record
 * (jansson) and returns 1, or 0 to skip the record. */
typedef int (*ref_fn)(const json_t *rec, refs *rf);

/* Ollama: "thinking" and "content" beside each other. */
static int ref_ollama(const json_t *rec, refs *rf)
{
	think_piece(rf, json_object_get(rec, "thinking"));
	tbuf_addj(&rf->answer, json_object_get(rec, "content"));
	return 1;
}

/* Split a raw text at its think markers, as SPEC 2 says, by plain
 * string search (independent of dialect.c). */
static void split_think(refs *rf, const char *s, size_t n)
{
	const char *open = strstr(s, "<think>");
	const char *close = strstr(s, "</think>");

	assert_true(strlen(s) == n);
	if (open && (!close || open < close)) {
		const char *r = open + 7;

		close = strstr(r, "</think>");
		if (!close) {
			tbuf_add(&rf->think, r, n - (size_t)(r - s));
			return;
		}
		tbuf_add(&rf->think, r, (size_t)(close - r));
	} else if (close) {
		tbuf_add(&rf->think, s, (size_t)(close - s));
	} else {
		tbuf_add(&rf->think, s, n);	/* bare text: reasoning */
		return;
	}
	close += 8;
	tbuf_add(&rf->answer, close, n - (size_t)(close - s));
}

/* trace-topology: full_response split at </think>. */
static int ref_topology(const json_t *rec, refs *rf)
{
	const json_t *full = json_object_get(rec, "full_response");

	assert_true(json_is_string(full));
	split_think(rf, json_string_value(full), json_string_length(full));
	return 1;
}

/* Anthropic Messages: thinking blocks, text blocks. */
static void anthropic_blocks(const json_t *content, refs *rf)
{
	size_t i;
	const json_t *b;

	json_array_foreach(content, i, b) {
		const char *type = json_string_value(
			json_object_get(b, "type"));

		if (type && !strcmp(type, "thinking"))
			think_piece(rf, json_object_get(b, "thinking"));
		else if (type && !strcmp(type, "text"))
			tbuf_addj(&rf->answer, json_object_get(b, "text"));
	}
}

static int ref_anthropic(const json_t *rec, refs *rf)
{
	const json_t *msg = json_object_get(json_object_get(rec, "result"),
					    "message");

	anthropic_blocks(json_object_get(msg ? msg : rec, "content"), rf);
	return 1;
}

static const json_t *body_of(const json_t *rec)
{
	return json_object_get(rec, "response_body");
}

/* DeepSeek, Z.ai: choices[0].message.reasoning_content + content. */
static int ref_reasoning_content(const json_t *rec, refs *rf)
{
	const json_t *msg = json_object_get(json_array_get(
		json_object_get(body_of(rec), "choices"), 0), "message");
	const json_t *rc = json_object_get(msg, "reasoning_content");

	if (!json_is_string(rc))
		return 0;
	think_piece(rf, rc);
	tbuf_addj(&rf->answer, json_object_get(msg, "content"));
	return 1;
}

/* Cohere: message.content[type=thinking].thinking. */
static int ref_cohere(const json_t *rec, refs *rf)
{
	anthropic_blocks(json_object_get(json_object_get(body_of(rec),
		"message"), "content"), rf);
	return 1;
}

/* Mistral: content[type=thinking].thinking[] chunks. */
static int ref_mistral(const json_t *rec, refs *rf)
{
	const json_t *msg = json_object_get(json_array_get(
		json_object_get(body_of(rec), "choices"), 0), "message");
	const json_t *b;
	size_t i;

	if (!msg)
		return 0;
	json_array_foreach(json_object_get(msg, "content"), i, b) {
		const char *type = json_string_value(
			json_object_get(b, "type"));

		if (!strcmp(type, "thinking")) {
			const json_t *ch;
			size_t j;
			tbuf chunk = { 0 };

			json_array_foreach(json_object_get(b, "thinking"), j,
					   ch)
				tbuf_addj(&chunk, json_object_get(ch, "text"));
			if (rf->pieces++)
				tbuf_add(&rf->think, "\n\n", 2);
			tbuf_add(&rf->think, chunk.p ? chunk.p : "", chunk.n);
			free(chunk.p);
		} else if (!strcmp(type, "text")) {
			tbuf_addj(&rf->answer, json_object_get(b, "text"));
		}
	}
	return 1;
}

/* Gemini: candidates[0].content.parts[thought=true].text. */
static int ref_gemini(const json_t *rec, refs *rf)
{
	const json_t *parts = json_object_get(json_object_get(
		json_array_get(json_object_get(body_of(rec), "candidates"),
			       0), "content"), "parts");
	const json_t *p;
	size_t i;

	if (!parts)
		return 0;
	json_array_foreach(parts, i, p) {
		const json_t *text = json_object_get(p, "text");

		if (!text)
			continue;
		if (json_is_true(json_object_get(p, "thought")))
			think_piece(rf, text);
		else
			tbuf_addj(&rf->answer, text);
	}
	return 1;
}

/* Bedrock Converse, in response_body or as JSON text in
 * response_text. */
static int ref_bedrock(const json_t *rec, refs *rf)
{
	const json_t *body = body_of(rec), *b;
	json_t *parsed = NULL;
	size_t i;

	if (!json_is_object(body)) {
		const json_t *text = json_object_get(rec, "response_text");

		parsed = json_loadb(json_string_value(text),
				    json_string_length(text), 0, NULL);
		if (!parsed)
			return 0;	/* a binary event stream */
		body = parsed;
	}
	json_array_foreach(json_object_get(json_object_get(json_object_get(
		body, "output"), "message"), "content"), i, b) {
		const json_t *t = json_object_get(json_object_get(
			json_object_get(b, "reasoningContent"),
			"reasoningText"), "text");

		if (t)
			think_piece(rf, t);
		else if (json_object_get(b, "text"))
			tbuf_addj(&rf->answer, json_object_get(b, "text"));
	}
	json_decref(parsed);
	return 1;
}

/* OpenAI Responses: summary texts; output_text. */
static int ref_responses(const json_t *rec, refs *rf)
{
	const json_t *body = json_object_get(rec, "response_body"), *it;
	size_t i;

	bool any = false;

	if (!body)
		body = rec;
	/* a queued response or a lone tool call holds no trace */
	json_array_foreach(json_object_get(body, "output"), i, it) {
		const char *type = json_string_value(
			json_object_get(it, "type"));

		any |= !strcmp(type, "reasoning") || !strcmp(type, "message");
	}
	if (!any)
		return 0;
	json_array_foreach(json_object_get(body, "output"), i, it) {
		const char *type = json_string_value(
			json_object_get(it, "type"));
		const json_t *x;
		size_t j;

		if (!strcmp(type, "reasoning")) {
			json_array_foreach(json_object_get(it, "summary"),
					   j, x)
				think_piece(rf, json_object_get(x, "text"));
		} else if (!strcmp(type, "message")) {
			json_array_foreach(json_object_get(it, "content"),
					   j, x)
				if (json_object_get(x, "text"))
					tbuf_addj(&rf->answer,
						json_object_get(x, "text"));
		}
	}
	return 1;
}

/* Sky-T1 (Qwen2.5-Math evals): code[0] between the thought markers,
 * the answer between the solution markers (SPEC 2 answer markers). */
static int ref_skyt1(const json_t *rec, refs *rf)
{
	const json_t *code = json_array_get(json_object_get(rec, "code"), 0);
	const char *s = json_string_value(code), *o, *c, *ao, *ac;

	o = strstr(s, "<|begin_of_thought|>");
	c = o ? strstr(o, "<|end_of_thought|>") : NULL;
	if (!o || !c)
		return 0;	/* untagged or unterminated: not compared */
	o += strlen("<|begin_of_thought|>");
	tbuf_add(&rf->think, o, (size_t)(c - o));
	c += strlen("<|end_of_thought|>");
	ao = strstr(c, "<|begin_of_solution|>");
	if (!ao) {
		tbuf_add(&rf->answer, c, strlen(c));
		return 1;
	}
	ao += strlen("<|begin_of_solution|>");
	ac = strstr(ao, "<|end_of_solution|>");
	tbuf_add(&rf->answer, ao, ac ? (size_t)(ac - ao) : strlen(ao));
	return 1;
}

typedef struct corpus_file {
	const char *path;
	size_t records, traces, no_trace;
	const char *fmt[3];
	size_t nfmt[3];
	/* -1: not checked */
	long tagged, closed, prefilled, label_true, length;
	ref_fn ref;
	const char *ref_format;	/* format every compared trace has */
} corpus_file;

#define PY "api-cassettes-pydantic-ai/"
static const corpus_file corpus_files[] = {
	{ "anthropic-api-claude37-s1k/message_batch_results.jsonl",
	  2, 2, 0, { "anthropic" }, { 2 }, 2, 2, 0, -1, -1,
	  ref_anthropic, "anthropic" },
	{ "anthropic-api-claude37-s1k/messages_api_responses.jsonl",
	  2, 2, 0, { "anthropic" }, { 2 }, 2, 2, 0, -1, -1,
	  ref_anthropic, "anthropic" },
	/* 2 SSE streams (response_text), one only redacted reasoning */
	{ PY "anthropic.jsonl", 22, 22, 0, { "anthropic" }, { 22 },
	  19, 19, 0, -1, -1, NULL, NULL },
	{ PY "azure-openai.jsonl", 3, 3, 0, { "openai-responses" }, { 3 },
	  0, 0, 0, -1, -1, NULL, NULL },
	/* 2 binary event streams (one redacted only); 5 JSON bodies
	 * kept as text */
	{ PY "bedrock.jsonl", 22, 22, 0, { "bedrock" }, { 22 },
	  19, 19, 0, -1, -1, ref_bedrock, "bedrock" },
	{ PY "cerebras.jsonl", 5, 5, 0, { "openai-chat" }, { 5 },
	  5, 5, 0, -1, -1, NULL, NULL },
	{ PY "cohere.jsonl", 1, 1, 0, { "message" }, { 1 },
	  1, 1, 0, -1, -1, ref_cohere, "message" },
	{ PY "deepseek.jsonl", 8, 8, 0,
	  { "openai-chat", "openai-responses" }, { 5, 3 },
	  8, 8, 0, -1, -1, ref_reasoning_content, "openai-chat" },
	{ PY "google-gemini.jsonl", 5, 5, 0, { "gemini" }, { 5 },
	  5, 5, 0, -1, -1, ref_gemini, "gemini" },
	/* 2 of the 12 Groq traces are <think> inside content */
	{ PY "groq.jsonl", 13, 13, 0, { "openai-chat" }, { 13 },
	  13, 13, 0, -1, -1, NULL, NULL },
	{ PY "huggingface.jsonl", 3, 3, 0, { "openai-chat" }, { 3 },
	  3, 3, 0, -1, -1, NULL, NULL },
	{ PY "mistral.jsonl", 3, 3, 0, { "openai-chat" }, { 3 },
	  3, 3, 0, -1, -1, ref_mistral, "openai-chat" },
	/* a queued background response, a tool call only; 2 streams */
	{ PY "openai.jsonl", 34, 32, 2, { "openai-responses" }, { 32 },
	  17, 17, 0, -1, -1, ref_responses, "openai-responses" },
	/* 2 SSE streams, one with encrypted reasoning only */
	{ PY "openrouter.jsonl", 9, 9, 0, { "openai-chat" }, { 9 },
	  6, 6, 0, -1, -1, NULL, NULL },
	{ PY "snowflake-cortex.jsonl", 2, 2, 0, { "openai-chat" }, { 2 },
	  2, 2, 0, -1, -1, NULL, NULL },
	{ PY "zai.jsonl", 9, 9, 0, { "openai-chat" }, { 9 },
	  9, 9, 0, -1, -1, ref_reasoning_content, "openai-chat" },
	{ PY "bare/anthropic__response_bodies.jsonl", 20, 20, 0,
	  { "anthropic" }, { 20 }, 18, 18, 0, -1, -1,
	  ref_anthropic, "anthropic" },
	{ PY "bare/bedrock__response_bodies.jsonl", 15, 15, 0,
	  { "bedrock" }, { 15 }, 13, 13, 0, -1, -1, NULL, NULL },
	{ PY "bare/cohere__response_bodies.jsonl", 1, 1, 0,
	  { "message" }, { 1 }, 1, 1, 0, -1, -1, NULL, NULL },
	{ PY "bare/deepseek__response_bodies.jsonl", 7, 7, 0,
	  { "openai-chat", "openai-responses" }, { 4, 3 },
	  7, 7, 0, -1, -1, NULL, NULL },
	{ PY "bare/google-gemini__response_bodies.jsonl", 4, 4, 0,
	  { "gemini" }, { 4 }, 4, 4, 0, -1, -1, NULL, NULL },
	{ PY "bare/openai__response_bodies.jsonl", 32, 30, 2,
	  { "openai-responses" }, { 30 }, 15, 15, 0, -1, -1,
	  ref_responses, "openai-responses" },
	/* items.json: the prompts, no output at all */
	{ "ollama-qwen3-thinking/items.json", 200, 0, 200, { NULL }, { 0 },
	  0, 0, 0, 0, 0, NULL, NULL },
	/* SOURCES.md: done_reason length 11 and 2 of 200 (Qwen3-8B), 60
	 * of 200 (Qwen3.5-9B think-on) */
	{ "ollama-qwen3-thinking/qwen3-8b__think-on.jsonl", 200, 200, 0,
	  { "message" }, { 200 }, 200, 200, 0, 0, 11,
	  ref_ollama, "message" },
	{ "ollama-qwen3-thinking/qwen3-8b__think-off.jsonl", 200, 200, 0,
	  { "message" }, { 200 }, 0, 0, 0, 0, 2, ref_ollama, "message" },
	{ "ollama-qwen3-thinking/qwen3.5-9b__think-on.jsonl", 200, 200, 0,
	  { "message" }, { 200 }, 200, 200, 0, 0, 60,
	  ref_ollama, "message" },
	{ "ollama-qwen3-thinking/qwen3.5-9b__think-off.jsonl", 200, 200, 0,
	  { "message" }, { 200 }, 0, 0, 0, 0, 0, ref_ollama, "message" },
	/* SOURCES.md: 5/30 and 370/500 correct; markers only in the
	 * prompt of the AIME file */
	{ "skythought-evals-json/Qwen2.5-32B-Instruct_AIME_train_None_0_"
	  "-1_still2_sys_one_long.json", 1, 30, 0, { "skythought" }, { 30 },
	  0, 0, 0, 5, -1, NULL, NULL },
	{ "skythought-evals-json/Qwen2.5-32B-Instruct_MATH500_test_None_0"
	  "_-1_still2_sys_zero.json", 1, 500, 0, { "skythought" }, { 500 },
	  500, 490, 0, 370, -1, NULL, NULL },
	{ "skythought-qwen25math-eval/qwen2.5-14b-instruct__aime24.jsonl",
	  30, 30, 0, { "text" }, { 30 }, 0, 0, 0, 6, -1, NULL, NULL },
	{ "skythought-qwen25math-eval/sky-t1-math-correct-5k-14b__aime24"
	  ".jsonl", 30, 30, 0, { "text" }, { 30 }, 30, 8, 0, 6, -1,
	  ref_skyt1, "text" },
	/* SOURCES.md: 12/40 without <|begin_of_thought|> */
	{ "skythought-qwen25math-eval/sky-t1-math-correct-5k-27b__amc23"
	  ".jsonl", 40, 40, 0, { "text" }, { 40 }, 28, 9, 0, 13, -1,
	  ref_skyt1, "text" },
	{ "skythought-qwen25math-eval/sky-t1-math-correct-5k-32b-ckpt105__"
	  "aime24.jsonl", 30, 30, 0, { "text" }, { 30 }, 30, 19, 0, 10, -1,
	  ref_skyt1, "text" },
	{ "skythought-qwen25math-eval/sky-t1-math-reflection-1.0-32b__"
	  "aime24.jsonl", 30, 30, 0, { "text" }, { 30 }, 30, 17, 0, 10, -1,
	  ref_skyt1, "text" },
	/* SOURCES.md: R1 13/20 and 8/10 correct; distills prefilled;
	 * one Qwen-7B record hit 32768 tokens before </think> */
	{ "trace-topology-r1-api-and-distill/math500_deepseek_r1.jsonl",
	  20, 20, 0, { "text" }, { 20 }, 20, 20, 0, 13, -1,
	  ref_topology, "text" },
	{ "trace-topology-r1-api-and-distill/math500_deepseek_r1_parsed"
	  ".jsonl", 20, 20, 0, { "text" }, { 20 }, 20, 20, 0, 13, -1,
	  ref_topology, "text" },
	{ "trace-topology-r1-api-and-distill/pilot_math500_r1.jsonl",
	  10, 10, 0, { "text" }, { 10 }, 10, 10, 0, 8, -1,
	  ref_topology, "text" },
	{ "trace-topology-r1-api-and-distill/pilot_math500_llama8b.jsonl",
	  20, 20, 0, { "text" }, { 20 }, 20, 20, 20, -1, -1,
	  ref_topology, "text" },
	{ "trace-topology-r1-api-and-distill/pilot_math500_qwen7b.jsonl",
	  20, 20, 0, { "text" }, { 20 }, 19, 19, 19, -1, -1,
	  ref_topology, "text" },
};
#undef PY

/* The fixtures (tests/data/make.py): the same shapes, with what each
 * file is written to yield. A file of several shapes is listed once per
 * reference reader, each comparing the records of its own format. */
static const corpus_file fixture_files[] = {
	{ "anthropic/batch.jsonl", 2, 2, 0, { "anthropic" }, { 2 },
	  2, 2, 0, -1, -1, ref_anthropic, "anthropic" },
	{ "anthropic/messages.jsonl", 3, 3, 0, { "anthropic" }, { 3 },
	  3, 3, 0, -1, -1, ref_anthropic, "anthropic" },
	/* an SSE stream of an empty message (response_text): a message
	 * with no content, as the same response sent whole */
	{ "cassettes/anthropic.jsonl", 2, 2, 0, { "anthropic", "message" },
	  { 1, 1 }, 1, 1, 0, -1, -1, NULL, NULL },
	{ "cassettes/bedrock.jsonl", 2, 2, 0, { "bedrock" }, { 2 },
	  2, 2, 0, -1, -1, ref_bedrock, "bedrock" },
	{ "cassettes/chat.jsonl", 3, 3, 0, { "openai-chat", "message" },
	  { 2, 1 },
	  2, 2, 0, -1, -1, ref_reasoning_content, "openai-chat" },
	{ "cassettes/cohere.jsonl", 1, 1, 0, { "message" }, { 1 },
	  1, 1, 0, -1, -1, ref_cohere, "message" },
	{ "cassettes/gemini.jsonl", 2, 2, 0, { "gemini" }, { 2 },
	  2, 2, 0, -1, -1, ref_gemini, "gemini" },
	{ "cassettes/mistral.jsonl", 2, 2, 0, { "openai-chat" }, { 2 },
	  2, 2, 0, -1, -1, ref_mistral, "openai-chat" },
	/* the encrypted-only reasoning is no tagged text */
	{ "cassettes/responses.jsonl", 2, 2, 0, { "openai-responses" },
	  { 2 }, 1, 1, 0, -1, -1, ref_responses, "openai-responses" },
	{ "bare/chat.jsonl", 4, 4, 0, { "openai-chat" }, { 4 },
	  4, 4, 0, -1, 1, NULL, NULL },
	{ "bare/gemini.jsonl", 2, 2, 0, { "gemini" }, { 2 },
	  2, 2, 0, -1, -1, NULL, NULL },
	{ "bare/responses.jsonl", 4, 4, 0, { "openai-responses" }, { 4 },
	  3, 3, 0, -1, -1, ref_responses, "openai-responses" },
	{ "anchors/chunks.jsonl", 2, 0, 2, { NULL }, { 0 },
	  0, 0, 0, 0, 0, NULL, NULL },
	{ "columns/s1k.jsonl", 3, 3, 0, { "columns" }, { 3 },
	  3, 3, 0, -1, -1, NULL, NULL },
	{ "ollama/items.json", 16, 0, 16, { NULL }, { 0 },
	  0, 0, 0, 0, 0, NULL, NULL },
	/* every fourth think-on row stopped for length */
	{ "ollama/think-on.jsonl", 16, 16, 0, { "message" }, { 16 },
	  16, 16, 0, 0, 4, ref_ollama, "message" },
	{ "ollama/think-off.jsonl", 16, 16, 0, { "message" }, { 16 },
	  0, 0, 0, 0, 0, ref_ollama, "message" },
	{ "skythought/evals.json", 1, 6, 0, { "skythought" }, { 6 },
	  6, 6, 0, 4, -1, NULL, NULL },
	{ "skythought/baseline.jsonl", 4, 4, 0, { "text" }, { 4 },
	  0, 0, 0, 3, -1, NULL, NULL },
	/* 3 unterminated (two loops, one cut), 1 without the open marker */
	{ "skythought/eval.jsonl", 12, 12, 0, { "text" }, { 12 },
	  12, 9, 1, 5, -1, ref_skyt1, "text" },
	{ "topology/r1.jsonl", 6, 6, 0, { "text" }, { 6 },
	  6, 6, 0, 5, -1, ref_topology, "text" },
	/* prefilled; one cut before </think> */
	{ "topology/distill.jsonl", 6, 6, 0, { "text" }, { 6 },
	  5, 5, 5, 1, -1, ref_topology, "text" },
};

static bool value_is(cot_result *r, size_t i, const char *name,
		     const char *s)
{
	cot_value v = field(r, i, name);

	return v.type == COT_TYPE_STRING && v.len == strlen(s) &&
	       memcmp(v.s, s, v.len) == 0;
}

static bool bool_is(cot_result *r, size_t i, const char *name)
{
	cot_value v = field(r, i, name);

	return v.type == COT_TYPE_BOOL && v.b;
}

/* Compare trace 0 of the record in unit u with the reference reader. */
static void compare_record(const corpus_file *cf, const cot_unit *u,
			   cot_result *r, refs *rf)
{
	size_t n;
	const char *bytes = cot_unit_bytes(u, &n), *p;
	json_error_t je;
	json_t *rec = json_loadb(bytes, n, JSON_ALLOW_NUL, &je);

	if (!rec) {
		print_error("%s:%llu: jansson: %s\n", cf->path,
			    (unsigned long long)cot_unit_line(u), je.text);
		fail();
	}
	rf->think.n = rf->answer.n = 0;
	rf->pieces = 0;
	tbuf_add(&rf->think, "", 0);
	tbuf_add(&rf->answer, "", 0);
	if (cf->ref(rec, rf)) {
		if (cot_result_traces(r) < 1) {
			print_error("%s:%llu: no trace\n", cf->path,
				    (unsigned long long)cot_unit_line(u));
			fail();
		}
		if (!value_is(r, 0, "format", cf->ref_format)) {
			json_decref(rec);
			return;	/* another shape in a mixed file */
		}
		p = cot_result_reasoning(r, 0, &n);
		if (n != rf->think.n || memcmp(p, rf->think.p, n)) {
			print_error("%s:%llu:\n", cf->path,
				    (unsigned long long)cot_unit_line(u));
			same_bytes("reasoning", 0, p, n, rf->think.p,
				   rf->think.n);
		}
		p = cot_result_answer(r, 0, &n);
		if (n != rf->answer.n || memcmp(p, rf->answer.p, n)) {
			print_error("%s:%llu:\n", cf->path,
				    (unsigned long long)cot_unit_line(u));
			same_bytes("answer", 0, p, n, rf->answer.p,
				   rf->answer.n);
		}
		rf->checked++;
	}
	json_decref(rec);
}

static void count_traces(cot_result *r, file_counts *c,
			 const corpus_file *cf)
{
	size_t n = cot_result_traces(r);

	c->traces += n;
	if (n == 0)
		c->no_trace++;
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < 3 && cf->fmt[k]; k++)
			if (value_is(r, i, "format", cf->fmt[k]))
				break;
		if (k < 3 && cf->fmt[k])
			c->nfmt[k]++;
		c->tagged += bool_is(r, i, "tagged");
		c->closed += bool_is(r, i, "closed");
		c->prefilled += bool_is(r, i, "prefilled");
		c->label_true += bool_is(r, i, "label");
		c->length += value_is(r, i, "finish_reason", "length");
	}
}

static void check_count(const char *path, const char *what, long want,
			size_t got)
{
	if (want < 0 || (size_t)want == got)
		return;
	print_error("%s: %s = %zu, want %ld\n", path, what, got, want);
	fail();
}

static void run_corpus_file(const char *dir, const corpus_file *cf,
			    cot_result *res)
{
	char path[1024];
	cot_reader *rd;
	const cot_unit *u;
	cot_error err;
	file_counts c;
	refs rf;
	int rc;

	memset(&c, 0, sizeof c);
	memset(&rf, 0, sizeof rf);
	snprintf(path, sizeof path, "%s/%s", dir, cf->path);
	if (cot_reader_open_path(&rd, path, &err) != COT_OK) {
		print_error("%s: %s\n", path, err.message);
		fail();
	}
	while ((rc = cot_reader_next(&u, rd, &err)) == COT_OK) {
		if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED)
			c.malformed++;
		if (cot_unit_kind_of(u) != COT_UNIT_RECORDS)
			continue;
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			assert_int_equal(cot_analyze_unit(res, u, i, &err),
					 COT_OK);
			c.records++;
			count_traces(res, &c, cf);
			if (cf->ref && cot_unit_records(u) == 1)
				compare_record(cf, u, res, &rf);
		}
	}
	assert_int_equal(rc, COT_DONE);
	cot_reader_free(rd);
	check_count(cf->path, "malformed", 0, c.malformed);
	check_count(cf->path, "records", (long)cf->records, c.records);
	check_count(cf->path, "traces", (long)cf->traces, c.traces);
	check_count(cf->path, "no_trace", (long)cf->no_trace, c.no_trace);
	for (size_t k = 0; k < 3 && cf->fmt[k]; k++)
		check_count(cf->path, cf->fmt[k], (long)cf->nfmt[k],
			    c.nfmt[k]);
	check_count(cf->path, "tagged", cf->tagged, c.tagged);
	check_count(cf->path, "closed", cf->closed, c.closed);
	check_count(cf->path, "prefilled", cf->prefilled, c.prefilled);
	check_count(cf->path, "label true", cf->label_true, c.label_true);
	check_count(cf->path, "finish_reason length", cf->length, c.length);
	if (cf->ref && rf.checked == 0) {
		print_error("%s: no record was compared\n", cf->path);
		fail();
	}
	free(rf.think.p);
	free(rf.answer.p);
}

static void run_files(const char *dir, const corpus_file *files, size_t n)
{
	cot_analyzer *az;
	cot_result *res;

	assert_int_equal(cot_analyzer_new(&az, NULL, NULL), COT_OK);
	assert_int_equal(cot_result_new(&res, az, NULL), COT_OK);
	for (size_t i = 0; i < n; i++)
		run_corpus_file(dir, &files[i], res);
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_analyze_unit_corpus_files(void **state)
{
	(void)state;
	if (!corpus_dir())
		skip_without_corpus();
	run_files(corpus_dir(), corpus_files,
		  sizeof corpus_files / sizeof *corpus_files);
}

static void test_analyze_unit_fixture_files(void **state)
{
	(void)state;
	run_files(data_dir(), fixture_files,
		  sizeof fixture_files / sizeof *fixture_files);
}

/* Metadata against the fields SOURCES.md names: Ollama model and
 * done_reason; trace-topology is_correct, ground_truth, model; Sky-T1
 * score[0] and gt. */
typedef struct meta_file {
	const char *path, *label, *ref, *model, *finish;
	bool label_in_array;
} meta_file;

static void check_metadata(const char *dir, const meta_file *files,
			   size_t nfiles, size_t min_records);

static void test_analyze_unit_corpus_metadata(void **state)
{
	static const meta_file files[] = {
		{ "ollama-qwen3-thinking/qwen3.5-9b__think-on.jsonl", NULL,
		  NULL, "model", "done_reason", false },
		{ "trace-topology-r1-api-and-distill/pilot_math500_qwen7b"
		  ".jsonl", "is_correct", "ground_truth", "model_name", NULL,
		  false },
		{ "skythought-qwen25math-eval/sky-t1-math-correct-5k-27b__"
		  "amc23.jsonl", "score", "gt", NULL, NULL, true },
	};

	(void)state;
	if (!corpus_dir())
		skip_without_corpus();
	check_metadata(corpus_dir(), files, sizeof files / sizeof *files, 20);
}

/* The same fields in the fixtures of those shapes. */
static void test_analyze_unit_fixture_metadata(void **state)
{
	static const meta_file files[] = {
		{ "ollama/think-on.jsonl", NULL, NULL, "model", "done_reason",
		  false },
		{ "topology/distill.jsonl", "is_correct", "ground_truth",
		  "model_name", NULL, false },
		{ "skythought/eval.jsonl", "score", "gt", NULL, NULL, true },
	};

	(void)state;
	check_metadata(data_dir(), files, sizeof files / sizeof *files, 6);
}

static void check_metadata(const char *dir, const meta_file *files,
			   size_t nfiles, size_t min_records)
{
	cot_analyzer *az;
	cot_result *res;

	assert_int_equal(cot_analyzer_new(&az, NULL, NULL), COT_OK);
	assert_int_equal(cot_result_new(&res, az, NULL), COT_OK);
	for (size_t f = 0; f < nfiles; f++) {
		char path[1024];
		cot_reader *rd;
		const cot_unit *u;
		cot_error err;
		size_t seen = 0;

		snprintf(path, sizeof path, "%s/%s", dir, files[f].path);
		assert_int_equal(cot_reader_open_path(&rd, path, &err),
				 COT_OK);
		while (cot_reader_next(&u, rd, &err) == COT_OK) {
			size_t n;
			const char *b = cot_unit_bytes(u, &n);
			json_t *rec = json_loadb(b, n, JSON_ALLOW_NUL, NULL);
			const json_t *v;

			assert_non_null(rec);
			assert_int_equal(cot_analyze_unit(res, u, 0, &err),
					 COT_OK);
			want_traces(res, 1);
			if (files[f].label) {
				v = json_object_get(rec, files[f].label);
				if (files[f].label_in_array)
					v = json_array_get(v, 0);
				want_bool(res, 0, "label", json_is_true(v));
			}
			if (files[f].ref) {
				v = json_object_get(rec, files[f].ref);
				want_str(res, 0, "ref", json_string_value(v));
			}
			if (files[f].model) {
				v = json_object_get(rec, files[f].model);
				want_str(res, 0, "model",
					 json_string_value(v));
			}
			if (files[f].finish) {
				v = json_object_get(rec, files[f].finish);
				want_str(res, 0, "finish_reason",
					 json_string_value(v));
			}
			json_decref(rec);
			seen++;
		}
		assert_true(seen >= min_records);
		cot_reader_free(rd);
	}
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* SkyThought evals (a JSON document keyed by problem): each value's
 * responses["0.0"] gives one trace, labelled by its correctness. */
static void check_keyed_dump(const char *path, size_t want_correct);

static void test_analyze_unit_corpus_keyed_dump(void **state)
{
	char path[1024];

	(void)state;
	if (!corpus_dir())
		skip_without_corpus();
	snprintf(path, sizeof path, "%s/skythought-evals-json/"
		 "Qwen2.5-32B-Instruct_MATH500_test_None_0_-1_still2_sys_"
		 "zero.json", corpus_dir());
	check_keyed_dump(path, 370);
}

/* The same on the fixture dump (4 of 6 correct). */
static void test_analyze_unit_fixture_keyed_dump(void **state)
{
	char path[1024];

	(void)state;
	snprintf(path, sizeof path, "%s/skythought/evals.json", data_dir());
	check_keyed_dump(path, 4);
}

static void check_keyed_dump(const char *path, size_t want_correct)
{
	json_t *doc;
	const char *key;
	json_t *val;
	size_t want_true = 0, got_true = 0, traces = 0;
	cot_analyzer *az;
	cot_result *res;
	cot_reader *rd;
	const cot_unit *u;
	cot_error err;

	doc = json_load_file(path, 0, NULL);
	assert_non_null(doc);
	json_object_foreach(doc, key, val)
		want_true += json_is_true(json_object_get(json_object_get(
			json_object_get(val, "responses"), "0.0"),
			"correctness"));
	assert_int_equal(want_true, want_correct);
	assert_int_equal(cot_analyzer_new(&az, NULL, NULL), COT_OK);
	assert_int_equal(cot_result_new(&res, az, NULL), COT_OK);
	assert_int_equal(cot_reader_open_path(&rd, path, &err), COT_OK);
	while (cot_reader_next(&u, rd, &err) == COT_OK) {
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			assert_int_equal(cot_analyze_unit(res, u, i, &err),
					 COT_OK);
			for (size_t t = 0; t < cot_result_traces(res); t++) {
				got_true += bool_is(res, t, "label");
				assert_true(value_is(res, t, "dialect",
						     "thought"));
			}
			traces += cot_result_traces(res);
		}
	}
	assert_int_equal(traces, json_object_size(doc));
	assert_int_equal(got_true, want_true);
	cot_reader_free(rd);
	cot_result_free(res);
	cot_analyzer_free(az);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze_json_chat_reasoning_content),
		cmocka_unit_test(test_analyze_json_chat_reasoning_field),
		cmocka_unit_test(
			test_analyze_json_chat_reasoning_content_wins),
		cmocka_unit_test(test_analyze_json_chat_reasoning_details),
		cmocka_unit_test(
			test_analyze_json_chat_reasoning_beats_details),
		cmocka_unit_test(test_analyze_json_chat_several_choices),
		cmocka_unit_test(test_analyze_json_chat_delta_chunk),
		cmocka_unit_test(test_analyze_json_chat_content_null),
		cmocka_unit_test(
			test_analyze_json_chat_think_tags_in_content),
		cmocka_unit_test(
			test_analyze_json_chat_close_tag_only_is_prefilled),
		cmocka_unit_test(
			test_analyze_json_chat_untagged_content_is_answer),
		cmocka_unit_test(test_analyze_json_chat_legacy_text_choice),
		cmocka_unit_test(
			test_analyze_json_chat_mistral_thinking_chunks),
		cmocka_unit_test(test_analyze_json_openai_batch_wrapper),
		cmocka_unit_test(test_analyze_json_recorded_response_body),
		cmocka_unit_test(test_analyze_json_recorded_json_text_body),
		cmocka_unit_test(
			test_analyze_json_recorded_stream_text),
		cmocka_unit_test(test_analyze_json_bare_message),
		cmocka_unit_test(test_analyze_json_ollama_wrapped_message),
		cmocka_unit_test(test_analyze_json_cohere_message_blocks),
		cmocka_unit_test(test_analyze_json_claude_code_event),
		cmocka_unit_test(test_analyze_json_tool_only_turns),
		cmocka_unit_test(test_analyze_json_inspect),
		cmocka_unit_test(test_stream_api),
		cmocka_unit_test(
			test_analyze_json_flat_thinking_and_content),
		cmocka_unit_test(
			test_analyze_json_flat_thinking_and_response),
		cmocka_unit_test(
			test_analyze_json_non_assistant_messages_no_trace),
		cmocka_unit_test(test_analyze_json_anthropic_blocks),
		cmocka_unit_test(test_analyze_json_anthropic_redacted_only),
		cmocka_unit_test(
			test_analyze_json_anthropic_tags_in_text_block),
		cmocka_unit_test(test_analyze_json_anthropic_message_batch),
		cmocka_unit_test(test_analyze_json_bedrock_converse),
		cmocka_unit_test(test_analyze_json_gemini_thought_parts),
		cmocka_unit_test(
			test_analyze_json_gemini_several_candidates),
		cmocka_unit_test(test_analyze_json_gemini_batch_wrapper),
		cmocka_unit_test(test_analyze_json_responses_summaries),
		cmocka_unit_test(test_analyze_json_responses_incomplete),
		cmocka_unit_test(
			test_analyze_json_responses_encrypted_only),
		cmocka_unit_test(
			test_analyze_json_responses_reasoning_text),
		cmocka_unit_test(test_analyze_json_responses_tags_in_text),
		cmocka_unit_test(
			test_analyze_json_chat_messages_last_assistant),
		cmocka_unit_test(
			test_analyze_json_prompt_messages_and_text_field),
		cmocka_unit_test(test_analyze_json_sharegpt_last_gpt),
		cmocka_unit_test(test_analyze_json_columns_s1k_and_openthoughts),
		cmocka_unit_test(test_analyze_json_openr1_generations),
		cmocka_unit_test(
			test_analyze_json_openr1_short_parallel_arrays),
		cmocka_unit_test(test_analyze_json_skythought_responses),
		cmocka_unit_test(test_analyze_json_long_text_fields),
		cmocka_unit_test(test_analyze_json_code_first_element),
		cmocka_unit_test(
			test_analyze_json_empty_text_field_no_trace),
		cmocka_unit_test(test_analyze_json_string_record),
		cmocka_unit_test(test_analyze_json_keyed_eval_dump),
		cmocka_unit_test(
			test_analyze_json_no_trace_is_not_an_error),
		cmocka_unit_test(test_analyze_json_array_of_records),
		cmocka_unit_test(test_analyze_json_malformed_is_eparse),
		cmocka_unit_test(
			test_analyze_json_ref_number_kept_as_written),
		cmocka_unit_test(test_analyze_json_label_keys),
		cmocka_unit_test(
			test_analyze_json_finish_reason_and_model_keys),
		cmocka_unit_test(test_analyze_json_escapes_are_decoded),
		cmocka_unit_test(test_analyze_json_escaped_tags_split),
		cmocka_unit_test(test_analyze_json_field_path),
		cmocka_unit_test(test_analyze_json_field_negative_index),
		cmocka_unit_test(test_analyze_json_field_star_fans_out),
		cmocka_unit_test(test_analyze_json_field_quoted_key),
		cmocka_unit_test(test_analyze_json_field_with_answer_field),
		cmocka_unit_test(test_analyze_json_answer_field_overrides),
		cmocka_unit_test(test_analyze_json_ref_field),
		cmocka_unit_test(test_analyze_json_ref_field_star),
		cmocka_unit_test(test_analyze_json_untagged_think),
		cmocka_unit_test(test_analyze_json_untagged_answer),
		cmocka_unit_test(test_analyzer_new_rejects_bad_paths),
		cmocka_unit_test(test_analyzer_new_rejects_bad_options),
		cmocka_unit_test(
			test_analyze_json_out_of_memory_fails_cleanly),
		cmocka_unit_test(test_analyze_unit_corpus_files),
		cmocka_unit_test(test_analyze_unit_fixture_files),
		cmocka_unit_test(test_analyze_unit_corpus_metadata),
		cmocka_unit_test(test_analyze_unit_fixture_metadata),
		cmocka_unit_test(test_analyze_unit_corpus_keyed_dump),
		cmocka_unit_test(test_analyze_unit_fixture_keyed_dump),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
