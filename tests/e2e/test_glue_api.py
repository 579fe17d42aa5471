#!/usr/bin/python3
"""End to end: AWS Glue's job API (AWS JSON 1.1, `AWSGlue.<Operation>`) through Debian's AWS CLI
v2 (/usr/bin/aws) and boto3, on a manual clock moved by the control API; and one Glue world: a
Step Functions `glue:startJobRun.sync` task runs the job the Glue API created, and its run is
listed by `aws glue get-job-runs`.

Run: /usr/bin/python3 tests/e2e/test_glue_api.py [--timeslip build/bin/timeslip]
"""

import json
import tempfile
import unittest
from datetime import datetime
from pathlib import Path

from timeslip_e2e import REGION, ROLE_ARN, Server, machine_arn, wait_for

SERVER = None
GLUE_ROLE = "arn:aws:iam::123456789012:role/glue"


def setUpModule():
    global SERVER
    SERVER = Server(["--clock", "manual", "--start-time", "2024-01-01T00:00:00Z", "--seed", "7"])
    reply = SERVER.control("POST", "/_timeslip/fakes", {
        "glue": {"transform-orders": {"latency": "20m"}, "load-warehouse": {"latency": "5m"},
                 "boto-job": {"latency": "1h"}}})
    assert reply.status == 200, reply


def tearDownModule():
    SERVER.close()


def glue(*args):
    return SERVER.glue(*args)


def advance(seconds):
    SERVER.advance(seconds)


def create_job(name, *extra):
    got = glue("create-job", "--name", name, "--role", GLUE_ROLE,
               "--command", "Name=glueetl,ScriptLocation=s3://scripts/job.py", *extra)
    assert got.rc == 0, got
    return got.json


def run_of(job, run_id):
    got = glue("get-job-run", "--job-name", job, "--run-id", run_id)
    assert got.rc == 0, got
    return got.json["JobRun"]


class JobRunThroughTheCli(unittest.TestCase):
    def test_a_run_polls_to_succeeded_on_the_virtual_clock(self):
        self.assertEqual(create_job("transform-orders"), {"Name": "transform-orders"})
        got = glue("get-job", "--job-name", "transform-orders")
        self.assertEqual(got.rc, 0, got)
        self.assertEqual(got.json["Job"]["ExecutionProperty"], {"MaxConcurrentRuns": 1})
        self.assertEqual(got.json["Job"]["Timeout"], 2880)

        started = glue("start-job-run", "--job-name", "transform-orders",
                       "--arguments", json.dumps({"--day": "2024-01-01"}))
        self.assertEqual(started.rc, 0, started)
        run_id = started.json["JobRunId"]
        self.assertTrue(run_id.startswith("jr_"), run_id)
        start = datetime.fromisoformat(run_of("transform-orders", run_id)["StartedOn"])

        # The run lasts 20 virtual minutes: poll while the clock moves a minute at a time.
        def succeeded():
            run = run_of("transform-orders", run_id)
            if run["JobRunState"] == "SUCCEEDED":
                return run
            self.assertEqual(run["JobRunState"], "RUNNING")
            advance(300)
            return None
        run = wait_for(succeeded, timeout=60, what="the run to succeed")
        self.assertEqual(run["Arguments"], {"--day": "2024-01-01"})
        self.assertEqual(datetime.fromisoformat(run["CompletedOn"]) - start,
                         datetime.fromisoformat("2024-01-01T00:20:00+00:00") -
                         datetime.fromisoformat("2024-01-01T00:00:00+00:00"))
        self.assertEqual(run["ExecutionTime"], 1200)

        runs = glue("get-job-runs", "--job-name", "transform-orders")
        self.assertEqual(runs.rc, 0, runs)
        self.assertIn(run_id, [r["Id"] for r in runs.json["JobRuns"]])

    def test_errors_carry_glues_names(self):
        got = glue("get-job", "--job-name", "no-such-job")
        self.assertNotEqual(got.rc, 0)
        self.assertIn("An error occurred (EntityNotFoundException) when calling the GetJob "
                      "operation", got.err)
        self.assertIn(": Job no-such-job not found", got.err)
        create_job("dup-job")
        got = glue("create-job", "--name", "dup-job", "--role", GLUE_ROLE,
                   "--command", "Name=glueetl,ScriptLocation=s3://x")
        self.assertIn("(AlreadyExistsException)", got.err)
        got = glue("start-job-run", "--job-name", "no-such-job")
        self.assertIn("(EntityNotFoundException)", got.err)
        got = glue("create-crawler", "--name", "c", "--role", GLUE_ROLE,
                   "--targets", json.dumps({"S3Targets": [{"Path": "s3://b/p"}]}))
        self.assertIn("(UnknownOperationException)", got.err)
        self.assertTrue(SERVER.healthy())


class OneGlueWorld(unittest.TestCase):
    def test_a_sync_task_runs_the_job_the_glue_api_created(self):
        create_job("load-warehouse", "--timeout", "30")
        definition = {"StartAt": "Load", "States": {"Load": {
            "Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "Parameters": {"JobName": "load-warehouse", "Arguments": {"--from": "sfn"}},
            "End": True}}}
        got = SERVER.aws("create-state-machine", "--name", "load", "--role-arn", ROLE_ARN,
                         "--definition", json.dumps(definition))
        self.assertEqual(got.rc, 0, got)
        got = SERVER.aws("start-execution", "--state-machine-arn", machine_arn("load"))
        self.assertEqual(got.rc, 0, got)
        arn = got.json["executionArn"]

        def finished():
            described = SERVER.aws("describe-execution", "--execution-arn", arn).json
            if described["status"] != "RUNNING":
                return described
            advance(60)
            return None
        described = wait_for(finished, timeout=60, what="the execution to end")
        self.assertEqual(described["status"], "SUCCEEDED", described)
        output = json.loads(described["output"])
        self.assertEqual(output["Timeout"], 30)  # the API's job, not the default 2880

        runs = glue("get-job-runs", "--job-name", "load-warehouse")
        self.assertEqual(runs.rc, 0, runs)
        self.assertEqual(len(runs.json["JobRuns"]), 1, runs.json)
        run = runs.json["JobRuns"][0]
        self.assertEqual(run["Id"], output["Id"])
        self.assertEqual(run["JobRunState"], "SUCCEEDED")
        self.assertEqual(run["Arguments"], {"--from": "sfn"})
        self.assertEqual(run["ExecutionTime"], 300)


class JobsSurviveARestart(unittest.TestCase):
    def test_a_sigkill_keeps_jobs_and_runs_in_flight(self):
        global SERVER
        with tempfile.TemporaryDirectory(prefix="timeslip-glue-") as tmp:
            first = SERVER
            SERVER = Server(["--clock", "manual", "--start-time", "2024-01-01T00:00:00Z"],
                            db=Path(tmp) / "timeslip.db")
            try:
                SERVER.control("POST", "/_timeslip/fakes", {"glue": {"durable": {"latency": "1h"}}})
                create_job("durable", "--timeout", "120")
                run_id = glue("start-job-run", "--job-name", "durable").json["JobRunId"]
                advance(600)
                SERVER.kill()
                SERVER.restart()
                self.assertEqual(glue("get-job", "--job-name", "durable").json["Job"]["Timeout"],
                                 120)
                self.assertEqual(run_of("durable", run_id)["JobRunState"], "RUNNING")
                advance(3000)
                run = run_of("durable", run_id)
                self.assertEqual(run["JobRunState"], "SUCCEEDED")
                self.assertEqual(run["ExecutionTime"], 3600)
            finally:
                SERVER.close()
                SERVER = first


class JobsThroughBoto3(unittest.TestCase):
    def test_boto3_reads_jobs_and_runs(self):
        import boto3
        from botocore.config import Config
        client = boto3.client("glue", endpoint_url=SERVER.endpoint, region_name=REGION,
                              aws_access_key_id="test", aws_secret_access_key="test",
                              config=Config(retries={"total_max_attempts": 1}))
        client.create_job(Name="boto-job", Role=GLUE_ROLE,
                          Command={"Name": "glueetl", "ScriptLocation": "s3://x"},
                          ExecutionProperty={"MaxConcurrentRuns": 1})
        self.assertIn("boto-job", client.list_jobs()["JobNames"])
        run_id = client.start_job_run(JobName="boto-job")["JobRunId"]
        with self.assertRaises(client.exceptions.ConcurrentRunsExceededException):
            client.start_job_run(JobName="boto-job")
        run = client.get_job_run(JobName="boto-job", RunId=run_id)["JobRun"]
        self.assertIsInstance(run["StartedOn"], datetime)
        self.assertEqual(run["StartedOn"].tzinfo is not None, True)
        stopped = client.batch_stop_job_run(JobName="boto-job", JobRunIds=[run_id])
        self.assertEqual(stopped["SuccessfulSubmissions"],
                         [{"JobName": "boto-job", "JobRunId": run_id}])
        self.assertEqual(client.get_job_run(JobName="boto-job", RunId=run_id)["JobRun"]
                         ["JobRunState"], "STOPPED")
        self.assertEqual(client.delete_job(JobName="boto-job")["JobName"], "boto-job")
        with self.assertRaises(client.exceptions.EntityNotFoundException):
            client.get_job(JobName="boto-job")


if __name__ == "__main__":
    unittest.main()
