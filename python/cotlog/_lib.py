"""_lib.py - ctypes bindings of libcotlog (include/cotlog.h).

The library is found, in this order, at:

1. the path in the environment variable COTLOG_LIBRARY (a file, such as
   build/lib/libcotlog.so.1 or /usr/local/lib/libcotlog.so.1);
2. LIBDIR/libcotlog.so.1, LIBDIR being `pkg-config --variable=libdir
   cotlog` (PKG_CONFIG_PATH is honoured, as for a C program);
3. the dynamic linker's own search: ctypes.util.find_library("cotlog"),
   then "libcotlog.so.1" (LD_LIBRARY_PATH, /etc/ld.so.cache, /usr/lib).

The first that exists is loaded; when none loads, LibraryNotFound (an
ImportError) says every place tried. The library's cot_version() must
have the major.minor this package was written for (EXPECTED_VERSION),
else VersionMismatch: the structs below are those of that version.

Every function is declared with its argument and result types, so that a
wrong call fails in Python rather than in C. Calls through ctypes.CDLL
release the GIL, so threads analyze in parallel.
"""
import ctypes
import ctypes.util
import os
import shutil
import subprocess
from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int,
                    c_int64, c_size_t, c_uint, c_uint64, c_void_p)

# The library version (major.minor) whose structs and functions this
# module declares.
EXPECTED_VERSION = "0.2"
SONAME = "libcotlog.so.1"

# cot_status
OK, DONE = 0, 1
ERROR, ENOMEM, EIO, EPARSE, ELIMIT, EINVAL, EPATTERN, EEXPR = (
    -1, -2, -3, -4, -6, -7, -8, -9)

ERROR_MESSAGE_MAX = 320
ANALYZER_OPTIONS_VERSION = 2
TEXT_OPTIONS_VERSION = 1
TEXT_REPLACE_INVALID = 1
JSON_TERMINAL = 1
FIELDS_SCALAR = 1
NO_TRACE = ctypes.c_size_t(-1).value
SIZE_MAX = NO_TRACE

UNTAGGED = {"auto": 0, "think": 1, "answer": 2}
UNIT_RECORDS, UNIT_BLANK, UNIT_MALFORMED, UNIT_SKIPPED = range(4)
TYPE_NULL, TYPE_BOOL, TYPE_INT, TYPE_REAL, TYPE_STRING, TYPE_JSON = range(6)
TYPE_NAMES = ("null", "bool", "int", "real", "string", "json")
SUMMARY_TABLE, SUMMARY_JSON, SUMMARY_TSV = range(3)


class cot_error(Structure):
    _fields_ = [("code", c_int), ("line", c_uint64), ("column", c_uint64),
                ("message", c_char * ERROR_MESSAGE_MAX)]


class cot_buf(Structure):
    _fields_ = [("ptr", c_void_p), ("size", c_size_t), ("cap", c_size_t)]


class cot_analyzer_options(Structure):
    _fields_ = [("version", c_uint), ("field", c_char_p),
                ("answer_field", c_char_p), ("ref_field", c_char_p),
                ("untagged", c_int), ("patterns_file", c_char_p),
                ("patterns", POINTER(c_char_p)),
                ("no_builtin_patterns", c_int), ("target_script", c_char_p),
                ("ngram", c_uint), ("match_limit", c_uint),
                ("tokenizer", c_void_p)]


class cot_text_options(Structure):
    _fields_ = [("version", c_uint), ("ref", c_char_p),
                ("finish_reason", c_char_p), ("model", c_char_p),
                ("flags", c_uint)]


class cot_record_span(Structure):
    _fields_ = [("off", c_size_t), ("len", c_size_t), ("close", c_size_t),
                ("empty_object", c_int), ("line", c_uint64),
                ("whole_unit", c_int)]


class cot_value(Structure):
    _fields_ = [("type", c_int), ("b", c_int), ("i", c_int64),
                ("r", c_double), ("s", c_void_p), ("len", c_size_t)]


class cot_field_info(Structure):
    _fields_ = [("name", c_char_p), ("type", c_int), ("unit", c_char_p),
                ("doc", c_char_p)]


class cot_summary_options(Structure):
    _fields_ = [("fields", c_char_p), ("by", c_char_p),
                ("analysis", c_char_p), ("max_groups", c_size_t)]


class cot_summary_counts(Structure):
    _fields_ = [("records", c_uint64), ("traces", c_uint64),
                ("no_trace", c_uint64), ("malformed", c_uint64),
                ("by_errors", c_uint64), ("tool_only", c_uint64)]


class LibraryNotFound(ImportError):
    """libcotlog could not be loaded; the message lists where it was
    looked for."""


class VersionMismatch(ImportError):
    """The libcotlog found is of another major.minor version than this
    package's bindings."""


def _pkg_config_libdir():
    if shutil.which("pkg-config") is None:
        return None, "pkg-config: not installed"
    try:
        r = subprocess.run(["pkg-config", "--variable=libdir", "cotlog"],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return None, f"pkg-config: {e}"
    if r.returncode != 0 or not r.stdout.strip():
        return None, "pkg-config --variable=libdir cotlog: no cotlog.pc " \
            "(PKG_CONFIG_PATH=%s)" % os.environ.get("PKG_CONFIG_PATH", "")
    return r.stdout.strip(), None


def _load():
    tried = []
    env = os.environ.get("COTLOG_LIBRARY")
    candidates = []
    if env:
        candidates.append(("COTLOG_LIBRARY", env))
    else:
        tried.append("COTLOG_LIBRARY: not set")
        libdir, why = _pkg_config_libdir()
        if libdir:
            candidates.append(("pkg-config", os.path.join(libdir, SONAME)))
        else:
            tried.append(why)
        found = ctypes.util.find_library("cotlog")
        if found:
            candidates.append(("ctypes.util.find_library", found))
        else:
            tried.append("ctypes.util.find_library('cotlog'): nothing")
        candidates.append(("the dynamic linker", SONAME))
    for how, path in candidates:
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{how}: {path}: {e}")
            if how == "COTLOG_LIBRARY":
                break   # asked for this one: do not fall back silently
    raise LibraryNotFound(
        "cotlog: cannot load libcotlog (install it, see the README's "
        "Install, or set COTLOG_LIBRARY to its path); tried:\n  " +
        "\n  ".join(tried))


lib, path = _load()


def _decl(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


P = c_void_p
ERR = POINTER(cot_error)
BUF = POINTER(cot_buf)
SZ = POINTER(c_size_t)

cot_version = _decl("cot_version", c_char_p)
cot_status_str = _decl("cot_status_str", c_char_p, c_int)
cot_buf_dispose = _decl("cot_buf_dispose", None, BUF)
cot_json_string = _decl("cot_json_string", c_int, BUF, c_char_p, c_size_t,
                        c_uint, ERR)

cot_analyzer_new = _decl("cot_analyzer_new", c_int, POINTER(c_void_p),
                         POINTER(cot_analyzer_options), ERR)
cot_analyzer_free = _decl("cot_analyzer_free", None, P)
cot_tokenizer_load = _decl("cot_tokenizer_load", c_int, POINTER(c_void_p),
                           c_char_p, ERR)
cot_tokenizer_free = _decl("cot_tokenizer_free", None, P)
cot_tokenizer_path = _decl("cot_tokenizer_path", c_char_p, P)

cot_reader_open_path = _decl("cot_reader_open_path", c_int,
                             POINTER(c_void_p), c_char_p, ERR)
cot_reader_open_mem = _decl("cot_reader_open_mem", c_int, POINTER(c_void_p),
                            c_void_p, c_size_t, c_char_p, ERR)
cot_reader_free = _decl("cot_reader_free", None, P)
cot_reader_next = _decl("cot_reader_next", c_int, POINTER(c_void_p), P, ERR)
cot_reader_name = _decl("cot_reader_name", c_char_p, P)
cot_reader_had_bom = _decl("cot_reader_had_bom", c_int, P)
cot_unit_kind_of = _decl("cot_unit_kind_of", c_int, P)
cot_unit_bytes = _decl("cot_unit_bytes", c_void_p, P, SZ)
cot_unit_eol = _decl("cot_unit_eol", c_char_p, P)
cot_unit_line = _decl("cot_unit_line", c_uint64, P)
cot_unit_error = _decl("cot_unit_error", ERR, P)
cot_unit_records = _decl("cot_unit_records", c_size_t, P)
cot_unit_record = _decl("cot_unit_record", c_int, POINTER(cot_record_span),
                        P, c_size_t, ERR)

cot_result_new = _decl("cot_result_new", c_int, POINTER(c_void_p), P, ERR)
cot_result_free = _decl("cot_result_free", None, P)
cot_analyze_unit = _decl("cot_analyze_unit", c_int, P, P, c_size_t, ERR)
cot_analyze_json = _decl("cot_analyze_json", c_int, P, c_char_p, c_size_t,
                         ERR)
cot_analyze_text = _decl("cot_analyze_text", c_int, P, P, c_size_t,
                         POINTER(cot_text_options), ERR)
cot_result_need = _decl("cot_result_need", c_int, P, SZ, c_size_t, ERR)
cot_result_select = _decl("cot_result_select", c_int, P, SZ, c_size_t, ERR)
cot_result_traces = _decl("cot_result_traces", c_size_t, P)
cot_result_tool_only = _decl("cot_result_tool_only", c_size_t, P)
cot_result_get = _decl("cot_result_get", c_int, POINTER(cot_value), P,
                       c_size_t, c_size_t, ERR)
cot_result_profile_json = _decl("cot_result_profile_json", c_int, BUF, P,
                                c_size_t, ERR)
cot_result_json = _decl("cot_result_json", c_int, BUF, P, ERR)

cot_field_count = _decl("cot_field_count", c_size_t, P)
cot_field_at = _decl("cot_field_at", POINTER(cot_field_info), P, c_size_t)
cot_field_find = _decl("cot_field_find", c_int, SZ, P, c_char_p, ERR)
cot_fields_match = _decl("cot_fields_match", c_int, SZ, SZ, P, c_char_p,
                         c_uint, ERR)

cot_expr_compile = _decl("cot_expr_compile", c_int, POINTER(c_void_p), P,
                         c_char_p, ERR)
cot_expr_free = _decl("cot_expr_free", None, P)
cot_expr_fields = _decl("cot_expr_fields", c_size_t, SZ, c_size_t, P)
cot_expr_eval = _decl("cot_expr_eval", c_int, POINTER(cot_value), P, P,
                      c_size_t, ERR)

# text arguments as c_void_p: bytes, or the address utf8() gives
cot_format_reward = _decl("cot_format_reward", c_double, P, c_size_t)
cot_tag_count_reward = _decl("cot_tag_count_reward", c_double, P, c_size_t)
cot_think_format_reward = _decl("cot_think_format_reward", c_double, P,
                                c_size_t)
cot_repetition_ratio = _decl("cot_repetition_ratio", c_int,
                             POINTER(c_double), P, c_size_t, c_uint, ERR)

cot_summary_new = _decl("cot_summary_new", c_int, POINTER(c_void_p), P,
                        POINTER(cot_summary_options), ERR)
cot_summary_new_like = _decl("cot_summary_new_like", c_int,
                             POINTER(c_void_p), P, ERR)
cot_summary_free = _decl("cot_summary_free", None, P)
cot_summary_fields = _decl("cot_summary_fields", c_size_t, P, SZ, c_size_t)
cot_summary_add = _decl("cot_summary_add", c_int, P, P, c_char_p, ERR)
cot_summary_add_malformed = _decl("cot_summary_add_malformed", c_int, P,
                                  c_char_p, c_uint64, ERR)
cot_summary_merge = _decl("cot_summary_merge", c_int, P, P, ERR)
cot_summary_write_partial = _decl("cot_summary_write_partial", c_int, BUF,
                                  P, ERR)
cot_summary_read_partial = _decl("cot_summary_read_partial", c_int,
                                 POINTER(c_void_p), c_char_p, c_size_t,
                                 c_size_t, ERR)
cot_summary_render = _decl("cot_summary_render", c_int, BUF, P, c_int,
                           c_char_p, c_int, ERR)
cot_summary_counts_of = _decl("cot_summary_counts_of", None, P,
                              POINTER(cot_summary_counts))
cot_summary_groups = _decl("cot_summary_groups", c_size_t, P)

version = cot_version().decode()
if ".".join(version.split(".")[:2]) != EXPECTED_VERSION:
    raise VersionMismatch(
        f"cotlog: {path} is libcotlog {version}; this Python package is "
        f"for {EXPECTED_VERSION}.x (install the matching library, or set "
        "COTLOG_LIBRARY to it)")


# CPython keeps a str's UTF-8 inside the str: an ASCII str's own bytes,
# else encoded on the first request and kept while the str lives. So
# the several rewards a trainer calls on one batch encode each
# completion once, and an ASCII one never.
try:
    _as_utf8 = ctypes.pythonapi.PyUnicode_AsUTF8AndSize
    _as_utf8.restype = c_void_p
    _as_utf8.argtypes = [ctypes.py_object, POINTER(ctypes.c_ssize_t)]
except AttributeError:      # not CPython
    _as_utf8 = None


def utf8(s):
    """(address or bytes, length) of the UTF-8 of the str s, for a
    c_void_p argument; valid while s lives. A str with lone surrogates
    (which UTF-8 cannot hold) is encoded with them, for the library to
    replace."""
    if _as_utf8 is not None:
        n = ctypes.c_ssize_t()
        try:
            return _as_utf8(s, ctypes.byref(n)), n.value
        except UnicodeEncodeError:
            pass
    b = s.encode("utf-8", "surrogatepass")
    return b, len(b)


def take(buf):
    """The bytes of a cot_buf, which is then emptied (its memory kept for
    the next use)."""
    data = ctypes.string_at(buf.ptr, buf.size) if buf.size else b""
    buf.size = 0
    return data
