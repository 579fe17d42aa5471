// Store throughput. History append with group commit (one Flush per 100 events, as the serve
// loop does per turn) into a file, durable (synchronous=FULL) and not (NORMAL), against an
// in-memory database, on the events of one 1,000-Pass-state execution. And the two read paths
// that must stay fast when 100,000 executions are stored: ListExecutions (first page, a page
// deep in the list, filtered by status) and GetExecutionHistory.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/store/sqlite_store.h"

namespace timeslip::store {
namespace {

constexpr int kPassStates = 1000;
constexpr int kEventsPerFlush = 100;
constexpr int kStoredExecutions = 100000;
constexpr int kEventsPerStoredExecution = 10;
constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";

std::string TempPath(std::string_view what) {
  return (std::filesystem::temp_directory_path() /
          fmt::format("timeslip-store-bench-{}-{}.db", what, getpid()))
      .string();
}

void RemoveDb(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
}

// The history and final row of one execution of a 1,000-Pass-state chain.
struct Workload {
  ExecutionRow row;
  std::vector<engine::HistoryEvent> events;
};

const Workload& PassChain() {
  static const Workload workload = [] {
    nlohmann::json states = nlohmann::json::object();
    for (int i = 0; i < kPassStates; ++i) {
      nlohmann::json state = {
          {"Type", "Pass"}, {"Result", {{"step", i}}}, {"ResultPath", "$.last"}};
      if (i + 1 < kPassStates) {
        state["Next"] = fmt::format("P{}", i + 1);
      } else {
        state["End"] = true;
      }
      states[fmt::format("P{}", i)] = state;
    }
    nlohmann::json definition = {{"StartAt", "P0"}, {"States", states}};
    Emulator emulator;
    const engine::StateMachineRecord* machine =
        emulator
            .CreateStateMachine({.name = "chain",
                                 .definition = definition.dump(),
                                 .role_arn = "arn:aws:iam::123456789012:role/bench"})
            .value();
    engine::Execution* run =
        emulator.StartExecution({.state_machine_arn = machine->arn, .input = R"({"id":1})"})
            .value();
    emulator.RunToCompletion();
    return Workload{ExecutionRow::From(*run), run->history()};
  }();
  return workload;
}

// Arg 0: ":memory:"; 1: a file, synchronous=NORMAL; 2: a file, synchronous=FULL.
void BM_HistoryAppendGroupCommit(benchmark::State& state) {
  const Workload& w = PassChain();
  if (w.row.status != engine::ExecutionStatus::kSucceeded) {
    state.SkipWithError("the Pass chain did not succeed");
    return;
  }
  bool in_memory = state.range(0) == 0;
  std::string path = in_memory ? ":memory:" : TempPath("append");
  int executions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (!in_memory) RemoveDb(path);
    std::unique_ptr<SqliteStore> store =
        SqliteStore::Open(path, DbOptions{.durable = state.range(0) == 2}).value();
    state.ResumeTiming();
    store->Append(w.row);
    int queued = 0;
    for (const engine::HistoryEvent& e : w.events) {
      store->Append(w.row.arn, e);
      if (++queued == kEventsPerFlush) {
        if (!store->Flush().ok()) state.SkipWithError("Flush failed");
        queued = 0;
      }
    }
    if (!store->Flush().ok()) state.SkipWithError("Flush failed");
    state.PauseTiming();
    std::vector<engine::HistoryEvent> back =
        store->GetExecutionHistory({.execution_arn = w.row.arn, .limit = 100000}).value();
    if (back.size() != w.events.size()) state.SkipWithError("history lost events");
    store.reset();
    ++executions;
    state.ResumeTiming();
  }
  if (!in_memory) RemoveDb(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(w.events.size()) * executions);
  state.SetLabel(
      fmt::format("{} events/execution, flush every {}", w.events.size(), kEventsPerFlush));
}
BENCHMARK(BM_HistoryAppendGroupCommit)
    ->ArgName("file")  // 0: :memory:, 1: file NORMAL, 2: file FULL
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

std::string ExecutionArn(int i) {
  return fmt::format("arn:aws:states:us-east-1:123456789012:execution:bench:e{}", i);
}

// 100,000 executions of one state machine (every third SUCCEEDED, the rest RUNNING), ten
// history events each, written once per process into a temp file.
SqliteStore& LargeStore() {
  static const std::string path = TempPath("large");
  static std::unique_ptr<SqliteStore> store = [] {
    RemoveDb(path);
    std::unique_ptr<SqliteStore> s = SqliteStore::Open(path, DbOptions{.durable = false}).value();
    for (int i = 0; i < kStoredExecutions; ++i) {
      ExecutionRow row;
      row.arn = ExecutionArn(i);
      row.state_machine_arn = std::string(kMachineArn);
      row.name = fmt::format("e{}", i);
      row.status =
          i % 3 == 0 ? engine::ExecutionStatus::kSucceeded : engine::ExecutionStatus::kRunning;
      row.input = R"({"id":1})";
      row.start_date = time::Instant(time::Duration(1'700'000'000'000 + i * 100));
      s->Append(row);
      for (int id = 1; id <= kEventsPerStoredExecution; ++id) {
        s->Append(row.arn, engine::HistoryEvent{id,
                                                id - 1,
                                                row.start_date,
                                                "PassStateEntered",
                                                "stateEnteredEventDetails",
                                                {{"name", "P"}, {"input", R"({"id":1})"}}});
      }
      if (i % 1000 == 999 && !s->Flush().ok()) std::abort();
    }
    if (!s->Flush().ok()) std::abort();
    std::atexit([] { RemoveDb(path); });
    return s;
  }();
  return *store;
}

// Arg: 0 the first page; 1 a page halfway down; 2 the first page of SUCCEEDED executions.
void BM_ListExecutions100k(benchmark::State& state) {
  SqliteStore& store = LargeStore();
  ExecutionQuery query{.state_machine_arn = std::string(kMachineArn), .limit = 100};
  if (state.range(0) == 2) query.status = engine::ExecutionStatus::kSucceeded;
  if (state.range(0) == 1) {
    // The cursor of the row just before the middle one: start and insertion order.
    int middle = kStoredExecutions / 2;
    query.next_token = fmt::format("{}.{}", 1'700'000'000'000 + (middle + 1) * 100, middle + 2);
  }
  for (auto _ : state) {
    json::Result<ExecutionPage> page = store.ListExecutions(query);
    if (!page.ok() || page.value().executions.size() != 100 || page.value().next_token.empty()) {
      state.SkipWithError("wrong page");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations() * 100);  // executions listed
}
BENCHMARK(BM_ListExecutions100k)
    ->ArgName("page")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond);

void BM_GetExecutionHistory100k(benchmark::State& state) {
  SqliteStore& store = LargeStore();
  int i = 0;
  for (auto _ : state) {
    i = (i + 7919) % kStoredExecutions;  // spread over the file
    json::Result<std::vector<engine::HistoryEvent>> page =
        store.GetExecutionHistory({.execution_arn = ExecutionArn(i), .limit = 100});
    if (!page.ok() || page.value().size() != kEventsPerStoredExecution) {
      state.SkipWithError("wrong history");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations());  // histories read
}
BENCHMARK(BM_GetExecutionHistory100k)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace timeslip::store
