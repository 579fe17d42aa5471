#!/usr/bin/python3
"""End to end: EventBridge Scheduler's API (REST-JSON) through Debian's AWS CLI v2
(/usr/bin/aws scheduler ...): a cron schedule created with the CLI starts Step Functions
executions as the virtual clock advances (POST /_timeslip/clock/advance).

Run: /usr/bin/python3 tests/e2e/test_scheduler_api.py [--timeslip build/bin/timeslip]
"""

import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

from timeslip_e2e import AWS_CLI, ROLE_ARN, Server, pass_definition

SERVER = None


def cli_has_scheduler():
    proc = subprocess.run([AWS_CLI, "scheduler", "help"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, "AWS_PAGER": ""})
    return proc.returncode == 0


def setUpModule():
    global SERVER
    SERVER = Server(["--start-time", "2024-01-01T00:00:00Z"])


def tearDownModule():
    SERVER.close()


def scheduler(*args):
    """Runs `aws scheduler ARGS` against the server; returns (rc, parsed stdout, stderr)."""
    home = Path(SERVER._dir.name)
    proc = subprocess.run(
        [AWS_CLI, "scheduler", *args, "--endpoint-url", SERVER.endpoint, "--output", "json"],
        capture_output=True, text=True, timeout=90, env=SERVER.client_env(home),
        stdin=subprocess.DEVNULL)
    out = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, out, proc.stderr


class SchedulerThroughTheCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.machine = SERVER.call("CreateStateMachine", {
            "name": "scheduled", "roleArn": ROLE_ARN,
            "definition": pass_definition()})["stateMachineArn"]

    def create(self, name, expression, *extra):
        target = json.dumps({"Arn": self.machine, "RoleArn": ROLE_ARN, "Input": '{"from":"cli"}'})
        return scheduler("create-schedule", "--name", name, "--schedule-expression", expression,
                         "--flexible-time-window", '{"Mode":"OFF"}', "--target", target, *extra)

    def test_a_cron_schedule_starts_executions_night_after_night(self):
        rc, out, err = self.create("nightly", "cron(0 1 * * ? *)")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out["ScheduleArn"],
                         "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly")
        rc, got, err = scheduler("get-schedule", "--name", "nightly")
        self.assertEqual(rc, 0, err)
        self.assertEqual((got["State"], got["GroupName"], got["Target"]["Arn"]),
                         ("ENABLED", "default", self.machine))
        reply = SERVER.control("POST", "/_timeslip/clock/advance", {"seconds": 90000})
        self.assertEqual(reply.status, 200, reply)
        executions = SERVER.call("ListExecutions", {"stateMachineArn": self.machine})["executions"]
        self.assertEqual(sorted(e["name"] for e in executions if e["name"].startswith("nightly-")),
                         ["nightly-20240101T010000Z", "nightly-20240102T010000Z"])
        rc, listed, err = scheduler("list-schedules")
        self.assertEqual(rc, 0, err)
        self.assertIn("nightly", [s["Name"] for s in listed["Schedules"]])
        rc, _, err = scheduler("delete-schedule", "--name", "nightly")
        self.assertEqual(rc, 0, err)

    def test_errors_carry_the_schedulers_names(self):
        rc, _, err = self.create("bad", "cron(0 25 * * ? *)")
        self.assertNotEqual(rc, 0)
        self.assertIn("ValidationException", err)
        self.assertIn("cron(0 25 * * ? *)", err)
        self.assertEqual(self.create("twice", "rate(1 day)")[0], 0)
        rc, _, err = self.create("twice", "rate(1 day)")
        self.assertIn("ConflictException", err)
        rc, _, err = scheduler("get-schedule", "--name", "missing")
        self.assertNotEqual(rc, 0)
        self.assertIn("ResourceNotFoundException", err)


if __name__ == "__main__":
    if not cli_has_scheduler():
        print("skipped: this AWS CLI has no `scheduler` service")
        sys.exit(77)
    unittest.main()
