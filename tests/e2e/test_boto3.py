#!/usr/bin/python3
"""End to end through boto3 (Debian's python3-boto3, run with /usr/bin/python3): the two
task-token flows, pagination, StartSyncExecution on an EXPRESS machine, and virtual time:
a token wait that times out only when /_timeslip/clock/advance moves the clock past it.

Run: /usr/bin/python3 tests/e2e/test_boto3.py [--timeslip build/bin/timeslip]
"""

import concurrent.futures
import json
import time
import unittest

from botocore.exceptions import ClientError

from timeslip_e2e import (ROLE_ARN, Server, activity_definition, callback_definition,
                          execution_arn, machine_arn, pass_definition, token_from_history,
                          wait_for)

SERVER = None
SFN = None


def setUpModule():
    global SERVER, SFN
    SERVER = Server()
    SFN = SERVER.boto3()


def tearDownModule():
    SERVER.close()


def all_events(arn, **kwargs):
    return SFN.get_execution_history(executionArn=arn, maxResults=1000, **kwargs)["events"]


def wait_token(arn):
    return wait_for(lambda: token_from_history(all_events(arn)), what=f"a TaskScheduled in {arn}")


def wait_ended(arn):
    return wait_for(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
        SFN.describe_execution(executionArn=arn)), what=f"{arn} to end")


def create(name, definition, **kwargs):
    return SFN.create_state_machine(name=name, definition=definition, roleArn=ROLE_ARN,
                                    **kwargs)["stateMachineArn"]


class TokenFlowTest(unittest.TestCase):
    def test_activity_worker_flow(self):
        activity = SFN.create_activity(name="boto-approvals")["activityArn"]
        self.assertEqual(SFN.describe_activity(activityArn=activity)["name"], "boto-approvals")
        machine = create("boto-activity-flow", activity_definition(activity))
        arn = SFN.start_execution(stateMachineArn=machine, name="r1",
                                  input='{"order": 42}')["executionArn"]
        self.assertEqual(arn, execution_arn("boto-activity-flow", "r1"))

        task = SFN.get_activity_task(activityArn=activity, workerName="boto-worker")
        self.assertTrue(task["taskToken"])
        self.assertEqual(json.loads(task["input"]), {"order": 42})
        SFN.send_task_heartbeat(taskToken=task["taskToken"])
        SFN.send_task_success(taskToken=task["taskToken"], output='{"ok": 1}')

        described = wait_ended(arn)
        self.assertEqual(described["status"], "SUCCEEDED", described)
        self.assertEqual(json.loads(described["output"]), {"ok": 1})
        types = [e["type"] for e in all_events(arn)]
        for expected in ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                         "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                         "ExecutionSucceeded"]:
            self.assertIn(expected, types)
        self.assertEqual(types[0], "ExecutionStarted")
        self.assertEqual(types[-1], "ExecutionSucceeded")

    def test_callback_token_flow(self):
        machine = create("boto-callback-flow", callback_definition(heartbeat_seconds=600))
        arn = SFN.start_execution(stateMachineArn=machine, input='{"order": 7}')["executionArn"]
        token = wait_token(arn)
        SFN.send_task_heartbeat(taskToken=token)
        SFN.send_task_success(taskToken=token, output='{"approved": true}')
        described = wait_ended(arn)
        self.assertEqual(described["status"], "SUCCEEDED", described)
        self.assertEqual(json.loads(described["output"]), {"approved": True})
        # The token is spent.
        with self.assertRaises(ClientError) as caught:
            SFN.send_task_success(taskToken=token, output="{}")
        self.assertEqual(caught.exception.response["Error"]["Code"], "TaskDoesNotExist")

    def test_callback_failure(self):
        machine = create("boto-callback-fail", callback_definition())
        arn = SFN.start_execution(stateMachineArn=machine, input='{"order": 8}')["executionArn"]
        SFN.send_task_failure(taskToken=wait_token(arn), error="Rejected", cause="no budget")
        described = wait_ended(arn)
        self.assertEqual(described["status"], "FAILED", described)
        self.assertEqual(described.get("error"), "Rejected", described)
        self.assertEqual(described.get("cause"), "no budget", described)

    def test_stop_execution(self):
        machine = create("boto-stop", callback_definition())
        arn = SFN.start_execution(stateMachineArn=machine, input='{"order": 9}')["executionArn"]
        wait_token(arn)
        SFN.stop_execution(executionArn=arn, error="Operator", cause="stopped by the test")
        described = wait_ended(arn)
        self.assertEqual(described["status"], "ABORTED", described)
        self.assertEqual(all_events(arn)[-1]["type"], "ExecutionAborted")


class ResourceTest(unittest.TestCase):
    def test_region_comes_from_the_credential_scope(self):
        west = SERVER.boto3_in_region("eu-west-1")
        arn = west.create_state_machine(name="regional", definition=pass_definition(),
                                        roleArn=ROLE_ARN)["stateMachineArn"]
        self.assertEqual(arn, machine_arn("regional", region="eu-west-1"))
        names = [m["name"] for m in west.list_state_machines()["stateMachines"]]
        self.assertEqual(names, ["regional"])
        self.assertNotIn("regional",
                         [m["name"] for m in SFN.list_state_machines()["stateMachines"]])

    def test_state_machine_lifecycle_and_tags(self):
        arn = create("boto-crud", pass_definition(), tags=[{"key": "team", "value": "data"}])
        self.assertEqual(SFN.list_tags_for_resource(resourceArn=arn)["tags"],
                         [{"key": "team", "value": "data"}])
        SFN.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}])
        SFN.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(SFN.list_tags_for_resource(resourceArn=arn)["tags"],
                         [{"key": "env", "value": "dev"}])
        SFN.update_state_machine(stateMachineArn=arn, definition=pass_definition(states=2))
        described = SFN.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(json.loads(described["definition"]), json.loads(pass_definition(2)))
        self.assertEqual(described["status"], "ACTIVE")
        execution = SFN.start_execution(stateMachineArn=arn)["executionArn"]
        for_execution = SFN.describe_state_machine_for_execution(executionArn=execution)
        self.assertEqual(for_execution["stateMachineArn"], arn)
        SFN.delete_state_machine(stateMachineArn=arn)
        with self.assertRaises(SFN.exceptions.StateMachineDoesNotExist):
            SFN.describe_state_machine(stateMachineArn=arn)

    def test_activity_lifecycle(self):
        arn = SFN.create_activity(name="boto-short-lived")["activityArn"]
        self.assertIn(arn, [a["activityArn"] for a in SFN.list_activities()["activities"]])
        SFN.delete_activity(activityArn=arn)
        with self.assertRaises(SFN.exceptions.ActivityDoesNotExist):
            SFN.describe_activity(activityArn=arn)

    def test_long_poll_wakes_when_a_task_arrives(self):
        activity = SFN.create_activity(name="boto-long-poll")["activityArn"]
        machine = create("boto-long-poll", activity_definition(activity))
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            poll = pool.submit(SFN.get_activity_task, activityArn=activity)
            time.sleep(0.2)  # the worker is waiting before any task exists
            self.assertFalse(poll.done())
            arn = SFN.start_execution(stateMachineArn=machine, input='{"late": 1}')[
                "executionArn"]
            task = poll.result(timeout=10)
        self.assertEqual(json.loads(task["input"]), {"late": 1})
        SFN.send_task_success(taskToken=task["taskToken"], output="{}")
        self.assertEqual(wait_ended(arn)["status"], "SUCCEEDED")


class ShutdownTest(unittest.TestCase):
    def test_sigterm_answers_a_pending_long_poll_and_exits_0(self):
        server = Server()
        try:
            client = server.boto3()
            activity = client.create_activity(name="never")["activityArn"]
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                poll = pool.submit(client.get_activity_task, activityArn=activity)
                time.sleep(0.2)
                begin = time.monotonic()
                self.assertEqual(server.stop(), 0, server.stderr_text())
                # Answered without a task (AWS's answer when none came), not cut off.
                self.assertNotIn("taskToken", poll.result(timeout=10))
            self.assertLess(time.monotonic() - begin, 10)
        finally:
            server.close()


class PaginationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.machine = create("boto-paging", pass_definition(states=3))
        cls.arns = [SFN.start_execution(stateMachineArn=cls.machine, name=f"e{i}",
                                        input=json.dumps({"i": i}))["executionArn"]
                    for i in range(7)]
        for arn in cls.arns:
            wait_ended(arn)

    def test_list_executions_pages(self):
        seen, pages, token = [], [], None
        while True:
            kwargs = {"nextToken": token} if token else {}
            page = SFN.list_executions(stateMachineArn=self.machine, maxResults=3, **kwargs)
            pages.append(len(page["executions"]))
            seen += page["executions"]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(pages, [3, 3, 1])
        self.assertEqual(sorted(e["executionArn"] for e in seen), sorted(self.arns))
        self.assertTrue(all(e["status"] == "SUCCEEDED" for e in seen), seen)
        # Most recent first.
        starts = [e["startDate"] for e in seen]
        self.assertEqual(starts, sorted(starts, reverse=True))

    def test_list_executions_paginator_and_status_filter(self):
        paginator = SFN.get_paginator("list_executions")
        listed = [e["executionArn"] for page in paginator.paginate(
            stateMachineArn=self.machine, PaginationConfig={"PageSize": 2}) for e in
            page["executions"]]
        self.assertEqual(sorted(listed), sorted(self.arns))
        succeeded = SFN.list_executions(stateMachineArn=self.machine, statusFilter="SUCCEEDED")
        self.assertEqual(len(succeeded["executions"]), 7)
        running = SFN.list_executions(stateMachineArn=self.machine, statusFilter="RUNNING")
        self.assertEqual(running["executions"], [])

    def test_bad_next_token(self):
        with self.assertRaises(ClientError) as caught:
            SFN.list_executions(stateMachineArn=self.machine, nextToken="garbage-token")
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidToken")

    def test_execution_history_pages_and_reverse_order(self):
        arn = self.arns[0]
        full = all_events(arn)
        ids = [e["id"] for e in full]
        # ExecutionStarted, 3 x (PassStateEntered, PassStateExited), ExecutionSucceeded.
        self.assertEqual(ids, list(range(1, 9)))
        self.assertEqual([e["type"] for e in full],
                         ["ExecutionStarted"] + ["PassStateEntered", "PassStateExited"] * 3 +
                         ["ExecutionSucceeded"])
        for event in full[1:]:
            self.assertIn("previousEventId", event)

        def paged(**kwargs):
            events, token, sizes = [], None, []
            while True:
                extra = {"nextToken": token} if token else {}
                page = SFN.get_execution_history(executionArn=arn, maxResults=3, **kwargs,
                                                 **extra)
                sizes.append(len(page["events"]))
                events += page["events"]
                token = page.get("nextToken")
                if not token:
                    return events, sizes

        forward, sizes = paged()
        self.assertEqual([e["id"] for e in forward], ids)
        self.assertEqual(sizes, [3, 3, 2])
        backward, _ = paged(reverseOrder=True)
        self.assertEqual([e["id"] for e in backward], ids[::-1])
        self.assertEqual(all_events(arn, reverseOrder=True)[0]["type"], "ExecutionSucceeded")

        started = full[0]["executionStartedEventDetails"]
        self.assertEqual(json.loads(started["input"]), {"i": 0})
        bare = all_events(arn, includeExecutionData=False)
        self.assertNotIn("input", bare[0].get("executionStartedEventDetails", {}))
        self.assertNotIn("output", bare[-1].get("executionSucceededEventDetails", {}))


class SyncExecutionTest(unittest.TestCase):
    def test_start_sync_execution_on_express(self):
        definition = json.dumps({"StartAt": "Shape", "States": {
            "Shape": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"},
                      "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 30, "End": True}}})
        machine = create("boto-express", definition, type="EXPRESS")
        self.assertEqual(SFN.describe_state_machine(stateMachineArn=machine)["type"], "EXPRESS")
        result = SFN.start_sync_execution(stateMachineArn=machine, name="sync-1",
                                          input='{"n": 21}')
        self.assertEqual(result["status"], "SUCCEEDED", result)
        self.assertEqual(json.loads(result["output"]), {"doubled": 42})
        self.assertEqual(json.loads(result["input"]), {"n": 21})
        self.assertIn(":express:boto-express:sync-1", result["executionArn"])
        self.assertGreaterEqual(result["stopDate"] - result["startDate"],
                                __import__("datetime").timedelta(seconds=30))
        # AWS keeps no history of an Express execution, nor anything to describe.
        for call in (SFN.get_execution_history, SFN.describe_execution):
            with self.assertRaises(ClientError) as caught:
                call(executionArn=result["executionArn"])
            self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidArn")

    def test_start_sync_execution_failure(self):
        definition = json.dumps({"StartAt": "Boom", "States": {
            "Boom": {"Type": "Fail", "Error": "Custom.Error", "Cause": "on purpose"}}})
        machine = create("boto-express-fail", definition, type="EXPRESS")
        result = SFN.start_sync_execution(stateMachineArn=machine, input="{}")
        self.assertEqual(result["status"], "FAILED", result)
        self.assertEqual(result.get("error"), "Custom.Error")
        self.assertEqual(result.get("cause"), "on purpose")

    def test_start_sync_execution_on_standard_is_refused(self):
        machine = create("boto-not-express", pass_definition())
        with self.assertRaises(ClientError) as caught:
            SFN.start_sync_execution(stateMachineArn=machine, input="{}")
        self.assertEqual(caught.exception.response["Error"]["Code"],
                         "StateMachineTypeNotSupported")


class VirtualClockTest(unittest.TestCase):
    def advance(self, seconds):
        reply = SERVER.control("POST", "/_timeslip/clock/advance", {"seconds": seconds})
        self.assertEqual(reply.status, 200, reply)
        return reply.json

    def status(self, arn):
        return SFN.describe_execution(executionArn=arn)["status"]

    def test_token_timeout_fires_only_when_the_clock_is_advanced(self):
        machine = create("boto-timeout", callback_definition(timeout_seconds=3600))
        arn = SFN.start_execution(stateMachineArn=machine, input='{"order": 1}')["executionArn"]
        token = wait_token(arn)
        clock = SERVER.control("GET", "/_timeslip/clock")
        self.assertEqual(clock.status, 200, clock)
        self.assertIsInstance(clock.json, dict, clock)
        # Nothing else is runnable, but a client may still answer: the clock must not jump.
        time.sleep(0.2)
        self.assertEqual(self.status(arn), "RUNNING")
        self.advance(3599)
        self.assertEqual(self.status(arn), "RUNNING")
        self.advance(2)
        described = wait_ended(arn)
        self.assertEqual(described["status"], "FAILED", described)
        self.assertEqual(described.get("error"), "States.Timeout", described)
        events = all_events(arn)
        timed_out = [e for e in events if e["type"] == "TaskTimedOut"]
        self.assertEqual(len(timed_out), 1, [e["type"] for e in events])
        self.assertEqual(timed_out[0]["taskTimedOutEventDetails"]["error"], "States.Timeout")
        started = events[0]["timestamp"]
        self.assertGreaterEqual((timed_out[0]["timestamp"] - started).total_seconds(), 3600)
        with self.assertRaises(ClientError) as caught:
            SFN.send_task_success(taskToken=token, output="{}")
        self.assertEqual(caught.exception.response["Error"]["Code"], "TaskTimedOut")

    def test_heartbeats_keep_a_task_alive_until_they_stop(self):
        machine = create("boto-heartbeat",
                         callback_definition(timeout_seconds=3600, heartbeat_seconds=60))
        arn = SFN.start_execution(stateMachineArn=machine, input='{"order": 2}')["executionArn"]
        token = wait_token(arn)
        for _ in range(3):
            self.advance(45)
            SFN.send_task_heartbeat(taskToken=token)
        self.assertEqual(self.status(arn), "RUNNING")  # 135 s in, never 60 s without a beat
        self.advance(61)
        described = wait_ended(arn)
        self.assertEqual(described["status"], "FAILED", described)
        self.assertEqual(described.get("error"), "States.HeartbeatTimeout", described)

    def test_wait_state_jumps_without_advancing(self):
        definition = json.dumps({"StartAt": "Nap", "States": {
            "Nap": {"Type": "Wait", "Seconds": 86400, "End": True}}})
        machine = create("boto-day-wait", definition)
        arn = SFN.start_execution(stateMachineArn=machine)["executionArn"]
        described = wait_ended(arn)
        self.assertEqual(described["status"], "SUCCEEDED", described)
        self.assertGreaterEqual((described["stopDate"] - described["startDate"]).total_seconds(),
                                86400)


if __name__ == "__main__":
    unittest.main(verbosity=2)
