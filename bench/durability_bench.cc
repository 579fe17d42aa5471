// Durability's price and recovery's speed, on the endpoint without the network (Endpoint::Call
// runs each request as a turn of the engine thread would, on the calling thread):
//   BM_DurableStartExecution/S  one StartExecution of a one-Pass machine per iteration, journaled
//                               and committed (one transaction per call, as a lone client gets),
//                               with S = 0 no store, 1 MemoryStore, 2 SQLite file
//                               synchronous=NORMAL (serve's default), 3 SQLite file FULL.
//   BM_RecoveryReplay/N         rebuilding an endpoint from a journal of N StartExecution calls
//                               (what `timeslip serve` does when it starts on an existing file);
//                               every replay must rebuild the N executions, each SUCCEEDED with
//                               its four events, or the run stops with an error and no rate.
//   BM_GroupCommit/K            the history append target: the same workload, K StartExecution
//                               requests of a three-state machine sent at once to a started
//                               endpoint (as K concurrent clients would), each answered after the
//                               group commit that carries it, against MemoryStore and against a
//                               SQLite file (synchronous=NORMAL, as `serve` opens it), in one
//                               run; counters give history events/s for each and file/memory.
//
//   build/bin/timeslip_bench --benchmark_filter='Durable|Recovery|GroupCommit'

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "emulator/api/endpoint.h"
#include "emulator/engine/emulator.h"
#include "emulator/host/recovery.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::api {
namespace {

engine::EmulatorOptions BenchOptions() {
  engine::EmulatorOptions options;
  options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.seed = 7;
  return options;
}

constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";

bool CreateMachine(Endpoint& endpoint) {
  Response created = endpoint.Call(bench::StepFunctionsRequest(
      "CreateStateMachine",
      {{"name", "bench"},
       {"roleArn", "arn:aws:iam::123456789012:role/bench"},
       {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"}}));
  return created.status == 200;
}

// A database file under the temp directory, removed with its WAL when done.
class TempFile {
 public:
  TempFile()
      : path_((std::filesystem::temp_directory_path() /
               fmt::format("timeslip-recovery-bench-{}.db", getpid()))
                  .string()) {
    Remove();
  }
  ~TempFile() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_ + suffix, ignored);
  }
  std::string path_;
};

void BM_DurableStartExecution(benchmark::State& state) {
  const auto kind = state.range(0);
  TempFile file;
  std::unique_ptr<host::Store> store;
  if (kind == 1) store = std::make_unique<store::MemoryStore>();
  if (kind >= 2) {
    auto opened = store::SqliteStore::Open(file.path(), {.durable = kind == 3});
    if (!opened.ok()) {
      state.SkipWithError(opened.error().message.c_str());
      return;
    }
    store = std::move(opened).value();
  }
  world::World emulator_world({.emulator = BenchOptions(), .store = store.get()});
  Endpoint endpoint(emulator_world.host());
  if (!CreateMachine(endpoint)) {
    state.SkipWithError("CreateStateMachine failed");
    return;
  }
  std::int64_t n = 0;
  for (auto _ : state) {
    Response started = endpoint.Call(bench::StepFunctionsRequest(
        "StartExecution", {{"stateMachineArn", kMachineArn}, {"name", fmt::format("e{}", ++n)}}));
    if (started.status != 200) {
      state.SkipWithError(started.body.c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kind == 0   ? "no store"
                 : kind == 1 ? "MemoryStore"
                 : kind == 2 ? "SQLite file, synchronous=NORMAL"
                             : "SQLite file, synchronous=FULL");
}
BENCHMARK(BM_DurableStartExecution)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

// Empty when `emulator` holds what replaying BM_RecoveryReplay's journal must rebuild: the
// executions e0 ... e(N-1), in start order, each SUCCEEDED with its four events (started, Pass
// entered and exited, succeeded); what differs otherwise. Adds their events to `events`.
std::string CheckRecovered(engine::Emulator& emulator, const host::RecoveryReport& report,
                           std::int64_t executions, std::int64_t& events) {
  const std::vector<engine::Execution*>& rebuilt = emulator.engine().executions();
  if (static_cast<std::int64_t>(rebuilt.size()) != executions ||
      static_cast<std::int64_t>(report.executions) != executions || report.running != 0) {
    return fmt::format("{} executions rebuilt ({} reported, {} running), {} wanted",
                       rebuilt.size(), report.executions, report.running, executions);
  }
  // The machine, then one StartExecution per execution; nothing else is journaled before the
  // shutdown's entry.
  if (report.entries < executions + 1) {
    return fmt::format("{} journal entries replayed for {} executions", report.entries, executions);
  }
  for (std::size_t i = 0; i < rebuilt.size(); ++i) {
    const engine::Execution& run = *rebuilt[i];
    if (!run.arn().ends_with(fmt::format(":bench:e{}", i)) ||
        run.status() != engine::ExecutionStatus::kSucceeded || run.history().size() != 4) {
      return fmt::format("execution {} rebuilt as {} {} with {} events", i, run.arn(),
                         engine::StatusName(run.status()), run.history().size());
    }
    events += static_cast<std::int64_t>(run.history().size());
  }
  return "";
}

void BM_RecoveryReplay(benchmark::State& state) {
  const std::int64_t executions = state.range(0);
  store::MemoryStore store;
  {
    world::World emulator_world({.emulator = BenchOptions(), .store = &store});
    Endpoint endpoint(emulator_world.host());
    if (!CreateMachine(endpoint)) {
      state.SkipWithError("CreateStateMachine failed");
      return;
    }
    for (std::int64_t i = 0; i < executions; ++i) {
      Response started = endpoint.Call(bench::StepFunctionsRequest(
          "StartExecution", {{"stateMachineArn", kMachineArn}, {"name", fmt::format("e{}", i)}}));
      if (started.status != 200) {
        state.SkipWithError(("StartExecution failed: " + started.body).c_str());
        return;
      }
    }
  }
  std::int64_t entries = 0;
  std::int64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = std::make_unique<store::MemoryStore>(store);  // the endpoint's shutdown writes
    state.ResumeTiming();
    {
      world::World emulator_world({.emulator = BenchOptions(), .store = copy.get()});
      Endpoint endpoint(emulator_world.host());
      json::Result<host::RecoveryReport> report = host::Recover(endpoint.host());
      state.PauseTiming();  // checking and tearing down are not part of recovery
      if (!report.ok()) {
        state.SkipWithError(report.error().message.c_str());
        return;
      }
      std::string problem =
          CheckRecovered(emulator_world.emulator(), report.value(), executions, events);
      if (!problem.empty()) {
        state.SkipWithError(problem.c_str());
        return;
      }
      entries += report.value().entries;
    }
    state.ResumeTiming();
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["entries"] = static_cast<double>(entries) / iterations;  // per replay
  state.counters["events"] = static_cast<double>(events) / iterations;    // per replay
  state.counters["entries/s"] =
      benchmark::Counter(static_cast<double>(entries), benchmark::Counter::kIsRate);
  state.counters["executions/s"] = benchmark::Counter(
      static_cast<double>(executions) * iterations, benchmark::Counter::kIsRate);
  state.SetItemsProcessed(executions * state.iterations());
}
BENCHMARK(BM_RecoveryReplay)->Arg(10'000)->Unit(benchmark::kMillisecond)->Iterations(3);

// One side of BM_GroupCommit: a started endpoint (its engine thread, and the journal's writer
// thread beside it) on `store`, with a three-state machine.
class GroupCommitSide {
 public:
  explicit GroupCommitSide(host::Store& store)
      : world_({.emulator = BenchOptions(), .store = &store}),
        emulator_(world_.emulator()),
        endpoint_(world_.host()) {
    Response created = endpoint_.Call(bench::StepFunctionsRequest(
        "CreateStateMachine",
        {{"name", "bench"},
         {"roleArn", "arn:aws:iam::123456789012:role/bench"},
         {"definition", R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
             "B":{"Type":"Pass","Result":{"rows":42},"ResultPath":"$.load","Next":"C"},
             "C":{"Type":"Succeed"}}})"}}));
    ok_ = created.status == 200 && endpoint_.host().emulator().engine().executions().empty();
    endpoint_.host().Start();  // no server: requests go straight to the router
  }
  ~GroupCommitSide() { endpoint_.host().Stop(); }
  bool ok() const { return ok_; }

  // K requests at once, as K clients send them, and back once all K are answered (each only
  // after the commit that carries it). Returns the wall seconds it took.
  double Batch(int k) {
    auto began = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      waiting_ = k;
    }
    for (int i = 0; i < k; ++i) {
      endpoint_.router().Handle(
          bench::StepFunctionsRequest("StartExecution", {{"stateMachineArn", kMachineArn},
                                                         {"name", fmt::format("e{}", ++started_)},
                                                         {"input", R"({"day":"2024-01-01"})"}}),
          [this](Response response) {
            std::lock_guard<std::mutex> lock(mu_);
            ok_ = ok_ && response.status == 200;
            if (--waiting_ == 0) answered_.notify_all();
          });
    }
    std::unique_lock<std::mutex> lock(mu_);
    answered_.wait(lock, [this] { return waiting_ == 0; });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  }
  // After Stop: the engine is this thread's again.
  std::size_t events() {
    endpoint_.host().Stop();
    std::size_t n = 0;
    for (const engine::Execution* e : emulator_.engine().executions()) n += e->history().size();
    return n;
  }

 private:
  world::World world_;
  engine::Emulator& emulator_;
  Endpoint endpoint_;
  std::int64_t started_ = 0;
  std::mutex mu_;
  std::condition_variable answered_;
  int waiting_ = 0;
  bool ok_ = false;
};

void BM_GroupCommit(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  TempFile file;
  store::MemoryStore memory;
  auto opened = store::SqliteStore::Open(file.path(), {.durable = false, .exclusive = true});
  if (!opened.ok()) {
    state.SkipWithError(opened.error().message.c_str());
    return;
  }
  GroupCommitSide in_memory(memory), on_file(*opened.value());
  if (!in_memory.ok() || !on_file.ok()) {
    state.SkipWithError("CreateStateMachine failed");
    return;
  }
  double memory_seconds = 0, file_seconds = 0;
  for (auto _ : state) {
    memory_seconds += in_memory.Batch(k);
    file_seconds += on_file.Batch(k);
  }
  if (!in_memory.ok() || !on_file.ok()) {
    state.SkipWithError("a StartExecution failed");
    return;
  }
  const double memory_rate = static_cast<double>(in_memory.events()) / memory_seconds;
  const double file_rate = static_cast<double>(on_file.events()) / file_seconds;
  state.counters["memory_events/s"] = memory_rate;
  state.counters["file_events/s"] = file_rate;
  state.counters["file/memory"] = file_rate / memory_rate;
  state.SetItemsProcessed(state.iterations() * k * 2);
}
BENCHMARK(BM_GroupCommit)->Arg(1)->Arg(8)->Arg(32)->Arg(128)->Unit(benchmark::kMicrosecond);

// ListExecutions, DescribeExecution and GetExecutionHistory as the server answers them (from
// the engine's memory, which a restart rebuilds), with N = 1,000 / 10,000 / 100,000 stored
// executions: N - 10 of machine "bench" and 10 of machine "quiet", each a finished one-Pass
// run. For ListExecutions arg page 0 pages through "bench" (the second page of 100), page 1
// lists "quiet" (its 10 among the N). Counter "items/s": requests answered per second.
class Served {
 public:
  static Served& Get(int n) {
    static std::map<int, std::unique_ptr<Served>> served;  // built once per size
    std::unique_ptr<Served>& s = served[n];
    if (!s) s.reset(new Served(n));
    return *s;
  }
  Endpoint& endpoint() { return endpoint_; }
  const std::string& first_page_token() const { return token_; }
  const std::string& some_execution() const { return execution_; }

 private:
  explicit Served(int n) : world_({.emulator = BenchOptions()}), endpoint_(world_.host()) {
    CreateMachine(endpoint_);
    endpoint_.Call(bench::StepFunctionsRequest(
        "CreateStateMachine",
        {{"name", "quiet"},
         {"roleArn", "arn:aws:iam::123456789012:role/bench"},
         {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"}}));
    const std::string quiet = "arn:aws:states:us-east-1:123456789012:stateMachine:quiet";
    for (int i = 0; i < n; ++i) {
      const bool is_quiet = i % (n / 10) == 0;
      Response started = endpoint_.Call(bench::StepFunctionsRequest(
          "StartExecution", {{"stateMachineArn", is_quiet ? quiet : std::string(kMachineArn)},
                             {"name", fmt::format("e{}", i)}}));
      if (i == n / 2 + 1) execution_ = nlohmann::ordered_json::parse(started.body)["executionArn"];
    }
    Response first = endpoint_.Call(bench::StepFunctionsRequest(
        "ListExecutions", {{"stateMachineArn", kMachineArn}, {"maxResults", 100}}));
    token_ = nlohmann::ordered_json::parse(first.body)["nextToken"];
  }
  world::World world_;
  Endpoint endpoint_;
  std::string token_;
  std::string execution_;
};

// Runs `input` as `operation` against N stored executions; `check` judges the answer once.
template <typename Check>
void ServedRead(benchmark::State& state, std::string_view operation,
                const nlohmann::ordered_json& input, const Check& check) {
  Served& served = Served::Get(static_cast<int>(state.range(0)));
  Response response;
  for (auto _ : state) {
    response = served.endpoint().Call(bench::StepFunctionsRequest(operation, input));
    if (response.status != 200) return state.SkipWithError(response.body.c_str());
  }
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(response.body, nullptr, false);
  if (!check(body))
    return state.SkipWithError(("unexpected answer: " + response.body.substr(0, 300)).c_str());
  state.SetItemsProcessed(state.iterations());
}

void BM_ServedListExecutions(benchmark::State& state) {
  Served& served = Served::Get(static_cast<int>(state.range(0)));
  const bool quiet = state.range(1) == 1;
  nlohmann::ordered_json input =
      quiet ? nlohmann::ordered_json{{"stateMachineArn",
                                      "arn:aws:states:us-east-1:123456789012:stateMachine:quiet"},
                                     {"maxResults", 100}}
            : nlohmann::ordered_json{{"stateMachineArn", kMachineArn},
                                     {"maxResults", 100},
                                     {"nextToken", served.first_page_token()}};
  ServedRead(state, "ListExecutions", input, [&](const nlohmann::ordered_json& page) {
    return page.is_object() && page["executions"].size() == (quiet ? 10u : 100u);
  });
  state.SetLabel(quiet ? "10 executions among N" : "second page of 100, busy machine");
}
BENCHMARK(BM_ServedListExecutions)
    ->ArgNames({"stored", "page"})
    ->ArgsProduct({{1'000, 10'000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

void BM_ServedDescribeExecution(benchmark::State& state) {
  Served& served = Served::Get(static_cast<int>(state.range(0)));
  ServedRead(state, "DescribeExecution", {{"executionArn", served.some_execution()}},
             [](const nlohmann::ordered_json& d) {
               return d.is_object() && d.value("status", "") == "SUCCEEDED";
             });
}
BENCHMARK(BM_ServedDescribeExecution)
    ->ArgName("stored")
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMicrosecond);

void BM_ServedGetExecutionHistory(benchmark::State& state) {
  Served& served = Served::Get(static_cast<int>(state.range(0)));
  ServedRead(state, "GetExecutionHistory", {{"executionArn", served.some_execution()}},
             [](const nlohmann::ordered_json& h) {
               return h.is_object() && h["events"].size() >= 4 &&
                      h["events"].back().value("type", "") == "ExecutionSucceeded";
             });
}
BENCHMARK(BM_ServedGetExecutionHistory)
    ->ArgName("stored")
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace timeslip::api
