#pragma once
// The engine workloads, defined once: the C++ benchmarks run them in process, and
// `timeslip_bench --timeslip_dump_workloads=DIR` writes them as JSON for bench/peer/, which runs
// the very same definitions and inputs through aws-local-stepfunctions and through
// `timeslip serve`. Each carries the output every execution must end with and the number of
// state transitions (states entered, AWS's billing unit) one execution makes, so both sides
// check their results and count alike.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace timeslip::bench {

struct Workload {
  std::string name;        // "chain", "map", "loop", "small"
  std::int64_t size = 0;   // chain length, Map items, loop turns, executions
  bool express = false;    // the Standard history cap (25,000 events) would stop it otherwise
  nlohmann::ordered_json definition;
  nlohmann::ordered_json input;
  nlohmann::ordered_json output;        // what the execution must return
  std::int64_t transitions = 0;  // states entered by one execution
};

// A job-run-style payload of about 1 KB: what one step of a pipeline typically carries.
const nlohmann::ordered_json& Document();

// `length` Pass states, S1 -> ... -> SN, each setting "$.progress.step" to its number: a
// small transform per state (Result + ResultPath) on the 1 KB document.
Workload PassChain(int length);
// An inline Map over `items` items; each iteration one Pass that reshapes its item with
// Parameters and States.MathAdd.
Workload InlineMap(int items);
// Choice ($.i < $.n) -> Pass (i + 1 with States.MathAdd) -> Choice ..., `turns` times, then
// Succeed. Express.
Workload ChoiceLoop(int turns);
// A three-state machine (Pass -> Choice -> Succeed) for input {"id": id}.
Workload Small(int id);

// Every workload bench/peer/ runs, at the sizes given (quick or full), as one JSON array.
nlohmann::ordered_json PeerWorkloads(bool quick);

}  // namespace timeslip::bench
