// The peer, side by side: runs the engine workloads timeslip_bench dumps (bench/workloads.h)
// through the npm package aws-local-stepfunctions in this process, and, for the ones marked
// "http", through `timeslip serve --db :memory:` over HTTP (StartSyncExecution on an EXPRESS
// machine, one keep-alive connection). Both sides check every output against the workload's;
// a mismatch or a failed execution ends the run with an error, never a rate.
//
//   node bench/peer/peer.cjs --workloads FILE --cache DIR --timeslip BIN --out FILE
//                            [--min-seconds S]
//
// Writes {"peer": {"version"}, "results": [{name, size, executions, concurrent, transitions,
// peer_tps, http_tps}]} to --out; transitions per second are states entered per wall second.
'use strict';

const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { isDeepStrictEqual } = require('node:util');

function parseArgs(argv) {
  const args = { minSeconds: 1 };
  for (let i = 2; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--workloads') args.workloads = value;
    else if (flag === '--cache') args.cache = value;
    else if (flag === '--timeslip') args.timeslip = value;
    else if (flag === '--out') args.out = value;
    else if (flag === '--min-seconds') args.minSeconds = Number(value);
    else throw new Error(`unknown flag ${flag}`);
  }
  for (const needed of ['workloads', 'cache', 'timeslip', 'out']) {
    if (!args[needed]) throw new Error(`--${needed} is required`);
  }
  return args;
}

// Execution i of a workload: "small" takes input.id = i and must return output.id = i.
function inputOf(w, i) {
  return w.name === 'small' ? { ...w.input, id: i } : w.input;
}
function outputOf(w, i) {
  return w.name === 'small' ? { ...w.output, id: i } : w.output;
}

function check(w, i, got) {
  if (!isDeepStrictEqual(got, outputOf(w, i))) {
    throw new Error(`${w.name}/${w.size}: unexpected output ${JSON.stringify(got).slice(0, 200)}`);
  }
}

// Repeats `once` (which returns the transitions it made) until minSeconds of wall time have
// passed, at least twice (the first run warms up and is not counted).
async function measure(minSeconds, once) {
  await once();
  let transitions = 0;
  const began = process.hrtime.bigint();
  let seconds = 0;
  do {
    transitions += await once();
    seconds = Number(process.hrtime.bigint() - began) / 1e9;
  } while (seconds < minSeconds);
  return transitions / seconds;
}

async function peerRate(StateMachine, w, minSeconds) {
  const machine = new StateMachine(w.definition);
  return measure(minSeconds, async () => {
    const inputs = [];
    for (let i = 0; i < w.executions; ++i) inputs.push(structuredClone(inputOf(w, i)));
    if (w.concurrent) {
      const results = await Promise.all(inputs.map((input) => machine.run(input).result));
      results.forEach((got, i) => check(w, i, got));
    } else {
      for (let i = 0; i < w.executions; ++i) check(w, i, await machine.run(inputs[i]).result);
    }
    return w.transitions * w.executions;
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A JSON 1.0 client on one keep-alive connection.
class Client {
  constructor(port) {
    this.port = port;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }
  call(operation, body) {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: '/',
          agent: this.agent,
          headers: {
            'X-Amz-Target': `AWSStepFunctions.${operation}`,
            'Content-Type': 'application/x-amz-json-1.0',
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(new Error(`${operation} answered ${res.statusCode}: ${text.slice(0, 300)}`));
            } else {
              resolve(JSON.parse(text));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  close() {
    this.agent.destroy();
  }
}

async function startServe(binary) {
  const port = await freePort();
  const child = spawn(binary, ['serve', '--db', ':memory:', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const client = new Client(port);
  for (let attempt = 0; ; ++attempt) {
    try {
      await client.call('ListStateMachines', {});
      return { child, client };
    } catch (e) {
      if (attempt > 100 || child.exitCode !== null) {
        child.kill();
        throw new Error(`timeslip serve did not start: ${e.message} ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function httpRate(client, w, index, minSeconds) {
  const created = await client.call('CreateStateMachine', {
    name: `peer-${w.name}-${w.size}-${index}`,
    type: 'EXPRESS',
    roleArn: 'arn:aws:iam::123456789012:role/bench',
    definition: JSON.stringify(w.definition),
  });
  const input = JSON.stringify(inputOf(w, 0));
  return measure(minSeconds, async () => {
    const answer = await client.call('StartSyncExecution', {
      stateMachineArn: created.stateMachineArn,
      input,
    });
    if (answer.status !== 'SUCCEEDED') {
      throw new Error(`${w.name}/${w.size}: ${answer.status} ${answer.error} ${answer.cause}`);
    }
    check(w, 0, JSON.parse(answer.output));
    return w.transitions;
  });
}

async function main() {
  const args = parseArgs(process.argv);
  const packageDir = path.resolve(args.cache, 'node_modules', 'aws-local-stepfunctions');
  const { StateMachine } = require(packageDir);
  const version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'))).version;
  const workloads = JSON.parse(fs.readFileSync(args.workloads, 'utf8'));
  const results = [];
  const serve = await startServe(args.timeslip);
  try {
    for (const [index, w] of workloads.entries()) {
      const result = {
        name: w.name,
        size: w.size,
        executions: w.executions,
        concurrent: w.concurrent,
        transitions: w.transitions * w.executions,
        peer_tps: await peerRate(StateMachine, w, args.minSeconds),
        http_tps: null,
      };
      if (w.http) {
        try {
          result.http_tps = await httpRate(serve.client, w, index, args.minSeconds);
        } catch (e) {
          // Refused by the server (a definition over its limit): no rate, the reason shown.
          if (!/ValidationException/.test(e.message)) throw e;
          result.http_error = e.message;
        }
      }
      process.stderr.write(`peer: ${JSON.stringify(result)}\n`);
      results.push(result);
    }
  } finally {
    serve.client.close();
    serve.child.kill('SIGTERM');
  }
  fs.writeFileSync(args.out, JSON.stringify({ peer: { version, node: process.version }, results }, null, 1) + '\n');
}

main().catch((e) => {
  process.stderr.write(`peer: ${e.stack || e}\n`);
  process.exit(1);
});
