#!/usr/bin/python3
"""End to end: Glue Data Quality rulesets and their evaluation runs (AWS JSON 1.1,
`AWSGlue.<Operation>`) through Debian's AWS CLI v2 (/usr/bin/aws) and boto3, on a manual clock
moved by the control API, the runs played by the fakes document's "dataQuality" scripts.

Run: /usr/bin/python3 tests/e2e/test_glue_data_quality.py [--timeslip build/bin/timeslip]
"""

import json
import unittest
from datetime import datetime

from timeslip_e2e import REGION, Server

SERVER = None
DQ_ROLE = "arn:aws:iam::123456789012:role/dq"
SOURCE = {"GlueTable": {"DatabaseName": "sales", "TableName": "orders"}}
RULES = 'Rules = [ RowCount > 0, IsComplete "id", ColumnValues "status" in ["NEW", "DONE"] ]'


def setUpModule():
    global SERVER
    SERVER = Server(["--clock", "manual", "--start-time", "2024-01-01T00:00:00Z", "--seed", "7"])
    reply = SERVER.control("POST", "/_timeslip/fakes", {"dataQuality": {
        "cli-orders": [{"latency": "10m", "rules": [
            {"name": "Rule_2", "result": "FAIL", "message": "Value: 0.98 does not meet the constraint"}]}],
        "boto-orders": [{"latency": "1m"}]}})
    assert reply.status == 200, reply


def tearDownModule():
    SERVER.close()


def glue(*args):
    return SERVER.glue(*args)


def advance(seconds):
    SERVER.advance(seconds)


class DataQualityThroughTheCli(unittest.TestCase):
    def test_a_malformed_ruleset_is_refused_naming_where(self):
        got = glue("create-data-quality-ruleset", "--name", "broken",
                   "--ruleset", "Rules = [ Mean > 3 ]")
        self.assertNotEqual(got.rc, 0, got)
        self.assertIn("InvalidInputException", got.err)
        self.assertIn("line 1, column 16: expected a quoted column name", got.err)
        got = glue("create-data-quality-ruleset", "--name", "broken",
                   "--ruleset", 'Rules = [ DataFreshness "at" <= 24 hours ]')
        self.assertNotEqual(got.rc, 0, got)
        self.assertIn("timeslip does not evaluate rule type DataFreshness yet", got.err)

    def test_an_evaluation_polls_to_its_scripted_result(self):
        got = glue("create-data-quality-ruleset", "--name", "cli-orders", "--ruleset", RULES,
                   "--target-table", "TableName=orders,DatabaseName=sales")
        self.assertEqual(got.rc, 0, got)
        self.assertEqual(got.json, {"Name": "cli-orders"})

        started = glue("start-data-quality-ruleset-evaluation-run",
                       "--data-source", json.dumps(SOURCE), "--role", DQ_ROLE,
                       "--ruleset-names", "cli-orders")
        self.assertEqual(started.rc, 0, started)
        run_id = started.json["RunId"]

        got = glue("get-data-quality-ruleset-evaluation-run", "--run-id", run_id)
        self.assertEqual(got.rc, 0, got)
        self.assertEqual(got.json["Status"], "RUNNING")
        self.assertNotIn("ResultIds", got.json)
        advance(600)
        got = glue("get-data-quality-ruleset-evaluation-run", "--run-id", run_id)
        self.assertEqual(got.rc, 0, got)
        run = got.json
        self.assertEqual(run["Status"], "SUCCEEDED")
        self.assertEqual(run["RulesetNames"], ["cli-orders"])
        self.assertEqual(run["ExecutionTime"], 600)
        self.assertEqual(len(run["ResultIds"]), 1)

        got = glue("get-data-quality-result", "--result-id", run["ResultIds"][0])
        self.assertEqual(got.rc, 0, got)
        result = got.json
        self.assertEqual(result["RulesetName"], "cli-orders")
        self.assertEqual(result["RulesetEvaluationRunId"], run_id)
        self.assertAlmostEqual(result["Score"], 2 / 3)
        self.assertEqual(result["RuleResults"], [
            {"Name": "Rule_1", "Description": "RowCount > 0", "Result": "PASS"},
            {"Name": "Rule_2", "Description": 'IsComplete "id"', "Result": "FAIL",
             "EvaluationMessage": "Value: 0.98 does not meet the constraint"},
            {"Name": "Rule_3", "Description": 'ColumnValues "status" in ["NEW", "DONE"]',
             "Result": "PASS"}])


class DataQualityThroughBoto3(unittest.TestCase):
    def test_boto3_drives_rulesets_and_runs(self):
        import boto3
        from botocore.config import Config
        client = boto3.client("glue", endpoint_url=SERVER.endpoint, region_name=REGION,
                              aws_access_key_id="test", aws_secret_access_key="test",
                              config=Config(retries={"total_max_attempts": 1}))
        client.create_data_quality_ruleset(Name="boto-orders", Ruleset=RULES,
                                           Description="orders", Tags={"team": "data"})
        with self.assertRaises(client.exceptions.AlreadyExistsException):
            client.create_data_quality_ruleset(Name="boto-orders", Ruleset=RULES)
        got = client.get_data_quality_ruleset(Name="boto-orders")
        self.assertEqual(got["Ruleset"], RULES)
        self.assertIsInstance(got["CreatedOn"], datetime)
        listed = client.list_data_quality_rulesets(Tags={"team": "data"})["Rulesets"]
        self.assertEqual([(r["Name"], r["RuleCount"]) for r in listed], [("boto-orders", 3)])

        run_id = client.start_data_quality_ruleset_evaluation_run(
            DataSource=SOURCE, Role=DQ_ROLE, RulesetNames=["boto-orders"])["RunId"]
        advance(60)
        run = client.get_data_quality_ruleset_evaluation_run(RunId=run_id)
        self.assertEqual(run["Status"], "SUCCEEDED")
        self.assertIsInstance(run["CompletedOn"], datetime)
        result = client.get_data_quality_result(ResultId=run["ResultIds"][0])
        self.assertEqual(result["Score"], 1.0)
        self.assertEqual([(r["Name"], r["Result"]) for r in result["RuleResults"]],
                         [("Rule_1", "PASS"), ("Rule_2", "PASS"), ("Rule_3", "PASS")])

        with self.assertRaises(client.exceptions.EntityNotFoundException):
            client.start_data_quality_ruleset_evaluation_run(
                DataSource=SOURCE, Role=DQ_ROLE, RulesetNames=["nobody-made-this"])
        client.delete_data_quality_ruleset(Name="boto-orders")
        with self.assertRaises(client.exceptions.EntityNotFoundException):
            client.get_data_quality_ruleset(Name="boto-orders")


if __name__ == "__main__":
    unittest.main()
