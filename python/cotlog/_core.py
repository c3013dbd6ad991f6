"""_core.py - the Python face of libcotlog: analyzers, reading, summaries."""
import ctypes
import json
import os
import threading
from ctypes import byref, c_size_t, c_void_p
from typing import (Any, Dict, Iterator, List, Optional, Sequence, Tuple,
                    Union)

from . import _lib as L

Profile = Dict[str, Any]

# ---------------------------------------------------------------------
# Errors


class Error(Exception):
    """An error reported by libcotlog: `code` (a cot_status, negative),
    `line` and `column` (1-based; 0 when not applicable) and `message`,
    the library's own text (str(e) is the message)."""

    def __init__(self, message: str, code: int = L.ERROR, line: int = 0,
                 column: int = 0):
        super().__init__(message)
        self.message, self.code = message, code
        self.line, self.column = line, column


class OutOfMemory(Error, MemoryError):
    """COT_ENOMEM: the library ran out of memory."""


class InputError(Error):
    """COT_EIO: an input cannot be opened, read or decompressed (the
    message names it)."""


class ParseError(Error, ValueError):
    """COT_EPARSE: malformed JSON (a record, a partial, a tokenizer
    file); `column` is the byte where."""


class LimitError(Error):
    """COT_ELIMIT: a size limit was reached (a pattern's match budget,
    a summary's max_groups)."""


class InvalidArgument(Error, ValueError):
    """COT_EINVAL: a bad option, path, field name or text."""


class PatternError(Error, ValueError):
    """COT_EPATTERN: a pattern (regex or patterns file) is invalid."""


class ExpressionError(Error, ValueError):
    """COT_EEXPR: an expression (`where`, `by`) is invalid or failed;
    `column` is the 1-based byte of the expression where."""


_BY_CODE = {L.ENOMEM: OutOfMemory, L.EIO: InputError, L.EPARSE: ParseError,
            L.ELIMIT: LimitError, L.EINVAL: InvalidArgument,
            L.EPATTERN: PatternError, L.EEXPR: ExpressionError}


def _error(err: "L.cot_error", rc: int) -> Error:
    code = err.code if err.code < 0 else rc
    msg = err.message.decode("utf-8", "replace") or \
        L.cot_status_str(code).decode()
    return _BY_CODE.get(code, Error)(msg, code, err.line, err.column)


def _check(rc: int, err: "L.cot_error") -> None:
    if rc < 0:
        raise _error(err, rc)


class BadRecord:
    """A piece of the input that gave no profiles, in place of the list
    of profiles in what read() yields; falsy. `message`, `code`, `line`,
    `column` as in Error."""
    __slots__ = ("message", "code", "line", "column")

    def __init__(self, message: str, code: int, line: int, column: int):
        self.message, self.code = message, code
        self.line, self.column = line, column

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.message!r}, line={self.line}, "
                f"column={self.column})")


class MalformedRecord(BadRecord):
    """A line that is not JSON (or, code COT_EIO, the last line of an
    input that damage cut short), or a multi-line document broken by a
    syntax error (its bytes are then b"" and the rest of the document is
    not read). `cotlog stats` counts each as malformed."""


class FailedRecord(BadRecord):
    """A record whose analysis failed (a pattern past its match limit:
    code COT_ELIMIT). `cotlog` reports it and leaves it out."""


# ---------------------------------------------------------------------
# Helpers


def _bytes(s: Union[str, bytes, None], what: str) -> Optional[bytes]:
    if s is None:
        return None
    if isinstance(s, str):
        return s.encode("utf-8", "surrogatepass")
    if isinstance(s, (bytes, bytearray, memoryview)):
        return bytes(s)
    if isinstance(s, os.PathLike):
        return os.fsencode(s)
    raise TypeError(f"{what}: a str or bytes, not {type(s).__name__}")


def _analyze_record(t: "_Thread", record: Union[bytes, str, dict, list]
                    ) -> None:
    """Analyze one record into t's result (cot_analyze_json): JSON text
    (bytes or str), or a dict or list, json.dumps'd first. The bytes
    are kept on t, for the result borrows them."""
    data = (json.dumps(record, ensure_ascii=False).encode(
        "utf-8", "surrogatepass") if isinstance(record, (dict, list))
        else _bytes(record, "record"))
    t.text = data
    _check(L.cot_analyze_json(t.res.ptr, data, len(data), byref(t.err)),
           t.err)


def _field_list(fields: Union[str, Sequence[str], None]) -> Optional[str]:
    if fields is None:
        return None
    if isinstance(fields, str):
        return fields
    return ",".join(fields)


def get(profile: Profile, name: str) -> Any:
    """The value of field `name` ("think.words", "reward.format",
    "patterns.wait.count") in a profile as profile() returns it, where
    dotted names nest: profile["think"]["words"]. KeyError when the
    profile does not hold it (a field left out by `fields=`)."""
    v: Any = profile
    for part in name.split("."):
        v = v[part]
    return v


class FieldInfo:
    """One field of the registry: `name` (dotted), `type` ("bool",
    "int", "real", "string", "json"), `unit` and `doc`, its one-line
    definition."""
    __slots__ = ("name", "type", "unit", "doc", "index")

    def __init__(self, index, name, type_, unit, doc):
        self.index, self.name, self.type = index, name, type_
        self.unit, self.doc = unit, doc

    def __repr__(self) -> str:
        return f"FieldInfo({self.name!r}, {self.type!r}, {self.unit!r})"


class _Owned:
    """A C object and the function that frees it, freed once, when the
    last Python reference goes (or by close()). `keep` holds what must
    outlive it (an analyzer outlives its results)."""
    __slots__ = ("ptr", "free", "keep")

    def __init__(self, ptr, free, keep=None):
        self.ptr, self.free, self.keep = ptr, free, keep

    def close(self):
        if self.ptr:
            self.free(self.ptr)
            self.ptr = None

    def __del__(self):
        # at interpreter exit the module (and the bindings) may be gone
        if L is not None and self.ptr:
            self.close()


# ---------------------------------------------------------------------
# Analyzer


class _Thread:
    """One thread's workspace on an analyzer: a cot_result (with the
    analyzer's field selection), a buffer and an error."""
    __slots__ = ("res", "buf", "err", "opts", "text", "value")

    def __init__(self, az: "Analyzer", select: bool = True):
        self.err = L.cot_error()
        p = c_void_p()
        _check(L.cot_result_new(byref(p), az._az.ptr, byref(self.err)),
               self.err)
        self.res = _Owned(p.value, L.cot_result_free, az._az)
        if select and az._selected is not None:
            ids = (c_size_t * max(1, len(az._selected)))(*az._selected)
            _check(L.cot_result_select(self.res.ptr, ids,
                                       len(az._selected), byref(self.err)),
                   self.err)
        self.buf = L.cot_buf()
        self.opts = L.cot_text_options(L.TEXT_OPTIONS_VERSION)
        self.value = L.cot_value()
        self.text = None    # the analysed bytes, borrowed by the result

    def __del__(self):
        if L is not None and self.buf.ptr:
            L.cot_buf_dispose(byref(self.buf))


class Analyzer:
    """What to look for in traces, built once (cot_analyzer_new) and
    shared by any number of threads: each thread analyzes with a
    cot_result of its own, made on first use (threading.local).

    Options, as `cotlog`'s input options and cot_analyzer_options say:
      field, answer_field, ref_field  paths that override shape detection
                                      ("a.b[0].c", "[*]" for each element)
      untagged     "auto" (default), "think" or "answer"
      patterns_file  a file of user patterns
      patterns     NAME=REGEX strings (a list)
      no_builtin_patterns  True: the user patterns only
      target_script  "Latin", "Han", ... for lang.target_share
      ngram        n of repeat.ngram (default 3)
      match_limit  pcre2 steps per byte of reasoning (default 100)
      tokenizer    a tokenizer.json, a folder holding one, or a model id
                   in the local Hugging Face cache (cot_tokenizer_load;
                   nothing is downloaded): gives the *.tokens fields
      fields       the fields the profiles hold, as --fields takes them:
                   names and shell patterns, a list or comma-separated
                   ("think.*,closed"); only the passes they need run
    Errors: InvalidArgument (a bad path or field), PatternError,
    InputError / ParseError (the tokenizer)."""

    def __init__(self, *, field: Optional[str] = None,
                 answer_field: Optional[str] = None,
                 ref_field: Optional[str] = None, untagged: str = "auto",
                 patterns_file: Union[str, os.PathLike, None] = None,
                 patterns: Optional[Sequence[str]] = None,
                 no_builtin_patterns: bool = False,
                 target_script: Optional[str] = None, ngram: int = 0,
                 match_limit: int = 0,
                 tokenizer: Union[str, os.PathLike, None] = None,
                 fields: Union[str, Sequence[str], None] = None):
        if untagged not in L.UNTAGGED:
            raise InvalidArgument(
                f"untagged: 'auto', 'think' or 'answer', not {untagged!r}",
                L.EINVAL)
        if isinstance(patterns, (str, bytes)):
            patterns = [patterns]
        self.options = dict(
            field=field, answer_field=answer_field, ref_field=ref_field,
            untagged=untagged,
            patterns_file=(os.fspath(patterns_file)
                           if patterns_file is not None else None),
            patterns=list(patterns) if patterns else None,
            no_builtin_patterns=bool(no_builtin_patterns),
            target_script=target_script, ngram=int(ngram),
            match_limit=int(match_limit),
            tokenizer=os.fspath(tokenizer) if tokenizer is not None
            else None,
            fields=_field_list(fields))
        err = L.cot_error()
        self._tok = None
        o = L.cot_analyzer_options(L.ANALYZER_OPTIONS_VERSION)
        # the strings must live while the analyzer is made
        keep = []

        def s(v):
            b = _bytes(v, "option")
            keep.append(b)
            return b
        o.field, o.answer_field = s(field), s(answer_field)
        o.ref_field = s(ref_field)
        o.untagged = L.UNTAGGED[untagged]
        o.patterns_file = s(self.options["patterns_file"])
        if patterns:
            arr = (ctypes.c_char_p * (len(patterns) + 1))(
                *[s(p) for p in patterns], None)
            keep.append(arr)
            o.patterns = arr
        o.no_builtin_patterns = int(bool(no_builtin_patterns))
        o.target_script = s(target_script)
        if not 0 <= int(ngram) <= 64:
            raise InvalidArgument(f"ngram: from 1 to 64, not {ngram}",
                                  L.EINVAL)
        o.ngram, o.match_limit = int(ngram), int(match_limit)
        if tokenizer is not None:
            t = c_void_p()
            _check(L.cot_tokenizer_load(byref(t), s(os.fspath(tokenizer)),
                                        byref(err)), err)
            self._tok = _Owned(t.value, L.cot_tokenizer_free)
            o.tokenizer = t.value
        p = c_void_p()
        _check(L.cot_analyzer_new(byref(p), byref(o), byref(err)), err)
        # the tokenizer must outlive the analyzer
        self._az = _Owned(p.value, L.cot_analyzer_free, self._tok)
        self._selected: Optional[List[int]] = None
        if fields is not None:
            self._selected = self.match_fields(self.options["fields"])
        self._local = threading.local()

    # -- registry --------------------------------------------------

    @property
    def fields(self) -> List[FieldInfo]:
        """Every field of this analyzer's registry, in output order
        (cot_field_at), whatever `fields=` selected."""
        out = []
        for i in range(L.cot_field_count(self._az.ptr)):
            f = L.cot_field_at(self._az.ptr, i).contents
            out.append(FieldInfo(i, f.name.decode(), L.TYPE_NAMES[f.type],
                                 f.unit.decode(), f.doc.decode()))
        return out

    def match_fields(self, names: Union[str, Sequence[str]],
                     scalar: bool = False) -> List[int]:
        """The registry indexes a --fields list chooses
        (cot_fields_match): ascending, each once. InvalidArgument when a
        name or pattern matches nothing."""
        err = L.cot_error()
        n = L.cot_field_count(self._az.ptr)
        out = (c_size_t * max(1, n))()
        got = c_size_t()
        _check(L.cot_fields_match(out, byref(got), self._az.ptr,
                                  _bytes(_field_list(names), "fields"),
                                  L.FIELDS_SCALAR if scalar else 0,
                                  byref(err)), err)
        return list(out[:got.value])

    @property
    def analysis(self) -> str:
        """The options that change what fields mean, as `cotlog stats`
        writes them into a partial: summaries (and `--partial` lines)
        merge only when this text is the same."""
        o = self.options
        parts = []
        if o["patterns_file"] is not None:
            parts.append(f"--patterns {o['patterns_file']}")
        for p in o["patterns"] or ():
            parts.append(f"--pattern {p}")
        if o["no_builtin_patterns"]:
            parts.append("--no-builtin-patterns")
        if o["target_script"] is not None:
            parts.append(f"--target-script {o['target_script']}")
        if o["ngram"]:
            parts.append(f"--ngram {o['ngram']}")
        if o["tokenizer"] is not None:
            parts.append(f"--tokenizer {o['tokenizer']}")
        return " ".join(parts)

    def __reduce__(self):
        # pickled as its options: each process builds its own
        return (_rebuild, (self.options,))

    # -- analysis --------------------------------------------------

    def _thread(self) -> _Thread:
        t = getattr(self._local, "t", None)
        if t is None:
            t = self._local.t = _Thread(self)
        return t

    def _json(self, t: _Thread) -> List[Profile]:
        _check(L.cot_result_json(byref(t.buf), t.res.ptr, byref(t.err)),
               t.err)
        return json.loads(L.take(t.buf))

    def profile(self, text: Union[str, bytes], *,
                reference: Optional[str] = None,
                finish_reason: Optional[str] = None,
                model: Optional[str] = None,
                replace_invalid: bool = True) -> Profile:
        """The profile of one completion text (cot_analyze_text): the
        reasoning and answer found by tags, as the record {"text": text}
        would give, with `reference` (gives ref, ref_normalized,
        correct, efficiency), `finish_reason` and `model` as the record
        would say them. Exactly one trace, so one profile: a dict nested
        as the JSON profile (profile["think"]["words"]; see get()).
        Bytes that are not UTF-8 (and lone surrogates of a str) read as
        U+FFFD unless replace_invalid=False, which raises
        InvalidArgument naming the byte."""
        return json.loads(self.profile_json(
            text, reference=reference, finish_reason=finish_reason,
            model=model, replace_invalid=replace_invalid))

    def profile_json(self, text: Union[str, bytes], *,
                     reference: Optional[str] = None,
                     finish_reason: Optional[str] = None,
                     model: Optional[str] = None,
                     replace_invalid: bool = True) -> bytes:
        """profile() as the JSON text the library writes (one line of
        compact JSON, the profile `cotlog annotate` writes), unparsed:
        for writing profiles out, where a dict is not needed."""
        t = self._analyze_text(text, reference, finish_reason, model,
                               replace_invalid)
        rc = L.cot_result_profile_json(byref(t.buf), t.res.ptr, 0,
                                       byref(t.err))
        if rc:
            raise _error(t.err, rc)
        return L.take(t.buf)

    def _analyze_text(self, text, reference=None, finish_reason=None,
                      model=None, replace_invalid=True,
                      keep_utf8=False) -> _Thread:
        """cot_analyze_text into this thread's result, which it returns.
        keep_utf8: a str's UTF-8 is read from (and left in) the str
        (L.utf8), for texts that are analysed more than once."""
        t = self._thread()
        if keep_utf8 and isinstance(text, str):
            data, n = L.utf8(text)
            t.text = (text, data)
        else:
            data = _bytes(text, "text")
            if data is None:
                raise TypeError("text: a str or bytes, not None")
            t.text, n = data, len(data)
        o = t.opts
        o.ref = _bytes(reference, "reference")
        o.finish_reason = _bytes(finish_reason, "finish_reason")
        o.model = _bytes(model, "model")
        o.flags = L.TEXT_REPLACE_INVALID if replace_invalid else 0
        rc = L.cot_analyze_text(t.res.ptr, data, n, byref(o), byref(t.err))
        if rc:
            raise _error(t.err, rc)
        return t

    def _scalars(self, fields: Sequence[int], text: Union[str, bytes],
                 reference: Optional[str] = None) -> List[Any]:
        """The values of the registry fields `fields` (indexes) for one
        completion text, as profile() would nest them, read one by one
        (cot_result_get) instead of through JSON: for the rewards, which
        read a field or two of completions they are not the only ones to
        read (so the str keeps its UTF-8)."""
        t = self._analyze_text(text, reference, keep_utf8=True)
        v, res, err = t.value, t.res.ptr, byref(t.err)
        out = []
        for f in fields:
            rc = L.cot_result_get(byref(v), res, 0, f, err)
            if rc:
                raise _error(t.err, rc)
            out.append(_value(v))
        return out

    def profile_record(self, record: Union[bytes, str, dict, list]
                       ) -> List[Profile]:
        """The profiles of one record of any shape (cot_analyze_json):
        JSON text (bytes or str) or a dict/list (json.dumps'd first);
        one profile per trace, [] when it holds none. ParseError when
        the text is not JSON."""
        t = self._thread()
        _analyze_record(t, record)
        return self._json(t)

    def annotate(self, data: Union[bytes, str], key: str = "cot") -> bytes:
        """What `cotlog annotate` writes of data held in memory (JSON
        Lines or JSON documents; gzip is decompressed): the input back
        byte for byte, with ,"KEY":[PROFILE,...] added before the final
        } of every record object. Blank and malformed lines, the rest of
        a document after a syntax error, records that are not objects
        and records whose analysis fails are written back unchanged.
        A decompression error raises InputError."""
        k = _key_text(key)
        out = []
        t = self._thread()
        for u in _units(_open_mem(_bytes(data, "data"), None), t,
                        errors=True):
            if isinstance(u, _StreamError):
                if u.code != L.EPARSE:
                    raise _error(u.err, u.code)
                continue    # the rest comes as skipped units
            b, eol = u.bytes(), u.eol()
            if u.bom:
                out.append(b"\xef\xbb\xbf")
            pos = 0
            for i in range(u.records):
                s = u.span(i, t.err)
                if L.cot_analyze_unit(t.res.ptr, u.ptr, i, byref(t.err)):
                    continue    # reported by cotlog, left unannotated
                if s.close == L.SIZE_MAX:
                    continue
                out.append(b[pos:s.close])
                out.append(k[1:] if s.empty_object else k)
                _check(L.cot_result_json(byref(t.buf), t.res.ptr,
                                         byref(t.err)), t.err)
                out.append(L.take(t.buf))
                pos = s.close
            out.append(b[pos:])
            out.append(eol)
        return b"".join(out)

    def where(self, expression: str) -> "Expression":
        """The expression compiled for this analyzer (cot_expr_compile;
        README "Expressions"). ExpressionError, with the column, when it
        does not compile."""
        return Expression(self, expression)


def _rebuild(options):
    return Analyzer(**options)


def _key_text(key: str) -> bytes:
    buf = L.cot_buf()
    err = L.cot_error()
    k = _bytes(key, "key")
    try:
        _check(L.cot_json_string(byref(buf), k, len(k), L.JSON_TERMINAL,
                                 byref(err)), err)
        return b"," + L.take(buf) + b":"
    finally:
        L.cot_buf_dispose(byref(buf))


# ---------------------------------------------------------------------
# Expressions


class Expression:
    """A compiled --where / --by expression over one trace's fields and
    the record's own JSON (rec.PATH). One per thread is made on first
    use (an expression keeps its evaluation stack inside)."""

    def __init__(self, analyzer: Analyzer, source: str):
        self.analyzer, self.source = analyzer, source
        self._local = threading.local()
        self._compile()     # errors now, not at the first record

    def _compile(self):
        e = getattr(self._local, "e", None)
        if e is None:
            err = L.cot_error()
            p = c_void_p()
            _check(L.cot_expr_compile(byref(p), self.analyzer._az.ptr,
                                      _bytes(self.source, "expression"),
                                      byref(err)), err)
            e = self._local.e = _Owned(p.value, L.cot_expr_free,
                                       self.analyzer._az)
        return e

    def _eval(self, t: _Thread, i: int) -> Any:
        v = L.cot_value()
        rc = L.cot_expr_eval(byref(v), self._compile().ptr, t.res.ptr, i,
                             byref(t.err))
        if rc == L.EINVAL:
            # a value of the wrong type met in the record: the
            # expression failed (`cotlog` exits 3, as for EEXPR)
            e = t.err
            raise ExpressionError(e.message.decode("utf-8", "replace"),
                                  rc, e.line, e.column)
        _check(rc, t.err)
        return _value(v)

    def values(self, record: Union[bytes, str, dict, list]) -> List[Any]:
        """Its value on each trace of the record (on the record alone,
        one value, when it has no trace). ExpressionError when it fails
        on a value of the record (a rec.PATH of the wrong type)."""
        t = self.analyzer._thread()
        _analyze_record(t, record)
        return self._values(t)

    def _values(self, t: _Thread) -> List[Any]:
        n = L.cot_result_traces(t.res.ptr)
        if n == 0:
            return [self._eval(t, L.NO_TRACE)]
        return [self._eval(t, i) for i in range(n)]

    def filter(self, data: Union[bytes, str], mode: str = "any",
               invert: bool = False) -> bytes:
        """What `cotlog filter --where EXPR` (with --all for mode="all",
        -v for invert=True) writes of data held in memory: the records
        kept, each as one line (a JSON Lines line as it was, with its
        line end; a record of an array or a multi-line document with its
        line breaks as spaces and a line feed). Malformed lines, records
        whose analysis fails and records on which the expression fails
        are left out (cotlog reports them)."""
        if mode not in ("any", "all"):
            raise InvalidArgument(f"mode: 'any' or 'all', not {mode!r}",
                                  L.EINVAL)
        t = self.analyzer._thread()
        out = []
        for u in _units(_open_mem(_bytes(data, "data"), None), t,
                        errors=True):
            if isinstance(u, _StreamError):
                if u.code != L.EPARSE:
                    raise _error(u.err, u.code)
                continue
            if u.kind != L.UNIT_RECORDS or not u.records:
                continue
            b = u.bytes()
            for i in range(u.records):
                s = u.span(i, t.err)
                if L.cot_analyze_unit(t.res.ptr, u.ptr, i, byref(t.err)):
                    continue
                try:
                    keep = _decide(self._values(t), mode) != invert
                except Error:
                    continue
                if not keep:
                    continue
                if s.whole_unit:
                    out.append(b[s.off:s.off + s.len] + (u.eol() or b"\n"))
                else:
                    out.append(b[s.off:s.off + s.len].translate(_SPACES) +
                               b"\n")
        return b"".join(out)

    def holds(self, record: Union[bytes, str, dict, list],
              mode: str = "any") -> bool:
        """Whether `cotlog filter --where` keeps the record: with mode
        "any" (the default) when the expression is true on some trace,
        with "all" on every trace; a record with no trace by its value
        on the record alone. A null value is false; a value that is not
        true, false or null raises ExpressionError."""
        return _decide(self.values(record), mode)


_SPACES = bytes.maketrans(b"\r\n", b"  ")


def _decide(values, mode):
    if mode not in ("any", "all"):
        raise InvalidArgument(f"mode: 'any' or 'all', not {mode!r}",
                              L.EINVAL)
    for v in values:
        if v is not None and not isinstance(v, bool):
            raise ExpressionError("the expression gave a value that is "
                                  "not true or false", L.EEXPR)
    got = [v is True for v in values]
    return all(got) if mode == "all" else any(got)


def _value(v: "L.cot_value") -> Any:
    if v.type == L.TYPE_NULL:
        return None
    if v.type == L.TYPE_BOOL:
        return bool(v.b)
    if v.type == L.TYPE_INT:
        return v.i
    if v.type == L.TYPE_REAL:
        return v.r
    s = ctypes.string_at(v.s, v.len)
    if v.type == L.TYPE_JSON:
        return json.loads(s)
    return s.decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------
# Reading


class _Unit:
    __slots__ = ("ptr", "kind", "records", "bom")

    def __init__(self, ptr, bom):
        self.ptr = ptr
        self.kind = L.cot_unit_kind_of(ptr)
        self.records = L.cot_unit_records(ptr)
        self.bom = bom

    def bytes(self) -> bytes:
        n = c_size_t()
        p = L.cot_unit_bytes(self.ptr, byref(n))
        return ctypes.string_at(p, n.value) if n.value else b""

    def eol(self) -> bytes:
        return L.cot_unit_eol(self.ptr)

    def line(self) -> int:
        return L.cot_unit_line(self.ptr)

    def span(self, i, err) -> "L.cot_record_span":
        s = L.cot_record_span()
        _check(L.cot_unit_record(byref(s), self.ptr, i, byref(err)), err)
        return s

    def error(self) -> BadRecord:
        e = L.cot_unit_error(self.ptr).contents
        return MalformedRecord(e.message.decode("utf-8", "replace"),
                               e.code, e.line, e.column)


class _StreamError:
    """A stream error of a reader: the code and the cot_error."""
    __slots__ = ("code", "err")

    def __init__(self, code, err):
        self.code, self.err = code, err


def _open_mem(data: bytes, name: Optional[str]):
    err = L.cot_error()
    r = c_void_p()
    buf = ctypes.create_string_buffer(data, len(data))
    _check(L.cot_reader_open_mem(byref(r), buf, len(data),
                                 _bytes(name, "name"), byref(err)), err)
    return _Owned(r.value, L.cot_reader_free, buf)   # buf outlives it


def _open(source, name: Optional[str] = None):
    """A reader over a path (str, bytes path, os.PathLike; "-" is
    stdin), bytes in memory, or a binary file object (read whole)."""
    if isinstance(source, (str, os.PathLike)):
        err = L.cot_error()
        r = c_void_p()
        _check(L.cot_reader_open_path(byref(r), os.fsencode(source),
                                      byref(err)), err)
        return _Owned(r.value, L.cot_reader_free)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _open_mem(bytes(source), name)
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        return _open_mem(data, name or getattr(source, "name", None))
    raise TypeError("a path, bytes or a binary file object, not "
                    f"{type(source).__name__}")


def _units(reader: _Owned, t: _Thread, errors: bool = False):
    """The units of a reader (borrowed until the next one is taken);
    with errors=True stream errors come as _StreamError, a parse error
    of a document followed by its skipped units; else they raise."""
    err = L.cot_error()
    u = c_void_p()
    first = True
    while True:
        rc = L.cot_reader_next(byref(u), reader.ptr, byref(err))
        if rc == L.DONE:
            return
        if rc:
            if not errors:
                raise _error(err, rc)
            yield _StreamError(rc, err)
            if rc != L.EPARSE:
                return
            err = L.cot_error()
            continue
        # the BOM is known once the first unit is read
        yield _Unit(u.value, first and L.cot_reader_had_bom(reader.ptr))
        first = False


def read(source, *, name: Optional[str] = None,
         analyzer: Optional[Analyzer] = None, **options
         ) -> Iterator[Tuple[int, bytes, Union[List[Profile], BadRecord]]]:
    """Read an input as every `cotlog` command does (gzip detected from
    the bytes, JSON Lines or multi-line JSON documents, arrays of
    records) and yield, for each record, (line, record, profiles): the
    1-based line of its first byte, its JSON bytes, and the list of its
    profiles (one per trace, [] for none).

    source is a path (str or os.PathLike; "-" is stdin), which is
    streamed, or bytes, or a binary file object, which is read whole
    first. `name` names bytes in messages. The analyzer is `analyzer`,
    or one made from `options` (Analyzer's keyword arguments).

    Blank lines yield nothing. A malformed line yields (line, its bytes,
    MalformedRecord) and reading goes on; a multi-line document broken
    by a syntax error yields (line, b"", MalformedRecord) and the rest
    of that document is not read. A record whose analysis fails yields
    (line, bytes, FailedRecord). Both are falsy. A read or decompression
    error (a truncated gzip stream) raises InputError after everything
    decoded before it has been yielded; a file that cannot be opened
    raises InputError at once."""
    az = analyzer if analyzer is not None else Analyzer(**options)
    reader = _open(source, name)
    t = az._thread()
    try:
        for u in _units(reader, t, errors=True):
            if isinstance(u, _StreamError):
                e = u.err
                if u.code != L.EPARSE:
                    raise _error(e, u.code)
                yield (e.line, b"", MalformedRecord(
                    e.message.decode("utf-8", "replace"), e.code, e.line,
                    e.column))
                continue
            if u.kind == L.UNIT_MALFORMED:
                bad = u.error()
                yield (u.line(), u.bytes(), bad)
                continue
            if u.kind != L.UNIT_RECORDS or not u.records:
                continue
            b = u.bytes()
            for i in range(u.records):
                s = u.span(i, t.err)
                rec = b[s.off:s.off + s.len]
                rc = L.cot_analyze_unit(t.res.ptr, u.ptr, i, byref(t.err))
                if rc:
                    e = t.err
                    yield (s.line, rec, FailedRecord(
                        e.message.decode("utf-8", "replace"), rc, s.line,
                        e.column))
                    continue
                yield (s.line, rec, az._json(t))
    finally:
        reader.close()


# ---------------------------------------------------------------------
# Summaries

_FORMATS = {"table": L.SUMMARY_TABLE, "json": L.SUMMARY_JSON,
            "tsv": L.SUMMARY_TSV}


def _term_clean(text: bytes) -> str:
    """What `cotlog stats` writes of the table: every character that a
    terminal would act on (C0 but line feed and tab, DEL, C1) and every
    maximal ill-formed UTF-8 subpart as U+FFFD."""
    s = text.decode("utf-8", "replace")
    return "".join("\ufffd" if (ord(c) < 0x20 and c not in "\n\t") or
                   0x7f <= ord(c) <= 0x9f else c for c in s) \
        if any(ord(c) < 0x20 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f
               for c in s) else s


class Summary:
    """The statistics `cotlog stats` computes (cot_summary_*): per field
    the counts, exact sums, min, max and quantile sketches, per `by`
    group too; exact to merge, in any order and across machines.

    Summary(fields=None, by=None, max_groups=0, analyzer=None,
    **options): fields to summarize (as --fields; default every field
    that is not a list), `by` an expression or "file" (as --by),
    max_groups (0: 1000). The analyzer is `analyzer` or one made from
    `options` (Analyzer's keyword arguments, `fields` excepted).

    Add with add_file() (what `cotlog stats FILE` reads), add_record(),
    add_text() and add_malformed(); combine with merge(); move between
    machines with partial() and Summary.from_partial() (the lines of
    `cotlog stats --partial` and `--merge`, which interoperate); show
    with render(). A summary belongs to one thread at a time (a lock
    keeps it so); for several threads or processes make one each and
    merge them.

    Errors: InvalidArgument (a field that matches nothing), LimitError
    (past max_groups), ExpressionError (`by` does not compile)."""

    def __init__(self, *, fields: Union[str, Sequence[str], None] = None,
                 by: Optional[str] = None, max_groups: int = 0,
                 analyzer: Optional[Analyzer] = None, **options):
        self.analyzer = analyzer if analyzer is not None else \
            Analyzer(**options)
        self._lock = threading.Lock()
        self.by_errors: List[str] = []
        self.failed: List[str] = []
        err = L.cot_error()
        o = L.cot_summary_options()
        flist = _field_list(fields)
        o.fields = _bytes(flist, "fields")
        o.by = _bytes(by, "by")
        o.analysis = self.analyzer.analysis.encode()
        o.max_groups = int(max_groups)
        p = c_void_p()
        _check(L.cot_summary_new(byref(p), self.analyzer._az.ptr, byref(o),
                                 byref(err)), err)
        self._s = _Owned(p.value, L.cot_summary_free, self.analyzer._az)
        self._fields = flist
        # a result of its own, which runs only what the summary reads
        self._t = _Thread(self.analyzer, select=False)
        if flist is not None:
            n = L.cot_summary_fields(self._s.ptr, None, 0)
            ids = (c_size_t * max(1, n))()
            L.cot_summary_fields(self._s.ptr, ids, n)
            _check(L.cot_result_need(self._t.res.ptr, ids, n,
                                     byref(self._t.err)), self._t.err)

    @classmethod
    def from_partial(cls, text: Union[bytes, str],
                     max_groups: int = 0) -> "Summary":
        """A summary read from a partial (one line of `cotlog stats
        --partial`, or partial()). It takes merges, not records.
        ParseError when the text is not a partial."""
        self = cls.__new__(cls)
        self.analyzer = None
        self._lock = threading.Lock()
        self.by_errors, self.failed = [], []
        self._fields = None
        self._t = None
        err = L.cot_error()
        data = _bytes(text, "partial")
        p = c_void_p()
        _check(L.cot_summary_read_partial(byref(p), data, len(data),
                                          int(max_groups), byref(err)), err)
        self._s = _Owned(p.value, L.cot_summary_free)
        return self

    def __reduce__(self):
        # pickled as its partial
        return (Summary.from_partial, (self.partial(),))

    def _add(self, name: Optional[bytes], where: str) -> None:
        t = self._t
        rc = L.cot_summary_add(self._s.ptr, t.res.ptr, name, byref(t.err))
        if rc == L.EEXPR:
            # counted in the total only, as cotlog stats does (exit 3)
            self.by_errors.append(
                f"{where}: --by: {t.err.message.decode('utf-8', 'replace')}")
        elif rc:
            raise _error(t.err, rc)

    def _need_records(self):
        if self._t is None:
            raise InvalidArgument("a summary read from a partial takes "
                                  "merges, not records", L.EINVAL)

    def add_record(self, record: Union[bytes, str, dict, list],
                   file: Optional[str] = None) -> None:
        """Analyze one record (as profile_record) and add it; `file` is
        its group with by="file"."""
        self._need_records()
        with self._lock:
            t = self._t
            _analyze_record(t, record)
            self._add(_bytes(file, "file"), file or "")

    def add_text(self, text: Union[str, bytes], *,
                 reference: Optional[str] = None,
                 finish_reason: Optional[str] = None,
                 model: Optional[str] = None,
                 file: Optional[str] = None) -> None:
        """Analyze one completion text (as Analyzer.profile) and add
        it."""
        self._need_records()
        with self._lock:
            t = self._t
            data = _bytes(text, "text")
            o = t.opts
            o.ref = _bytes(reference, "reference")
            o.finish_reason = _bytes(finish_reason, "finish_reason")
            o.model = _bytes(model, "model")
            o.flags = L.TEXT_REPLACE_INVALID
            t.text = data
            _check(L.cot_analyze_text(t.res.ptr, data, len(data), byref(o),
                                      byref(t.err)), t.err)
            self._add(_bytes(file, "file"), file or "")

    def add_malformed(self, n: int = 1, file: Optional[str] = None) -> None:
        """Count n malformed lines (of `file`, for by="file")."""
        with self._lock:
            err = L.cot_error()
            _check(L.cot_summary_add_malformed(
                self._s.ptr, _bytes(file, "file"), int(n), byref(err)), err)

    def add_file(self, source, *, name: Optional[str] = None) -> "Summary":
        """Add everything `cotlog stats` adds of one input: source is a
        path (streamed; its group with by="file" is the path as given,
        "<stdin>" for "-"), bytes or a binary file object (named `name`;
        default "<memory>"). Malformed lines and broken documents count
        as malformed; records whose analysis fails are left out and
        listed in self.failed; traces whose `by` fails are in the total
        only and listed in self.by_errors. A read or decompression error
        raises InputError after everything before it was added."""
        self._need_records()
        reader = _open(source, name)
        with self._lock:
            t = self._t
            fname = L.cot_reader_name(reader.ptr)
            try:
                for u in _units(reader, t, errors=True):
                    if isinstance(u, _StreamError):
                        if u.code != L.EPARSE:
                            raise _error(u.err, u.code)
                        _check(L.cot_summary_add_malformed(
                            self._s.ptr, fname, 1, byref(t.err)), t.err)
                        continue
                    if u.kind == L.UNIT_MALFORMED:
                        _check(L.cot_summary_add_malformed(
                            self._s.ptr, fname, 1, byref(t.err)), t.err)
                        continue
                    for i in range(u.records):
                        rc = L.cot_analyze_unit(t.res.ptr, u.ptr, i,
                                                byref(t.err))
                        if rc:
                            self.failed.append(
                                f"{fname.decode('utf-8', 'replace')}:"
                                f"{u.span(i, t.err).line}: "
                                f"{t.err.message.decode('utf-8', 'replace')}")
                            continue
                        self._add(fname, fname.decode("utf-8", "replace"))
            finally:
                reader.close()
        return self

    def merge(self, other: "Summary") -> "Summary":
        """Add other into this summary (other is unchanged).
        InvalidArgument when they hold other fields, groups or analysis
        options; LimitError past max_groups."""
        if other is self:
            other = Summary.from_partial(self.partial())
        with self._lock, other._lock:
            err = L.cot_error()
            _check(L.cot_summary_merge(self._s.ptr, other._s.ptr,
                                       byref(err)), err)
        return self

    def partial(self) -> bytes:
        """The whole state as one line of JSON ending in a line feed:
        what `cotlog stats --partial` writes, for `--merge` or
        from_partial()."""
        with self._lock:
            return self._out(L.cot_summary_write_partial, self._s.ptr)

    def _out(self, fn, *args) -> bytes:
        buf = L.cot_buf()
        err = L.cot_error()
        try:
            _check(fn(byref(buf), *args, byref(err)), err)
            return L.take(buf)
        finally:
            L.cot_buf_dispose(byref(buf))

    def render(self, format: str = "table", *,
               fields: Union[str, Sequence[str], None] = None,
               width: int = 100) -> str:
        """The summary as `cotlog stats` writes it: "table" (for people;
        at `width` columns, 100 as when stdout is not a terminal), "json"
        (--json: one line) or "tsv" (--tsv). `fields` chooses what is
        shown (default: the fields given when it was made; else the main
        ones in the table, all in JSON and TSV). The table has, as the
        command writes it, control characters of the records' values
        replaced by U+FFFD."""
        if format not in _FORMATS:
            raise InvalidArgument(
                f"format: 'table', 'json' or 'tsv', not {format!r}",
                L.EINVAL)
        flist = _field_list(fields) if fields is not None else self._fields
        with self._lock:
            text = self._out(L.cot_summary_render, self._s.ptr,
                             _FORMATS[format], _bytes(flist, "fields"),
                             int(width))
        if format == "table":
            return _term_clean(text)
        return text.decode("utf-8", "surrogateescape")

    def json(self) -> Dict[str, Any]:
        """render("json") parsed."""
        return json.loads(self.render("json"))

    @property
    def counts(self) -> Dict[str, int]:
        """The counts of the total: records, traces, no_trace, tool_only,
        malformed, by_errors."""
        c = L.cot_summary_counts()
        with self._lock:
            L.cot_summary_counts_of(self._s.ptr, byref(c))
        return {k: getattr(c, k) for k in ("records", "traces", "no_trace",
                                           "tool_only", "malformed",
                                           "by_errors")}

    @property
    def groups(self) -> int:
        """The number of `by` groups."""
        return L.cot_summary_groups(self._s.ptr)
