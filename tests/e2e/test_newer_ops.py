#!/usr/bin/env python3
"""RedriveExecution and ValidateStateMachineDefinition, which Debian's botocore (1.29) lacks:
run with a python3 whose boto3 has them (ctest uses the first python3 on PATH). Skips when the
boto3 at hand is too old; the JS smoke test covers both operations as well.

Run: python3 tests/e2e/test_newer_ops.py [--timeslip build/bin/timeslip]
"""

import json
import sys
import unittest

from timeslip_e2e import ROLE_ARN, Server, callback_definition, token_from_history, wait_for

SERVER = None
SFN = None


def setUpModule():
    global SERVER, SFN
    try:
        import boto3  # noqa: F401 (Server.boto3 needs it)
    except ImportError:
        raise unittest.SkipTest("no boto3 in this python3")
    SERVER = Server()
    SFN = SERVER.boto3()
    needed = ["redrive_execution", "validate_state_machine_definition"]
    if not all(hasattr(SFN, name) for name in needed):
        SERVER.close()
        SERVER = None
        raise unittest.SkipTest("this boto3 lacks RedriveExecution/ValidateStateMachineDefinition")


def tearDownModule():
    if SERVER:
        SERVER.close()


def wait_ended(arn):
    return wait_for(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
        SFN.describe_execution(executionArn=arn)), what=f"{arn} to end")


def wait_new_token(arn, previous=None):
    def token():
        events = SFN.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        found = token_from_history(events)
        return found if found and found != previous else None
    return wait_for(token, what=f"a new TaskScheduled in {arn}")


class ValidateTest(unittest.TestCase):
    def test_valid_definition(self):
        result = SFN.validate_state_machine_definition(definition=callback_definition())
        self.assertEqual(result["result"], "OK", result)
        self.assertEqual(result["diagnostics"], [])

    def test_invalid_definition_lists_diagnostics(self):
        result = SFN.validate_state_machine_definition(
            definition=json.dumps({"StartAt": "Missing", "States": {
                "A": {"Type": "Pass", "Next": "Nowhere"}}}))
        self.assertEqual(result["result"], "FAIL", result)
        self.assertGreaterEqual(len(result["diagnostics"]), 1, result)
        for diagnostic in result["diagnostics"]:
            self.assertEqual(diagnostic["severity"], "ERROR", diagnostic)
            self.assertTrue(diagnostic["code"], diagnostic)
            self.assertTrue(diagnostic["message"], diagnostic)

    def test_malformed_json_definition(self):
        result = SFN.validate_state_machine_definition(definition='{"StartAt": ')
        self.assertEqual(result["result"], "FAIL", result)
        self.assertGreaterEqual(len(result["diagnostics"]), 1, result)


class RedriveTest(unittest.TestCase):
    def test_redrive_reruns_the_failed_state(self):
        machine = SFN.create_state_machine(name="redrive-me", definition=callback_definition(),
                                           roleArn=ROLE_ARN)["stateMachineArn"]
        arn = SFN.start_execution(stateMachineArn=machine, input='{"order": 3}')["executionArn"]
        first = wait_new_token(arn)
        SFN.send_task_failure(taskToken=first, error="Flaky", cause="first try")
        self.assertEqual(wait_ended(arn)["status"], "FAILED")

        redriven = SFN.redrive_execution(executionArn=arn)
        self.assertIn("redriveDate", redriven)
        second = wait_new_token(arn, previous=first)
        SFN.send_task_success(taskToken=second, output='{"second": "try"}')
        described = wait_ended(arn)
        self.assertEqual(described["status"], "SUCCEEDED", described)
        self.assertEqual(json.loads(described["output"]), {"second": "try"})
        self.assertEqual(described.get("redriveCount"), 1, described)
        types = [e["type"] for e in SFN.get_execution_history(
            executionArn=arn, maxResults=1000)["events"]]
        self.assertIn("ExecutionRedriven", types)

    def test_redrive_of_a_succeeded_execution_is_refused(self):
        machine = SFN.create_state_machine(
            name="no-redrive", definition=json.dumps(
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
            roleArn=ROLE_ARN)["stateMachineArn"]
        arn = SFN.start_execution(stateMachineArn=machine)["executionArn"]
        self.assertEqual(wait_ended(arn)["status"], "SUCCEEDED")
        with self.assertRaises(SFN.exceptions.ExecutionNotRedrivable):
            SFN.redrive_execution(executionArn=arn)


if __name__ == "__main__":
    # A run that skipped everything must reach ctest as SKIPPED (77), never as passed.
    result = unittest.main(verbosity=2, exit=False).result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.skipped and result.testsRun <= len(result.skipped):
        print("SKIPPED: " + "; ".join(reason for _, reason in result.skipped))
        sys.exit(77)
