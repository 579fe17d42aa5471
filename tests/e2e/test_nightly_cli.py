#!/usr/bin/python3
"""The nightly warehouse build (scenarios/nightly/) against `timeslip serve`, driven only by the
AWS CLI (/usr/bin/aws) and the control API, the approver played by a script.

The server runs on the virtual clock with the pipeline's fakes (--fakes
scenarios/nightly/fakes/nightly.json): the Glue jobs, the FX API and the data-quality run take
their scripted virtual minutes in milliseconds, and the run pauses at ManualApproval, whose
timeout the clock does not jump past while a client may still answer. The approver reads the
task token from get-execution-history, lets 15 virtual minutes pass (POST
/_timeslip/clock/advance) and calls `aws stepfunctions send-task-success`; the night publishes.

Polling goes through the CLI's own driver in this process (timeslip_e2e.InProcessCli: the same
parsing, request and output as /usr/bin/aws, without ~1 s of CPU per call); creating, starting,
approving and the final describe are `aws` processes.

Run: /usr/bin/python3 tests/e2e/test_nightly_cli.py [--timeslip build/bin/timeslip]
"""

import json
import unittest
from datetime import datetime

from timeslip_e2e import REPO, ROLE_ARN, Server, find_task_token, wait_for

NIGHTLY = REPO / "scenarios" / "nightly"
START = "2024-01-01T01:00:00Z"

SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server(extra_args=["--fakes", str(NIGHTLY / "fakes" / "nightly.json"),
                                "--start-time", START, "--seed", "1"])


def tearDownModule():
    SERVER.close()


def approval_token(events):
    """The token ManualApproval handed to send-approval-request, once the Lambda returned."""
    entered = None
    for event in events:
        details = event.get("stateEnteredEventDetails", {})
        if event["type"] == "TaskStateEntered" and details.get("name") == "ManualApproval":
            entered = event["id"]
        if entered is None or event["id"] <= entered:
            continue
        if event["type"] == "TaskSubmitted":
            for scheduled in events:
                if scheduled["type"] == "TaskScheduled" and scheduled["id"] > entered:
                    params = json.loads(scheduled["taskScheduledEventDetails"]["parameters"])
                    return find_task_token(params)
    return None


def seconds_between(start, stop):
    """Seconds from one RFC 3339 timestamp (as the CLI prints them) to another."""
    def parse(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (parse(stop) - parse(start)).total_seconds()


class NightlyCliTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.cli = SERVER.cli_in_process()

    def aws_ok(self, *args, process=False):
        result = SERVER.aws(*args) if process else self.cli(*args)
        self.assertEqual(result.rc, 0, result)
        return result.json

    def history(self, arn):
        return self.aws_ok("get-execution-history", "--execution-arn", arn,
                           "--max-results", "1000")["events"]

    def virtual_now(self):
        reply = SERVER.control("GET", "/_timeslip/clock")
        self.assertEqual(reply.status, 200, reply)
        return reply.json

    def test_happy_night_with_a_scripted_approver(self):
        definition = (NIGHTLY / "definitions" / "nightly.asl.json").read_text()
        created = self.aws_ok("create-state-machine", "--name", "nightly-warehouse",
                              "--definition", definition, "--role-arn", ROLE_ARN,
                              "--type", "STANDARD", process=True)
        started = self.aws_ok("start-execution", "--state-machine-arn",
                              created["stateMachineArn"], "--name", "night-2024-01-01",
                              "--input", json.dumps({"date": "2024-01-01"}), process=True)
        arn = started["executionArn"]
        self.assertEqual(seconds_between(START, started["startDate"]), 0, started)

        # The approver: waits for the approval request, reads its token from the history.
        token = wait_for(lambda: approval_token(self.history(arn)), timeout=30,
                         what="ManualApproval's request")
        running = self.aws_ok("describe-execution", "--execution-arn", arn)
        self.assertEqual(running["status"], "RUNNING")
        # What the fakes saw so far: every job up to the gate, the request with the token.
        calls = SERVER.control("GET", "/_timeslip/fakes/calls").json["calls"]
        targets = [c["target"] for c in calls]
        for job in ("extract-orders", "extract-inventory", "transform-orders",
                    "transform-inventory", "join-fact-dim", "apply-fx"):
            self.assertEqual(targets.count(job), 1, job)
        self.assertNotIn("publish-to-warehouse", targets)
        request = [c for c in calls if c["target"] == "send-approval-request"]
        self.assertEqual(len(request), 1)
        self.assertEqual(request[0]["arguments"]["Payload"]["TaskToken"], token)
        self.assertEqual(request[0]["arguments"]["Payload"]["DQScore"], 0.98)

        # 15 virtual minutes later the approver approves, through /usr/bin/aws.
        advanced = SERVER.control("POST", "/_timeslip/clock/advance", {"seconds": 900})
        self.assertEqual(advanced.status, 200, advanced)
        approved = SERVER.aws("send-task-success", "--task-token", token, "--task-output",
                              json.dumps({"approved": True, "approver": "dana@example.com"}))
        self.assertEqual(approved.rc, 0, approved)

        done = wait_for(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
            self.aws_ok("describe-execution", "--execution-arn", arn)), timeout=30,
            what="the night to finish")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        final = self.aws_ok("describe-execution", "--execution-arn", arn, process=True)
        output = json.loads(final["output"])
        self.assertTrue(output["approved"])
        self.assertEqual(output["publish"]["JobRunState"], "SUCCEEDED")
        self.assertEqual(output["notify"]["response"]["notified"],
                         ["#data-warehouse", "status-page"])

        events = self.history(arn)
        self.assertEqual(events[-1]["type"], "ExecutionSucceeded")
        self.assertNotIn("TaskTimedOut", [e["type"] for e in events])
        # Virtual time: 01:00 -> 03:53:03.8, the same night the scenario runner plays.
        self.assertAlmostEqual(seconds_between(events[0]["timestamp"], events[-1]["timestamp"]),
                               2 * 3600 + 53 * 60 + 3.8, places=3)

        calls = SERVER.control("GET", "/_timeslip/fakes/calls").json["calls"]
        targets = [c["target"] for c in calls]
        self.assertEqual(targets.count("publish-to-warehouse"), 1)
        self.assertEqual(targets.count("notify-stakeholders"), 1)
        self.assertFalse([c for c in calls if c["service"] == "sns"])


if __name__ == "__main__":
    unittest.main()
