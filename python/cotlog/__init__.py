"""cotlog - profiles of the reasoning traces of thinking models, from Python.

A binding of libcotlog (the C library of the `cotlog` command) through
ctypes: the same fields, the same values, the same statistics, at the
library's speed. The library must be installed (README "Install"); it is
found through COTLOG_LIBRARY, then pkg-config, then the dynamic linker
(see cotlog._lib).

    import cotlog
    az = cotlog.Analyzer()
    p = az.profile("<think>2 + 2 = 4.</think>\\boxed{4}", reference="4")
    p["think"]["words"], p["correct"]            # (4, True)
    for line, record, profiles in cotlog.read("rollouts.jsonl.gz"):
        ...
    s = cotlog.Summary(by="correct")
    s.add_file("rollouts.jsonl.gz")
    print(s.render())                           # what `cotlog stats` prints

What is here:
  Analyzer      options of the analysis; profile(), profile_record(),
                annotate(), where(); shared by threads
  read()        the records of a file (gzip, JSON Lines, documents) with
                their profiles, streamed
  Summary       `cotlog stats`: add, merge, partials, render
  get()         a dotted field of a profile: get(p, "think.words")
  rewards       TRL reward functions (format, tag_count, correctness,
                repetition)
  dask          stats, annotate and filter on a Dask cluster
  Error         every error of the library, with its subclasses
  version       the library's version; __version__ this package's
"""
from ._core import (Analyzer, BadRecord, Error, Expression,
                    ExpressionError, FailedRecord, FieldInfo, InputError,
                    InvalidArgument, LimitError, MalformedRecord,
                    OutOfMemory, ParseError, PatternError, Profile, Summary,
                    get, read)
from ._lib import LibraryNotFound, VersionMismatch
from . import _lib

__version__ = "0.2.0"
#: The version of the libcotlog loaded (cot_version()).
version: str = _lib.version
#: The path it was loaded from.
library_path: str = _lib.path

__all__ = ["Analyzer", "BadRecord", "Error", "Expression", "ExpressionError",
           "FailedRecord", "FieldInfo", "InputError", "InvalidArgument",
           "LibraryNotFound", "LimitError", "MalformedRecord", "OutOfMemory",
           "ParseError", "PatternError", "Profile", "Summary",
           "VersionMismatch", "get", "read", "version", "library_path"]
