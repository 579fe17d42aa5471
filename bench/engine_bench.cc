// Engine throughput: state transitions (states entered, counted from each execution's history)
// per second, on the virtual clock, through the `Emulator` facade. Each benchmark builds its
// definition in code, checks that every execution SUCCEEDED with the expected output, and skips
// with an error otherwise. The baseline copies and path-sets the Pass chain's document once per
// step: the floor a Pass state's ResultPath cannot go below.
//
// AWS caps a Standard execution's history at 25,000 events (the engine enforces it), and an
// inline Map iteration or a Choice-loop turn costs four events, so the 10,000-item Map and the
// 100,000-turn Choice loop are split over executions that each stay under the cap.
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::engine {
namespace {

constexpr int kPassChainLength = 1000;
constexpr int kMapItems = 10000;
// One execution each: Express, because a Standard execution stops at AWS's 25,000 history
// events (4 per Map iteration or loop turn), as it would on AWS.
constexpr int kMapItemsPerExecution = kMapItems;
constexpr int kChoiceTurns = 100000;
constexpr int kChoiceTurnsPerExecution = kChoiceTurns;
constexpr int kSmallExecutions = 10000;
constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/bench";

// A job-run-style payload of about 1 KB: what one step of a pipeline typically carries.
const nlohmann::ordered_json& Document() {
  static const nlohmann::ordered_json doc = [] {
    nlohmann::ordered_json d;
    d["run"] = {{"id", "jr_0123456789abcdef"},
                {"workflow", "nightly-warehouse"},
                {"started", "2024-01-01T02:00:00Z"},
                {"attempt", 1},
                {"config", {{"region", "eu-west-1"}, {"threshold", 0.98}, {"ruleset", "core"}}}};
    d["customer"] = {{"id", "C-1042"}, {"name", "Acme Warehouse Ltd"}, {"tier", "gold"}};
    nlohmann::ordered_json tables = nlohmann::ordered_json::array();
    for (int i = 0; i < 8; ++i) {
      tables.push_back({{"name", "stage_table_" + std::to_string(i)},
                        {"rows", 1000 * (i + 1)},
                        {"partitions", {"dt=2024-01-01", "region=eu"}}});
    }
    d["tables"] = std::move(tables);
    d["fx"] = {{"base", "EUR"}, {"rates", {{"USD", 1.09}, {"GBP", 0.86}, {"JPY", 157.2}}}};
    d["progress"] = {{"step", 0}, {"phase", "load"}};
    return d;
  }();
  return doc;
}

// The Pass chain's per-step transform, as the baseline does it by hand: "$.progress.step" = i.
const nlohmann::ordered_json::json_pointer& StepPointer() {
  static const nlohmann::ordered_json::json_pointer pointer("/progress/step");
  return pointer;
}

std::string StateName(int i) { return "S" + std::to_string(i); }

// S1 -> ... -> S1000, each a Pass with "Result": i, "ResultPath": "$.progress.step".
std::string PassChainDefinition() {
  nlohmann::ordered_json states = nlohmann::ordered_json::object();
  for (int i = 1; i <= kPassChainLength; ++i) {
    nlohmann::ordered_json state = {{"Type", "Pass"}, {"Result", i}, {"ResultPath", "$.progress.step"}};
    if (i == kPassChainLength) {
      state["End"] = true;
    } else {
      state["Next"] = StateName(i + 1);
    }
    states[StateName(i)] = std::move(state);
  }
  return nlohmann::ordered_json{{"StartAt", StateName(1)}, {"States", std::move(states)}}.dump();
}

// An inline Map over "$.items"; each iteration is one Pass that reshapes its item.
std::string MapDefinition() {
  nlohmann::ordered_json item_processor = {
      {"ProcessorConfig", {{"Mode", "INLINE"}}},
      {"StartAt", "Shape"},
      {"States",
       {{"Shape",
         {{"Type", "Pass"},
          {"Parameters", {{"n.$", "$.n"}, {"next.$", "States.MathAdd($.n, 1)"}}},
          {"End", true}}}}}};
  nlohmann::ordered_json map = {{"Type", "Map"},
                        {"ItemsPath", "$.items"},
                        {"ItemProcessor", std::move(item_processor)},
                        {"End", true}};
  return nlohmann::ordered_json{{"StartAt", "EachItem"}, {"States", {{"EachItem", std::move(map)}}}}.dump();
}

// Loop: Check ($.i < $.n) -> Increment -> Check ...; Default -> Done.
std::string ChoiceLoopDefinition() {
  nlohmann::ordered_json check = {
      {"Type", "Choice"},
      {"Choices", {{{"Variable", "$.i"}, {"NumericLessThanPath", "$.n"}, {"Next", "Increment"}}}},
      {"Default", "Done"}};
  nlohmann::ordered_json increment = {{"Type", "Pass"},
                              {"Parameters", {{"i.$", "States.MathAdd($.i, 1)"}, {"n.$", "$.n"}}},
                              {"Next", "Check"}};
  return nlohmann::ordered_json{{"StartAt", "Check"},
                        {"States",
                         {{"Check", std::move(check)},
                          {"Increment", std::move(increment)},
                          {"Done", {{"Type", "Succeed"}}}}}}
      .dump();
}

// A small three-state machine: Prepare (Pass) -> Route (Choice) -> Done (Succeed).
std::string SmallDefinition() {
  nlohmann::ordered_json prepare = {
      {"Type", "Pass"}, {"Parameters", {{"id.$", "$.id"}, {"kind", "small"}}}, {"Next", "Route"}};
  nlohmann::ordered_json route = {
      {"Type", "Choice"},
      {"Choices", {{{"Variable", "$.id"}, {"NumericGreaterThanEquals", 0}, {"Next", "Done"}}}}};
  return nlohmann::ordered_json{{"StartAt", "Prepare"},
                        {"States",
                         {{"Prepare", std::move(prepare)},
                          {"Route", std::move(route)},
                          {"Done", {{"Type", "Succeed"}}}}}}
      .dump();
}

// One emulator with one state machine; a fresh one per benchmark iteration, so histories do
// not pile up across iterations.
class Bench {
 public:
  explicit Bench(const std::string& definition, MachineType type = MachineType::kStandard)
      : emulator_(Options()) {
    CreateStateMachineParams params;
    params.type = type;
    params.name = "bench";
    params.definition = definition;
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

// States entered, as the history records them.
std::int64_t Transitions(const Execution& execution) {
  constexpr std::string_view kSuffix = "StateEntered";
  std::int64_t n = 0;
  for (const HistoryEvent& event : execution.history()) {
    const std::string& type = event.type;
    if (type.size() > kSuffix.size() &&
        type.compare(type.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
      ++n;
    }
  }
  return n;
}

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

void BM_EnginePassChain(benchmark::State& state) {
  const std::string definition = PassChainDefinition();
  const std::string input = Document().dump();
  nlohmann::ordered_json want = Document();
  want[StepPointer()] = kPassChainLength;
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto bench = std::make_unique<Bench>(definition);
    state.ResumeTiming();
    Execution* run = bench->Start("chain", input);
    bench->Run();
    state.PauseTiming();
    std::string problem = bench->error().empty() ? Check(run, want) : bench->error();
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      break;
    }
    transitions += Transitions(*run);
    bench.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(transitions);
}
BENCHMARK(BM_EnginePassChain)->Unit(benchmark::kMillisecond);

void BM_EngineBaselineCopyAndSet(benchmark::State& state) {
  nlohmann::ordered_json want = Document();
  want[StepPointer()] = kPassChainLength;
  std::int64_t steps = 0;
  for (auto _ : state) {
    nlohmann::ordered_json doc = Document();
    for (int i = 1; i <= kPassChainLength; ++i) {
      nlohmann::ordered_json next = doc;  // the state's input, copied
      next[StepPointer()] = i;    // the ResultPath
      doc = std::move(next);
      ++steps;
    }
    benchmark::DoNotOptimize(doc);
    if (doc != want) {
      state.SkipWithError("unexpected document");
      break;
    }
  }
  state.SetItemsProcessed(steps);
}
BENCHMARK(BM_EngineBaselineCopyAndSet)->Unit(benchmark::kMillisecond);

void BM_EngineMap(benchmark::State& state) {
  const std::string definition = MapDefinition();
  std::vector<std::string> inputs;
  std::vector<nlohmann::ordered_json> wants;
  for (int first = 0; first < kMapItems; first += kMapItemsPerExecution) {
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    nlohmann::ordered_json want = nlohmann::ordered_json::array();
    for (int n = first; n < first + kMapItemsPerExecution; ++n) {
      items.push_back({{"n", n}});
      want.push_back({{"n", n}, {"next", n + 1}});
    }
    inputs.push_back(nlohmann::ordered_json{{"items", std::move(items)}}.dump());
    wants.push_back(std::move(want));
  }
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto bench = std::make_unique<Bench>(definition, MachineType::kExpress);
    std::vector<Execution*> runs;
    state.ResumeTiming();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      runs.push_back(bench->Start("map" + std::to_string(i), inputs[i]));
    }
    bench->Run();
    state.PauseTiming();
    std::string problem = bench->error();
    for (std::size_t i = 0; problem.empty() && i < runs.size(); ++i) {
      problem = Check(runs[i], wants[i]);
      if (problem.empty()) transitions += Transitions(*runs[i]);
    }
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      break;
    }
    bench.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(transitions);
}
BENCHMARK(BM_EngineMap)->Unit(benchmark::kMillisecond);

void BM_EngineChoiceLoop(benchmark::State& state) {
  const std::string definition = ChoiceLoopDefinition();
  const nlohmann::ordered_json want = {{"i", kChoiceTurnsPerExecution}, {"n", kChoiceTurnsPerExecution}};
  const std::string input = nlohmann::ordered_json{{"i", 0}, {"n", kChoiceTurnsPerExecution}}.dump();
  constexpr int kExecutions = kChoiceTurns / kChoiceTurnsPerExecution;
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto bench = std::make_unique<Bench>(definition, MachineType::kExpress);
    std::vector<Execution*> runs;
    state.ResumeTiming();
    for (int i = 0; i < kExecutions; ++i) {
      runs.push_back(bench->Start("loop" + std::to_string(i), input));
    }
    bench->Run();
    state.PauseTiming();
    std::string problem = bench->error();
    for (std::size_t i = 0; problem.empty() && i < runs.size(); ++i) {
      problem = Check(runs[i], want);
      if (problem.empty()) transitions += Transitions(*runs[i]);
    }
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      break;
    }
    bench.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(transitions);
}
BENCHMARK(BM_EngineChoiceLoop)->Unit(benchmark::kMillisecond);

void BM_EngineSmallExecutions(benchmark::State& state) {
  const std::string definition = SmallDefinition();
  std::vector<std::string> names;
  std::vector<std::string> inputs;
  std::vector<nlohmann::ordered_json> wants;
  for (int i = 0; i < kSmallExecutions; ++i) {
    names.push_back("run-" + std::to_string(i));
    inputs.push_back(nlohmann::ordered_json{{"id", i}, {"payload", "x"}}.dump());
    wants.push_back({{"id", i}, {"kind", "small"}});
  }
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto bench = std::make_unique<Bench>(definition);
    std::vector<Execution*> runs;
    runs.reserve(kSmallExecutions);
    state.ResumeTiming();
    for (int i = 0; i < kSmallExecutions; ++i) runs.push_back(bench->Start(names[i], inputs[i]));
    bench->Run();
    state.PauseTiming();
    std::string problem = bench->error();
    for (std::size_t i = 0; problem.empty() && i < runs.size(); ++i) {
      problem = Check(runs[i], wants[i]);
      if (problem.empty()) transitions += Transitions(*runs[i]);
    }
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      break;
    }
    bench.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(transitions);
}
BENCHMARK(BM_EngineSmallExecutions)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::engine
