#!/usr/bin/env python3
"""test_streams.py - end-to-end tests of streamed responses.

Usage: test_streams.py COTLOG SRCDIR (TAP output). A streamed response
kept as text in a record (Server-Sent Events, Amazon's binary event
stream, raw or base64) must give the trace that the same response sent
whole gives. The reference is rebuilt here from the events, by code that
shares nothing with cotlog's (rebuild() below), and both are profiled by
cotlog: the profiles must be equal, field for field. The fixtures
(tests/data/streams, made by make.py) also hold each response sent
whole, which checks rebuild() itself; the corpus cases read the
recorded streams of ../shared/corpus/api-cassettes-pydantic-ai."""
import base64
import binascii
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import CORPUS, DATA, case, have_corpus, main, run  # noqa: E402

STREAMS = os.path.join(DATA, "streams")


# ---- the reference: a stream rebuilt into the response ------------------

def sse_events(text):
    """The data of each event of a Server-Sent Events text, in order,
    up to [DONE]; an event cut at the end is kept."""
    out, data = [], []
    for line in re.split(r"\r\n|\r|\n", text) + [""]:
        if line == "":
            if data:
                d = "\n".join(data)
                if d == "[DONE]":
                    break
                out.append((None, d))
            data = []
        elif line.startswith("data:"):
            v = line[5:]
            data.append(v[1:] if v.startswith(" ") else v)
    return out


def binary_events(raw):
    """(event type, payload) of each message of an event stream, found
    by its headers (a recorder may have mangled the lengths)."""
    out = []
    for m in re.finditer(rb"\x0b:event-type\x07\x00(.)", raw, re.S):
        n = m.group(1)[0]
        name = raw[m.end():m.end() + n].decode()
        brace = raw.find(b"{", m.end() + n)
        payload, _ = json.JSONDecoder().raw_decode(
            raw[brace:].decode("utf-8", "replace"))
        out.append((name, payload))
    return out


def events_of(text):
    if text.startswith("\x00"):
        return binary_events(text.encode())
    if re.fullmatch(r"[A-Za-z0-9+/=\s]+", text) and len(text) >= 16:
        try:
            return binary_events(base64.b64decode(text))
        except binascii.Error:
            pass
    evs = []
    for name, d in sse_events(text):
        try:
            evs.append((name, json.loads(d)))
        except ValueError:
            pass
    return evs


def rebuild_chat(evs):
    choices, model = {}, None
    for _, e in evs:
        model = e.get("model") or model
        for k, c in enumerate(e.get("choices") or []):
            ch = choices.setdefault(c.get("index", k), {
                "rc": "", "reasoning": "", "content": [], "details": {},
                "text": None, "finish": None, "delta": False})
            d = c.get("delta") or c.get("message")
            if isinstance(d, dict):
                ch["delta"] = True
                ch["rc"] += d.get("reasoning_content") or ""
                ch["reasoning"] += d.get("reasoning") or ""
                for j, det in enumerate(d.get("reasoning_details") or []):
                    key = (det.get("type"), det.get("index", j))
                    prev = ch["details"].get(key, "")
                    ch["details"][key] = prev + (det.get("text") or
                                                 det.get("summary") or "")
                cont = d.get("content")
                parts = ([("text", cont)] if isinstance(cont, str) and cont
                         else [])
                if isinstance(cont, list):
                    ch["array"] = True
                    for p in cont:
                        if p.get("type") == "thinking":
                            th = p["thinking"]
                            parts.append(("thinking", th if isinstance(
                                th, str) else "".join(x.get("text", "")
                                                      for x in th)))
                        elif p.get("type") == "text":
                            parts.append(("text", p["text"]))
                for kind, t in parts:
                    if ch["content"] and ch["content"][-1][0] == kind:
                        ch["content"][-1][1] += t
                    else:
                        ch["content"].append([kind, t])
            elif isinstance(c.get("text"), str):
                ch["text"] = (ch["text"] or "") + c["text"]
            if c.get("finish_reason") is not None:
                ch["finish"] = c["finish_reason"]
    out = []
    for i, ch in choices.items():
        if not ch["delta"] and ch["text"] is not None:
            out.append({"index": i, "text": ch["text"],
                        "finish_reason": ch["finish"]})
            continue
        msg = {"role": "assistant"}
        if ch["rc"]:
            msg["reasoning_content"] = ch["rc"]
        if ch["reasoning"]:
            msg["reasoning"] = ch["reasoning"]
        if ch["details"]:
            msg["reasoning_details"] = [
                {"type": t, "text": v} if t == "reasoning.text" else
                {"type": t, "summary": v} for (t, _), v in
                ch["details"].items()]
        if ch.get("array"):
            msg["content"] = [
                {"type": "thinking", "thinking": [{"type": "text",
                                                   "text": t}]}
                if k == "thinking" else {"type": "text", "text": t}
                for k, t in ch["content"]]
        else:
            msg["content"] = "".join(t for _, t in ch["content"])
        out.append({"index": i, "message": msg,
                    "finish_reason": ch["finish"]})
    return {"model": model, "choices": out}


def rebuild_anthropic(evs):
    msg, blocks = {"type": "message", "role": "assistant",
                   "stop_reason": None}, {}
    for _, e in evs:
        t = e.get("type")
        if t == "message_start":
            msg["model"] = e["message"].get("model")
        elif t == "content_block_start":
            b = dict(e["content_block"])
            blocks[e["index"]] = b
        elif t == "content_block_delta":
            b = blocks.setdefault(e["index"], {"type": "text", "text": ""})
            d = e["delta"]
            if d["type"] == "thinking_delta":
                b["thinking"] = b.get("thinking", "") + d["thinking"]
            elif d["type"] == "text_delta":
                b["text"] = b.get("text", "") + d["text"]
        elif t == "message_delta":
            msg["stop_reason"] = e["delta"].get("stop_reason")
    msg["content"] = [blocks[k] for k in sorted(blocks)]
    return msg


def rebuild_responses(evs):
    resp, items = {"object": "response"}, {}
    for _, e in evs:
        t = e.get("type", "")
        if "response" in e:
            resp["model"] = e["response"].get("model")
            if t in ("response.completed", "response.incomplete",
                     "response.failed"):
                resp["status"] = e["response"]["status"]
                resp["incomplete_details"] = e["response"].get(
                    "incomplete_details")
            continue
        oi = e.get("output_index", 0)
        if t.startswith("response.output_item."):
            it = items.setdefault(oi, {"type": e["item"]["type"]})
            if e["item"].get("encrypted_content"):
                it["encrypted_content"] = "x"
        elif t == "response.reasoning_summary_text.delta":
            it = items.setdefault(oi, {"type": "reasoning"})
            s = it.setdefault("parts", {})
            s[e["summary_index"]] = s.get(e["summary_index"], "") + e["delta"]
        elif t == "response.output_text.delta":
            it = items.setdefault(oi, {"type": "message"})
            s = it.setdefault("parts", {})
            s[e["content_index"]] = s.get(e["content_index"], "") + e["delta"]
    out = []
    for k in sorted(items):
        it, parts = items[k], items[k].pop("parts", {})
        if it["type"] == "reasoning":
            it["summary"] = [{"type": "summary_text", "text": parts[p]}
                             for p in sorted(parts)]
        elif it["type"] == "message":
            it["content"] = [{"type": "output_text", "text": parts[p]}
                             for p in sorted(parts)]
        out.append(it)
    resp["output"] = out
    return resp


def rebuild_gemini(evs):
    cands, model = {}, None
    for _, e in evs:
        model = e.get("modelVersion") or model
        for k, c in enumerate(e.get("candidates") or []):
            cd = cands.setdefault(c.get("index", k), {"parts": []})
            for p in c.get("content", {}).get("parts", []):
                if "text" not in p:
                    continue
                th = bool(p.get("thought"))
                if cd["parts"] and cd["parts"][-1][0] == th:
                    cd["parts"][-1][1] += p["text"]
                else:
                    cd["parts"].append([th, p["text"]])
            if c.get("finishReason"):
                cd["finish"] = c["finishReason"]
    out = []
    for i, cd in cands.items():
        c = {"index": i, "content": {"role": "model", "parts": [
            dict({"text": t}, **({"thought": True} if th else {}))
            for th, t in cd["parts"]]}}
        if "finish" in cd:
            c["finishReason"] = cd["finish"]
        out.append(c)
    return {"candidates": out, "modelVersion": model}


def rebuild_bedrock(evs):
    blocks, stop = {}, None
    for name, e in evs:
        if name == "contentBlockDelta":
            d, i = e["delta"], e["contentBlockIndex"]
            rc = d.get("reasoningContent", {})
            if "text" in d:
                b = blocks.setdefault(i, {"text": ""})
                b["text"] += d["text"]
            elif "text" in rc:
                b = blocks.setdefault(i, {"reasoningContent": {
                    "reasoningText": {"text": ""}}})
                b["reasoningContent"]["reasoningText"]["text"] += rc["text"]
            elif "redactedContent" in rc:
                blocks[i] = {"reasoningContent": {"redactedContent": ""}}
        elif name == "messageStop":
            stop = e.get("stopReason")
    body = {"output": {"message": {"role": "assistant", "content": [
        blocks[k] for k in sorted(blocks)]}}}
    if stop:
        body["stopReason"] = stop
    return body


def rebuild(text):
    """The response a recorded stream stands for."""
    evs = events_of(text)
    if evs and evs[0][0]:
        return rebuild_bedrock(evs)
    first = next((e for _, e in evs if isinstance(e, dict) and (
        "choices" in e or "candidates" in e or "type" in e)), {})
    if "choices" in first:
        return rebuild_chat(evs)
    if "candidates" in first:
        return rebuild_gemini(evs)
    if str(first.get("type", "")).startswith("response."):
        return rebuild_responses(evs)
    return rebuild_anthropic(evs)


# ---- running cotlog -------------------------------------------------------

def profiles(records, args=()):
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n"
                   for r in records).encode()
    rc, out, err = run(["annotate"] + list(args), data)
    assert rc == 0, err
    return [json.loads(line).get("cot")
            for line in out.decode().split("\n") if line]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def recorded_streams():
    """Every record of the corpus's cassettes that keeps a stream."""
    root = os.path.join(CORPUS, "api-cassettes-pydantic-ai")
    out = []
    for name in sorted(os.listdir(root)):
        if name.endswith(".jsonl"):
            for r in read_jsonl(os.path.join(root, name)):
                t = r.get("response_text")
                if isinstance(t, str) and not t.lstrip().startswith("{"):
                    out.append((name, r))
    return out


def same_profiles(pairs):
    """pairs of (label, stream record, whole response): cotlog's
    profiles of each pair must be equal, and not empty."""
    a = profiles([s for _, s, _ in pairs])
    b = profiles([{"response_body": w} for _, _, w in pairs])
    for (label, _, _), x, y in zip(pairs, a, b):
        assert x, f"{label}: no trace from the stream"
        assert x == y, f"{label}:\n stream {x}\n whole  {y}"


# ---- cases ---------------------------------------------------------------

@case
def fixture_streams_give_the_whole_response_trace():
    texts = read_jsonl(os.path.join(STREAMS, "sse.jsonl"))
    bodies = read_jsonl(os.path.join(STREAMS, "bodies.jsonl"))
    pairs = [(t["name"], t, b["response_body"]) for t, b in
             zip(texts, bodies) if b["response_body"] is not None]
    assert len(pairs) == 13, len(pairs)
    same_profiles(pairs)


@case
def rebuild_reads_the_fixtures_as_sent():
    """The reference itself: the texts it rebuilds from each fixture
    stream are those of the response sent whole."""
    texts = read_jsonl(os.path.join(STREAMS, "sse.jsonl"))
    bodies = read_jsonl(os.path.join(STREAMS, "bodies.jsonl"))
    n = 0
    for t, b in zip(texts, bodies):
        if b["response_body"] is None:
            continue
        got = json.dumps(rebuild(t["response_text"]), sort_keys=True)
        for s in re.findall(r'"(?:text|thinking|reasoning_content|'
                            r'reasoning)": ("(?:[^"\\]|\\.)*")',
                            json.dumps(b["response_body"])):
            assert s in got, (t["name"], s[:80])
        n += 1
    assert n == 13


@case
def cut_streams_keep_what_they_received():
    texts = read_jsonl(os.path.join(STREAMS, "sse.jsonl"))
    cut = [(t["name"], t, rebuild(t["response_text"])) for t in texts
           if t["name"].endswith("-cut")]
    assert len(cut) == 13, len(cut)
    same_profiles(cut)
    whole = {t["name"]: p for t, p in zip(texts, profiles(texts))}
    for name, _, _ in cut:
        p, full = whole[name], whole[name[:-4]]
        # the last trace was cut: no finish reason, less reasoning
        assert p[-1]["finish_reason"] is None, name
        assert p[-1]["think"]["words"] < full[-1]["think"]["words"] or \
            p[-1]["answer"]["words"] < full[-1]["answer"]["words"], name


@case
def recorded_streams_give_the_whole_response_trace():
    if not have_corpus():
        return "skip no corpus"
    streams = recorded_streams()
    kinds = sorted({r["content_type"].split(";")[0] for _, r in streams})
    assert kinds == ["application/vnd.amazon.eventstream",
                     "text/event-stream"], kinds
    assert len(streams) == 15, len(streams)
    same_profiles([(f"{name} {r['cassette']}", r,
                    rebuild(r["response_text"])) for name, r in streams])


@case
def sse_syntax():
    """What the SSE format allows: CRLF or CR line ends, a data line
    without the space, an event in several data lines, comments and
    other fields, no blank line at the end; [DONE] ends the stream."""
    def chunk(**delta):
        return json.dumps({"model": "m", "choices": [
            {"index": 0, "delta": delta, "finish_reason": None}]})
    end = json.dumps({"choices": [{"index": 0, "delta": {},
                                   "finish_reason": "stop"}]})
    one = chunk(reasoning_content="Wait, a.", content="ok")
    split = ('{"model":"m","choices":[{"index":0,\ndata: "delta":'
             '{"reasoning_content":"Wait, a.","content":"ok"}}]}')
    texts = [
        f"data: {one}\n\ndata: {end}\n\ndata: [DONE]\n\n",
        f"data:{one}\r\n\r\ndata:{end}\r\n\r\n",
        f"data: {one}\r\rdata: {end}",
        f": keep-alive\nid: 7\nretry: 10\nevent: x\ndata: {split}\n\n"
        f"data: {end}\n",
        f"data: {one}\n\ndata: {end}\n\ndata: [DONE]\n\n"
        f"data: {chunk(content=' more')}\n\n",
    ]
    ps = profiles([{"response_text": t} for t in texts],
                  ["--fields", "think.words,answer.bytes,finish_reason"])
    want = [{"think": {"words": 2}, "answer": {"bytes": 2},
             "finish_reason": "stop"}]
    for t, p in zip(texts, ps):
        assert p == want, (t, p)


@case
def not_a_stream_gives_no_trace():
    for text in ["data: not json\n\n", "event: ping\n\n", ": only\n",
                 "data: [DONE]\n\ndata: " + json.dumps(
                     {"choices": [{"delta": {"content": "x"}}]}) + "\n\n",
                 "AAAA" * 8, "\x00\x00\x00\x10 no headers"]:
        p = profiles([{"response_text": text}])
        assert p == [[]] or p == [None], (text, p)


@case
def hostile_streams_are_bounded():
    """Many choices or blocks: the first are read, in linear time."""
    ev = "".join("data: " + json.dumps({"choices": [
        {"index": i, "delta": {"content": "x"}}]}) + "\n\n"
        for i in range(3000))
    ev += "".join("data: " + json.dumps({
        "type": "content_block_delta", "index": i,
        "delta": {"type": "text_delta", "text": "y"}}) + "\n\n"
        for i in range(3000))
    p = profiles([{"response_text": ev}])[0]
    assert len(p) == 256, len(p)


# ---- annotate --stream -----------------------------------------------------

def split_streams(lines):
    """The streams of a JSON Lines file of chunks, as this test reads
    them: [(indexes of its lines, index of its last line)]. Chat chunks
    by id, Gemini by responseId; Anthropic, Responses and Bedrock events
    from their start event on; a stream ends at its end event (the lines
    of it after that are not its own), or at its last line."""
    streams, order, cur = {}, [], None
    for i, c in enumerate(lines):
        if "choices" in c or "candidates" in c:
            key = c.get("id") or c.get("responseId")
        elif c.get("type") == "message_start" or \
                c.get("type") == "response.created" or "messageStart" in c:
            key = ("start", i)
        elif "metadata" in c:
            continue
        else:
            key = cur
        if key is None and cur is None or (
                key is None and streams[cur]["end"] is not None):
            key = ("anonymous", i)
        if key not in streams:
            streams[key] = {"lines": [], "end": None}
            order.append(key)
        st = streams[key]
        cur = key
        if st["end"] is not None:
            continue
        st["lines"].append(i)
        ch = c.get("choices") or c.get("candidates") or []
        if (ch and all(x.get("finish_reason") or x.get("finishReason")
                       for x in ch)) or \
                c.get("type") in ("message_stop", "response.completed") or \
                "messageStop" in c:
            st["end"] = i
    return [(streams[k]["lines"], streams[k]["end"] if streams[k]["end"]
             is not None else streams[k]["lines"][-1]) for k in order]


@case
def annotate_stream_joins_chunk_files():
    """Each provider's JSON Lines of chunks: every line back unchanged
    but the last chunk of each stream, which holds the profiles of the
    response the stream's chunks make (rebuilt here and profiled
    whole); interleaved streams; one cut short at the end."""
    for name in ("chat", "anthropic", "responses", "gemini", "bedrock",
                 "interleaved"):
        path = os.path.join(STREAMS, f"chunks-{name}.jsonl")
        raw = open(path, "rb").read().splitlines()
        lines = [json.loads(x) for x in raw]
        rc, out, err = run(["annotate", "--stream", "--stats", path])
        assert rc == 0, err
        got = out.splitlines()
        assert len(got) == len(raw), name
        streams = split_streams(lines)
        assert len(streams) == 2, (name, streams)
        assert b"records 2, traces 2," in err, err
        ends = {e for _, e in streams}
        for i, (a, b) in enumerate(zip(raw, got)):
            if i not in ends:
                assert a == b, (name, i)
                continue
            assert b.startswith(a[:-1] + b',"cot":['), (name, i)
        for idx, end in streams:
            evs = [(next(iter(lines[i])) if name == "bedrock" else None,
                    lines[i][next(iter(lines[i]))] if name == "bedrock"
                    else lines[i]) for i in idx]
            body = {"chat": rebuild_chat, "interleaved": rebuild_chat,
                    "anthropic": rebuild_anthropic,
                    "responses": rebuild_responses,
                    "gemini": rebuild_gemini,
                    "bedrock": rebuild_bedrock}[name](evs)
            want = profiles([{"response_body": body}])[0]
            assert json.loads(got[end])["cot"] == want, (name, end)
    # the interleaved file's second stream is cut: no finish reason
    last = json.loads(got[-1])["cot"][0]
    assert last["finish_reason"] is None


@case
def annotate_stream_lines_of_other_things():
    """Blank, malformed and foreign lines are written back unchanged, in
    place; a chunk of an ended stream too; -j is one worker."""
    chunk = {"id": "a", "model": "m", "choices": [
        {"index": 0, "delta": {"reasoning_content": "r", "content": "x"},
         "finish_reason": None}]}
    end = {"id": "a", "choices": [{"index": 0, "delta": {},
                                   "finish_reason": "stop"}]}
    usage = {"id": "a", "choices": [], "usage": {"total_tokens": 9}}
    text = "\n".join([json.dumps(chunk), "", "not json",
                      json.dumps({"other": 1}), json.dumps(end),
                      json.dumps(usage)]) + "\n"
    rc, out, err = run(["annotate", "--stream", "-j", "4",
                        "--fields", "think.words"], text.encode())
    assert rc == 4, err
    want = text.split("\n")
    want[4] = want[4][:-1] + ',"cot":[{"think":{"words":1}}]}'
    assert out.decode().split("\n") == want, out


if __name__ == "__main__":
    main()
