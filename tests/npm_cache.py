"""npm_cache.py - what the suites that run a Node package share: install
the packages a folder's package-lock.json pins, with `npm ci` (so
exactly those versions, integrity-checked), into a cache folder that
serves every build and clone: $ENV_VAR, else cotlog/NAME in the user's
cache folder ($XDG_CACHE_HOME, else ~/.cache)."""
import json
import os
import shutil
import subprocess


class SetupError(Exception):
    pass


def default_cache(name, env_var):
    if os.environ.get(env_var):
        return os.environ[env_var]
    base = os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cotlog", name)


def installed(modules, here):
    """Whether modules holds every package at the version here's
    package.json pins (a cache filled before, by us or by hand)."""
    want = json.load(open(os.path.join(here, "package.json")))
    for name, version in want["dependencies"].items():
        p = os.path.join(modules, *name.split("/"), "package.json")
        try:
            if json.load(open(p)).get("version") != version:
                return False
        except (OSError, ValueError):
            return False
    return True


def npm_install(here, cache):
    """The node_modules folder of cache, holding what here's
    package-lock.json pins, installed if need be; SetupError says why
    not."""
    modules = os.path.join(cache, "node_modules")
    if installed(modules, here):
        return modules
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            raise SetupError(tool + " not found")
    os.makedirs(cache, exist_ok=True)
    for f in ("package.json", "package-lock.json"):
        shutil.copyfile(os.path.join(here, f), os.path.join(cache, f))
    p = subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit",
                        "--no-fund", "--loglevel=error"],
                       cwd=cache, capture_output=True, text=True,
                       timeout=900)
    if p.returncode != 0:
        raise SetupError("npm ci failed (no network?): " +
                         p.stderr.strip()[-400:])
    if not installed(modules, here):
        raise SetupError("npm ci left the packages incomplete")
    return modules
