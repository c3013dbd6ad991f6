#!/usr/bin/env python3
"""make.py - write the test fixtures of tests/data: small traces of every
record shape the corpus of real traces (../shared/corpus, not in the
repository) has, with text invented here, so that the tests that walk the
corpus have a twin that runs on a clone with nothing beside it.

Usage: tests/data/make.py (rewrites the files below this folder; the
output is deterministic, and committed, so the tests need no Python to
find their data). After a change, rerun it and update the counts the
fixture tests expect (tests/unit/test_adapt.c fixture_files[], and the
totals the other fixture tests check).

Shapes (folder/file: what it imitates):
  cassettes/*.jsonl          recorded HTTP interactions (request, status,
                             response_body) of OpenAI chat with
                             reasoning_content, Mistral thinking chunks,
                             Anthropic, Gemini thought parts, Bedrock
                             reasoningContent, Cohere thinking, Responses;
                             an SSE stream of an empty message kept as
                             response_text
  bare/*.jsonl               response bodies alone: chat with reasoning
                             (Groq, OpenRouter), <think> in content, a
                             length stop; Gemini; Responses (summaries,
                             encrypted only, incomplete)
  anthropic/messages.jsonl   Messages API responses: thinking,
                             redacted_thinking and text blocks
  anthropic/batch.jsonl      Message Batches results
  ollama/think-on.jsonl      Ollama /api/chat results flattened: thinking,
                             content, done_reason (some "length")
  ollama/think-off.jsonl     the same without thinking (baseline)
  ollama/items.json          the prompts: no output at all
  skythought/eval.jsonl      eval-harness rows: code[0] with
                             <|begin_of_thought|> markers, score[0], gt;
                             loops, truncation, a missing open marker,
                             a switch to Chinese
  skythought/baseline.jsonl  the same harness, plain CoT with \\boxed
  skythought/evals.json      SkyThought evals dump keyed by problem
  topology/r1.jsonl          flat rows, full_response <think>..</think>
  topology/distill.jsonl     the same, prefilled (no opening <think>), one
                             cut before </think>
  columns/s1k.jsonl          s1K-style columns (thinking_trajectories)
  anchors/chunks.jsonl       reasoning with sentence chunks and offsets
  streams/sse.jsonl          streamed responses kept as response_text:
                             chat (reasoning_content, reasoning, details,
                             several choices, Mistral blocks, a legacy
                             text stream), Anthropic (with redacted
                             thinking), Responses, Gemini, Bedrock's
                             binary event stream raw and in base64; each
                             also cut short before its end
  streams/bodies.jsonl       the same responses sent whole (null for a
                             cut stream), line for line
  streams/chunks-*.jsonl     one provider's stream as JSON Lines, the
                             chunks of two responses (cotlog --stream)
  inspect/log.json           an Inspect AI eval log: samples whose output
                             messages hold reasoning blocks (one redacted),
                             text, or tool calls only; target, scores
  inspect/samples.jsonl      the same samples, one per line
"""
import base64
import json
import os
import random
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261206)

NUMS = "two three four five six seven eight nine ten eleven twelve".split()
CUES = ["Wait, ", "Hmm, ", "Let me check: ", "Alternatively, ", "But ",
        "So ", "Let's verify this. ", "Actually, ", "Okay, ", "Then "]
THINGS = ["the crate", "the garden", "the ladder", "the clock", "the fence",
          "the lantern", "the orchard", "the kettle", "the canal"]


def problem(i):
    a, b = 3 + (i * 7) % 40, 2 + (i * 5) % 13
    what = THINGS[i % len(THINGS)]
    q = (f"A keeper fills {what} with {a} bundles, each of {b} stones. "
         f"How many stones are there in all?")
    return q, a, b, str(a * b)


def sentence(a, b):
    k = rng.randrange(6)
    if k == 0:
        return f"{a} bundles of {b} stones give {a * b} stones."
    if k == 1:
        return f"I could split {a} into {a // 2} and {a - a // 2} first."
    if k == 2:
        return (f"Then {a // 2} times {b} is {a // 2 * b}, and the rest is"
                f" {(a - a // 2) * b}.")
    if k == 3:
        return f"Adding those, {a // 2 * b} plus {(a - a // 2) * b}."
    if k == 4:
        return f"The count of {NUMS[b % len(NUMS)]} per bundle stays fixed."
    return f"So the total should be {a * b}, unless I misread the numbers."


def reasoning(i, paragraphs=None, conclude=True):
    """Invented step-by-step reasoning for problem i: paragraphs of a few
    sentences, most led by a cue word, then (conclude) the answer."""
    _, a, b, ans = problem(i)
    n = paragraphs or 2 + rng.randrange(5)
    out = []
    for p in range(n):
        lead = CUES[rng.randrange(len(CUES))] if p else "Okay, "
        s = [sentence(a, b) for _ in range(1 + rng.randrange(3))]
        out.append(lead + " ".join(s))
    if conclude:
        out.append(f"So the answer is {ans}.")
    return "\n\n".join(out)


def answer(i, right=True):
    """The answer of problem i; a wrong one (off by one) for a record
    its label marks wrong, so that the labels are true."""
    _, a, b, ans = problem(i)
    if not right:
        ans = str(a * b + 1)
    return f"There are {a} times {b} stones, so \\boxed{{{ans}}}."


def loop(i, times):
    """A trace that falls into a loop before it found the answer, and is
    cut off in it."""
    _, a, b, _ = problem(i)
    return (reasoning(i, 2, conclude=False) + "\n\n" +
            f"Wait, let me recount the {a} bundles once more. " * times)


def chinese(i):
    _, a, b, ans = problem(i)
    return (reasoning(i, 2) + "\n\nWait, 我们再算一遍：" +
            f"{a} 乘以 {b} 等于 {ans}。所以答案是 {ans}。")


def usage():
    return {"prompt_tokens": rng.randrange(20, 90),
            "completion_tokens": rng.randrange(100, 900)}


def write_jsonl(name, records):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def write_json(name, doc):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


# ---- provider bodies -----------------------------------------------------

def chat_body(i, kind, finish="stop"):
    msg = {"role": "assistant", "content": answer(i)}
    if kind == "reasoning_content":
        msg["reasoning_content"] = reasoning(i)
    elif kind == "reasoning":
        msg["reasoning"] = reasoning(i)
    elif kind == "tags":
        msg["content"] = f"<think>\n{reasoning(i)}\n</think>\n\n{answer(i)}"
    elif kind == "mistral":
        msg["content"] = [{"type": "thinking", "thinking": [
            {"type": "text", "text": reasoning(i)}]},
            {"type": "text", "text": answer(i)}]
    if finish == "length":
        msg["content"] = ""
        msg.pop("reasoning_content", None)
        msg["reasoning_content"] = loop(i, 40)
    return {"id": f"chatcmpl-fx{i}", "object": "chat.completion",
            "created": 1780000000 + i, "model": "fixture-chat-1",
            "choices": [{"index": 0, "message": msg,
                         "finish_reason": finish}],
            "usage": usage()}


def anthropic_body(i, redacted=False, stop="end_turn"):
    content = [{"type": "thinking", "thinking": reasoning(i),
                "signature": "c2lnbmF0dXJl"}]
    if redacted:
        content.append({"type": "redacted_thinking", "data": "b3BhcXVl"})
    content.append({"type": "text", "text": answer(i)})
    return {"id": f"msg_fx{i}", "type": "message", "role": "assistant",
            "model": "fixture-claude-1", "content": content,
            "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": 50, "output_tokens": 400}}


def gemini_body(i):
    return {"candidates": [{"content": {"role": "model", "parts": [
        {"text": reasoning(i), "thought": True},
        {"text": answer(i)}]}, "finishReason": "STOP", "index": 0}],
        "modelVersion": "fixture-gemini-1", "responseId": f"fx{i}"}


def responses_body(i, kind="summary"):
    out = []
    if kind == "summary":
        out.append({"id": f"rs_fx{i}", "type": "reasoning", "summary": [
            {"type": "summary_text", "text": reasoning(i, 2)},
            {"type": "summary_text", "text": reasoning(i, 1)}]})
    elif kind == "encrypted":
        out.append({"id": f"rs_fx{i}", "type": "reasoning", "summary": [],
                    "encrypted_content": "ZW5jcnlwdGVk"})
    out.append({"id": f"msg_fx{i}", "type": "message", "role": "assistant",
                "status": "completed", "content": [
                    {"type": "output_text", "text": answer(i),
                     "annotations": []}]})
    return {"id": f"resp_fx{i}", "object": "response",
            "model": "fixture-resp-1", "status": "completed",
            "incomplete_details": None, "output": out}


def bedrock_body(i):
    return {"output": {"message": {"role": "assistant", "content": [
        {"reasoningContent": {"reasoningText": {
            "text": reasoning(i), "signature": "c2ln"}}},
        {"text": answer(i)}]}}, "stopReason": "end_turn",
        "usage": {"inputTokens": 40, "outputTokens": 300}}


def cohere_body(i):
    return {"id": f"fx{i}", "finish_reason": "COMPLETE", "message": {
        "role": "assistant", "content": [
            {"type": "thinking", "thinking": reasoning(i)},
            {"type": "text", "text": answer(i)}]},
        "usage": {"tokens": {"input_tokens": 30, "output_tokens": 200}}}


def cassette(i, uri, body, text=None):
    r = {"cassette": f"fixtures/cassette_{i}.yaml", "interaction": 0,
         "method": "POST", "uri": uri,
         "request_body": {"messages": [{"role": "user",
                                        "content": problem(i)[0]}]},
         "status": 200, "content_type": "application/json",
         "response_body": body}
    if text is not None:
        r["content_type"] = "text/event-stream; charset=utf-8"
        r["response_text"] = text
    return r


def main():
    sse = ('event: message_start\ndata: {"type":"message_start"}\n\n'
           'event: message_stop\ndata: {"type":"message_stop"}\n\n')
    chat = "https://api.example.com/chat/completions"
    write_jsonl("cassettes/chat.jsonl", [
        cassette(1, chat, chat_body(1, "reasoning_content")),
        cassette(2, chat, chat_body(2, "reasoning_content")),
        cassette(3, chat, None, text=sse),
    ])
    write_jsonl("cassettes/mistral.jsonl", [
        cassette(4, chat, chat_body(4, "mistral")),
        cassette(5, chat, chat_body(5, "mistral"))])
    write_jsonl("cassettes/anthropic.jsonl", [
        cassette(6, "https://api.example.com/v1/messages",
                 anthropic_body(6)),
        cassette(7, "https://api.example.com/v1/messages", None, text=sse),
    ])
    write_jsonl("cassettes/gemini.jsonl", [
        cassette(i, "https://api.example.com/v1beta/models:generate",
                 gemini_body(i)) for i in (8, 9)])
    write_jsonl("cassettes/bedrock.jsonl", [
        cassette(i, "https://api.example.com/model/converse",
                 bedrock_body(i)) for i in (10, 11)])
    write_jsonl("cassettes/cohere.jsonl", [
        cassette(12, "https://api.example.com/v2/chat", cohere_body(12))])
    write_jsonl("cassettes/responses.jsonl", [
        cassette(i, "https://api.example.com/v1/responses", body)
        for i, body in ((13, responses_body(13)),
                        (14, responses_body(14, "encrypted")))])
    write_jsonl("bare/chat.jsonl", [
        chat_body(15, "reasoning"),
        chat_body(16, "reasoning"),
        chat_body(17, "tags"),
        chat_body(18, "reasoning_content", finish="length"),
    ])
    write_jsonl("bare/gemini.jsonl", [gemini_body(i) for i in (19, 20)])
    write_jsonl("bare/responses.jsonl", [
        responses_body(21), responses_body(22),
        responses_body(23, "encrypted"),
        dict(responses_body(24), status="incomplete",
             incomplete_details={"reason": "max_output_tokens"}),
    ])
    write_jsonl("anthropic/messages.jsonl", [
        anthropic_body(25), anthropic_body(26, redacted=True),
        anthropic_body(27, stop="max_tokens"),
    ])
    write_jsonl("anthropic/batch.jsonl", [
        {"custom_id": f"fx-{i}", "result": {"type": "succeeded",
                                           "message": anthropic_body(i)}}
        for i in (28, 29)])

    # Ollama: think on (thinking field; every fourth stopped for length,
    # cut in a loop), think off (no thinking), the prompts alone.
    on, off, items = [], [], []
    for i in range(30, 46):
        q, _, _, ans = problem(i)
        length = i % 4 == 0
        on.append({"item_id": f"fx-{i}", "type": "math",
                   "model": "fixture-ollama:8b", "think_requested": True,
                   "content": "" if length else answer(i),
                   "thinking": loop(i, 60) if length else reasoning(i),
                   "done_reason": "length" if length else "stop",
                   "eval_count": 4096 if length else 500,
                   "temperature": 0.0})
        off.append({"item_id": f"fx-{i}", "type": "math",
                    "model": "fixture-ollama:8b", "think_requested": False,
                    "content": reasoning(i, 1) + "\n\n" + answer(i),
                    "thinking": "", "done_reason": "stop",
                    "eval_count": 200, "temperature": 0.0})
        items.append({"id": f"fx-{i}", "type": "math", "prompt": q,
                      "answer": ans, "accept": [ans], "grader": "exact"})
    write_jsonl("ollama/think-on.jsonl", on)
    write_jsonl("ollama/think-off.jsonl", off)
    write_json("ollama/items.json", items)

    # Eval harness rows with the Sky-T1 markers.
    rows = []
    for idx in range(12):
        i = 50 + idx
        q, _, _, ans = problem(i)
        t = reasoning(i)
        closed = True
        if idx in (3, 7):              # a loop to the end of the budget
            t, closed = loop(i, 300 if idx == 3 else 120), False
        elif idx == 5:
            t = chinese(i)
        elif idx == 9:                 # cut mid-thought
            t, closed = reasoning(i)[:-40], False
        correct = closed and idx % 3 != 2
        if closed:
            code = ("<|begin_of_thought|>\n\n" + t +
                    "\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\n" +
                    answer(i, correct) + "\n\n<|end_of_solution|>")
        else:
            code = "<|begin_of_thought|>\n\n" + t
        if idx == 10:                  # no open marker
            code = code[len("<|begin_of_thought|>\n\n"):]
        rows.append({"idx": idx, "question": q, "gt_cot": "None",
                     "gt": ans, "answer": float(ans),
                     "code": [code], "pred": [ans if correct else "0"],
                     "report": [None], "score": [correct]})
    write_jsonl("skythought/eval.jsonl", rows)
    write_jsonl("skythought/baseline.jsonl", [
        {"idx": k, "question": problem(70 + k)[0], "gt_cot": "None",
         "gt": problem(70 + k)[3], "answer": float(problem(70 + k)[3]),
         "code": [reasoning(70 + k, 2) + "\n\n" + answer(70 + k, k != 1)],
         "pred": [problem(70 + k)[3]], "report": [None],
         "score": [k != 1]} for k in range(4)])
    evals = {}
    for k in range(6):
        i = 80 + k
        q, _, _, ans = problem(i)
        content = ("<|begin_of_thought|>\n\n" + reasoning(i) +
                   "\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\n" +
                   answer(i, k % 3 != 0) + "\n\n<|end_of_solution|>")
        evals[q] = {"problem": q, "prompt": "Solve step by step. " + q,
                    "answer": ans, "solution": f"{ans}",
                    "responses": {"0.0": {"content": content,
                                          "correctness": k % 3 != 0,
                                          "reason": ""}},
                    "token_usages": {"0.0": usage()}}
    write_json("skythought/evals.json", evals)

    # Flat rows: R1 through the API (<think> open and closed), and
    # distills whose template prefilled <think>; one cut before </think>.
    def flat(i, full, model, correct):
        q, _, _, ans = problem(i)
        return {"item_id": f"fx_{i}", "dataset": "fixture", "problem": q,
                "prompt": q, "ground_truth": ans,
                "metadata": {"level": 1 + i % 5, "subject": "Arithmetic"},
                "full_response": full, "is_correct": correct,
                "extracted_answer": ans if correct else "1",
                "model_name": model, "temperature": 0.6}
    write_jsonl("topology/r1.jsonl", [
        flat(i, f"<think>\n{reasoning(i)}\n</think>"
             f"{answer(i, i % 4 != 1)}", "fixture-r1", i % 4 != 1)
        for i in range(90, 96)])
    write_jsonl("topology/distill.jsonl", [
        flat(i, (reasoning(i) + "\n</think>\n\n" + answer(i, i % 3 == 0))
             if i != 99 else loop(i, 80), "fixture-distill-8b",
             i % 3 == 0 and i != 99)
        for i in range(96, 102)])

    write_jsonl("columns/s1k.jsonl", [
        {"question": problem(i)[0], "solution": problem(i)[3],
         "thinking_trajectories": reasoning(i).split("\n\n"),
         "attempt": answer(i)} for i in (110, 111, 112)])

    rows = []
    for i in (120, 121):
        text = reasoning(i)
        chunks, pos = [], 0
        for n, part in enumerate(text.split("\n\n")):
            start = text.index(part, pos)
            b0 = len(text[:start].encode())
            chunks.append({"idx": n, "text": part,
                           "function_tags": ["active_computation"],
                           "start_byte": b0,
                           "end_byte": b0 + len(part.encode())})
            pos = start + len(part)
        rows.append({"trace_id": f"fixture/problem_{i}",
                     "model": "fixture-distill-8b", "is_correct": True,
                     "problem": {"problem": problem(i)[0],
                                 "gt_answer": problem(i)[3]},
                     "answer": problem(i)[3], "prompt": problem(i)[0],
                     "reasoning": text, "chunks": chunks})
    write_jsonl("anchors/chunks.jsonl", rows)

    write_streams()
    write_inspect()


# ---- streamed responses ----------------------------------------------------

def deltas(text, size=24):
    """text in the pieces a server streams it in."""
    return [text[k:k + size] for k in range(0, len(text), size)] or [""]


def sse(events):
    """Server-Sent Events text of (event name or None, data object or
    the string [DONE])."""
    out = []
    for name, data in events:
        if name:
            out.append(f"event: {name}\n")
        out.append("data: " + (data if isinstance(data, str) else
                               json.dumps(data, ensure_ascii=False)) +
                   "\n\n")
    return "".join(out)


def chat_events(body):
    base = {"id": body["id"], "object": "chat.completion.chunk",
            "created": body["created"], "model": body["model"]}
    ev = []
    for ch in body["choices"]:
        i, msg = ch["index"], ch["message"]
        ev.append(dict(base, choices=[{"index": i, "delta": {
            "role": "assistant", "content": ""}, "finish_reason": None}]))
        for key in ("reasoning_content", "reasoning"):
            for d in deltas(msg.get(key) or ""):
                if d:
                    ev.append(dict(base, choices=[{"index": i, "delta": {
                        key: d}, "finish_reason": None}]))
        for det in msg.get("reasoning_details") or []:
            for d in deltas(det.get("text", "")):
                ev.append(dict(base, choices=[{"index": i, "delta": {
                    "reasoning_details": [dict(det, text=d)]},
                    "finish_reason": None}]))
        content = msg.get("content")
        if isinstance(content, list):
            for block in content:
                text = (block["thinking"][0]["text"]
                        if block["type"] == "thinking" else block["text"])
                for d in deltas(text):
                    part = ({"type": "thinking", "thinking": [
                        {"type": "text", "text": d}]}
                        if block["type"] == "thinking" else
                        {"type": "text", "text": d})
                    ev.append(dict(base, choices=[{"index": i, "delta": {
                        "content": [part]}, "finish_reason": None}]))
        else:
            for d in deltas(content or ""):
                ev.append(dict(base, choices=[{"index": i, "delta": {
                    "content": d}, "finish_reason": None}]))
        ev.append(dict(base, choices=[{"index": i, "delta": {},
                                       "finish_reason": ch["finish_reason"]}]))
    return [(None, e) for e in ev] + [(None, "[DONE]")]


def legacy_events(text, finish):
    ev = [(None, {"id": "cmpl-fx", "object": "text_completion",
                  "model": "fixture-vllm-1", "choices": [
                      {"index": 0, "text": d, "finish_reason": None}]})
          for d in deltas(text)]
    ev.append((None, {"id": "cmpl-fx", "object": "text_completion",
                      "model": "fixture-vllm-1", "choices": [
                          {"index": 0, "text": "",
                           "finish_reason": finish}]}))
    return ev + [(None, "[DONE]")]


def anthropic_events(body):
    start = dict(body, content=[], stop_reason=None)
    ev = [("message_start", {"type": "message_start", "message": start}),
          ("ping", {"type": "ping"})]
    for i, b in enumerate(body["content"]):
        if b["type"] == "thinking":
            ev.append(("content_block_start", {
                "type": "content_block_start", "index": i, "content_block":
                {"type": "thinking", "thinking": "", "signature": ""}}))
            for d in deltas(b["thinking"]):
                ev.append(("content_block_delta", {
                    "type": "content_block_delta", "index": i,
                    "delta": {"type": "thinking_delta", "thinking": d}}))
            ev.append(("content_block_delta", {
                "type": "content_block_delta", "index": i, "delta": {
                    "type": "signature_delta", "signature": "c2ln"}}))
        elif b["type"] == "text":
            ev.append(("content_block_start", {
                "type": "content_block_start", "index": i,
                "content_block": {"type": "text", "text": ""}}))
            for d in deltas(b["text"]):
                ev.append(("content_block_delta", {
                    "type": "content_block_delta", "index": i,
                    "delta": {"type": "text_delta", "text": d}}))
        else:
            ev.append(("content_block_start", {
                "type": "content_block_start", "index": i,
                "content_block": b}))
        ev.append(("content_block_stop",
                   {"type": "content_block_stop", "index": i}))
    ev.append(("message_delta", {"type": "message_delta", "delta": {
        "stop_reason": body["stop_reason"], "stop_sequence": None},
        "usage": {"output_tokens": 400}}))
    ev.append(("message_stop", {"type": "message_stop"}))
    return ev


def responses_events(body):
    created = dict(body, status="in_progress", output=[])
    ev = [("response.created", {"type": "response.created",
                                "sequence_number": 0, "response": created})]
    for oi, item in enumerate(body["output"]):
        ev.append(("response.output_item.added", {
            "type": "response.output_item.added", "output_index": oi,
            "item": dict(item, summary=[]) if item["type"] == "reasoning"
            else dict(item, content=[])}))
        if item["type"] == "reasoning":
            for si, part in enumerate(item["summary"]):
                for d in deltas(part["text"]):
                    ev.append(("response.reasoning_summary_text.delta", {
                        "type": "response.reasoning_summary_text.delta",
                        "item_id": item["id"], "output_index": oi,
                        "summary_index": si, "delta": d}))
        else:
            for ci, part in enumerate(item["content"]):
                for d in deltas(part["text"]):
                    ev.append(("response.output_text.delta", {
                        "type": "response.output_text.delta",
                        "item_id": item["id"], "output_index": oi,
                        "content_index": ci, "delta": d}))
        ev.append(("response.output_item.done", {
            "type": "response.output_item.done", "output_index": oi,
            "item": item}))
    ev.append(("response.completed", {"type": "response.completed",
                                      "response": body}))
    return ev


def gemini_events(body):
    ev, cand = [], body["candidates"][0]
    for part in cand["content"]["parts"]:
        for d in deltas(part["text"]):
            ev.append({"candidates": [{"content": {
                "parts": [dict(part, text=d)], "role": "model"},
                "index": 0}], "modelVersion": body["modelVersion"],
                "responseId": body["responseId"]})
    ev[-1]["candidates"][0]["finishReason"] = cand["finishReason"]
    return [(None, e) for e in ev]


def bedrock_events(body):
    ev = [("messageStart", {"role": "assistant"})]
    for i, b in enumerate(body["output"]["message"]["content"]):
        if "reasoningContent" in b:
            for d in deltas(b["reasoningContent"]["reasoningText"]["text"]):
                ev.append(("contentBlockDelta", {
                    "contentBlockIndex": i,
                    "delta": {"reasoningContent": {"text": d}}}))
        else:
            for d in deltas(b["text"]):
                ev.append(("contentBlockDelta", {
                    "contentBlockIndex": i, "delta": {"text": d}}))
        ev.append(("contentBlockStop", {"contentBlockIndex": i}))
    ev.append(("messageStop", {"stopReason": body["stopReason"]}))
    ev.append(("metadata", {"usage": body["usage"],
                            "metrics": {"latencyMs": 900}}))
    return ev


def eventstream(events):
    """Amazon's binary event stream (application/vnd.amazon.eventstream):
    each message a prelude (total and header lengths, CRC32), headers
    (name length, name, type 7 = string, value length, value), the JSON
    payload and a CRC32 of all before it."""
    out = b""
    for name, payload in events:
        headers = b""
        for k, v in ((":event-type", name),
                     (":content-type", "application/json"),
                     (":message-type", "event")):
            headers += (bytes([len(k)]) + k.encode() + b"\x07" +
                        len(v).to_bytes(2, "big") + v.encode())
        body = json.dumps(payload).encode()
        total = 12 + len(headers) + len(body) + 4
        prelude = total.to_bytes(4, "big") + len(headers).to_bytes(4, "big")
        msg = prelude + zlib.crc32(prelude).to_bytes(4, "big") + headers + body
        out += msg + zlib.crc32(msg).to_bytes(4, "big")
    return out


def write_streams():
    """Streams of responses made here, each kept whole and cut short (the
    last third of its events lost, and no end), and each response as it
    comes without streaming (null for a cut stream: the test rebuilds
    it from the events)."""
    saved = rng.getstate()
    rng.seed(20261207)
    chat2 = chat_body(130, "reasoning_content")
    chat2["choices"].append({"index": 1, "message": {
        "role": "assistant", "reasoning_content": reasoning(131),
        "content": answer(131)}, "finish_reason": "length"})
    details = chat_body(132, "reasoning")
    msg = details["choices"][0]["message"]
    msg["reasoning_details"] = [{"type": "reasoning.text",
                                 "text": msg.pop("reasoning"), "index": 0,
                                 "format": "anthropic-claude-v1"}]
    cases = [
        ("chat", chat_body(133, "reasoning_content"), chat_events),
        ("chat-reasoning", chat_body(134, "reasoning"), chat_events),
        ("chat-tags", chat_body(135, "tags"), chat_events),
        ("chat-choices", chat2, chat_events),
        ("chat-details", details, chat_events),
        ("mistral", chat_body(136, "mistral"), chat_events),
        ("anthropic", anthropic_body(137), anthropic_events),
        ("anthropic-redacted", anthropic_body(138, redacted=True),
         anthropic_events),
        ("responses", responses_body(139), responses_events),
        ("gemini", gemini_body(140), gemini_events),
        ("bedrock", bedrock_body(141), bedrock_events),
        ("bedrock-base64", bedrock_body(142), bedrock_events),
    ]
    legacy = "<think>\n" + reasoning(143) + "\n</think>\n\n" + answer(143)
    texts, bodies = [], []
    for name, body, events in cases:
        ev = events(body)
        for cut in (False, True):
            e = ev[:len(ev) * 2 // 3] if cut else ev
            if name.startswith("bedrock"):
                raw = eventstream(e)
                text = (base64.b64encode(raw).decode() if "base64" in name
                        else raw.decode("utf-8", "replace"))
                ctype = "application/vnd.amazon.eventstream"
            else:
                text, ctype = sse(e), "text/event-stream"
            label = name + ("-cut" if cut else "")
            texts.append({"name": label, "content_type": ctype,
                          "response_body": None, "response_text": text})
            bodies.append({"name": label,
                           "response_body": None if cut else body})
    for cut in (False, True):
        e = legacy_events(legacy, "stop")
        e = e[:len(e) * 2 // 3] if cut else e
        label = "legacy" + ("-cut" if cut else "")
        texts.append({"name": label, "content_type": "text/event-stream",
                      "response_body": None, "response_text": sse(e)})
        bodies.append({"name": label, "response_body": None if cut else {
            "id": "cmpl-fx", "object": "text_completion",
            "model": "fixture-vllm-1", "choices": [
                {"index": 0, "text": legacy, "finish_reason": "stop"}]}})
    write_jsonl("streams/sse.jsonl", texts)
    write_jsonl("streams/bodies.jsonl", bodies)

    # JSON Lines of chunks: two responses of each provider one after the
    # other, and (chat) two interleaved, the second cut short
    for name, make, events in (
            ("chat", lambda i: chat_body(i, "reasoning_content"),
             chat_events),
            ("anthropic", anthropic_body, anthropic_events),
            ("responses", responses_body, responses_events),
            ("gemini", gemini_body, gemini_events),
            ("bedrock", bedrock_body, bedrock_events)):
        lines = []
        for i in (144, 145):
            for ev, data in events(make(i)):
                if data == "[DONE]":
                    continue
                lines.append({ev: data} if name == "bedrock" else data)
        write_jsonl(f"streams/chunks-{name}.jsonl", lines)
    a = [d for _, d in chat_events(chat_body(146, "reasoning_content"))
         if d != "[DONE]"]
    b = [d for _, d in chat_events(chat_body(147, "reasoning_content"))
         if d != "[DONE]"][:-3]
    mixed = []
    while a or b:
        if a:
            mixed.append(a.pop(0))
        if b:
            mixed.append(b.pop(0))
    write_jsonl("streams/chunks-interleaved.jsonl", mixed)
    rng.setstate(saved)


def write_inspect():
    saved = rng.getstate()
    rng.seed(20261208)
    samples = []
    for i in range(150, 155):
        q, _, _, ans = problem(i)
        content = [{"type": "reasoning", "reasoning": reasoning(i),
                    "signature": "c2ln", "redacted": False},
                   {"type": "text", "text": answer(i, right=i != 152)}]
        calls = None
        if i == 153:
            content[0] = {"type": "reasoning", "reasoning": "ZW5jcnlwdGVk",
                          "redacted": True}
        if i == 154:    # a turn of tool calls only
            content, calls = [], [{"id": "call_1", "function": "bash",
                                   "arguments": {"cmd": "ls"},
                                   "type": "function"}]
        msg = {"role": "assistant", "content": content,
               "source": "generate", "tool_calls": calls,
               "model": "fixture-inspect-1"}
        samples.append({
            "id": i, "epoch": 1, "input": q, "target": ans,
            "messages": [{"role": "user", "content": q}, msg],
            "output": {"model": "fixture-inspect-1", "choices": [
                {"message": msg,
                 "stop_reason": "tool_calls" if calls else "stop"}],
                "usage": {"input_tokens": 60, "output_tokens": 500}},
            "scores": {"match": {"value": "I" if i == 152 else "C",
                                 "answer": ans}},
            "metadata": {}})
    write_json("inspect/log.json", {
        "version": 2, "status": "success",
        "eval": {"task": "fixture_math", "model": "fixture/inspect-1",
                 "created": "2026-12-07T00:00:00+00:00"},
        "plan": {"name": "plan", "steps": []},
        "results": {"total_samples": 5, "completed_samples": 5},
        "stats": {}, "samples": samples})
    write_jsonl("inspect/samples.jsonl", samples)
    rng.setstate(saved)


if __name__ == "__main__":
    main()
