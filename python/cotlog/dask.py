"""cotlog.dask - `cotlog stats`, `annotate` and `filter` on a Dask cluster.

Workers receive options (plain dicts), never ctypes objects: each worker
process builds its own Analyzer (kept for the tasks that follow, per set
of options) and its own Summary. Summaries travel as partials (the lines
of `cotlog stats --partial`) and merge exactly, so the result does not
depend on how the input was split or in which order parts finish: it is
byte for byte what one `cotlog stats` run over the whole input gives.

Every worker must be able to `import cotlog` and load libcotlog (the
same version), as the client does.

    from distributed import Client
    import cotlog.dask
    client = Client("scheduler:8786")
    print(cotlog.dask.stats(["a.jsonl.gz", "b.jsonl.gz"], format="table"))

Inputs:
- a list of paths (or one path): one task per file, each streamed by the
  library's reader (gzip, JSON Lines or JSON documents); the paths must
  be readable on the workers; with by="file" the group of each is the
  path as given, as `cotlog stats --by file PATHS` names it.
- a dask.bag.Bag of JSON Lines lines (str or bytes, with or without
  their line end), e.g. dask.bag.read_text("s3://bucket/*.jsonl"): each
  line is read on its own, as cotlog reads a line of a JSON Lines file
  (a multi-line JSON document cannot be split into lines: give its
  path). With by="file" every line is of the file `name`.
"""
import functools
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import dask.bag as db

from ._core import Analyzer, Summary, _field_list

__all__ = ["stats", "partial", "annotate", "filter"]

_cache: Dict[Any, Analyzer] = {}
_cache_lock = threading.Lock()


def _analyzer(options: Dict[str, Any]) -> Analyzer:
    """This process's analyzer for these options, built once."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                       for k, v in options.items()))
    az = _cache.get(key)
    if az is None:
        with _cache_lock:
            az = _cache.get(key)
            if az is None:
                az = _cache[key] = Analyzer(**options)
    return az


def _summary(sopts: Dict[str, Any], options: Dict[str, Any]) -> Summary:
    return Summary(analyzer=_analyzer(options), **sopts)


def _paths_partial(paths: Iterable[str], sopts, options) -> bytes:
    s = _summary(sopts, options)
    for p in paths:
        s.add_file(p)
    return s.partial()


def _lines_partial(lines: Iterable[Union[str, bytes]], sopts, options,
                   name: Optional[str]) -> bytes:
    s = _summary(sopts, options)
    for line in lines:
        s.add_file(_line_bytes(line), name=name)
    return s.partial()


def _merge(partials: Iterable[bytes]) -> bytes:
    acc = None
    for p in partials:
        s = Summary.from_partial(p)
        if acc is None:
            acc = s
        else:
            acc.merge(s)
    if acc is None:
        raise ValueError("no partial to merge")
    return acc.partial()


def _line_bytes(line: Union[str, bytes]) -> bytes:
    if isinstance(line, str):
        line = line.encode("utf-8", "surrogatepass")
    return line


def _bag(data, name):
    if isinstance(data, db.Bag):
        return data, True
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        data = [data]
    paths = [str(p) if hasattr(p, "__fspath__") else p for p in data]
    if not paths:
        raise ValueError("no input")
    return db.from_sequence(paths, npartitions=len(paths)), False


def partial(data, *, fields: Union[str, Sequence[str], None] = None,
            by: Optional[str] = None, max_groups: int = 0,
            name: Optional[str] = None, split_every: Optional[int] = None,
            **options):
    """The merged partial of the input as a Dask object (call .compute(),
    or give it to dask.compute with other work): partials made per
    partition on the workers, merged in a tree (split_every at a time).
    The arguments are those of stats()."""
    sopts = dict(fields=_field_list(fields), by=by, max_groups=max_groups)
    Analyzer(**options)     # a bad option fails here, not on a worker
    bag, lines = _bag(data, name)
    if lines:
        per = functools.partial(_lines_partial, sopts=sopts,
                                options=options, name=name)
    else:
        per = functools.partial(_paths_partial, sopts=sopts,
                                options=options)
    return bag.reduction(per, _merge, split_every=split_every)


def stats(data, *, format: Optional[str] = "json",
          fields: Union[str, Sequence[str], None] = None,
          by: Optional[str] = None, max_groups: int = 0,
          name: Optional[str] = None, split_every: Optional[int] = None,
          width: int = 100, **options) -> Union[str, Summary]:
    """`cotlog stats` over data (a list of paths, or a bag of lines: see
    the module) on the current Dask scheduler (a distributed.Client made
    before, or Dask's default): `format` "json" (what `cotlog stats
    --json` writes), "table", "tsv", or None for the Summary itself
    (to merge with others, or render several ways). fields, by and
    max_groups as Summary; options are Analyzer's keyword arguments
    (patterns, ngram, ...), passed to the workers as they are."""
    p = partial(data, fields=fields, by=by, max_groups=max_groups,
                name=name, split_every=split_every, **options).compute()
    s = Summary.from_partial(p, max_groups)
    if format is None:
        return s
    s._fields = _field_list(fields)
    return s.render(format, width=width)


def _annotate(lines, key, options):
    az = _analyzer(options)
    out = []
    for line in lines:
        b = _line_bytes(line)
        got = az.annotate(b, key)
        out.append(got if isinstance(line, bytes) else
                   got.decode("utf-8", "surrogatepass"))
    return out


def annotate(bag: db.Bag, *, key: str = "cot", **options) -> db.Bag:
    """A bag of the lines annotated: each line as `cotlog annotate
    --key KEY` writes it (the line byte for byte, with ,"KEY":[PROFILE,
    ...] before the final } of each record object; malformed lines
    unchanged), of the type given (str or bytes). options are Analyzer's
    keyword arguments (fields= gives smaller profiles, as --fields)."""
    Analyzer(**options)
    return bag.map_partitions(_annotate, key, options)


def _filter(lines, where, mode, invert, options):
    az = _analyzer(options)
    expr = az.where(where)
    out: List[Union[str, bytes]] = []
    for line in lines:
        b = _line_bytes(line)
        # each record kept is one line ending in a line feed (a JSON
        # Lines line keeps its own line end, whose last byte is one)
        got = expr.filter(b, mode, invert)
        if not got:
            continue
        for rec in got[:-1].split(b"\n"):
            rec += b"\n"
            out.append(rec if isinstance(line, bytes) else
                       rec.decode("utf-8", "surrogatepass"))
    return out


def filter(bag: db.Bag, where: str, *, mode: str = "any",
           invert: bool = False, **options) -> db.Bag:
    """A bag of the records `cotlog filter --where WHERE` keeps (mode
    "all" for --all, invert=True for -v), one line each: a line holding
    one record as it was; the records of a line holding an array, each
    on a line of its own. Malformed lines, and records on which the
    expression fails, are left out. The expression is compiled here
    first, so that a bad one raises ExpressionError before any work."""
    Analyzer(**options).where(where)
    return bag.map_partitions(_filter, where, mode, invert, options)
