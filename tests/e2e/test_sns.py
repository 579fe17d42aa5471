#!/usr/bin/python3
"""End to end: the SNS API (AWS's query protocol) through Debian's AWS CLI v2 (/usr/bin/aws) and
boto3, landing in the same SNS fake a Step Functions `sns:publish` Task uses; and the fakes
through the endpoint: `timeslip serve --fakes FILE`, POST /_timeslip/fakes and
GET /_timeslip/fakes/calls.

Run: /usr/bin/python3 tests/e2e/test_sns.py [--timeslip build/bin/timeslip]
"""

import json
import subprocess
import tempfile
import unittest
from pathlib import Path

from timeslip_e2e import (ACCOUNT, AWS_CLI, REGION, ROLE_ARN, Server, timeslip_binary,
                          wait_for)

SERVER = None
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:t"


def setUpModule():
    global SERVER
    SERVER = Server()


def tearDownModule():
    SERVER.close()


def sns(server, *args):
    """Runs `aws sns ARGS --endpoint-url ...` (dummy credentials, no pager); returns
    (rc, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as home:
        proc = subprocess.run(
            [AWS_CLI, "sns", *args, "--endpoint-url", server.endpoint, "--output", "json"],
            capture_output=True, text=True, timeout=90, env=server.client_env(home),
            stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout, proc.stderr


def calls(server, service):
    reply = server.control("GET", "/_timeslip/fakes/calls")
    assert reply.status == 200, reply
    return [c for c in reply.json["calls"] if c["service"] == service]


def create_machine(server, name, definition):
    return server.call("CreateStateMachine", {
        "name": name, "roleArn": ROLE_ARN, "definition": json.dumps(definition)})["stateMachineArn"]


def run(server, machine, payload):
    """Starts an execution of `machine` and waits for it to end; returns DescribeExecution."""
    arn = server.call("StartExecution", {"stateMachineArn": machine,
                                         "input": json.dumps(payload)})["executionArn"]
    return wait_for(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
        server.call("DescribeExecution", {"executionArn": arn})), what=f"{arn} to end")


class SnsThroughTheCli(unittest.TestCase):
    def test_publish_to_a_topic_as_the_cli_does(self):
        # As on AWS, the topic must exist first.
        rc, out, err = sns(SERVER, "publish", "--topic-arn", TOPIC, "--message", "hi")
        self.assertNotEqual(rc, 0)
        self.assertIn("An error occurred (NotFound) when calling the Publish operation", err)
        self.assertIn("Topic does not exist", err)
        self.assertEqual(sns(SERVER, "create-topic", "--name", "t")[0], 0)
        rc, out, err = sns(SERVER, "publish", "--topic-arn", TOPIC, "--message", "hi")
        self.assertEqual(rc, 0, err)
        message_id = json.loads(out)["MessageId"]
        self.assertRegex(message_id, r"^[0-9a-f-]{36}$")
        published = [c for c in calls(SERVER, "sns") if c["target"] == TOPIC]
        self.assertEqual(len(published), 1, published)
        self.assertEqual(published[0]["operation"], "Publish")
        self.assertEqual(published[0]["arguments"], {"TopicArn": TOPIC, "Message": "hi"})
        self.assertEqual(published[0]["outcome"], {"result": {"MessageId": message_id}})

    def test_create_topic_then_publish_and_list(self):
        rc, out, err = sns(SERVER, "create-topic", "--name", "alerts")
        self.assertEqual(rc, 0, err)
        topic = json.loads(out)["TopicArn"]
        self.assertEqual(topic, f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts")
        rc, out, err = sns(SERVER, "publish", "--topic-arn", topic, "--subject", "Nightly",
                           "--message", "done & dusted <ok>")
        self.assertEqual(rc, 0, err)
        rc, out, err = sns(SERVER, "list-topics")
        self.assertEqual(rc, 0, err)
        self.assertIn({"TopicArn": topic}, json.loads(out)["Topics"])
        sent = [c for c in calls(SERVER, "sns") if c["target"] == topic]
        self.assertEqual([c["arguments"]["Message"] for c in sent], ["done & dusted <ok>"])
        self.assertEqual(sent[0]["arguments"]["Subject"], "Nightly")

    def test_an_error_prints_its_sns_name(self):
        rc, out, err = sns(SERVER, "publish", "--topic-arn", TOPIC, "--message", "")
        self.assertNotEqual(rc, 0)
        # The CLI adds " (reached max retries: 0)" after the operation name.
        self.assertRegex(err, r"An error occurred \(InvalidParameter\) when calling the Publish "
                              r"operation.*: Invalid parameter: Empty message")
        self.assertTrue(SERVER.healthy())


class SnsThroughBoto3AndStepFunctions(unittest.TestCase):
    def test_the_api_and_a_task_publish_to_the_same_fake(self):
        import boto3
        from botocore.config import Config
        client = boto3.client("sns", endpoint_url=SERVER.endpoint, region_name=REGION,
                              aws_access_key_id="test", aws_secret_access_key="test",
                              config=Config(retries={"total_max_attempts": 1}))
        topic = client.create_topic(Name="shared")["TopicArn"]
        client.publish(TopicArn=topic, Message="from boto3", MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "nightly"}})
        machine = create_machine(SERVER, "notify", {
            "StartAt": "N", "States": {"N": {
                "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"TopicArn": topic, "Message.$": "$.text"}, "End": True}}})
        self.assertEqual(run(SERVER, machine, {"text": "from a state"})["status"], "SUCCEEDED")
        sent = [c for c in calls(SERVER, "sns") if c["target"] == topic]
        self.assertEqual([(c["operation"], c["arguments"]["Message"]) for c in sent],
                         [("Publish", "from boto3"), ("publish", "from a state")])
        self.assertEqual(sent[0]["arguments"]["MessageAttributes"],
                         {"kind": {"DataType": "String", "StringValue": "nightly"}})
        with self.assertRaises(client.exceptions.InvalidParameterException):
            client.publish(TopicArn=topic, Message="")
        if hasattr(client, "close"):  # botocore >= 1.28
            client.close()


LAMBDA_MACHINE = {
    "StartAt": "L", "States": {"L": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "ResultSelector": {"payload.$": "$.Payload"}, "End": True}}}


class FakesThroughTheEndpoint(unittest.TestCase):
    def test_fakes_file_then_post_replaces_the_behaviours(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fakes.json"
            path.write_text(json.dumps({"lambda": {"f": {"error": "Boom", "cause": "scripted"}}}))
            server = Server(extra_args=["--fakes", str(path)])
        try:
            machine = create_machine(server, "lam", LAMBDA_MACHINE)
            failed = run(server, machine, {"n": 1})
            self.assertEqual((failed["status"], failed.get("error")), ("FAILED", "Boom"))

            bad = server.control("POST", "/_timeslip/fakes",
                                 {"lambda": {"f": [{"result": 1}, {"latency": "5q"}]}})
            self.assertEqual(bad.status, 400, bad)
            self.assertEqual(bad.error_type, "ValidationException")
            self.assertTrue(bad.json["message"].startswith("lambda.f[1].latency"), bad)
            self.assertEqual(run(server, machine, {"n": 2}).get("error"), "Boom")  # unchanged

            ok = server.control("POST", "/_timeslip/fakes",
                                {"lambda": {"f": {"latency": "2h", "result": {"ok": True}}}})
            self.assertEqual(ok.status, 200, ok)
            before = server.control("GET", "/_timeslip/clock").json["epochMillis"]
            done = run(server, machine, {"n": 3})
            self.assertEqual(done["status"], "SUCCEEDED")
            self.assertEqual(json.loads(done["output"]), {"payload": {"ok": True}})
            after = server.control("GET", "/_timeslip/clock").json["epochMillis"]
            self.assertEqual(after - before, 2 * 3600 * 1000)  # virtual time only

            lambda_calls = calls(server, "lambda")
            self.assertEqual([c["arguments"]["Payload"] for c in lambda_calls],
                             [{"n": 1}, {"n": 2}, {"n": 3}])
            self.assertEqual(lambda_calls[0]["outcome"]["error"], "Boom")
            self.assertEqual(lambda_calls[2]["outcome"]["result"]["Payload"], {"ok": True})
        finally:
            server.close()

    def test_a_bad_fakes_file_exits_2_saying_why(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "bad.json"
            bad.write_text('{"glue": {"job": {"latency": "forever"}}}')
            missing = Path(tmp) / "missing.json"
            array = Path(tmp) / "array.json"
            array.write_text("[1, 2]")
            broken = Path(tmp) / "broken.json"
            broken.write_text('{"glue":')
            for path, why in [(bad, "glue.job[0].latency: "), (missing, "cannot read the file"),
                              (array, "the file must hold a JSON object"),
                              (broken, "Malformed JSON: parse error at line 1, column 9")]:
                proc = subprocess.run(
                    [timeslip_binary(), "serve", "--port", "0", "--db", ":memory:", "--fakes",
                     str(path)], capture_output=True, text=True, timeout=30,
                    stdin=subprocess.DEVNULL)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertEqual(proc.stdout, "")
                self.assertIn(f"timeslip serve: --fakes {path}: {why}", proc.stderr)


if __name__ == "__main__":
    unittest.main()
