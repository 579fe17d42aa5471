#!/usr/bin/python3
"""Checks the module layering of timeslip from the #include lines.

DESIGN.md ("Layout") and ARCHITECTURE.md say dependencies point one way; with `world` (the
one place a world of services is assembled) between the services and cli, that is:

    json <- time <- query <- asl <- engine <- fakes <- host <- {services, store, api} <- world <- cli

A module may include its own headers and those of any module to its left. `engine` knows
nothing of HTTP, SQLite or any service; `host` knows no service by name; a service never
sees the wire (api, Boost.Beast) or SQLite (store); `api` only turns requests into commands
and replies into bytes, so it is the one place Boost.Beast appears (its .cc files only);
`world` assembles services and `cli` assembles everything. The compiler does not enforce
any of this, so this test reads every *.h and *.cc under emulator/ and fakes/ and checks
each quoted include of a repository path ("emulator/...", "fakes/...") and each
<boost/beast...> include against the rules below (tests/, bench/ and scenarios/ are not
checked: they may assemble anything).

Usage: include_rules_test.py --root SOURCE_DIR [--self-test]
Prints `path:line: rule: #include ...` per violation, then `N passed, N failed` (files without /
with violations) and exits 1 if anything failed.
"""

import argparse
import re
import sys
from pathlib import Path

# Layer rank of each module; a module may include ranks <= its own (same rank: itself only).
# emulator/query/jsonata/ belongs to query; each emulator/services/<name>/ is its own module
# in the layer "services".
RANK = {"json": 0, "time": 1, "query": 2, "asl": 3, "engine": 4, "fakes": 5, "host": 6,
        "services": 7, "store": 7, "api": 7, "world": 8, "cli": 9}

# Explicit rules: (rule name, layer of the including file, layers it must not include).
FORBIDDEN = [
    ("engine-knows-no-host-or-services",
     "engine", {"host", "services", "store", "world", "api", "cli", "fakes"}),
    ("host-knows-no-service", "host", {"services", "store", "world", "api", "cli"}),
    ("service-knows-no-wire-or-store", "services", {"api", "store", "world", "cli"}),
    ("api-knows-no-store-or-service", "api", {"store", "world", "cli", "services"}),
    ("store-implements-host-only", "store", {"api", "services", "world", "cli"}),
    ("world-knows-no-wire-or-store", "world", {"api", "store", "cli"}),
]

# Durability is the host's: the wire never sees the journal (it reads the requests old journals
# recorded through host/recorded_request.h, for RequestDecoderFor).
JOURNAL = "emulator/host/journal.h"

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def module_of(path):
    """(layer, module) of a repository path, or None if it is in no known module."""
    parts = path.split("/")
    if parts[0] == "fakes":
        return ("fakes", "fakes")
    if parts[0] != "emulator" or len(parts) < 3:
        return None
    if parts[1] == "services":
        return ("services", "services/" + parts[2]) if len(parts) >= 4 else None
    return (parts[1], parts[1]) if parts[1] in RANK else None


def check(path, include):
    """The rule a file at repository path `path` breaks by `#include include`, or None.

    `include` is the header name without delimiters. Only repository paths and Boost.Beast
    headers are judged; everything else (std, fmt, nlohmann, ...) is allowed.
    """
    src = module_of(path)
    if src is None:
        return "file-in-unknown-module"
    layer = src[0]
    if include.startswith("boost/beast"):
        if layer == "services":
            return "service-knows-no-wire-or-store"
        if layer != "api" or not path.endswith(".cc"):
            return "beast-only-in-api-cc"
        return None
    if not include.startswith(("emulator/", "fakes/")):
        return None
    dst = module_of(include)
    if dst is None:
        return "include-of-unknown-module"
    if dst[0] == "cli" and layer != "cli":
        return "nothing-includes-cli"
    for rule, who, banned in FORBIDDEN:
        if layer == who and dst[0] in banned:
            return rule
    if layer == "services" and dst[0] == "services" and dst[1] != src[1]:
        return "service-includes-only-its-own-folder"
    if layer == "api" and include == JOURNAL:
        return "api-knows-no-journal"
    if RANK[dst[0]] > RANK[layer] or (RANK[dst[0]] == RANK[layer] and dst[1] != src[1]):
        return "include-points-right-in-layering"
    return None


def check_tree(root):
    passed = failed = 0
    files = sorted(p for top in ("emulator", "fakes") for p in (root / top).rglob("*")
                   if p.suffix in (".h", ".cc") and p.is_file())
    for file in files:
        rel = file.relative_to(root).as_posix()
        bad = False
        for number, line in enumerate(file.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            rule = check(rel, m.group(2))
            if rule:
                bad = True
                close = ">" if m.group(1) == "<" else '"'
                print(f"{rel}:{number}: {rule}: #include {m.group(1)}{m.group(2)}{close}")
        failed += bad
        passed += not bad
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not files else 0


# (file, include, rule expected to fire or None when allowed)
SELF_TEST = [
    ("emulator/engine/interpreter.cc", "emulator/host/engine_host.h",
     "engine-knows-no-host-or-services"),
    ("emulator/engine/interpreter.cc", "fakes/fake_backends.h", "engine-knows-no-host-or-services"),
    ("emulator/engine/interpreter.cc", "emulator/asl/graph.h", None),
    ("emulator/host/engine_host.cc", "emulator/services/sns/service.h", "host-knows-no-service"),
    ("emulator/host/recovery.cc", "emulator/store/db.h", "host-knows-no-service"),
    ("emulator/host/engine_host.h", "fakes/fake_backends.h", None),
    ("emulator/services/sns/service.cc", "boost/beast/http.hpp", "service-knows-no-wire-or-store"),
    ("emulator/services/sns/service.cc", "emulator/api/errors.h", "service-knows-no-wire-or-store"),
    ("emulator/services/sns/service.cc", "emulator/store/db.h", "service-knows-no-wire-or-store"),
    ("emulator/services/sns/service.cc", "emulator/services/lambda/service.h",
     "service-includes-only-its-own-folder"),
    ("emulator/services/sns/service.cc", "emulator/services/sns/service.h", None),
    ("emulator/services/sns/service.h", "emulator/host/engine_host.h", None),
    ("emulator/api/router.cc", "emulator/store/db.h", "api-knows-no-store-or-service"),
    ("emulator/api/router.cc", "emulator/services/sns/service.h", "api-knows-no-store-or-service"),
    ("emulator/api/router.cc", "emulator/host/journal.h", "api-knows-no-journal"),
    ("emulator/api/protocols.h", "emulator/host/journal.h", "api-knows-no-journal"),
    ("emulator/api/protocols.h", "emulator/host/recorded_request.h", None),
    ("emulator/api/server.cc", "boost/beast/core.hpp", None),
    ("emulator/api/server.h", "boost/beast/core.hpp", "beast-only-in-api-cc"),
    ("emulator/host/engine_host.cc", "boost/beast/http.hpp", "beast-only-in-api-cc"),
    ("emulator/store/sqlite_store.h", "emulator/api/errors.h", "store-implements-host-only"),
    ("emulator/store/sqlite_store.h", "emulator/host/store.h", None),
    ("emulator/world/world.h", "emulator/store/sqlite_store.h", "world-knows-no-wire-or-store"),
    ("emulator/world/world.h", "emulator/services/sns/service.h", None),
    ("emulator/host/registry.h", "emulator/cli/serve_command.h", "nothing-includes-cli"),
    ("emulator/cli/main.cc", "emulator/cli/serve_command.h", None),
    ("emulator/cli/main.cc", "emulator/world/world.h", None),
    ("emulator/json/parse.h", "emulator/time/clock.h", "include-points-right-in-layering"),
    ("emulator/query/jsonata/eval.cc", "emulator/asl/graph.h", "include-points-right-in-layering"),
    ("emulator/asl/graph.h", "emulator/query/jsonata/eval.h", None),
    ("fakes/lambda.h", "emulator/host/command.h", "include-points-right-in-layering"),
    ("fakes/lambda.h", "emulator/engine/integration.h", None),
    ("emulator/asl/graph.h", "emulator/glue/job.h", "include-of-unknown-module"),
    ("emulator/asl/graph.h", "nlohmann/json.hpp", None),
]


def self_test():
    failures = 0
    for path, include, expected in SELF_TEST:
        got = check(path, include)
        if got != expected:
            failures += 1
            print(f"SELF-TEST FAILED: {path} including {include}: expected {expected}, got {got}")
    print(f"{len(SELF_TEST) - failures} passed, {failures} failed")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, type=Path, help="repository source directory")
    parser.add_argument("--self-test", action="store_true", help="check the checker")
    args = parser.parse_args()
    return self_test() if args.self_test else check_tree(args.root)


if __name__ == "__main__":
    sys.exit(main())
