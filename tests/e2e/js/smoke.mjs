// Smoke test with the AWS SDK for JavaScript v3 (@aws-sdk/client-sfn) against `timeslip serve`:
// the activity and waitForTaskToken flows, ValidateStateMachineDefinition and RedriveExecution.
//
// Usage: TIMESLIP_ENDPOINT=http://127.0.0.1:PORT TIMESLIP_NPM_DIR=DIR node smoke.mjs
// DIR is where `npm install --prefix DIR @aws-sdk/client-sfn@3` put the SDK (run_smoke.py does
// both). Exits 0 when every check held, 1 otherwise.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";

const endpoint = process.env.TIMESLIP_ENDPOINT;
const npmDir = process.env.TIMESLIP_NPM_DIR;
if (!endpoint || !npmDir) {
  console.error("set TIMESLIP_ENDPOINT and TIMESLIP_NPM_DIR");
  process.exit(2);
}
const require = createRequire(path.join(npmDir, "package.json"));
const sfn = require("@aws-sdk/client-sfn");

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/timeslip-e2e`;

const client = new sfn.SFNClient({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  disableHostPrefix: true,  // StartSyncExecution would go to sync-127.0.0.1 otherwise
  maxAttempts: 1,
});
const send = (Command, input) => client.send(new Command(input));

async function waitFor(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

const ended = (executionArn) =>
  waitFor(`${executionArn} to end`, async () => {
    const d = await send(sfn.DescribeExecutionCommand, { executionArn });
    return d.status === "RUNNING" ? null : d;
  });

function findToken(value) {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findToken(item);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.toLowerCase() === "tasktoken" && typeof item === "string") return item;
      const found = findToken(item);
      if (found) return found;
    }
  }
  return null;
}

const newToken = (executionArn, previous) =>
  waitFor("a TaskScheduled event", async () => {
    const { events } = await send(sfn.GetExecutionHistoryCommand, {
      executionArn, maxResults: 1000,
    });
    const scheduled = events.filter((e) => e.type === "TaskScheduled");
    if (!scheduled.length) return null;
    const token = findToken(JSON.parse(scheduled.at(-1).taskScheduledEventDetails.parameters));
    return token && token !== previous ? token : null;
  });

const callbackDefinition = JSON.stringify({
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: {
        FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:approver`,
        Payload: { "TaskToken.$": "$$.Task.Token", "order.$": "$.order" },
      },
      HeartbeatSeconds: 600,
      TimeoutSeconds: 3600,
      End: true,
    },
  },
});

async function activityFlow() {
  const { activityArn } = await send(sfn.CreateActivityCommand, { name: "js-approvals" });
  assert.equal(activityArn, `arn:aws:states:${REGION}:${ACCOUNT}:activity:js-approvals`);
  const { stateMachineArn } = await send(sfn.CreateStateMachineCommand, {
    name: "js-activity-flow",
    roleArn: ROLE_ARN,
    definition: JSON.stringify({
      StartAt: "Work",
      States: { Work: { Type: "Task", Resource: activityArn, HeartbeatSeconds: 60, End: true } },
    }),
  });
  const { executionArn } = await send(sfn.StartExecutionCommand, {
    stateMachineArn, name: "js-1", input: JSON.stringify({ order: 42 }),
  });
  const task = await send(sfn.GetActivityTaskCommand, { activityArn, workerName: "js-worker" });
  assert.ok(task.taskToken);
  assert.deepEqual(JSON.parse(task.input), { order: 42 });
  await send(sfn.SendTaskHeartbeatCommand, { taskToken: task.taskToken });
  await send(sfn.SendTaskSuccessCommand, { taskToken: task.taskToken, output: '{"js": true}' });
  const d = await ended(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { js: true });
}

async function callbackFlow() {
  const { stateMachineArn } = await send(sfn.CreateStateMachineCommand, {
    name: "js-callback-flow", roleArn: ROLE_ARN, definition: callbackDefinition,
  });
  const { executionArn } = await send(sfn.StartExecutionCommand, {
    stateMachineArn, input: JSON.stringify({ order: 7 }),
  });
  const taskToken = await newToken(executionArn);
  await send(sfn.SendTaskHeartbeatCommand, { taskToken });
  await send(sfn.SendTaskSuccessCommand, { taskToken, output: '{"approved": "js"}' });
  const d = await ended(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { approved: "js" });

  // An error comes back as the SDK's modelled exception.
  await assert.rejects(
    send(sfn.DescribeExecutionCommand, {
      executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:js-callback-flow:nope`,
    }),
    (err) => err.name === "ExecutionDoesNotExist" && err instanceof sfn.ExecutionDoesNotExist,
  );
}

async function validate() {
  const ok = await send(sfn.ValidateStateMachineDefinitionCommand, {
    definition: callbackDefinition,
  });
  assert.equal(ok.result, "OK");
  assert.deepEqual(ok.diagnostics, []);
  const bad = await send(sfn.ValidateStateMachineDefinitionCommand, {
    definition: JSON.stringify({ StartAt: "Missing", States: { A: { Type: "Pass", End: true } } }),
  });
  assert.equal(bad.result, "FAIL");
  assert.ok(bad.diagnostics.length >= 1);
  assert.equal(bad.diagnostics[0].severity, "ERROR");
}

async function redrive() {
  const { stateMachineArn } = await send(sfn.CreateStateMachineCommand, {
    name: "js-redrive", roleArn: ROLE_ARN, definition: callbackDefinition,
  });
  const { executionArn } = await send(sfn.StartExecutionCommand, {
    stateMachineArn, input: JSON.stringify({ order: 3 }),
  });
  const first = await newToken(executionArn);
  await send(sfn.SendTaskFailureCommand, { taskToken: first, error: "Flaky", cause: "first" });
  assert.equal((await ended(executionArn)).status, "FAILED");
  const redriven = await send(sfn.RedriveExecutionCommand, { executionArn });
  assert.ok(redriven.redriveDate instanceof Date);
  const second = await newToken(executionArn, first);
  await send(sfn.SendTaskSuccessCommand, { taskToken: second, output: "{}" });
  const d = await ended(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.equal(d.redriveCount, 1);
}

const checks = { activityFlow, callbackFlow, validate, redrive };
let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try {
    await check();
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    const status = err?.$metadata?.httpStatusCode;
    const http = status ? `HTTP ${status} ` : "";
    console.log(`FAIL ${name}: ${http}${err?.name ?? ""}: ${err?.message ?? err}`);
    if (!status) console.log(err?.stack);
  }
}
process.exit(failed ? 1 : 0);
