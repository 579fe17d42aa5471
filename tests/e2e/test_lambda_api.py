#!/usr/bin/python3
"""End to end: Lambda's Invoke API (REST-JSON) through Debian's AWS CLI v2 (/usr/bin/aws),
landing in the same Lambda fake a Step Functions `lambda:invoke` Task uses: its scripted
behaviours (POST /_timeslip/fakes) and its call log (GET /_timeslip/fakes/calls).

Run: /usr/bin/python3 tests/e2e/test_lambda_api.py [--timeslip build/bin/timeslip]
"""

import json
import subprocess
import tempfile
import unittest
from pathlib import Path

from timeslip_e2e import AWS_CLI, ROLE_ARN, Server, wait_for

SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server()


def tearDownModule():
    SERVER.close()


def load(behaviours):
    reply = SERVER.control("POST", "/_timeslip/fakes", behaviours)
    assert reply.status == 200, reply


def invoke(function, payload, *args):
    """Runs `aws lambda invoke` (dummy credentials, no pager, one attempt); returns
    (rc, stdout, stderr, the text written to the outfile or None)."""
    with tempfile.TemporaryDirectory() as home:
        out = Path(home) / "out.json"
        proc = subprocess.run(
            [AWS_CLI, "lambda", "invoke", "--endpoint-url", SERVER.endpoint, "--output", "json",
             "--function-name", function, "--payload", payload,
             "--cli-binary-format", "raw-in-base64-out", *args, str(out)],
            capture_output=True, text=True, timeout=90, env=SERVER.client_env(home),
            stdin=subprocess.DEVNULL)
        written = out.read_text() if out.exists() else None
    return proc.returncode, proc.stdout, proc.stderr, written


def calls(target):
    reply = SERVER.control("GET", "/_timeslip/fakes/calls")
    assert reply.status == 200, reply
    return [c for c in reply.json["calls"] if c["service"] == "lambda" and c["target"] == target]


class InvokeThroughTheCli(unittest.TestCase):
    def test_a_scripted_result_is_the_payload(self):
        load({"lambda": {"enrich-currency": [{"latency": "2s", "result": {"rate": 1.1}}]}})
        rc, out, err, written = invoke("enrich-currency", '{"a":1}')
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out), {"StatusCode": 200, "ExecutedVersion": "$LATEST"})
        self.assertEqual(json.loads(written), {"rate": 1.1})
        recorded = calls("enrich-currency")
        self.assertEqual(len(recorded), 1, recorded)
        self.assertEqual(recorded[0]["operation"], "Invoke")
        self.assertEqual(recorded[0]["arguments"], {
            "FunctionName": "enrich-currency", "InvocationType": "RequestResponse",
            "Payload": {"a": 1}})
        self.assertEqual(recorded[0]["outcome"], {"result": {"rate": 1.1}})

    def test_a_function_error_is_unhandled_with_exit_code_0(self):
        load({"lambda": {"fx-error": [{"error": "RatesUnavailable", "cause": "FX API down"}]}})
        arn = "arn:aws:lambda:us-east-1:123456789012:function:fx-error"
        rc, out, err, written = invoke(arn, "{}")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(written),
                         {"errorMessage": "FX API down", "errorType": "RatesUnavailable"})
        self.assertEqual(calls("fx-error")[0]["arguments"]["FunctionName"], arn)

    def test_a_throttle_is_too_many_requests(self):
        load({"lambda": {"fx-throttled": [{"throttle": True}]}})
        rc, out, err, _ = invoke("fx-throttled", '{"a":1}')
        self.assertNotEqual(rc, 0, out)
        self.assertIn("TooManyRequestsException", err)
        self.assertIn("Rate Exceeded.", err)
        self.assertEqual(len(calls("fx-throttled")), 1)

    def test_an_event_invocation_answers_202_and_still_calls(self):
        load({"lambda": {"fx-event": [{"latency": "1s", "result": 1}]}})
        rc, out, err, _ = invoke("fx-event", "[1,2]", "--invocation-type", "Event")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["StatusCode"], 202)
        recorded = wait_for(lambda: calls("fx-event"), what="the Event call")
        self.assertEqual(recorded[0]["arguments"]["Payload"], [1, 2])

    def test_a_function_nobody_declared_does_not_exist(self):
        load({"lambda": {"declared": {}}})
        rc, out, err, _ = invoke("undeclared", "{}")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the Invoke "
                      "operation", err)
        self.assertIn("Function not found: arn:aws:lambda:", err)
        self.assertEqual(invoke("declared", "{}")[0], 0)
        load({"lambda": {"*": {}}})  # a default declares every function
        rc, out, err, _ = invoke("undeclared", "{}")
        self.assertEqual(rc, 0, err)

    def test_a_malformed_payload_is_invalid_request_content(self):
        rc, out, err, _ = invoke("enrich-currency", "{nope")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("InvalidRequestContentException", err)

    def test_the_cli_and_a_task_share_the_functions_script(self):
        load({"lambda": {"fx-shared": [{"result": "first"}, {"result": "second"}]}})
        rc, _, err, written = invoke("fx-shared", "{}")
        self.assertEqual((rc, json.loads(written)), (0, "first"), err)
        machine = SERVER.call("CreateStateMachine", {
            "name": "lambda-api-shared", "roleArn": ROLE_ARN, "definition": json.dumps({
                "StartAt": "T", "States": {"T": {
                    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "fx-shared"}, "OutputPath": "$.Payload",
                    "End": True}}})})["stateMachineArn"]
        arn = SERVER.call("StartExecution", {"stateMachineArn": machine})["executionArn"]
        done = wait_for(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
            SERVER.call("DescribeExecution", {"executionArn": arn})), what="the execution")
        self.assertEqual(done["output"], '"second"')
        self.assertEqual([c["operation"] for c in calls("fx-shared")], ["Invoke", "invoke"])


if __name__ == "__main__":
    unittest.main()
