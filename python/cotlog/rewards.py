"""cotlog.rewards - reward functions for RL trainers, on libcotlog.

Each has the signature TRL's GRPOTrainer calls (`reward_funcs=[...]`):
f(completions, **kwargs) -> list, one value per completion. A completion
is either

- standard: a str, the generated text (tags included); or
- conversational: a list of {"role", "content"} messages; the content of
  the last message whose role is "assistant" is scored (of the last
  message when none is). A content given as a list of parts
  ({"type": "text", "text": ...}) is the concatenation of their texts.

References come from the dataset's columns, which TRL passes as keyword
lists: `solution`, else `ground_truth` (a number is read as str(n);
None means none is known).

Each value is that of the profile field of the same name for the text,
as Analyzer.profile(text, reference=ref) computes it (README, "Format
checks", "Repetition", "Equality"):

  format        reward.format: open-r1's format_reward, 1.0 or 0.0
  tag_count     reward.tag_count: open-r1's tag_count_reward, 0 to 1
  think_format  reward.think_format: TRL's think_format_reward, 1 or 0
  correctness   correct: 1.0 when the final answer equals the
                reference, 0.0 when it does not or there is no final
                answer; None when the reference is missing or cannot be
                graded (a sentinel such as "proof", or one that
                normalises to nothing: ref_normalized is null). TRL
                (0.17 and later) leaves a None out of the sum of the
                rewards for that completion.
  repetition    -repeat.ngram: minus open-r1's repetition ratio (word
                trigrams of text.lower().split()) of the *reasoning*,
                i.e. get_repetition_penalty_reward(3, -1.0) applied to
                the reasoning; 0.0 with fewer than 3 words.

repetition_penalty(ngram_size, max_penalty, over) makes others: over
"completion" scores the whole completion as open-r1 does
(cot_repetition_ratio of the text, times max_penalty).

The functions may be called from several threads at once.
"""
import ctypes
import threading
from typing import Any, Callable, List, Optional, Sequence

from . import _lib as L
from ._core import Analyzer, InvalidArgument, _error

__all__ = ["format", "tag_count", "think_format", "correctness",
           "repetition", "repetition_penalty", "completion_text",
           "references"]

RewardFunc = Callable[..., List[Optional[float]]]


def completion_text(completion: Any) -> str:
    """The text a reward scores of one completion (see the module)."""
    if isinstance(completion, (str, bytes)):
        return completion.decode("utf-8", "replace") \
            if isinstance(completion, bytes) else completion
    if isinstance(completion, dict):
        completion = [completion]
    msgs = list(completion)
    if not msgs:
        return ""
    pick = msgs[-1]
    for m in reversed(msgs):
        if isinstance(m, dict) and m.get("role") == "assistant":
            pick = m
            break
    content = pick.get("content") if isinstance(pick, dict) else pick
    if content is None:
        return ""
    if isinstance(content, list):
        return "".join(p.get("text") or "" if isinstance(p, dict) else
                       str(p) for p in content)
    return str(content)


def references(n: int, kwargs: dict) -> List[Optional[str]]:
    """The reference of each of n completions: the `solution` column,
    else `ground_truth`, else none."""
    col = kwargs.get("solution")
    if col is None:
        col = kwargs.get("ground_truth")
    if col is None:
        return [None] * n
    if isinstance(col, (str, bytes, int, float)):
        col = [col] * n
    col = list(col)
    if len(col) != n:
        raise InvalidArgument(f"{len(col)} references for {n} completions",
                              L.EINVAL)
    return [None if r is None else str(r) for r in col]


def _pure(fn) -> RewardFunc:
    def reward(completions: Sequence[Any], **kwargs) -> List[float]:
        out = []
        for c in completions:
            out.append(fn(*L.utf8(completion_text(c))))
        return out
    return reward


format = _pure(L.cot_format_reward)
format.__name__ = format.__qualname__ = "format"
format.__doc__ = """open-r1's format_reward: 1.0 when the text matches
^<think>\\n.*?\\n</think>\\n<answer>\\n.*?\\n</answer>$ (re.DOTALL |
re.MULTILINE), else 0.0 (cot_format_reward; the profile's
reward.format)."""

tag_count = _pure(L.cot_tag_count_reward)
tag_count.__name__ = tag_count.__qualname__ = "tag_count"
tag_count.__doc__ = """open-r1's tag_count_reward: 0.25 for each of
"<think>\\n", "\\n</think>\\n", "\\n<answer>\\n", "\\n</answer>" found
exactly once (cot_tag_count_reward; the profile's reward.tag_count)."""

think_format = _pure(L.cot_think_format_reward)
think_format.__name__ = think_format.__qualname__ = "think_format"
think_format.__doc__ = """TRL's think_format_reward: 1.0 when the text
opens with <think>, holds no second <think> and has a </think>
(cot_think_format_reward; the profile's reward.think_format)."""


class _Fields:
    """An analyzer computing only some fields, made on first use and
    shared by threads (each with its own result), and those fields'
    registry indexes, in the order named."""

    def __init__(self, fields: str, **options):
        self.fields, self.options = fields, options
        self._az: Optional[Analyzer] = None
        self._ids: List[int] = []
        self._lock = threading.Lock()

    def analyzer(self) -> Analyzer:
        if self._az is None:
            with self._lock:
                if self._az is None:
                    az = Analyzer(fields=self.fields, **self.options)
                    self._ids = [_field_id(az, n)
                                 for n in self.fields.split(",")]
                    self._az = az
        return self._az

    def values(self, text: str, reference: Optional[str] = None
               ) -> List[Any]:
        """The fields' values for one completion text."""
        az = self.analyzer()
        return az._scalars(self._ids, text, reference)


def _field_id(az: Analyzer, name: str) -> int:
    err = L.cot_error()
    i = ctypes.c_size_t()
    rc = L.cot_field_find(ctypes.byref(i), az._az.ptr, name.encode(),
                          ctypes.byref(err))
    if rc:
        raise _error(err, rc)
    return i.value


_correct = _Fields("correct,ref_normalized")


def correctness(completions: Sequence[Any], **kwargs
                ) -> List[Optional[float]]:
    """1.0 when the completion's final answer equals the reference (the
    profile's correct is true), 0.0 when it does not or the completion
    has no final answer, None when there is no reference to grade by
    (none given, or ref_normalized is null: a sentinel like "proof")."""
    refs = references(len(completions), kwargs)
    out: List[Optional[float]] = []
    for c, ref in zip(completions, refs):
        if ref is None:
            out.append(None)
            continue
        correct, ref_normalized = _correct.values(completion_text(c), ref)
        if ref_normalized is None:
            out.append(None)
        else:
            out.append(1.0 if correct is True else 0.0)
    return out


def repetition_penalty(ngram_size: int = 3, max_penalty: float = -1.0,
                       over: str = "reasoning") -> RewardFunc:
    """open-r1's get_repetition_penalty_reward(ngram_size, max_penalty):
    the repetition ratio 1 - distinct/total word n-grams of
    text.lower().split() (0 with fewer than ngram_size words), times
    max_penalty (<= 0). over="reasoning" (the default) scores the
    reasoning found by tags, as the profile's repeat.ngram with
    ngram=ngram_size; over="completion" the whole completion text, as
    open-r1 does (cot_repetition_ratio)."""
    if max_penalty > 0:
        raise InvalidArgument(f"max_penalty {max_penalty} should not be "
                              "positive", L.EINVAL)
    if not 1 <= ngram_size <= 64:
        raise InvalidArgument(f"ngram_size: from 1 to 64, not {ngram_size}",
                              L.EINVAL)
    if over not in ("reasoning", "completion"):
        raise InvalidArgument("over: 'reasoning' or 'completion', not "
                              f"{over!r}", L.EINVAL)
    if over == "reasoning":
        fields = _Fields("repeat.ngram", ngram=ngram_size)

        def reward(completions: Sequence[Any], **kwargs) -> List[float]:
            return [fields.values(completion_text(c))[0] * max_penalty
                    for c in completions]
    else:
        def reward(completions: Sequence[Any], **kwargs) -> List[float]:
            out = []
            err = L.cot_error()
            r = ctypes.c_double()
            for c in completions:
                b, n = L.utf8(completion_text(c))
                rc = L.cot_repetition_ratio(ctypes.byref(r), b, n,
                                            ngram_size, ctypes.byref(err))
                if rc:
                    raise _error(err, rc)
                out.append(r.value * max_penalty)
            return out
    reward.__name__ = reward.__qualname__ = \
        f"repetition_penalty_{ngram_size}_{over}"
    reward.__doc__ = repetition_penalty.__doc__
    return reward


repetition = repetition_penalty(3, -1.0, "reasoning")
repetition.__name__ = repetition.__qualname__ = "repetition"
repetition.__doc__ = """Minus the profile's repeat.ngram: open-r1's
repetition penalty (trigrams, max_penalty -1.0) of the reasoning, from
-1.0 (all repeated) to 0.0 (none, or fewer than 3 words)."""

