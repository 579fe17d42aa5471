// The 1,000-Pass chain (bench/workloads.h) with its history going to a store, side by side:
//   BM_ChainStore/0  no store (memory only)
//   BM_ChainStore/1  MemoryStore
//   BM_ChainStore/2  SQLite file as `timeslip serve --db FILE` opens it (WAL, exclusive,
//                    synchronous=NORMAL), group-committed by the journal
// Each iteration is one StartExecution (Standard) through Endpoint::Call, answered once its
// effects are committed; DescribeExecution must then show it SUCCEEDED with the chain's output.
//   BM_BaselineSqliteBatchInsert  the floor under /2: the same execution's history rows
//                                 (id, previous id, time, type, details as JSON text) inserted
//                                 into a file of the same settings in one transaction.
// Counter "transitions/s": the chain's states entered per second (the baseline counts the
// transitions whose rows it stored).
//
//   build/bin/timeslip_bench --benchmark_filter='ChainStore|SqliteBatch'

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "bench/workloads.h"
#include "emulator/api/endpoint.h"
#include "emulator/engine/emulator.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::api {
namespace {

constexpr int kChainLength = 1000;
constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/bench";

engine::EmulatorOptions Options() {
  engine::EmulatorOptions options;
  options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.seed = 3;
  return options;
}

void BM_ChainStore(benchmark::State& state) {
  const int kind = static_cast<int>(state.range(0));
  const bench::Workload chain = bench::PassChain(kChainLength);
  const std::string path = bench::TempDbPath("chain-bench", "store");
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    bench::RemoveDb(path);
    std::unique_ptr<host::Store> store;
    if (kind == 1) store = std::make_unique<store::MemoryStore>();
    if (kind == 2) {
      auto opened = store::SqliteStore::Open(path, {.durable = false, .exclusive = true});
      if (!opened.ok()) return state.SkipWithError(opened.error().message.c_str());
      store = std::move(opened).value();
    }
    auto world = std::make_unique<world::World>(
        world::WorldOptions{.emulator = Options(), .store = store.get()});
    auto endpoint = std::make_unique<Endpoint>(world->host());
    Response created = endpoint->Call(bench::StepFunctionsRequest(
        "CreateStateMachine",
        {{"name", "chain"}, {"roleArn", kRole}, {"definition", chain.definition.dump()}}));
    if (created.status != 200) return state.SkipWithError(created.body.c_str());
    const std::string machine = nlohmann::ordered_json::parse(created.body)["stateMachineArn"];
    const Request start = bench::StepFunctionsRequest(
        "StartExecution", {{"stateMachineArn", machine}, {"input", chain.input.dump()}});
    state.ResumeTiming();
    Response started = endpoint->Call(start);
    state.PauseTiming();
    if (started.status != 200) return state.SkipWithError(started.body.c_str());
    Response described = endpoint->Call(bench::StepFunctionsRequest(
        "DescribeExecution",
        {{"executionArn", nlohmann::ordered_json::parse(started.body)["executionArn"]}}));
    nlohmann::ordered_json d = nlohmann::ordered_json::parse(described.body, nullptr, false);
    if (!d.is_object() || d.value("status", "") != "SUCCEEDED" ||
        nlohmann::ordered_json::parse(d.value("output", "null")) != chain.output) {
      return state.SkipWithError(
          ("the chain did not succeed: " + described.body.substr(0, 300)).c_str());
    }
    transitions += chain.transitions;
    endpoint.reset();
    world.reset();
    store.reset();
    state.ResumeTiming();
  }
  bench::RemoveDb(path);
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
  state.SetLabel(kind == 0 ? "no store" : kind == 1 ? "MemoryStore" : "SQLite file (serve --db)");
}
BENCHMARK(BM_ChainStore)
    ->ArgName("store")
    ->DenseRange(0, 2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The chain's history, as an in-memory Standard run records it.
std::vector<engine::HistoryEvent> ChainHistory() {
  const bench::Workload chain = bench::PassChain(kChainLength);
  Emulator emulator(Options());
  const engine::StateMachineRecord* machine =
      emulator
          .CreateStateMachine({.name = "chain",
                               .definition = chain.definition.dump(),
                               .role_arn = std::string(kRole)})
          .value();
  engine::Execution* run =
      emulator.StartExecution({.state_machine_arn = machine->arn, .input = chain.input.dump()})
          .value();
  emulator.RunToCompletion();
  if (run->status() != engine::ExecutionStatus::kSucceeded) return {};
  return run->history();
}

bool Exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

void BM_BaselineSqliteBatchInsert(benchmark::State& state) {
  const std::vector<engine::HistoryEvent> events = ChainHistory();
  if (events.empty()) return state.SkipWithError("the chain did not succeed");
  const std::string arn = "arn:aws:states:us-east-1:123456789012:execution:chain:run";
  const std::string path = bench::TempDbPath("chain-bench", "baseline");
  std::int64_t rows = 0;
  std::int64_t transitions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    bench::RemoveDb(path);
    sqlite3* db = nullptr;
    bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
              Exec(db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                   "PRAGMA locking_mode=EXCLUSIVE;"
                   "CREATE TABLE events(execution TEXT, id INTEGER, previous INTEGER,"
                   " at INTEGER, type TEXT, details TEXT, PRIMARY KEY(execution, id))");
    sqlite3_stmt* insert = nullptr;
    ok = ok && sqlite3_prepare_v2(db, "INSERT INTO events VALUES(?,?,?,?,?,?)", -1, &insert,
                                  nullptr) == SQLITE_OK;
    state.ResumeTiming();
    ok = ok && Exec(db, "BEGIN");
    for (const engine::HistoryEvent& e : events) {
      if (!ok) break;
      std::string details = e.details.dump();
      sqlite3_bind_text(insert, 1, arn.data(), static_cast<int>(arn.size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 2, e.id);
      sqlite3_bind_int64(insert, 3, e.previous_event_id);
      sqlite3_bind_int64(insert, 4, e.timestamp.time_since_epoch().count());
      sqlite3_bind_text(insert, 5, e.type.data(), static_cast<int>(e.type.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 6, details.data(), static_cast<int>(details.size()),
                        SQLITE_TRANSIENT);
      ok = sqlite3_step(insert) == SQLITE_DONE && sqlite3_reset(insert) == SQLITE_OK;
    }
    ok = ok && Exec(db, "COMMIT");
    state.PauseTiming();
    sqlite3_stmt* count = nullptr;
    std::int64_t stored = -1;
    if (ok &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &count, nullptr) == SQLITE_OK &&
        sqlite3_step(count) == SQLITE_ROW) {
      stored = sqlite3_column_int64(count, 0);
    }
    sqlite3_finalize(count);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    if (stored != static_cast<std::int64_t>(events.size())) {
      bench::RemoveDb(path);
      return state.SkipWithError("the rows did not all arrive");
    }
    rows += stored;
    transitions += kChainLength;
    state.ResumeTiming();
  }
  bench::RemoveDb(path);
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BaselineSqliteBatchInsert)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::api
