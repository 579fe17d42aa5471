"""`timeslip serve --mock-config FILE`: a Step Functions Local MockConfigFile.json, selected by
StartExecution on STATE_MACHINE_ARN#TestCase, through the AWS CLI and boto3."""

import json
import unittest
from pathlib import Path

import timeslip_e2e as e2e

CONFIG = Path(__file__).resolve().parent / "data" / "MockConfigFile.json"

DEFINITION = {
    "StartAt": "LambdaState",
    "States": {
        "LambdaState": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"Payload.$": "$", "FunctionName": "HelloWorldFunction"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 3,
                       "BackoffRate": 2}],
            "Next": "SQSState"},
        "SQSState": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                           "MessageBody.$": "$"},
            "End": True},
    },
}


class MockConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = e2e.Server(extra_args=("--mock-config", str(CONFIG)))
        cls.sfn = cls.server.boto3()
        cls.arn = cls.sfn.create_state_machine(
            name="LambdaSQSIntegration", definition=json.dumps(DEFINITION),
            roleArn=e2e.ROLE_ARN)["stateMachineArn"]

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def finished(self, arn):
        return e2e.wait_for(
            lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
                self.sfn.describe_execution(executionArn=arn)), what="the execution to finish")

    def test_cli_happy_path_uses_the_mocked_responses(self):
        result = self.server.aws("start-execution", "--state-machine-arn",
                                 self.arn + "#HappyPath", "--name", "happy")
        self.assertEqual(result.rc, 0, result)
        done = self.finished(result.json["executionArn"])
        self.assertEqual(done["status"], "SUCCEEDED", done)
        self.assertEqual(json.loads(done["output"])["MessageId"],
                         "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51")

    def test_retry_path_plays_each_invocation(self):
        arn = self.sfn.start_execution(stateMachineArn=self.arn + "#RetryPath",
                                       name="retry")["executionArn"]
        done = self.finished(arn)
        self.assertEqual(done["status"], "SUCCEEDED", done)
        events = self.sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        failed = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
        self.assertEqual(failed, ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException",
                                  "Lambda.TimeoutException"])

    def test_unknown_test_case_is_refused(self):
        result = self.server.aws("start-execution", "--state-machine-arn",
                                 self.arn + "#NoSuchCase")
        self.assertNotEqual(result.rc, 0)
        self.assertIn("ValidationException", result.err)
        self.assertTrue(self.server.healthy())


class BadMockConfigTest(unittest.TestCase):
    def test_bad_file_stops_serve_with_a_clear_message(self):
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".json") as bad:
            bad.write('{"MockedResponses": {"R": {"x": {"Return": 1}}}}')
            bad.flush()
            proc = subprocess.run([e2e.timeslip_binary(), "serve", "--port", "0", "--db",
                                   ":memory:", "--mock-config", bad.name],
                                  capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--mock-config", proc.stderr)
        self.assertIn("invocation number", proc.stderr)


if __name__ == "__main__":
    unittest.main()
