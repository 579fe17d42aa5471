#!/usr/bin/env python3
"""Prints the Markdown tables of a timeslip_bench run (Google Benchmark JSON) and, with --peer,
of the peer comparison (bench/peer/peer.cjs's JSON). Every figure comes from those files; a
benchmark that stopped with an error is printed as such and makes the exit status 1.

  bench/report.py build/bench/full.json [--peer build/bench/peer.json]
"""
import argparse
import json
import sys


def rate(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:,.3g}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def parse_name(name):
    """'BM_X/stored:1000/page:0/real_time' -> ('BM_X', {'stored': '1000', 'page': '0'}, ['1000'])"""
    parts = [p for p in name.split("/") if p not in ("real_time", "manual_time")]
    args, plain = {}, []
    for p in parts[1:]:
        if ":" in p:
            k, v = p.split(":", 1)
            args[k] = v
        else:
            plain.append(p)
    return parts[0], args, plain


def load(path):
    with open(path) as f:
        data = json.load(f)
    runs = [b for b in data["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
    by_name = {}
    for b in runs:
        family, args, plain = parse_name(b["name"])
        b["_family"], b["_args"], b["_plain"] = family, args, plain
        by_name[b["name"]] = b
    return data, runs, by_name


def find(runs, family, **args):
    for b in runs:
        if b["_family"] != family:
            continue
        want = {k: str(v) for k, v in args.items() if k != "arg"}
        if any(b["_args"].get(k) != v for k, v in want.items()):
            continue
        if "arg" in args and (not b["_plain"] or b["_plain"][0] != str(args["arg"])):
            continue
        return b
    return None


def counter(b, key):
    if b is None or b.get("error_occurred"):
        return None
    return b.get(key)


def fmt_size(s):
    try:
        return f"{int(s):,}"
    except (TypeError, ValueError):
        return str(s)


def workload_rows(runs):
    """(workload, size, figure, unit, compared with, ratio) for each known benchmark."""
    rows = []
    tps = "transitions/s"

    def add(workload, size, value, unit, against="", r="-"):
        rows.append((workload, size, rate(value), unit, against, r))

    for b in runs:
        f, a, p = b["_family"], b["_args"], b["_plain"]
        arg = p[0] if p else ""
        if b.get("error_occurred"):
            rows.append((b["name"], "", "ERROR", b.get("error_message", ""), "", ""))
            continue
        if f == "BM_EnginePassChain":
            v = counter(b, tps)
            copy = counter(find(runs, "BM_BaselineCopyAndSet", arg=arg), tps)
            place = counter(find(runs, "BM_BaselineSetInPlace", arg=arg), tps)
            add("Pass chain, transform per state", fmt_size(arg), v, tps,
                "copy-and-set / set-in-place baseline", f"{ratio(v, copy)} / {ratio(v, place)}")
        elif f == "BM_BaselineCopyAndSet":
            add("baseline: copy + path-set per step", fmt_size(arg), counter(b, tps), "steps/s")
        elif f == "BM_BaselineSetInPlace":
            add("baseline: path-set in place per step", fmt_size(arg), counter(b, tps), "steps/s")
        elif f == "BM_EngineMap":
            add("inline Map, one Pass per item (Express)", fmt_size(arg), counter(b, tps), tps)
        elif f == "BM_EngineChoiceLoop":
            add("Choice + Pass loop (Express)", fmt_size(arg), counter(b, tps), tps)
        elif f == "BM_EngineSmallExecutions":
            how = "all at once" if a.get("all_at_once") == "1" else "sequential"
            add(f"three-state executions, {how}", fmt_size(a.get("n")), counter(b, tps), tps)
        elif f == "BM_ChainStore":
            store = {"0": "no store", "1": "MemoryStore", "2": "SQLite file (serve --db)"}[a["store"]]
            v = counter(b, tps)
            if a["store"] == "2":
                mem = counter(find(runs, "BM_ChainStore", store=1), tps)
                base = counter(find(runs, "BM_BaselineSqliteBatchInsert"), tps)
                add(f"Pass chain via StartExecution, history to {store}", "1,000", v, tps,
                    "MemoryStore / SQLite batch insert", f"{ratio(v, mem)} / {ratio(v, base)}")
            else:
                add(f"Pass chain via StartExecution, history to {store}", "1,000", v, tps)
        elif f == "BM_BaselineSqliteBatchInsert":
            add("baseline: SQLite batch insert of the chain's history rows", "1,000",
                counter(b, tps), tps + f" ({rate(counter(b, 'rows/s'))} rows/s)")
        elif f in ("BM_HttpEcho", "BM_HttpStartExecution", "BM_HttpSendTaskSuccess"):
            c = a.get("connections")
            v = counter(b, "requests/s")
            name = {"BM_HttpEcho": "HTTP echo (same server stack)",
                    "BM_HttpStartExecution": "StartExecution over HTTP",
                    "BM_HttpSendTaskSuccess": "SendTaskSuccess over HTTP"}[f]
            if f == "BM_HttpEcho":
                add(name, f"{c} conn.", v, "requests/s")
            else:
                echo = counter(find(runs, "BM_HttpEcho", connections=c), "requests/s")
                add(name, f"{c} conn.", v, "requests/s", "HTTP echo", ratio(v, echo))
        elif f == "BM_PausedExecutions":
            n = a.get("executions")
            per = counter(b, "bytes/paused")
            rows.append(("paused at .waitForTaskToken (--db FILE): resident memory",
                         fmt_size(n), f"{per / 1024:.2f}" if per is not None else "-",
                         "KiB per execution", "", ""))
            rows.append(("paused at .waitForTaskToken (--db FILE): SendTaskSuccess to all",
                         fmt_size(n), f"{counter(b, 'resume_s'):.3f}", "s to resume all",
                         "", ""))
        elif f in ("BM_ServedListExecutions", "BM_ServedDescribeExecution",
                   "BM_ServedGetExecutionHistory"):
            n = a.get("stored")
            v = counter(b, "items_per_second")
            label = {"BM_ServedListExecutions": "ListExecutions",
                     "BM_ServedDescribeExecution": "DescribeExecution",
                     "BM_ServedGetExecutionHistory": "GetExecutionHistory"}[f]
            if f == "BM_ServedListExecutions":
                label += ", 10 of N" if a.get("page") == "1" else ", 2nd page of 100"
                first = counter(find(runs, f, stored=1000, page=a.get("page")), "items_per_second")
            else:
                first = counter(find(runs, f, stored=1000), "items_per_second")
            add(f"{label} (stored executions)", fmt_size(n), v, "requests/s",
                "same at 1,000 stored", ratio(v, first))
        elif f == "BM_NightlyScenarios":
            add(f"nightly scenarios ({b.get('label', '')})", "", counter(b, "virtual_s/wall_s"),
                "virtual s per wall s", "wall ms per pass", f"{b['real_time']:.1f} ms")
        elif f == "BM_NightlyYear":
            add("nightly pipeline, a year of scheduled runs", "365 nights",
                counter(b, "virtual_s/wall_s"), "virtual s per wall s", "wall ms per year",
                f"{b['real_time']:.1f} ms")
    return rows


def other_rows(runs, shown):
    rows = []
    for b in runs:
        if b["_family"] in shown:
            continue
        if b.get("error_occurred"):
            rows.append((b["name"], "ERROR", b.get("error_message", "")))
            continue
        extra = []
        for k, v in b.items():
            if k.startswith("_") or not isinstance(v, (int, float)) or k in (
                    "family_index", "per_family_instance_index", "repetitions",
                    "repetition_index", "threads", "iterations", "real_time", "cpu_time"):
                continue
            extra.append(f"{k}={rate(v)}")
        rows.append((b["name"], f"{b['real_time']:.3g} {b['time_unit']}", ", ".join(extra)))
    return rows


SHOWN = {"BM_EnginePassChain", "BM_BaselineCopyAndSet", "BM_BaselineSetInPlace", "BM_EngineMap",
         "BM_EngineChoiceLoop", "BM_EngineSmallExecutions", "BM_ChainStore",
         "BM_BaselineSqliteBatchInsert", "BM_HttpEcho", "BM_HttpStartExecution",
         "BM_HttpSendTaskSuccess", "BM_PausedExecutions", "BM_ServedListExecutions",
         "BM_ServedDescribeExecution", "BM_ServedGetExecutionHistory", "BM_NightlyScenarios",
         "BM_NightlyYear"}

PEER_BENCH = {
    "chain": lambda r: ("BM_EnginePassChain", {"arg": r["size"]}, "Pass chain"),
    "map": lambda r: ("BM_EngineMap", {"arg": r["size"]}, "inline Map"),
    "loop": lambda r: ("BM_EngineChoiceLoop", {"arg": r["size"]}, "Choice + Pass loop"),
    "small": lambda r: ("BM_EngineSmallExecutions",
                        {"n": r["executions"], "all_at_once": 1 if r["concurrent"] else 0},
                        "three-state executions, " +
                        ("all at once" if r["concurrent"] else "sequential")),
}


def peer_rows(runs, peer):
    rows = []
    for r in peer["results"]:
        family, args, label = PEER_BENCH[r["name"]](r)
        size = r["executions"] if r["name"] == "small" else r["size"]
        mine = counter(find(runs, family, **args), "transitions/s")
        over_http = rate(r.get("http_tps")) if not r.get("http_error") else "refused: " + r["http_error"][:160]
        rows.append((label, fmt_size(size), rate(mine), over_http,
                     rate(r["peer_tps"]), ratio(mine, r["peer_tps"]),
                     ratio(r.get("http_tps"), r["peer_tps"])))
    return rows


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench_json")
    parser.add_argument("--peer")
    opts = parser.parse_args()
    data, runs, _ = load(opts.bench_json)
    ctx = data.get("context", {})
    print(f"timeslip_bench on {ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz, "
          f"{ctx.get('date', '')}; transitions are states entered.\n")
    print(table(["workload", "size", "figure", "unit", "compared with", "ratio"],
                workload_rows(runs)))
    others = other_rows(runs, SHOWN)
    if others:
        print("\nOther benchmarks of the suite:\n")
        print(table(["benchmark", "time per iteration", "counters"], others))
    if opts.peer:
        with open(opts.peer) as f:
            peer = json.load(f)
        print(f"\nThe peer: aws-local-stepfunctions {peer['peer']['version']} in process (node "
              f"{peer['peer'].get('node', '')}); timeslip in process (timeslip_bench) and over "
              "HTTP (timeslip serve --db :memory:, StartSyncExecution, EXPRESS, one keep-alive "
              "connection). Transitions per second.\n")
        print(table(["workload", "size", "timeslip in process", "timeslip over HTTP",
                     "peer in process", "in process / peer", "HTTP / peer"],
                    peer_rows(runs, peer)))
    errors = [b["name"] for b in runs if b.get("error_occurred")]
    if errors:
        print(f"\n{len(errors)} benchmark(s) failed: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
