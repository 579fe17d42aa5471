// Store throughput. Group commit as the serve loop does it (one Flush per loop turn, each turn a
// dozen history events, their execution rows, one journal entry and two meta values) into
// MemoryStore, SqliteStore on ":memory:", and a file opened as `timeslip serve` opens it
// (exclusive lock), durable (synchronous=FULL) and not (NORMAL), in one run so the ratios are
// comparable. And the read paths that must stay fast when 100,000 executions are stored:
// ListExecutions (first page, a page deep in the list, filtered by status), GetExecutionHistory,
// and ExecutionSummaries (what recovery reads).

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "emulator/engine/emulator.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"

namespace timeslip::store {
namespace {

constexpr int kPassStates = 1000;
constexpr int kStoredExecutions = 100000;
constexpr int kEventsPerStoredExecution = 10;
constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";

// The history and final row of one execution of a 1,000-Pass-state chain: the events the
// append benchmark replays (with their real details).
struct Workload {
  ExecutionRow row;
  std::vector<engine::HistoryEvent> events;
};

const Workload& PassChain() {
  static const Workload workload = [] {
    nlohmann::ordered_json states = nlohmann::ordered_json::object();
    for (int i = 0; i < kPassStates; ++i) {
      nlohmann::ordered_json state = {
          {"Type", "Pass"}, {"Result", {{"step", i}}}, {"ResultPath", "$.last"}};
      if (i + 1 < kPassStates) {
        state["Next"] = fmt::format("P{}", i + 1);
      } else {
        state["End"] = true;
      }
      states[fmt::format("P{}", i)] = state;
    }
    nlohmann::ordered_json definition = {{"StartAt", "P0"}, {"States", states}};
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

// A loop turn as the server does it: a few executions each move a few steps (their history events
// and their rows, as Touch gives them at Flush), the input that caused it goes to the journal,
// the clock and generator to meta, and one Flush() commits it all.
constexpr int kTurns = 1000;
constexpr int kInFlight = 16;          // executions running at once
constexpr int kExecutionsPerTurn = 3;  // of which a turn moves
constexpr int kEventsPerStep = 4;      // events each one appends in the turn
constexpr int kEventsPerExecution = 40;
constexpr int kEventsPerTurn = kExecutionsPerTurn * kEventsPerStep;

// A SendTaskSuccess as the journal would keep it.
const std::string& JournalPayload() {
  static const std::string payload =
      nlohmann::ordered_json{
          {"op", "SendTaskSuccess"},
          {"body",
           {{"taskToken", std::string(64, 'a')},
            {"output", R"({"approved":true,"by":"alice@example.com","ticket":4711})"}}}}
          .dump();
  return payload;
}

// Runs kTurns turns into `store`; the number of events appended, or -1 if a Flush failed.
std::int64_t RunTurns(Store& store, const std::vector<engine::HistoryEvent>& pool) {
  struct Running {
    ExecutionRow row;
    std::int64_t next_id = 1;
  };
  int started = 0;
  auto start = [&](Running& r, time::Instant at) {
    r.row = ExecutionRow{};
    r.row.arn = fmt::format("arn:aws:states:us-east-1:123456789012:execution:bench:run{}", started);
    r.row.state_machine_arn = std::string(kMachineArn);
    r.row.name = fmt::format("run{}", started++);
    r.row.input = R"({"id":1})";
    r.row.start_date = at;
    r.next_id = 1;
  };
  const time::Instant t0(time::Duration(1'700'000'000'000));
  std::vector<Running> running(kInFlight);
  for (Running& r : running) start(r, t0);
  std::int64_t events = 0;
  for (int turn = 0; turn < kTurns; ++turn) {
    time::Instant now = t0 + time::Duration(turn * 250);
    for (int k = 0; k < kExecutionsPerTurn; ++k) {
      Running& r = running[static_cast<std::size_t>((turn * kExecutionsPerTurn + k) % kInFlight)];
      if (r.next_id > kEventsPerExecution) start(r, now);
      for (int e = 0; e < kEventsPerStep; ++e, ++r.next_id, ++events) {
        engine::HistoryEvent event = pool[static_cast<std::size_t>(r.next_id) % pool.size()];
        event.id = r.next_id;
        event.previous_event_id = r.next_id - 1;
        event.timestamp = now;
        store.Append(r.row.arn, std::move(event));
      }
      if (r.next_id > kEventsPerExecution) {
        r.row.status = engine::ExecutionStatus::kSucceeded;
        r.row.output = R"({"id":1,"done":true})";
        r.row.stop_date = now;
      }
      store.Append(r.row);
    }
    store.AppendJournal(JournalRow{turn + 1, now, "request", JournalPayload()});
    store.SetMeta("clock", fmt::format("{}", now.time_since_epoch().count()));
    store.SetMeta("rng", fmt::format("[{},{},{},{}]", 0x9e3779b97f4a7c15ULL + turn,
                                     0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL, turn));
    if (!store.Flush().ok()) return -1;
  }
  return events;
}

// One run measures the same turns against MemoryStore, SqliteStore on ":memory:", and SqliteStore
// on a file (WAL) with synchronous=NORMAL and FULL, each store fresh. Counters: events/s and µs
// per turn for each, and file NORMAL's rate as a fraction of MemoryStore's.
void BM_HistoryAppendGroupCommit(benchmark::State& state) {
  const Workload& w = PassChain();
  if (w.row.status != engine::ExecutionStatus::kSucceeded) {
    state.SkipWithError("the Pass chain did not succeed");
    return;
  }
  struct Target {
    const char* name;
    std::string path;  // empty: MemoryStore
    DbOptions options;
    double seconds = 0;
    std::int64_t events = 0;
  };
  std::string file = bench::TempDbPath("store-bench", "append");
  // The files are opened as `timeslip serve` opens them (exclusive), and once without the
  // exclusive lock, to show what taking the locks on every commit costs.
  Target targets[] = {{"memory", ""},
                      {"sqlite_mem", ":memory:"},
                      {"file_normal", file, DbOptions{.durable = false, .exclusive = true}},
                      {"file_full", file, DbOptions{.durable = true, .exclusive = true}},
                      {"file_normal_shared", file, DbOptions{.durable = false}}};
  for (auto _ : state) {
    double iteration = 0;
    for (Target& t : targets) {
      bench::RemoveDb(file);
      std::unique_ptr<Store> store;
      if (t.path.empty()) {
        store = std::make_unique<MemoryStore>();
      } else {
        json::Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(t.path, t.options);
        if (!opened.ok()) {
          state.SkipWithError(opened.error().message.c_str());
          return;
        }
        store = std::move(opened).value();
      }
      auto begin = std::chrono::steady_clock::now();
      std::int64_t events = RunTurns(*store, w.events);
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      if (events < 0) {
        state.SkipWithError("Flush failed");
        return;
      }
      // Everything arrived: every event, every journal entry.
      std::vector<ExecutionSummary> summaries = store->ExecutionSummaries().value();
      std::int64_t stored = 0;
      for (const ExecutionSummary& s : summaries) stored += s.events;
      if (stored != events || store->LastJournalSeq().value() != kTurns) {
        state.SkipWithError("the store lost data");
        return;
      }
      t.seconds += seconds;
      t.events += events;
      iteration += seconds;
    }
    state.SetIterationTime(iteration);
  }
  bench::RemoveDb(file);
  std::int64_t total = 0;
  for (const Target& t : targets) {
    total += t.events;
    state.counters[fmt::format("{}_ev/s", t.name)] = static_cast<double>(t.events) / t.seconds;
    state.counters[fmt::format("{}_us/turn", t.name)] =
        t.seconds * 1e6 / (static_cast<double>(t.events) / kEventsPerTurn);
  }
  state.counters["normal/memory"] = (static_cast<double>(targets[2].events) / targets[2].seconds) /
                                    (static_cast<double>(targets[0].events) / targets[0].seconds);
  state.SetItemsProcessed(total);
  state.SetLabel(fmt::format("{} turns x ({} events + 1 journal + 2 meta), 1 Flush per turn",
                             kTurns, kEventsPerTurn));
}
// Five iterations: MemoryStore takes a few milliseconds per run, so one run is mostly noise.
BENCHMARK(BM_HistoryAppendGroupCommit)
    ->UseManualTime()
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);

std::string ExecutionArn(int i) {
  return fmt::format("arn:aws:states:us-east-1:123456789012:execution:bench:e{}", i);
}

// 100,000 executions of one state machine (every third SUCCEEDED, the rest RUNNING), ten
// history events each, written once per process into a temp file.
SqliteStore& LargeStore() {
  static const std::string path = bench::TempDbPath("store-bench", "large");
  static std::unique_ptr<SqliteStore> store = [] {
    bench::RemoveDb(path);
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
    std::atexit([] { bench::RemoveDb(path); });
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

// What recovery reads first: every execution with its status and event count.
void BM_ExecutionSummaries100k(benchmark::State& state) {
  SqliteStore& store = LargeStore();
  for (auto _ : state) {
    json::Result<std::vector<ExecutionSummary>> summaries = store.ExecutionSummaries();
    if (!summaries.ok() || summaries.value().size() != kStoredExecutions ||
        summaries.value().back().events != kEventsPerStoredExecution) {
      state.SkipWithError("wrong summaries");
      break;
    }
    benchmark::DoNotOptimize(summaries);
  }
  state.SetItemsProcessed(state.iterations() * kStoredExecutions);  // executions summarized
}
BENCHMARK(BM_ExecutionSummaries100k)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::store
