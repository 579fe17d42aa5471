#!/usr/bin/python3
"""End to end through Debian's AWS CLI v2 (/usr/bin/aws): the two task-token flows, then every
error the endpoint answers, each asserting the error name the CLI prints and that the server
still serves afterwards. Errors the CLI cannot send (a malformed body, an unknown target, an
oversize or half-sent request) go raw over http.client / sockets.

An `aws` process costs ~1 s of CPU before it sends anything, so only the activity worker's calls
and one error are `aws` processes; the other calls go through the CLI's own driver
(awscli.clidriver, what /usr/bin/aws runs) in this process: same parsing, request, output and
exit code (see timeslip_e2e.InProcessCli).

Run: /usr/bin/python3 tests/e2e/test_cli.py [--timeslip build/bin/timeslip]
"""

import concurrent.futures
import json
import re
import socket
import tempfile
import time
import unittest
from pathlib import Path

from timeslip_e2e import (ROLE_ARN, Server, activity_arn, activity_definition,
                          callback_definition, execution_arn, machine_arn, pass_definition,
                          token_from_history, wait_for)

SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server()


def tearDownModule():
    SERVER.close()


def history(arn):
    return SERVER.call("GetExecutionHistory", {"executionArn": arn, "maxResults": 1000})["events"]


def wait_token_raw(arn):
    return wait_for(lambda: token_from_history(history(arn)), what=f"a TaskScheduled in {arn}")


def read_response_or_eof(sock):
    """Reads one HTTP response (head + Content-Length body) or up to EOF; returns the bytes."""
    data = b""
    while True:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            match = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", data[:end + 2])
            if match and len(data) >= end + 4 + int(match.group(1)):
                return data
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


class CliFlowTest(unittest.TestCase):
    """The two token flows through the AWS CLI. The activity worker's calls are `aws` processes,
    as a shell-script worker makes them; the rest go through the CLI's driver in this process
    (InProcessCli): an `aws` process spends ~1 s of CPU importing itself."""

    @classmethod
    def setUpClass(cls):
        cls.cli = SERVER.cli_in_process()

    def aws_ok(self, *args, process=False):
        result = SERVER.aws(*args) if process else self.cli(*args)
        self.assertEqual(result.rc, 0, result)
        return result.json

    def test_token_flows(self):
        # Side by side: the worker's processes take a while to start.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            flows = {name: pool.submit(getattr(self, name))
                     for name in ["activity_worker_flow", "callback_token_flow"]}
        for name, future in flows.items():
            with self.subTest(flow=name):
                future.result()

    def activity_worker_flow(self):
        activity = self.aws_ok("create-activity", "--name", "cli-approvals")
        self.assertEqual(activity["activityArn"], activity_arn("cli-approvals"))
        machine = self.aws_ok("create-state-machine", "--name", "cli-activity-flow",
                              "--definition", activity_definition(activity["activityArn"]),
                              "--role-arn", ROLE_ARN)
        self.assertEqual(machine["stateMachineArn"], machine_arn("cli-activity-flow"))
        started = self.aws_ok("start-execution", "--state-machine-arn",
                              machine["stateMachineArn"], "--name", "run-1", "--input",
                              '{"order": 42}')
        self.assertEqual(started["executionArn"], execution_arn("cli-activity-flow", "run-1"))

        # The worker, `aws` processes: long-polls for the task, heartbeats, succeeds.
        task = self.aws_ok("get-activity-task", "--activity-arn", activity["activityArn"],
                           "--worker-name", "cli-worker", process=True)
        self.assertTrue(task.get("taskToken"), task)
        self.assertEqual(json.loads(task["input"]), {"order": 42})
        self.aws_ok("send-task-heartbeat", "--task-token", task["taskToken"], process=True)
        self.aws_ok("send-task-success", "--task-token", task["taskToken"], "--task-output",
                    '{"approved": true, "order": 42}', process=True)

        def succeeded():
            d = self.aws_ok("describe-execution", "--execution-arn", started["executionArn"],
                            process=True)
            return d if d["status"] != "RUNNING" else None

        described = wait_for(succeeded, what="the activity execution to end")
        self.assertEqual(described["status"], "SUCCEEDED", described)
        self.assertEqual(json.loads(described["output"]), {"approved": True, "order": 42})
        self.assertEqual(json.loads(described["input"]), {"order": 42})
        self.assertEqual(described["stateMachineArn"], machine["stateMachineArn"])

    def callback_token_flow(self):
        machine = self.aws_ok("create-state-machine", "--name", "cli-callback-flow",
                              "--definition", callback_definition(heartbeat_seconds=600),
                              "--role-arn", ROLE_ARN)
        started = self.aws_ok("start-execution", "--state-machine-arn",
                              machine["stateMachineArn"], "--input", '{"order": 7}')
        arn = started["executionArn"]

        def token():
            events = self.aws_ok("get-execution-history", "--execution-arn", arn)["events"]
            return token_from_history(events)

        task_token = wait_for(token, what="the TaskScheduled event")
        self.aws_ok("send-task-heartbeat", "--task-token", task_token)
        self.aws_ok("send-task-success", "--task-token", task_token, "--task-output",
                    '{"approved": "yes"}')
        described = wait_for(
            lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
                self.aws_ok("describe-execution", "--execution-arn", arn)),
            what="the callback execution to end")
        self.assertEqual(described["status"], "SUCCEEDED", described)
        self.assertEqual(json.loads(described["output"]), {"approved": "yes"})


class CliErrorTest(unittest.TestCase):
    """Every error the CLI can provoke, through the CLI's own driver in this process (see
    InProcessCli), and a few through `aws` processes to show they print the same."""

    @classmethod
    def setUpClass(cls):
        # Fixtures made raw: only the erroring calls go through the CLI.
        cls.machine = SERVER.call("CreateStateMachine", {
            "name": "cli-errors", "definition": callback_definition(), "roleArn": ROLE_ARN,
        })["stateMachineArn"]
        cls.running = SERVER.call("StartExecution", {
            "stateMachineArn": cls.machine, "name": "dup", "input": '{"order": 1}'})[
            "executionArn"]
        # A finished task: its token was answered once already.
        done = SERVER.call("StartExecution", {
            "stateMachineArn": cls.machine, "input": '{"order": 2}'})["executionArn"]
        cls.used_token = wait_token_raw(done)
        SERVER.call("SendTaskSuccess", {"taskToken": cls.used_token, "output": "{}"})
        cls.live_token = wait_token_raw(cls.running)
        cls.tmp = tempfile.TemporaryDirectory(prefix="timeslip-e2e-cli-")
        cls.big_input = Path(cls.tmp.name) / "big.json"
        # 300 KiB of JSON: over the 256 KiB payload limit, far under the 2 MiB body limit.
        cls.big_input.write_text(json.dumps({"blob": "x" * (300 * 1024)}))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cases(self):
        m = self.machine
        no_machine = machine_arn("no-such-machine")
        good_def = pass_definition()
        return [
            # (error, operation, args[, words the message must contain])
            # Two problems: the message carries every diagnostic, each with its code.
            ("InvalidDefinition", "CreateStateMachine",
             ["create-state-machine", "--name", "bad-def", "--role-arn", ROLE_ARN,
              "--definition", json.dumps({"StartAt": "Missing", "States": {
                  "A": {"Type": "Pass", "Next": "Nowhere"}}})],
             ["MISSING_TRANSITION_TARGET", "Missing", "Nowhere"]),
            ("InvalidDefinition", "CreateStateMachine",
             ["create-state-machine", "--name", "bad-json-def", "--role-arn", ROLE_ARN,
              "--definition", '{"StartAt": '], ["INVALID_JSON_DESCRIPTION"]),
            ("InvalidName", "CreateStateMachine",
             ["create-state-machine", "--name", "has space", "--role-arn", ROLE_ARN,
              "--definition", good_def]),
            ("InvalidName", "StartExecution",
             ["start-execution", "--state-machine-arn", m, "--name", "a/b"]),
            ("InvalidArn", "DescribeExecution",
             ["describe-execution", "--execution-arn", "not-an-arn"], ["not-an-arn"]),
            ("InvalidArn", "DescribeStateMachine",
             ["describe-state-machine", "--state-machine-arn", "arn:aws:states:nope"]),
            ("StateMachineDoesNotExist", "DescribeStateMachine",
             ["describe-state-machine", "--state-machine-arn", no_machine]),
            ("StateMachineDoesNotExist", "StartExecution",
             ["start-execution", "--state-machine-arn", no_machine]),
            ("ExecutionDoesNotExist", "DescribeExecution",
             ["describe-execution", "--execution-arn", execution_arn("cli-errors", "nope")]),
            ("ExecutionDoesNotExist", "GetExecutionHistory",
             ["get-execution-history", "--execution-arn", execution_arn("cli-errors", "nope")]),
            ("ActivityDoesNotExist", "DescribeActivity",
             ["describe-activity", "--activity-arn", activity_arn("no-such-activity")]),
            ("ActivityDoesNotExist", "GetActivityTask",
             ["get-activity-task", "--activity-arn", activity_arn("no-such-activity")]),
            ("InvalidToken", "SendTaskSuccess",
             ["send-task-success", "--task-token", "not-a-token", "--task-output", "{}"]),
            ("TaskDoesNotExist", "SendTaskSuccess",
             ["send-task-success", "--task-token", self.used_token, "--task-output", "{}"]),
            ("TaskDoesNotExist", "SendTaskHeartbeat",
             ["send-task-heartbeat", "--task-token", self.used_token]),
            ("InvalidOutput", "SendTaskSuccess",
             ["send-task-success", "--task-token", self.live_token, "--task-output", "{nope"]),
            ("ExecutionAlreadyExists", "StartExecution",
             ["start-execution", "--state-machine-arn", m, "--name", "dup", "--input",
              '{"order": 999}']),
            ("InvalidExecutionInput", "StartExecution",
             ["start-execution", "--state-machine-arn", m, "--input", "[1, 2"]),
            # Over 256 KiB: the service model's length constraint, checked as AWS checks it.
            ("ValidationException", "StartExecution",
             ["start-execution", "--state-machine-arn", m, "--input",
              f"file://{self.big_input}"]),
        ]

    def assert_cli_error(self, result, error, operation, mentions=()):
        self.assertEqual(result.rc, 254, result)  # the CLI's code for a service error
        # With AWS_MAX_ATTEMPTS=1 the CLI adds "(reached max retries: 0)".
        self.assertRegex(result.err, re.escape(
            f"An error occurred ({error}) when calling the {operation} operation") +
            r"( \(reached max retries: \d+\))?: \S", result)
        for word in mentions:
            self.assertIn(word, result.err, result)

    def test_every_error_through_the_cli(self):
        cases = [(c + ([],))[:4] for c in self.cases()]
        # A few as `aws` processes, in the background meanwhile.
        in_processes = [c for c in cases if c[0] == "ExecutionDoesNotExist"][:1]
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            spawned = [pool.submit(SERVER.aws, *c[2]) for c in in_processes]
            cli = SERVER.cli_in_process()
            for error, operation, args, mentions in cases:
                with self.subTest(error=error, args=args[:1]):
                    self.assert_cli_error(cli(*args), error, operation, mentions)
            for (error, operation, args, _), future in zip(in_processes, spawned):
                with self.subTest(error=error, args=args[:1], process=True):
                    self.assert_cli_error(future.result(), error, operation)
        # Nothing above changed anything: the live task is still waiting, and the server serves.
        self.assertTrue(SERVER.alive())
        self.assertEqual(SERVER.call("DescribeExecution", {"executionArn": self.running})[
            "status"], "RUNNING")
        listed = cli("list-state-machines")
        self.assertEqual(listed.rc, 0, listed)
        self.assertIn(self.machine, [m["stateMachineArn"] for m in listed.json["stateMachines"]])
        self.assertNotIn("bad-def", listed.out)

    def test_idempotent_start_returns_the_same_execution(self):
        again = SERVER.call("StartExecution", {
            "stateMachineArn": self.machine, "name": "dup", "input": '{"order": 1}'})
        self.assertEqual(again["executionArn"], self.running)


class RawErrorTest(unittest.TestCase):
    """What the CLI cannot send: each answered as AWS answers it, and the server serves on."""

    def assert_still_serving(self):
        self.assertTrue(SERVER.alive(), SERVER.stderr_text()[-2000:])
        self.assertTrue(SERVER.healthy())
        self.assertIn("stateMachines", SERVER.call("ListStateMachines"))

    def assert_error(self, reply, status, error, mentions=None):
        self.assertEqual(reply.status, status, reply)
        self.assertEqual(reply.error_type, error, reply)
        self.assertIsInstance(reply.json.get("message"), str, reply)
        if mentions:
            self.assertIn(mentions, reply.json["message"], reply)
        self.assertEqual(reply.headers.get("Content-Type"), "application/x-amz-json-1.0", reply)

    def test_malformed_json_body(self):
        for body in [b'{"stateMachineArn": ', b"not json", b"[1, 2]", b"\xff\xfe"]:
            with self.subTest(body=body):
                self.assert_error(SERVER.raw("DescribeStateMachine", body), 400,
                                  "SerializationException")
        self.assert_still_serving()

    def test_unknown_operation(self):
        for target in ["AWSStepFunctions.FlyToTheMoon", "AWSStepFunctions.", "Nope.StartExecution"]:
            with self.subTest(target=target):
                self.assert_error(SERVER.raw(None, {}, target=target), 400,
                                  "UnknownOperationException")
        self.assert_still_serving()

    def test_missing_and_ill_typed_parameters(self):
        # The CLI checks these itself, so they go raw.
        cases = [
            ("DescribeExecution", {}, "executionArn"),
            ("StartExecution", {"input": "{}"}, "stateMachineArn"),
            ("CreateStateMachine", {"name": "x", "roleArn": ROLE_ARN}, "definition"),
            ("SendTaskSuccess", {"output": "{}"}, "taskToken"),
            ("DescribeExecution", {"executionArn": 7}, "executionArn"),
            ("ListExecutions", {"stateMachineArn": machine_arn("x"), "maxResults": "ten"},
             "maxResults"),
        ]
        for operation, body, field in cases:
            with self.subTest(operation=operation, body=body):
                self.assert_error(SERVER.raw(operation, body), 400, "ValidationException",
                                  mentions=field)
        self.assert_still_serving()

    def test_oversize_http_body_is_413(self):
        size = 3 * 1024 * 1024  # over the 2 MiB body limit
        sock = socket.create_connection((SERVER.host, SERVER.port), timeout=10)
        try:
            head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/x-amz-json-1.0\r\n"
                    "X-Amz-Target: AWSStepFunctions.StartExecution\r\n"
                    f"Content-Length: {size}\r\n\r\n").encode()
            # Send the head and a little of the body: the server may answer from the head alone,
            # and a client still sending when the server closes could lose the answer to a RST.
            sock.sendall(head + b'{"input": "' + b"x" * 4096)
            data = read_response_or_eof(sock)
        finally:
            sock.close()
        status_line = data.split(b"\r\n", 1)[0]
        self.assertTrue(status_line.startswith(b"HTTP/1.1 413"), data[:500])
        self.assertIn(b"RequestEntityTooLargeException", data)
        self.assert_still_serving()

    def test_half_sent_request_does_not_block_others(self):
        slow = socket.create_connection((SERVER.host, SERVER.port), timeout=10)
        half_closed = socket.create_connection((SERVER.host, SERVER.port), timeout=10)
        try:
            # One client sends half its headers and then nothing.
            slow.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar")
            # Another sends half a body and closes its sending side.
            half_closed.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                b"Content-Type: application/x-amz-json-1.0\r\n"
                                b"X-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
                                b"Content-Length: 100\r\n\r\n{\"maxRe")
            half_closed.shutdown(socket.SHUT_WR)
            # Everyone else is served meanwhile, repeatedly and through the CLI too.
            start = time.monotonic()
            for _ in range(5):
                self.assert_still_serving()
            self.assertLess(time.monotonic() - start, 5.0)
            listed = SERVER.cli_in_process()("list-activities")
            self.assertEqual(listed.rc, 0, listed)
            # The half-closed connection gets no answer to its half request: the server closes it
            # (or answers 400). It must not sit there.
            half_closed.settimeout(10)
            data = read_response_or_eof(half_closed)
            if data:
                self.assertTrue(data.startswith(b"HTTP/1.1 400"), data[:300])
        finally:
            slow.close()
            half_closed.close()
        self.assert_still_serving()

    def test_garbage_instead_of_http(self):
        sock = socket.create_connection((SERVER.host, SERVER.port), timeout=10)
        try:
            sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n")
            data = read_response_or_eof(sock)
            if data:
                self.assertTrue(data.startswith(b"HTTP/1.1 400"), data[:300])
        finally:
            sock.close()
        self.assert_still_serving()

    def test_wrong_method_and_path(self):
        self.assertEqual(SERVER.request("GET", "/").status in (400, 404, 405), True)
        self.assertEqual(SERVER.request("GET", "/_timeslip/no-such-route").status, 404)
        self.assert_still_serving()


if __name__ == "__main__":
    unittest.main(verbosity=2)
