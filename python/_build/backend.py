"""backend.py - a PEP 517 build backend for the cotlog package, on the
standard library alone (pyproject.toml says why).

It builds a pure-Python wheel of the cotlog/ folder (py3-none-any) and an
sdist of this folder. The metadata are the [project] table's name,
version, description and requires-python, written here by hand rather
than read from pyproject.toml (tomllib is Python 3.11+); check_metadata()
in the tests compares the two.
"""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "cotlog"
VERSION = "0.2.0"
SUMMARY = ("Profiles of the reasoning traces of thinking models "
           "(libcotlog through ctypes)")
REQUIRES_PYTHON = ">=3.8"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = f"{NAME}-{VERSION}.dist-info"


def _metadata():
    return (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
            f"Summary: {SUMMARY}\nLicense: MIT\n"
            f"Requires-Python: {REQUIRES_PYTHON}\n"
            "Provides-Extra: dask\n"
            "Requires-Dist: dask[bag]; extra == \"dask\"\n"
            "Requires-Dist: distributed; extra == \"dask\"\n")


WHEEL = ("Wheel-Version: 1.0\nGenerator: cotlog-backend\n"
         "Root-Is-Purelib: true\nTag: py3-none-any\n")


def _sources():
    """(archive name, path) of every file of the package."""
    root = os.path.join(HERE, NAME)
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        for f in sorted(files):
            if f.endswith((".py", ".typed")):
                p = os.path.join(d, f)
                yield os.path.relpath(p, HERE).replace(os.sep, "/"), p


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(
        hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory,
                                     config_settings=None):
    d = os.path.join(metadata_directory, DIST_INFO)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "METADATA"), "w") as f:
        f.write(_metadata())
    with open(os.path.join(d, "WHEEL"), "w") as f:
        f.write(WHEEL)
    return DIST_INFO


def _wheel(wheel_directory, files):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arc, data in files:
            z.writestr(arc, data)
            record.append(_record_line(arc, data))
        for arc, text in ((f"{DIST_INFO}/METADATA", _metadata()),
                          (f"{DIST_INFO}/WHEEL", WHEEL)):
            z.writestr(arc, text)
            record.append(_record_line(arc, text.encode()))
        record.append(f"{DIST_INFO}/RECORD,,\n")
        z.writestr(f"{DIST_INFO}/RECORD", "".join(record))
    return name


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    files = []
    for arc, path in _sources():
        with open(path, "rb") as f:
            files.append((arc, f.read()))
    return _wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    # a .pth file putting this folder on sys.path (PEP 660)
    pth = (HERE + "\n").encode()
    return _wheel(wheel_directory, [(f"_{NAME}_editable.pth", pth)])


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{VERSION}"
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for rel in ["pyproject.toml", "_build/backend.py"] + \
                [a for a, _ in _sources()]:
            t.add(os.path.join(HERE, rel), arcname=f"{base}/{rel}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name
