#!/usr/bin/python3
"""Bounded load test over loopback: 32 concurrent keep-alive clients (threads, http.client, raw
AWS JSON 1.0 with a SigV4-looking Authorization header) each loop StartExecution +
DescribeExecution for TIMESLIP_LOAD_SECONDS (default 10). Then ListExecutions, paged, must list
every accepted StartExecution, and no request may have failed. Prints requests/s and p50/p99.

Run: /usr/bin/python3 tests/e2e/load_test.py [--timeslip build/bin/timeslip]
     [--clients N] [--seconds S]
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time

from timeslip_e2e import DUMMY_AUTHORIZATION, ROLE_ARN, Server, pass_definition

HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "Authorization": DUMMY_AUTHORIZATION,
    "X-Amz-Date": "20240101T000000Z",
}


class Client(threading.Thread):
    def __init__(self, index, host, port, machine, deadline, start_gate):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.machine = machine
        self.deadline = deadline
        self.start_gate = start_gate
        self.latencies = []  # seconds, one per request
        self.started = []  # executionArns the server accepted
        self.errors = []
        self.connections = 1

    def post(self, operation, body):
        headers = dict(HEADERS, **{"X-Amz-Target": f"AWSStepFunctions.{operation}"})
        data = json.dumps(body)
        begin = time.perf_counter()
        self.conn.request("POST", "/", body=data, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        self.latencies.append(time.perf_counter() - begin)
        if response.status != 200:
            raise RuntimeError(f"{operation}: HTTP {response.status} {payload[:300]!r}")
        if response.getheader("Connection", "").lower() == "close":
            raise RuntimeError(f"{operation}: the server closed a keep-alive connection")
        return json.loads(payload)

    def run(self):
        self.start_gate.wait()
        n = 0
        try:
            while time.monotonic() < self.deadline:
                name = f"c{self.index}-{n}"
                n += 1
                started = self.post("StartExecution", {
                    "stateMachineArn": self.machine, "name": name,
                    "input": json.dumps({"client": self.index, "n": n})})
                arn = started["executionArn"]
                self.started.append(arn)
                described = self.post("DescribeExecution", {"executionArn": arn})
                if described.get("executionArn") != arn or described.get("status") not in (
                        "RUNNING", "SUCCEEDED"):
                    raise RuntimeError(f"DescribeExecution {arn}: {described}")
        except Exception as err:  # noqa: BLE001: any failure is reported, not raised
            self.errors.append(f"{self.name}: {err!r}")
        finally:
            self.conn.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def cpu_seconds(pid):
    """User + system CPU time of process `pid` (Linux /proc), or None elsewhere."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def list_all(server, machine):
    """Every executionArn ListExecutions gives, following nextToken; and the page count."""
    arns, token, pages = [], None, 0
    while True:
        body = {"stateMachineArn": machine, "maxResults": 1000}
        if token:
            body["nextToken"] = token
        page = server.call("ListExecutions", body)
        pages += 1
        arns += [e["executionArn"] for e in page["executions"]]
        token = page.get("nextToken")
        if not token:
            return arns, pages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("TIMESLIP_LOAD_SECONDS", "10")))
    args = parser.parse_args()

    server = Server()
    failures = []
    try:
        machine = server.call("CreateStateMachine", {
            "name": "load", "definition": pass_definition(states=2), "roleArn": ROLE_ARN,
        })["stateMachineArn"]
        # Every thread waits at the gate; the deadline is set before the gate opens.
        gate = threading.Barrier(args.clients + 1)
        clients = [Client(i, server.host, server.port, machine, None, gate)
                   for i in range(args.clients)]
        for c in clients:
            c.start()
        server_cpu_before = cpu_seconds(server.proc.pid)
        client_cpu_before = time.process_time()
        begin = time.monotonic()
        for c in clients:
            c.deadline = begin + args.seconds
        gate.wait()
        for c in clients:
            c.join(args.seconds + 60)
            if c.is_alive():
                failures.append(f"{c.name} still running {args.seconds + 60}s after the end")
        elapsed = time.monotonic() - begin
        server_cpu_after = cpu_seconds(server.proc.pid)
        client_cpu = time.process_time() - client_cpu_before

        latencies = sorted(x for c in clients for x in c.latencies)
        accepted = [arn for c in clients for arn in c.started]
        errors = [e for c in clients for e in c.errors]
        failures += errors
        listed, pages = list_all(server, machine)
        missing = set(accepted) - set(listed)
        if missing:
            failures.append(f"{len(missing)} accepted executions not listed, e.g. "
                            f"{sorted(missing)[:3]}")
        if len(listed) != len(set(listed)):
            failures.append(f"ListExecutions listed duplicates: {len(listed)} arns, "
                            f"{len(set(listed))} distinct")
        if len(set(listed)) != len(accepted):
            failures.append(f"ListExecutions lists {len(set(listed))} executions, "
                            f"{len(accepted)} were started")
        if not accepted:
            failures.append("no StartExecution was accepted")
        if not server.alive():
            failures.append("the server died")

        print(f"clients: {args.clients}, duration: {elapsed:.1f}s (loopback, keep-alive)")
        print(f"requests: {len(latencies)} ({len(accepted)} StartExecution + "
              f"{len(latencies) - len(accepted)} DescribeExecution), errors: {len(errors)}")
        print(f"throughput: {len(latencies) / elapsed:.0f} requests/s "
              f"({len(accepted) / elapsed:.0f} executions/s)")
        print(f"latency: p50 {percentile(latencies, 50) * 1000:.2f} ms, "
              f"p99 {percentile(latencies, 99) * 1000:.2f} ms, "
              f"max {latencies[-1] * 1000 if latencies else float('nan'):.2f} ms")
        print(f"ListExecutions: {len(listed)} executions in {pages} pages")
        if server_cpu_before is not None and server_cpu_after is not None:
            print(f"CPU: server {server_cpu_after - server_cpu_before:.1f}s, "
                  f"these Python clients {client_cpu:.1f}s, over {elapsed:.1f}s on "
                  f"{os.cpu_count()} cores")
    finally:
        try:
            server.close()
        except AssertionError as err:
            failures.append(str(err))
    for failure in failures[:20]:
        print("FAIL:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
