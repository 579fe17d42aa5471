// Engine throughput: state transitions (states entered, AWS's billing unit) per second, in
// process, on the virtual clock, through the `Emulator` facade, for the workloads of
// bench/workloads.h (the ones bench/peer/ runs through aws-local-stepfunctions too). Every
// execution must SUCCEED with the workload's output, or the benchmark stops with an error and
// reports no rate. Counter "transitions/s"; the argument is the workload's size.
//
// Baselines, in the same run: the chain's document copied and path-set once per step (the
// floor an interpreter that copies each state's input pays) and path-set in place (the floor
// one that moves it pays).
//
// AWS caps a Standard execution's history at 25,000 events, so the Map and the loop run as
// Express executions, which have no such cap.
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "bench/workloads.h"
#include "emulator/engine/emulator.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::engine {
namespace {

using bench::Workload;
constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/bench";

// One emulator with one state machine; a fresh one per benchmark iteration, so executions do
// not pile up across iterations.
class Bench {
 public:
  explicit Bench(const Workload& workload) : emulator_(Options()) {
    CreateStateMachineParams params;
    params.type = workload.express ? MachineType::kExpress : MachineType::kStandard;
    params.name = "bench";
    params.definition = workload.definition.dump();
    params.role_arn = std::string(kRole);
    json::Result<const StateMachineRecord*> created =
        emulator_.CreateStateMachine(std::move(params));
    if (!created.ok()) {
      error_ = created.error().name + ": " + created.error().message;
      return;
    }
    arn_ = created.value()->arn;
  }

  const std::string& error() const { return error_; }

  Execution* Start(std::string name, std::string input) {
    StartExecutionParams params;
    params.state_machine_arn = arn_;
    params.name = std::move(name);
    params.input = std::move(input);
    json::Result<Execution*> started = emulator_.StartExecution(params);
    if (!started.ok()) {
      error_ = started.error().name + ": " + started.error().message;
      return nullptr;
    }
    return started.value();
  }

  void Run() { emulator_.RunToCompletion(); }

 private:
  static EmulatorOptions Options() {
    EmulatorOptions options;
    options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
    options.seed = 1;
    return options;
  }

  Emulator emulator_;
  std::string arn_;
  std::string error_;
};

// Empty when `execution` succeeded with `want`; what went wrong otherwise.
std::string Check(const Execution* execution, const nlohmann::ordered_json& want) {
  if (execution == nullptr) return "no execution";
  if (execution->status() != ExecutionStatus::kSucceeded) {
    return std::string(StatusName(execution->status())) + ": " + execution->error() + ": " +
           execution->cause();
  }
  if (!execution->output() || *execution->output() != want) {
    return "unexpected output: " +
           (execution->output() ? execution->output()->dump().substr(0, 200) : "none");
  }
  return "";
}

void ReportTransitions(benchmark::State& state, std::int64_t transitions) {
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
  state.SetItemsProcessed(transitions);
}

// One execution of `workload` per iteration.
void RunOne(benchmark::State& state, const Workload& workload) {
  const std::string input = workload.input.dump();
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto bench = std::make_unique<Bench>(workload);
    state.ResumeTiming();
    Execution* run = bench->Start("run", input);
    bench->Run();
    state.PauseTiming();
    std::string problem = bench->error().empty() ? Check(run, workload.output) : bench->error();
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      return;
    }
    transitions += workload.transitions;
    bench.reset();
    state.ResumeTiming();
  }
  ReportTransitions(state, transitions);
}

void BM_EnginePassChain(benchmark::State& state) {
  RunOne(state, bench::PassChain(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_EnginePassChain)->Arg(10)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

// The same chain as an Express execution: no history, as the peer keeps none.
void BM_EnginePassChainExpress(benchmark::State& state) {
  Workload chain = bench::PassChain(static_cast<int>(state.range(0)));
  chain.express = true;
  RunOne(state, chain);
}
BENCHMARK(BM_EnginePassChainExpress)->Arg(10)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_EngineMap(benchmark::State& state) {
  RunOne(state, bench::InlineMap(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_EngineMap)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_EngineChoiceLoop(benchmark::State& state) {
  RunOne(state, bench::ChoiceLoop(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_EngineChoiceLoop)->Arg(1000)->Arg(100000)->UseRealTime()->Unit(benchmark::kMillisecond);

// True when `machine` is bench::PassChain(length): S1 -> ... -> SN, in document order.
bool IsChain(const asl::StateMachine& machine, int length) {
  const std::vector<asl::State>& states = machine.states();
  if (states.size() != static_cast<std::size_t>(length) || machine.start_at() != 0) return false;
  for (int i = 0; i < length; ++i) {
    const asl::State& s = states[static_cast<std::size_t>(i)];
    const bool last = i + 1 == length;
    if (s.name != "S" + std::to_string(i + 1) || s.end != last ||
        (!last && s.next != static_cast<asl::StateIndex>(i + 1))) {
      return false;
    }
  }
  return true;
}

// CreateStateMachine of the chain of range(0) Pass states: the definition parsed, validated and
// compiled, and the machine recorded, in process. Counter "states/s"; a fresh emulator per
// iteration, so the name never exists already.
void BM_CreateStateMachine(benchmark::State& state) {
  const int length = static_cast<int>(state.range(0));
  const std::string definition = bench::PassChain(length).definition.dump();
  std::int64_t states = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto emulator = std::make_unique<Emulator>();
    CreateStateMachineParams params;
    params.name = "bench";
    params.definition = definition;
    params.role_arn = std::string(kRole);
    state.ResumeTiming();
    json::Result<const StateMachineRecord*> created =
        emulator->CreateStateMachine(std::move(params));
    state.PauseTiming();
    if (!created.ok()) {
      state.SkipWithError((created.error().name + ": " + created.error().message).c_str());
      return;
    }
    if (!IsChain(*created.value()->machine, length)) {
      state.SkipWithError("the machine is not the chain, in order");
      return;
    }
    states += length;
    emulator.reset();
    state.ResumeTiming();
  }
  state.counters["states/s"] =
      benchmark::Counter(static_cast<double>(states), benchmark::Counter::kIsRate);
  state.SetItemsProcessed(states);
}
BENCHMARK(BM_CreateStateMachine)->Arg(10)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

// range(0) small three-state executions per iteration: range(1) 0 runs each to completion
// before starting the next, 1 starts them all, then runs them.
void BM_EngineSmallExecutions(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  const bool all_at_once = state.range(1) == 1;
  const Workload workload = bench::Small(0);
  std::vector<std::string> names, inputs;
  std::vector<nlohmann::ordered_json> wants;
  for (int i = 0; i < count; ++i) {
    Workload w = bench::Small(i);
    names.push_back("run-" + std::to_string(i));
    inputs.push_back(w.input.dump());
    wants.push_back(std::move(w.output));
  }
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto bench = std::make_unique<Bench>(workload);
    std::vector<Execution*> runs;
    runs.reserve(static_cast<std::size_t>(count));
    state.ResumeTiming();
    for (int i = 0; i < count; ++i) {
      runs.push_back(bench->Start(names[i], inputs[i]));
      if (!all_at_once) bench->Run();
    }
    if (all_at_once) bench->Run();
    state.PauseTiming();
    std::string problem = bench->error();
    for (std::size_t i = 0; problem.empty() && i < runs.size(); ++i) {
      problem = Check(runs[i], wants[i]);
    }
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      return;
    }
    transitions += workload.transitions * count;
    bench.reset();
    state.ResumeTiming();
  }
  ReportTransitions(state, transitions);
  state.SetLabel(all_at_once ? "all at once" : "sequential");
}
BENCHMARK(BM_EngineSmallExecutions)
    ->ArgNames({"n", "all_at_once"})
    ->Args({100, 0})
    ->Args({100, 1})
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The chain's per-step transform by hand, "$.progress.step" = i, range(0) times.
const nlohmann::ordered_json::json_pointer& StepPointer() {
  static const nlohmann::ordered_json::json_pointer pointer("/progress/step");
  return pointer;
}

void RunBaseline(benchmark::State& state, bool copy) {
  const int steps = static_cast<int>(state.range(0));
  const nlohmann::ordered_json want = bench::PassChain(steps).output;
  std::int64_t done = 0;
  for (auto _ : state) {
    nlohmann::ordered_json doc = bench::Document();
    for (int i = 1; i <= steps; ++i) {
      if (copy) {
        nlohmann::ordered_json next = doc;  // the state's input, copied
        next[StepPointer()] = i;            // the ResultPath
        doc = std::move(next);
      } else {
        doc[StepPointer()] = i;
      }
    }
    benchmark::DoNotOptimize(doc);
    if (doc != want) {
      state.SkipWithError("unexpected document");
      return;
    }
    done += steps;
  }
  ReportTransitions(state, done);
}

void BM_BaselineCopyAndSet(benchmark::State& state) { RunBaseline(state, true); }
BENCHMARK(BM_BaselineCopyAndSet)->Arg(10)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_BaselineSetInPlace(benchmark::State& state) { RunBaseline(state, false); }
BENCHMARK(BM_BaselineSetInPlace)->Arg(10)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::engine
