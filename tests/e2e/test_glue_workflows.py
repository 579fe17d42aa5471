#!/usr/bin/python3
"""End to end: AWS Glue triggers, workflows and workflow runs (AWS JSON 1.1,
`AWSGlue.<Operation>`) through Debian's AWS CLI v2 (/usr/bin/aws) and boto3, on a manual clock
moved by the control API: a two-job workflow with an ON_DEMAND and a CONDITIONAL trigger runs to
COMPLETED with its run properties, statistics and each job node's run; errors carry Glue's names;
a run in progress survives a SIGKILL and a restart.

Run: /usr/bin/python3 tests/e2e/test_glue_workflows.py [--timeslip build/bin/timeslip]
"""

import json
import tempfile
import unittest
from pathlib import Path

from timeslip_e2e import REGION, Server, wait_for

SERVER = None
GLUE_ROLE = "arn:aws:iam::123456789012:role/glue"
FAKES = {"glue": {"extract": {"latency": "20m"}, "load": {"latency": "5m"},
                  "boto-extract": {"latency": "1h"}}}


def setUpModule():
    global SERVER
    SERVER = Server(["--clock", "manual", "--start-time", "2024-01-01T00:00:00Z", "--seed", "7"])
    reply = SERVER.control("POST", "/_timeslip/fakes", FAKES)
    assert reply.status == 200, reply


def tearDownModule():
    SERVER.close()


def glue(*args):
    return SERVER.glue(*args)


def ok(*args):
    got = glue(*args)
    assert got.rc == 0, got
    return got.json if got.out.strip() else {}


def advance(seconds):
    SERVER.advance(seconds)


def boto3_glue():
    import boto3
    from botocore.config import Config
    return boto3.client("glue", endpoint_url=SERVER.endpoint, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"total_max_attempts": 1}))


def create_workflow(name, extract, load, max_concurrent_runs=None):
    """Through the CLI: jobs `extract` and `load`; workflow `name` with default run properties;
    ON_DEMAND `<name>-start` runs extract, CONDITIONAL `<name>-then` runs load once extract
    SUCCEEDED."""
    for job in (extract, load):
        ok("create-job", "--name", job, "--role", GLUE_ROLE,
           "--command", "Name=glueetl,ScriptLocation=s3://scripts/job.py")
    extra = [] if max_concurrent_runs is None else ["--max-concurrent-runs",
                                                    str(max_concurrent_runs)]
    ok("create-workflow", "--name", name,
       "--default-run-properties", json.dumps({"day": "today", "env": "dev"}), *extra)
    ok("create-trigger", "--name", f"{name}-start", "--workflow-name", name, "--type", "ON_DEMAND",
       "--actions", json.dumps([{"JobName": extract, "Arguments": {"--mode": "full"}}]))
    ok("create-trigger", "--name", f"{name}-then", "--workflow-name", name,
       "--type", "CONDITIONAL", "--start-on-creation",
       "--predicate", json.dumps({"Conditions": [
           {"LogicalOperator": "EQUALS", "JobName": extract, "State": "SUCCEEDED"}]}),
       "--actions", json.dumps([{"JobName": load}]))


def create_workflow_with_boto3(client, name, extract, load, max_concurrent_runs=None):
    """create_workflow, through boto3 (each CLI call costs a process start)."""
    for job in (extract, load):
        client.create_job(Name=job, Role=GLUE_ROLE,
                          Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/job.py"})
    extra = {} if max_concurrent_runs is None else {"MaxConcurrentRuns": max_concurrent_runs}
    client.create_workflow(Name=name, DefaultRunProperties={"day": "today", "env": "dev"},
                           **extra)
    client.create_trigger(Name=f"{name}-start", WorkflowName=name, Type="ON_DEMAND",
                          Actions=[{"JobName": extract}])
    client.create_trigger(Name=f"{name}-then", WorkflowName=name, Type="CONDITIONAL",
                          StartOnCreation=True,
                          Predicate={"Conditions": [{"LogicalOperator": "EQUALS",
                                                     "JobName": extract, "State": "SUCCEEDED"}]},
                          Actions=[{"JobName": load}])


def job_node(run, job):
    return next(n for n in run["Graph"]["Nodes"] if n["Type"] == "JOB" and n["Name"] == job)


class WorkflowThroughTheCli(unittest.TestCase):
    def test_a_run_polls_to_completed_with_properties_statistics_and_job_runs(self):
        create_workflow("nightly", "extract", "load")
        workflow = ok("get-workflow", "--name", "nightly", "--include-graph")["Workflow"]
        self.assertEqual(workflow["DefaultRunProperties"], {"day": "today", "env": "dev"})
        graph = workflow["Graph"]
        self.assertEqual(sorted(n["Type"] for n in graph["Nodes"]),
                         ["JOB", "JOB", "TRIGGER", "TRIGGER"])
        self.assertEqual(len(graph["Edges"]), 3, graph)
        ids = {n["Name"]: n["UniqueId"] for n in graph["Nodes"]}
        self.assertEqual(sorted((e["SourceId"], e["DestinationId"]) for e in graph["Edges"]),
                         sorted([(ids["nightly-start"], ids["extract"]),
                                 (ids["extract"], ids["nightly-then"]),
                                 (ids["nightly-then"], ids["load"])]))

        run_id = ok("start-workflow-run", "--name", "nightly",
                    "--run-properties", json.dumps({"day": "2024-01-01"}))["RunId"]
        self.assertRegex(run_id, r"^wr_[0-9a-f]{64}$")
        ok("put-workflow-run-properties", "--name", "nightly", "--run-id", run_id,
           "--run-properties", json.dumps({"rows": "42"}))
        got = ok("get-workflow-run-properties", "--name", "nightly", "--run-id", run_id)
        self.assertEqual(got["RunProperties"], {"day": "2024-01-01", "env": "dev", "rows": "42"})

        run = ok("get-workflow-run", "--name", "nightly", "--run-id", run_id,
                 "--include-graph")["Run"]
        self.assertEqual(run["Status"], "RUNNING")
        self.assertEqual(run["Statistics"]["RunningActions"], 1)

        # extract takes 20 virtual minutes, load 5: poll while the clock moves.
        advance(1200)
        run = ok("get-workflow-run", "--name", "nightly", "--run-id", run_id)["Run"]
        self.assertEqual(run["Status"], "RUNNING")
        self.assertEqual(run["Statistics"]["SucceededActions"], 1)
        self.assertEqual(run["Statistics"]["RunningActions"], 1)

        def completed():
            run = ok("get-workflow-run", "--name", "nightly", "--run-id", run_id,
                     "--include-graph")["Run"]
            if run["Status"] == "COMPLETED":
                return run
            self.assertEqual(run["Status"], "RUNNING")
            advance(300)
            return None
        run = wait_for(completed, timeout=60, what="the workflow run to complete")
        self.assertEqual(run["Statistics"], {
            "TotalActions": 2, "TimeoutActions": 0, "FailedActions": 0, "StoppedActions": 0,
            "SucceededActions": 2, "RunningActions": 0, "ErroredActions": 0,
            "WaitingActions": 0})
        self.assertIn("CompletedOn", run)
        self.assertEqual(run["WorkflowRunProperties"],
                         {"day": "2024-01-01", "env": "dev", "rows": "42"})
        for job, trigger, seconds in (("extract", "nightly-start", 1200),
                                      ("load", "nightly-then", 300)):
            job_runs = job_node(run, job)["JobDetails"]["JobRuns"]
            self.assertEqual(len(job_runs), 1, job_runs)
            self.assertEqual(job_runs[0]["JobRunState"], "SUCCEEDED")
            self.assertEqual(job_runs[0]["TriggerName"], trigger)
            self.assertEqual(job_runs[0]["ExecutionTime"], seconds)
            self.assertEqual(job_runs[0]["Arguments"]["--WORKFLOW_NAME"], "nightly")
            self.assertEqual(job_runs[0]["Arguments"]["--WORKFLOW_RUN_ID"], run_id)

        runs = ok("get-workflow-runs", "--name", "nightly")["Runs"]
        self.assertEqual([r["WorkflowRunId"] for r in runs], [run_id])
        self.assertIn("nightly", ok("list-workflows")["Workflows"])
        self.assertEqual(ok("get-triggers", "--dependent-job-name", "load")["Triggers"][0]["Name"],
                         "nightly-then")

        got = glue("stop-workflow-run", "--name", "nightly", "--run-id", run_id)
        self.assertIn("An error occurred (IllegalWorkflowStateException) when calling the "
                      "StopWorkflowRun operation", got.err)

    def test_errors_carry_glues_names(self):
        got = glue("get-workflow", "--name", "no-such-workflow")
        self.assertIn("An error occurred (EntityNotFoundException) when calling the GetWorkflow "
                      "operation", got.err)
        got = glue("create-trigger", "--name", "evt", "--type", "EVENT",
                   "--actions", json.dumps([{"JobName": "x"}]))
        self.assertIn("(InvalidInputException)", got.err)
        self.assertIn("Type EVENT", got.err)
        client = boto3_glue()
        client.create_workflow(Name="dup")
        with self.assertRaises(client.exceptions.AlreadyExistsException):
            client.create_workflow(Name="dup")
        with self.assertRaises(client.exceptions.InvalidInputException):
            client.start_workflow_run(Name="dup")  # no starting trigger
        self.assertTrue(SERVER.healthy())


class WorkflowThroughBoto3(unittest.TestCase):
    def test_max_concurrent_runs_stop_and_resume(self):
        client = boto3_glue()
        create_workflow_with_boto3(client, "boto", "boto-extract", "boto-load",
                                   max_concurrent_runs=1)
        run_id = client.start_workflow_run(Name="boto")["RunId"]
        with self.assertRaises(client.exceptions.ConcurrentRunsExceededException):
            client.start_workflow_run(Name="boto")
        client.stop_workflow_run(Name="boto", RunId=run_id)
        run = client.get_workflow_run(Name="boto", RunId=run_id, IncludeGraph=True)["Run"]
        self.assertEqual(run["Status"], "STOPPED")
        self.assertEqual(run["Statistics"]["StoppedActions"], 1)
        self.assertIsNotNone(run["CompletedOn"].tzinfo)
        with self.assertRaises(client.exceptions.IllegalWorkflowStateException):
            client.stop_workflow_run(Name="boto", RunId=run_id)
        node = next(n for n in run["Graph"]["Nodes"] if n["Name"] == "boto-extract")
        resumed = client.resume_workflow_run(Name="boto", RunId=run_id,
                                             NodeIds=[node["UniqueId"]])
        self.assertNotEqual(resumed["RunId"], run_id)
        self.assertEqual(resumed["NodeIds"], [node["UniqueId"]])
        again = client.get_workflow_run(Name="boto", RunId=resumed["RunId"])["Run"]
        self.assertEqual(again["PreviousRunId"], run_id)
        self.assertEqual(again["Status"], "RUNNING")
        with self.assertRaises(client.exceptions.IllegalWorkflowStateException):
            client.resume_workflow_run(Name="boto", RunId=resumed["RunId"],
                                       NodeIds=[node["UniqueId"]])


class WorkflowRunsSurviveARestart(unittest.TestCase):
    def test_a_sigkill_keeps_a_run_in_progress(self):
        global SERVER
        with tempfile.TemporaryDirectory(prefix="timeslip-glue-wf-") as tmp:
            first = SERVER
            SERVER = Server(["--clock", "manual", "--start-time", "2024-01-01T00:00:00Z"],
                            db=Path(tmp) / "timeslip.db")
            try:
                SERVER.control("POST", "/_timeslip/fakes", FAKES)
                client = boto3_glue()
                create_workflow_with_boto3(client, "durable", "extract", "load")
                run_id = client.start_workflow_run(Name="durable")["RunId"]
                advance(1260)  # extract done, load running
                SERVER.kill()
                SERVER.restart()
                run = ok("get-workflow-run", "--name", "durable", "--run-id", run_id)["Run"]
                self.assertEqual(run["Status"], "RUNNING")
                self.assertEqual(run["Statistics"]["SucceededActions"], 1)
                advance(240)
                run = ok("get-workflow-run", "--name", "durable", "--run-id", run_id)["Run"]
                self.assertEqual(run["Status"], "COMPLETED")
                self.assertEqual(run["Statistics"]["SucceededActions"], 2)
            finally:
                SERVER.close()
                SERVER = first


if __name__ == "__main__":
    unittest.main()
