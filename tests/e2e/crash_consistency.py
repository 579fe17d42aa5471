#!/usr/bin/python3
"""Crash consistency of `timeslip serve --db FILE` (issue 7), over loopback only.

Rounds, for TIMESLIP_CRASH_SECONDS (default 40) in all: concurrent keep-alive clients (threads,
http.client, raw AWS JSON 1.0) StartExecution (unique names) on a machine whose execution pauses
on a lambda:invoke.waitForTaskToken Task, learn each paused execution's token from its history,
and SendTaskSuccess it (in random order, so some executions are paused when the server dies);
the server is SIGKILLed at a random moment, sometimes again while it replays its journal, and
started again on the same file and port. After every restart:

- every StartExecution answered 200 exists; every execution listed is one the clients started
  (answered, or in flight at the kill: its answer was lost); ListExecutions has no duplicate;
- every SendTaskSuccess answered 200 has its effect: that execution's task succeeded and the
  execution finishes (SUCCEEDED); an execution seen SUCCEEDED stays SUCCEEDED;
- every history is contiguous (ids 1..N, each previousEventId an earlier event), with one
  ExecutionStarted, at most one TaskSucceeded and one ExecutionSucceeded (last);
- every execution is SUCCEEDED or RUNNING, and a RUNNING one still pauses on the very token its
  history gave before the crash.
At the end every RUNNING execution gets its token and must SUCCEED; a graceful stop and one more
restart must keep everything. Any violation fails the run, with a message naming it.

Reproducible choices: --seed (default 1; TIMESLIP_CRASH_SEED) seeds the kill instants and each
client's choices (thread scheduling still varies from run to run).

Run: /usr/bin/python3 tests/e2e/crash_consistency.py [--timeslip build/bin/timeslip]
     [--seconds S] [--seed N] [--clients N]
Prints "survived N kills, M executions, K acknowledged calls".
"""

import argparse
import collections
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from timeslip_e2e import (ACCOUNT, DUMMY_AUTHORIZATION, REGION, ROLE_ARN, Server,
                          timeslip_binary, token_from_history, wait_for)

HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "Authorization": DUMMY_AUTHORIZATION,
    "X-Amz-Date": "20240101T000000Z",
}

MACHINE = "crash"
DEFINITION = json.dumps({
    "StartAt": "Approve",
    "States": {
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:approver",
                "Payload": {"TaskToken.$": "$$.Task.Token", "execution.$": "$$.Execution.Id"},
            },
            "ResultPath": "$.approval",
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
})


class Violation(Exception):
    """A broken guarantee: the run fails."""


class Lost(Exception):
    """The connection died (the server was killed): the call's outcome is unknown."""


def post(conn, operation, body):
    """One AWS JSON 1.0 call on a keep-alive connection: (status, parsed body); Lost if the
    connection broke before a whole answer arrived."""
    headers = dict(HEADERS, **{"X-Amz-Target": f"AWSStepFunctions.{operation}"})
    try:
        conn.request("POST", "/", body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        payload = response.read()
    except (OSError, http.client.HTTPException) as err:
        conn.close()
        raise Lost(f"{operation}: {err!r}") from None
    try:
        return response.status, json.loads(payload) if payload else {}
    except ValueError:
        raise Violation(f"{operation}: HTTP {response.status}, not JSON: {payload[:300]!r}")


class Ledger:
    """What the clients know, across rounds. All fields under `lock`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempted = set()       # every execution ARN a StartExecution was sent for
        self.acked_starts = set()    # StartExecution answered 200
        self.lost_starts = set()     # StartExecution in flight at a kill (this round)
        self.existing = set()        # executions known to exist (acked, or found after a kill)
        self.tokens = {}             # execution ARN -> the token its history gave
        self.need_token = []         # existing, RUNNING, token not learned yet
        self.to_send = []            # token learned, SendTaskSuccess not sent yet
        self.acked_sends = set()     # SendTaskSuccess answered 200
        self.lost_sends = set()      # SendTaskSuccess in flight at a kill (this round)
        self.succeeded = set()       # seen SUCCEEDED after a restart
        self.touched = set()         # executions a call of this round was about
        self.acked_calls = 0         # StartExecution + SendTaskSuccess answered 200
        self.violations = []


class Client(threading.Thread):
    """One keep-alive client: starts executions, learns tokens, sends them, until the server
    dies or `stop` is set."""

    def __init__(self, index, round_no, server, machine_arn, ledger, rng, stop):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.round_no = round_no
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        self.machine_arn = machine_arn
        self.ledger = ledger
        self.rng = rng
        self.stop = stop
        self.calls = 0

    def pop_random(self, items):
        return items.pop(self.rng.randrange(len(items))) if items else None

    def run(self):
        ledger = self.ledger
        n = 0
        try:
            while not self.stop.is_set():
                choice = self.rng.random()
                with ledger.lock:
                    send = self.pop_random(ledger.to_send) if choice < 0.4 else None
                    learn = (self.pop_random(ledger.need_token)
                             if send is None and choice < 0.75 else None)
                if send is not None:
                    self.send_success(send)
                elif learn is not None:
                    self.learn_token(learn)
                else:
                    name = f"r{self.round_no}-c{self.index}-{n}"
                    n += 1
                    self.start_execution(name)
                self.calls += 1
        except Lost:
            pass  # the server died: this client's round is over
        except Violation as err:
            with ledger.lock:
                ledger.violations.append(str(err))
        finally:
            self.conn.close()

    def start_execution(self, name):
        ledger = self.ledger
        arn = f"arn:aws:states:{REGION}:{ACCOUNT}:execution:{MACHINE}:{name}"
        with ledger.lock:
            ledger.attempted.add(arn)
        try:
            status, body = post(self.conn, "StartExecution", {
                "stateMachineArn": self.machine_arn, "name": name,
                "input": json.dumps({"name": name})})
        except Lost:
            with ledger.lock:
                ledger.lost_starts.add(arn)
            raise
        if status != 200 or body.get("executionArn") != arn:
            raise Violation(f"StartExecution {name}: HTTP {status} {body}")
        with ledger.lock:
            ledger.acked_starts.add(arn)
            ledger.existing.add(arn)
            ledger.touched.add(arn)
            ledger.need_token.append(arn)
            ledger.acked_calls += 1

    def post_or(self, on_lost, operation, request):
        """One call; `on_lost` (under the ledger's lock) if the kill took the answer away."""
        try:
            status, body = post(self.conn, operation, request)
        except Lost:
            with self.ledger.lock:
                on_lost()
            raise
        if status != 200:
            raise Violation(f"{operation} {request}: HTTP {status} {body}")
        return body

    def learn_token(self, arn):
        ledger = self.ledger
        body = self.post_or(lambda: ledger.need_token.append(arn), "GetExecutionHistory",
                            {"executionArn": arn, "maxResults": 50})
        token = token_from_history(body.get("events", []))
        with ledger.lock:
            if token is None:
                ledger.need_token.append(arn)  # not paused yet: later
            else:
                ledger.tokens[arn] = token
                # Some tokens are kept for after the next kill: sent to a restarted server.
                if self.rng.random() >= 0.3:
                    ledger.to_send.append(arn)

    def send_success(self, arn):
        ledger = self.ledger
        with ledger.lock:
            token = ledger.tokens[arn]
            ledger.touched.add(arn)
        self.post_or(lambda: ledger.lost_sends.add(arn), "SendTaskSuccess", {
            "taskToken": token, "output": json.dumps({"approvedBy": self.name})})
        with ledger.lock:
            ledger.acked_sends.add(arn)
            ledger.acked_calls += 1


class Checker:
    """The checks after a restart, on one keep-alive connection."""

    def __init__(self, server, machine_arn, ledger):
        self.server = server
        self.machine_arn = machine_arn
        self.ledger = ledger
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        self.violations = []

    def close(self):
        self.conn.close()

    def violation(self, message):
        self.violations.append(message)

    def call(self, operation, body):
        status, answer = post(self.conn, operation, body)
        if status != 200:
            raise Violation(f"{operation} {body}: HTTP {status} {answer}")
        return answer

    def listing(self):
        """Every execution ListExecutions gives, in order (duplicates kept), with status."""
        rows, token = [], None
        while True:
            body = {"stateMachineArn": self.machine_arn, "maxResults": 1000}
            if token:
                body["nextToken"] = token
            page = self.call("ListExecutions", body)
            rows += [(e["executionArn"], e["status"]) for e in page["executions"]]
            token = page.get("nextToken")
            if not token:
                return rows

    def history(self, arn):
        events, token = [], None
        while True:
            body = {"executionArn": arn, "maxResults": 1000}
            if token:
                body["nextToken"] = token
            page = self.call("GetExecutionHistory", body)
            events += page["events"]
            token = page.get("nextToken")
            if not token:
                return events

    def check_history(self, arn, status, events):
        """The checks on one history; returns its token when the execution is paused."""
        ids = [e["id"] for e in events]
        if ids != list(range(1, len(ids) + 1)):
            self.violation(f"history of {arn}: ids are not 1..{len(ids)}: {ids}")
        for event in events:
            previous = event.get("previousEventId", 0)
            if (event["id"] == 1 and previous != 0) or (
                    event["id"] > 1 and not 1 <= previous < event["id"]):
                self.violation(f"history of {arn}: event {event['id']} has previousEventId "
                               f"{previous}")
        types = [e["type"] for e in events]
        counts = collections.Counter(types)
        if not types or types[0] != "ExecutionStarted" or counts["ExecutionStarted"] != 1:
            self.violation(f"history of {arn}: not one ExecutionStarted first: {types}")
        for once in ("TaskScheduled", "TaskSucceeded", "ExecutionSucceeded"):
            if counts[once] > 1:
                self.violation(f"history of {arn}: duplicated {once}: {types}")
        unexpected = set(types) - {
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
            "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "PassStateEntered",
            "PassStateExited", "ExecutionSucceeded"}
        if unexpected:
            self.violation(f"history of {arn}: unexpected events {sorted(unexpected)}: {types}")
        if status == "SUCCEEDED" and types[-1:] != ["ExecutionSucceeded"]:
            self.violation(f"{arn} is SUCCEEDED but its history ends with {types[-1:]}")
        if status == "RUNNING" and counts["ExecutionSucceeded"]:
            self.violation(f"{arn} is RUNNING but its history has ExecutionSucceeded")
        if status != "RUNNING" or counts["TaskSucceeded"]:
            return None
        return token_from_history(events)

    def check(self, full=False):
        """Checks the store against the ledger after a restart; queues the work left (tokens to
        learn and to send) for the next round. `full`: every history, not only those this round
        touched and the paused ones."""
        ledger = self.ledger
        rows = self.listing()
        arns = [arn for arn, _ in rows]
        status = dict(rows)
        duplicates = [arn for arn, n in collections.Counter(arns).items() if n > 1]
        if duplicates:
            self.violation(f"ListExecutions lists {len(duplicates)} executions twice: "
                           f"{duplicates[:5]}")
        with ledger.lock:
            missing = ledger.acked_starts - status.keys()
            gone = ledger.existing - ledger.acked_starts - status.keys()
            strangers = status.keys() - ledger.attempted
            found = (ledger.lost_starts & status.keys()) - ledger.existing
            ledger.existing |= found
            ledger.touched |= found
        if gone:
            self.violation(f"executions seen after an earlier restart are gone: "
                           f"{sorted(gone)[:5]}")
        if missing:
            self.violation(f"{len(missing)} acknowledged StartExecution calls have no execution: "
                           f"{sorted(missing)[:5]}")
        if strangers:
            self.violation(f"executions nobody started: {sorted(strangers)[:5]}")
        bad = {arn: s for arn, s in status.items() if s not in ("RUNNING", "SUCCEEDED")}
        if bad:
            self.violation(f"executions neither RUNNING nor SUCCEEDED: {list(bad.items())[:5]}")
        with ledger.lock:
            regressed = [arn for arn in ledger.succeeded if status.get(arn) != "SUCCEEDED"]
        if regressed:
            self.violation(f"SUCCEEDED executions went back: "
                           f"{[(a, status.get(a)) for a in regressed[:5]]}")

        # An acknowledged SendTaskSuccess: the task succeeded; the execution finishes.
        with ledger.lock:
            acked_running = [arn for arn in ledger.acked_sends if status.get(arn) == "RUNNING"]
        for arn in acked_running:
            events = self.history(arn)
            if "TaskSucceeded" not in [e["type"] for e in events]:
                self.violation(f"acknowledged SendTaskSuccess for {arn} was lost: the execution "
                               f"still waits for its token")
                continue
            try:
                wait_for(lambda: self.call("DescribeExecution", {"executionArn": arn})[
                    "status"] == "SUCCEEDED", timeout=10, what=f"{arn} to finish")
            except AssertionError as err:
                self.violation(f"acknowledged SendTaskSuccess for {arn}: {err}")
            status[arn] = "SUCCEEDED"

        # Histories: the ones this round touched, every paused one (all of them with `full`).
        with ledger.lock:
            touched = set(ledger.touched)
        to_check = [arn for arn in status
                    if full or arn in touched or status[arn] == "RUNNING"]
        if len(self.violations) > 0:
            return
        need_token, to_send = [], []
        for arn in to_check:
            events = self.history(arn)
            described = self.call("DescribeExecution", {"executionArn": arn})["status"]
            token = self.check_history(arn, described, events)
            with ledger.lock:
                if described == "SUCCEEDED":
                    ledger.succeeded.add(arn)
                    continue
                learned = ledger.tokens.get(arn)
                if described != "RUNNING":
                    continue
                if arn in ledger.acked_sends or "TaskSucceeded" in [e["type"] for e in events]:
                    continue  # its task succeeded: finishing
                if token is None:
                    need_token.append(arn)
                elif learned is not None and learned != token:
                    self.violation(f"{arn} pauses on another token after the restart: "
                                   f"{token!r}, it was {learned!r}")
                else:
                    ledger.tokens[arn] = token
                    to_send.append(arn)
        with ledger.lock:
            ledger.need_token = need_token
            ledger.to_send = to_send
            ledger.lost_starts = set()
            ledger.lost_sends = set()
            ledger.touched = set()

    def finish_all(self):
        """Sends every paused execution its token; all must SUCCEED."""
        ledger = self.ledger
        deadline = time.monotonic() + 30
        while True:
            rows = self.listing()
            running = [arn for arn, s in rows if s == "RUNNING"]
            if not running:
                return len(rows)
            if time.monotonic() > deadline:
                self.violation(f"{len(running)} executions still RUNNING after their tokens "
                               f"were sent: {running[:5]}")
                return len(rows)
            for arn in running:
                events = self.history(arn)
                token = token_from_history(events)
                types = [e["type"] for e in events]
                if token is None or "TaskSucceeded" in types:
                    continue  # not paused yet, or already finishing
                learned = ledger.tokens.get(arn)
                if learned is not None and learned != token:
                    self.violation(f"{arn} pauses on another token: {token!r}, was {learned!r}")
                status, body = post(self.conn, "SendTaskSuccess",
                                    {"taskToken": token, "output": "{}"})
                if status != 200:
                    self.violation(f"resuming {arn}: SendTaskSuccess HTTP {status} {body}")
                    return len(rows)
                with ledger.lock:
                    ledger.acked_sends.add(arn)
                    ledger.acked_calls += 1
            time.sleep(0.05)


def kill_during_recovery(server, delay):
    """Starts `timeslip serve` on the server's file and port and SIGKILLs it after `delay`
    seconds, most likely while it replays its journal. Returns True if it was still starting
    (no listening line yet) when killed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [timeslip_binary(), "serve", "--port", str(server.port), "--db", server.db],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        time.sleep(delay)
        exited = proc.poll()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        out.seek(0)
        listening = b"listening on" in out.read()
        if exited is not None:
            err.seek(0)
            raise Violation(f"a restart exited with {exited} by itself: {err.read()[-2000:]!r}")
        return not listening


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("TIMESLIP_CRASH_SECONDS", "40")))
    parser.add_argument("--seed", type=int,
                        default=int(os.environ.get("TIMESLIP_CRASH_SEED", "1")))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-round", type=float, default=0.6,
                        help="longest load before a kill, in seconds")
    parser.add_argument("--verbose", action="store_true", help="a line per round")
    args = parser.parse_args()

    began = time.monotonic()
    ends = began + args.seconds
    rng = random.Random(args.seed)
    workdir = tempfile.TemporaryDirectory(prefix="timeslip-crash-")
    db = str(Path(workdir.name) / "crash.db")
    server = Server(extra_args=["--seed", str(args.seed)], db=db)
    ledger = Ledger()
    kills = recovery_kills = rounds = 0
    slowest_restart = last_restart = last_round = 0.0
    failure = None
    try:
        machine_arn = server.call("CreateStateMachine", {
            "name": MACHINE, "definition": DEFINITION, "roleArn": ROLE_ARN})["stateMachineArn"]
        # Another round while it and the end (every history checked, two more restarts) fit.
        while (time.monotonic() + last_round + 3 * last_restart +
               0.0008 * len(ledger.existing) + 0.5 < ends):
            round_began = time.monotonic()
            rounds += 1
            stop = threading.Event()
            clients = [Client(i, rounds, server, machine_arn, ledger,
                              random.Random(f"{args.seed}-{rounds}-{i}"), stop)
                       for i in range(args.clients)]
            for client in clients:
                client.start()
            load = rng.uniform(0.02, args.max_round)
            time.sleep(load)
            server.kill()
            kills += 1
            stop.set()
            for client in clients:
                client.join(30)
                if client.is_alive():
                    raise Violation(f"{client.name} still blocked 30 s after the kill")
            if ledger.violations:
                raise Violation("; ".join(ledger.violations[:5]))
            # Sometimes the restart dies too, while it replays.
            if rng.random() < 0.25:
                if kill_during_recovery(server, rng.uniform(0.0, last_restart + 0.02)):
                    recovery_kills += 1
                kills += 1
            restart_began = time.monotonic()
            try:
                server.restart()
            except RuntimeError as err:  # it exited: it would not resume the file
                raise Violation(f"the restart after kill {kills} failed: {err}") from None
            checked_at = time.monotonic()
            last_restart = checked_at - restart_began
            slowest_restart = max(slowest_restart, last_restart)
            checker = Checker(server, machine_arn, ledger)
            try:
                checker.check()
            finally:
                checker.close()
            if checker.violations:
                raise Violation(f"after kill {kills} (round {rounds}): " +
                                "; ".join(checker.violations[:10]))
            if args.verbose:
                print(f"round {rounds}: killed after {load:.2f} s, restart "
                      f"{checked_at - restart_began:.2f} s, checks "
                      f"{time.monotonic() - checked_at:.2f} s; {len(ledger.existing)} "
                      f"executions, {len(ledger.to_send) + len(ledger.need_token)} paused",
                      flush=True)
            last_round = time.monotonic() - round_began

        # The end: every paused execution resumes with its token and succeeds; a graceful stop
        # and a restart keep it all.
        checker = Checker(server, machine_arn, ledger)
        try:
            checker.finish_all()
            if not checker.violations:
                checker.check(full=True)
        finally:
            checker.close()
        if checker.violations:
            raise Violation("at the end: " + "; ".join(checker.violations[:10]))
        rc = server.stop()
        if rc != 0:
            raise Violation(f"a graceful stop exited with {rc}: {server.stderr_text()[-2000:]}")
        try:
            server.restart()
        except RuntimeError as err:
            raise Violation(f"the restart after a graceful stop failed: {err}") from None
        checker = Checker(server, machine_arn, ledger)
        try:
            rows = checker.listing()
        finally:
            checker.close()
        if sorted(rows) != sorted((arn, "SUCCEEDED") for arn in ledger.existing):
            raise Violation(f"after a graceful restart: {len(rows)} executions listed, "
                            f"{len(ledger.existing)} expected, all SUCCEEDED")
        if server.stop() != 0:
            raise Violation(f"a graceful stop exited with {server.exit_code}")
    except Violation as err:
        failure = str(err)
    except Lost as err:  # the checks' connection broke: the server died by itself
        failure = f"the server died during the checks: {err}"
    finally:
        stderr = server.stderr_text() if server.stderr_path.exists() else ""
        if server.alive():
            server.kill()
        workdir.cleanup()
        server._dir.cleanup()

    elapsed = time.monotonic() - began
    if failure:
        print(f"FAIL (seed {args.seed}, after {kills} kills, {rounds} rounds): {failure}")
        print(f"server stderr (last start):\n{stderr[-3000:]}")
        return 1
    print(f"survived {kills} kills ({recovery_kills} during recovery), "
          f"{len(ledger.existing)} executions, {ledger.acked_calls} acknowledged calls "
          f"in {elapsed:.1f} s ({rounds} rounds, seed {args.seed}, slowest restart "
          f"{slowest_restart:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
