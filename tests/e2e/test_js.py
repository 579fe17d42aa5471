#!/usr/bin/python3
"""The JS SDK v3 smoke test: installs @aws-sdk/client-sfn with npm into a cache directory outside
the repository (${XDG_CACHE_HOME:-$HOME/.cache}/timeslip-npm, or $TIMESLIP_NPM_DIR) when it is
missing, starts `timeslip serve`, and runs js/smoke.mjs against it with node.

Exit codes: 0 passed, 1 failed, 77 skipped (npm could not install the SDK, e.g. offline).
Run: /usr/bin/python3 tests/e2e/test_js.py [--timeslip build/bin/timeslip]
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from timeslip_e2e import Server

HERE = Path(__file__).resolve().parent
SKIP = 77


def npm_dir():
    if os.environ.get("TIMESLIP_NPM_DIR"):
        return Path(os.environ["TIMESLIP_NPM_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "timeslip-npm"


def ensure_sdk(directory):
    """Installs the dependencies js/package.json names, unless they are there already."""
    dependencies = json.loads((HERE / "js" / "package.json").read_text())["dependencies"]
    missing = [f"{name}@{spec}" for name, spec in dependencies.items()
               if not (directory / "node_modules" / name / "package.json").exists()]
    if not missing:
        return True
    npm = shutil.which("npm")
    if not npm:
        print("npm is not installed", file=sys.stderr)
        return False
    directory.mkdir(parents=True, exist_ok=True)
    print(f"npm install --prefix {directory} {' '.join(missing)}", flush=True)
    proc = subprocess.run([npm, "install", "--prefix", str(directory), "--no-audit", "--no-fund",
                           *missing], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, sep="\n", file=sys.stderr)
        return False
    return True


def main():
    directory = npm_dir()
    if not ensure_sdk(directory):
        print("SKIP: could not install @aws-sdk/client-sfn", file=sys.stderr)
        return SKIP
    server = Server()
    try:
        # NODE_NO_WARNINGS: the SDK warns about node 20's end of support on every run.
        env = dict(os.environ, TIMESLIP_ENDPOINT=server.endpoint, TIMESLIP_NPM_DIR=str(directory),
                   NODE_NO_WARNINGS="1")
        for key in [k for k in env if k.startswith("AWS_")]:
            del env[key]
        start = time.monotonic()
        proc = subprocess.run(["node", str(HERE / "js" / "smoke.mjs")], env=env, timeout=120)
        print(f"node smoke.mjs: exit {proc.returncode} in {time.monotonic() - start:.1f}s")
        rc = 0 if proc.returncode == 0 else 1
    finally:
        server.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
