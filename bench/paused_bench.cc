// Executions paused at a .waitForTaskToken task, as `timeslip serve --db FILE` holds them:
//   BM_PausedExecutions/N  starts N executions of a one-Task machine (lambda:invoke
//                          .waitForTaskToken, the token in the payload) on a started endpoint
//                          over a SQLite file (serve's settings), all at once through the
//                          router as N clients would, then answers every token with
//                          SendTaskSuccess, all at once.
// Counters: "bytes/paused" resident memory (RSS) grown per paused execution, measured once all
// N are paused; "resume_s" wall seconds from the first SendTaskSuccess to the last answer; the
// benchmark's time is the resume. Every execution must then be SUCCEEDED with the output sent.
//
//   build/bin/timeslip_bench --benchmark_filter='Paused'

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "emulator/api/endpoint.h"
#include "emulator/engine/emulator.h"
#include "emulator/store/sqlite_store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::api {
namespace {

std::int64_t ResidentBytes() {
  long pages = 0, resident = 0;
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return -1;
  int read = std::fscanf(statm, "%ld %ld", &pages, &resident);
  std::fclose(statm);
  return read == 2 ? static_cast<std::int64_t>(resident) * sysconf(_SC_PAGESIZE) : -1;
}

// Sends every request through the router at once, as that many clients would, and waits for
// all answers. Returns how many were not 200.
int SendAll(Router& router, std::vector<Request> requests) {
  std::mutex mu;
  std::condition_variable done;
  std::size_t waiting = requests.size();
  int failed = 0;
  for (Request& request : requests) {
    router.Handle(std::move(request), [&](Response response) {
      std::lock_guard<std::mutex> lock(mu);
      if (response.status != 200) ++failed;
      if (--waiting == 0) done.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(mu);
  done.wait(lock, [&] { return waiting == 0; });
  return failed;
}

void BM_PausedExecutions(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::string path = (std::filesystem::temp_directory_path() /
                            fmt::format("timeslip-paused-bench-{}.db", getpid()))
                               .string();
  auto remove = [&] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
  };
  for (auto _ : state) {
    state.PauseTiming();
    remove();
    auto opened = store::SqliteStore::Open(path, {.durable = false, .exclusive = true});
    if (!opened.ok()) return state.SkipWithError(opened.error().message.c_str());
    std::unique_ptr<store::SqliteStore> db = std::move(opened).value();
    engine::EmulatorOptions options;
    options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
    options.seed = 5;
    auto world =
        std::make_unique<world::World>(world::WorldOptions{.emulator = options, .store = db.get()});
    auto endpoint = std::make_unique<Endpoint>(world->host());
    nlohmann::ordered_json definition = {
        {"StartAt", "Approve"},
        {"States",
         {{"Approve",
           {{"Type", "Task"},
            {"Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken"},
            {"Parameters",
             {{"FunctionName", "approve"},
              {"Payload", {{"token.$", "$$.Task.Token"}, {"order.$", "$.order"}}}}},
            {"End", true}}}}}};
    Response created = endpoint->Call(bench::StepFunctionsRequest(
        "CreateStateMachine", {{"name", "paused"},
                               {"roleArn", "arn:aws:iam::123456789012:role/bench"},
                               {"definition", definition.dump()}}));
    if (created.status != 200) return state.SkipWithError(created.body.c_str());
    const std::string machine = nlohmann::ordered_json::parse(created.body)["stateMachineArn"];
    json::Result<std::uint16_t> port = endpoint->Start();
    if (!port.ok()) return state.SkipWithError(port.error().message.c_str());

    std::vector<Request> starts;
    starts.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      starts.push_back(bench::StepFunctionsRequest(
          "StartExecution", {{"stateMachineArn", machine},
                             {"name", fmt::format("order-{}", i)},
                             {"input", fmt::format(R"({{"order":{}}})", i)}}));
    }
    const std::int64_t before = ResidentBytes();
    if (SendAll(endpoint->router(), std::move(starts)) != 0) {
      return state.SkipWithError("a StartExecution failed");
    }
    std::vector<std::string> tokens;
    endpoint->RunOnEngine([&] {
      for (const fakes::Call& call : world->fakes().calls().calls()) {
        if (!call.task_token.empty()) tokens.push_back(call.task_token);
      }
      world->fakes().calls().Clear();  // the log is the fakes' record, not the execution's
    });
    const std::int64_t paused = ResidentBytes();
    if (static_cast<int>(tokens.size()) != n) {
      return state.SkipWithError(
          fmt::format("{} tokens for {} executions", tokens.size(), n).c_str());
    }
    std::vector<Request> answers;
    answers.reserve(tokens.size());
    for (const std::string& token : tokens) {
      answers.push_back(bench::StepFunctionsRequest(
          "SendTaskSuccess", {{"taskToken", token}, {"output", R"({"approved":true})"}}));
    }
    state.ResumeTiming();
    auto began = std::chrono::steady_clock::now();
    int failed = SendAll(endpoint->router(), std::move(answers));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    state.PauseTiming();
    if (failed != 0) return state.SkipWithError("a SendTaskSuccess failed");
    int succeeded = 0;
    endpoint->RunOnEngine([&] {
      for (const engine::Execution* e : world->emulator().engine().executions()) {
        if (e->status() == engine::ExecutionStatus::kSucceeded && e->output() &&
            *e->output() == nlohmann::ordered_json{{"approved", true}}) {
          ++succeeded;
        }
      }
    });
    if (succeeded != n) {
      return state.SkipWithError(fmt::format("{} of {} succeeded", succeeded, n).c_str());
    }
    state.counters["bytes/paused"] = static_cast<double>(paused - before) / n;
    state.counters["resume_s"] = seconds;
    state.counters["resumed/s"] = n / seconds;
    endpoint.reset();
    world.reset();
    db.reset();
    remove();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_PausedExecutions)
    ->ArgName("executions")
    ->Arg(1000)
    ->Arg(100000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::api
