"""cotlog.rewards equals the profile fields the command writes
(reward.format, reward.tag_count, reward.think_format, correct,
repeat.ngram) for completions made of every trace of the fixtures and
the corpus, in both of TRL's completion shapes; and open-r1's published
values."""
import json

import pytest

import cotlog
from cotlog import rewards
from conftest import SETS, files_of, note, run
from test_profiles import _text


def completions(which):
    """(completion text, reference) pairs: each trace's reasoning and
    answer put back together in the shapes trainers see."""
    az = cotlog.Analyzer(fields="ref")
    out = []
    for path in files_of(which):
        for _, _, profiles in cotlog.read(path, analyzer=az):
            if not profiles:
                continue
            res = az._thread().res.ptr
            for i, p in enumerate(profiles):
                think, ans = _text(res, i, "reasoning"), _text(res, i,
                                                               "answer")
                ref = p["ref"]
                out.append((f"<think>\n{think}\n</think>\n<answer>\n{ans}"
                            f"\n</answer>", ref))
                out.append((f"<think>{think}</think>{ans}", ref))
                out.append((f"{think}\n</think>\n\n{ans}", ref))
    return out


@pytest.mark.parametrize("which", SETS)
def test_rewards_equal_profile_fields(which, tmp_path):
    cases = completions(which)
    f = tmp_path / "c.jsonl"
    with open(f, "w") as out:
        for text, ref in cases:
            rec = {"text": text}
            if ref is not None:
                rec["ground_truth"] = ref
            out.write(json.dumps(rec) + "\n")
    want = []
    for line in run(["annotate", "--fields",
                     "reward.*,correct,ref_normalized,repeat.ngram",
                     str(f)]).splitlines():
        want.append(json.loads(line)["cot"][0])
    texts = [t for t, _ in cases]
    refs = [r for _, r in cases]
    convo = [[{"role": "user", "content": "q"},
              {"role": "assistant", "content": t}] for t in texts]
    for comps in (texts, convo):
        got = {
            "format": rewards.format(comps),
            "tag_count": rewards.tag_count(comps),
            "think_format": rewards.think_format(comps),
            "correct": rewards.correctness(comps, solution=refs),
            "repeat": rewards.repetition(comps),
        }
        assert rewards.correctness(comps, ground_truth=refs) == \
            got["correct"]
        for k, w in enumerate(want):
            assert got["format"][k] == w["reward"]["format"]
            assert got["tag_count"][k] == w["reward"]["tag_count"]
            assert got["think_format"][k] == w["reward"]["think_format"]
            assert got["repeat"][k] == -w["repeat"]["ngram"]
            c = got["correct"][k]
            if w["ref_normalized"] is None:
                assert c is None
            else:
                assert c == (1.0 if w["correct"] else 0.0)
    graded = [c for c in got["correct"] if c is not None]
    note(f"{len(cases)} completions, {len(graded)} graded, "
         f"{sum(graded):.0f} correct, {sum(got['format'])} in R1 format")
    assert any(got["format"]) and not all(got["format"])


def test_open_r1_published_values():
    # README "Repetition": open-r1's tests of its repetition penalty
    for n, mx, text, want in [
            (2, -1.0, "this this this this this", -0.75),
            (2, -1.0, "this is a this is a test", -1 / 3),
            (3, -1.0, "word word word word", -0.5),
            (3, -0.5, "test test test test", -0.25),
            (3, -1.0, "one two one two", 0.0),
            (3, -1.0, "A B C A B C", -0.25),
            (3, -2.0, "this is a this is a test", -0.4),
            (3, -1.0, "", 0.0)]:
        f = rewards.repetition_penalty(n, mx, over="completion")
        assert f([text])[0] == pytest.approx(want, abs=1e-12)
        assert f([[{"role": "assistant", "content": text}]])[0] == \
            pytest.approx(want, abs=1e-12)
    # README "Format checks": open-r1's and TRL's examples
    ok = "<think>\nSome reasoning\n</think>\n<answer>\nThe answer\n</answer>"
    assert rewards.format([ok, "<think>Only thinking</think>"]) == [1.0, 0.0]
    assert rewards.tag_count([ok]) == [1.0]
    assert rewards.think_format([
        "<think>\nThis is my reasoning.\n</think>\nThis is my answer.",
        "<think>\nno close"]) == [1.0, 0.0]


def test_correctness_and_shapes():
    c = ["<think>2+2</think>\\boxed{4}", "<think>x</think>\\boxed{5}",
         "<think>no answer</think>", "<think>x</think>\\boxed{4}"]
    assert rewards.correctness(c, solution=["4", "4", "4", None]) == \
        [1.0, 0.0, 0.0, None]
    assert rewards.correctness(c, solution=[4, 4, 4, 4]) == \
        [1.0, 0.0, 0.0, 1.0]
    assert rewards.correctness(c) == [None] * 4
    assert rewards.correctness(c[:1], solution=["proof"]) == [None]
    with pytest.raises(cotlog.InvalidArgument):
        rewards.correctness(c, solution=["4"])
    # the last assistant message is scored; parts are joined
    convo = [{"role": "assistant", "content": "<think>a</think>1"},
             {"role": "user", "content": "more"},
             {"role": "assistant", "content": [
                 {"type": "text", "text": "<think>b</think>"},
                 {"type": "text", "text": "\\boxed{4}"}]}]
    assert rewards.completion_text(convo) == "<think>b</think>\\boxed{4}"
    assert rewards.correctness([convo], solution=["4"]) == [1.0]
    with pytest.raises(cotlog.InvalidArgument):
        rewards.repetition_penalty(3, 1.0)
    # a completion cut inside a character scores as Python reads it
    assert rewards.format([b"<think>\xe2\x82</think>"]) == [0.0]


def test_text_read_in_place_or_kept():
    # a str's UTF-8 is read in place (ASCII), kept in the str (other
    # text) or, with lone surrogates, encoded with them for the library
    # to replace: the values are profile()'s, on a first call and on a
    # second over the same strs
    texts = ["<think>plain x x x x</think>\\boxed{4}",
             "<think>\u00e9t\u00e9 \u65e5\u672c \u65e5\u672c \u65e5\u672c"
             "</think>\\boxed{5}",
             "<think>x \ud800 y x \ud800 y</think>\\boxed{4}"]
    az = cotlog.Analyzer(fields="correct,ref_normalized,repeat.ngram,"
                                "reward.*")
    want = [az.profile(t, reference="4") for t in texts]
    for _ in range(2):
        assert rewards.correctness(texts, solution=["4"] * 3) == \
            [1.0 if p["correct"] else 0.0 for p in want]
        assert rewards.repetition(texts) == \
            [-p["repeat"]["ngram"] for p in want]
        assert rewards.think_format(texts) == \
            [p["reward"]["think_format"] for p in want]
    assert want[2]["repeat"]["ngram"] > 0
