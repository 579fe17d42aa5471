// The nightly pipeline's scenarios (scenarios/nightly/*.json) as `timeslip scenario run` plays
// them, on the virtual clock: virtual seconds per wall second. Every scenario must PASS.
//   BM_NightlyScenarios  every file in scenarios/nightly, one after the other per iteration
//   BM_NightlyYear       thirty_nights.json stretched to 365 nights of the 01:00 UTC schedule,
//                        each with its Glue jobs, the FX API answering 503 twice before 200
//                        (two retries) and the approval; night 17 still fails, so 364 SUCCEED
//                        and 1 FAILS, and every assertion of the file holds for every night.
//
//   build/bin/timeslip_bench --benchmark_filter='Nightly'

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "emulator/cli/scenario_file.h"
#include "emulator/cli/scenario_runner.h"

namespace timeslip::cli {
namespace {

const std::filesystem::path kNightly = std::filesystem::path(TIMESLIP_SOURCE_DIR) / "scenarios/nightly";

// Runs `scenarios` once; adds their virtual time to `virtual_seconds`. Empty when all passed.
std::string RunAll(const std::vector<Scenario>& scenarios, double& virtual_seconds) {
  for (const Scenario& scenario : scenarios) {
    ScenarioReport report = RunAndCheck(scenario);
    if (report.verdict != ScenarioReport::Verdict::kPass) return FormatReport(report);
    virtual_seconds += std::chrono::duration<double>(report.virtual_time).count();
  }
  return "";
}

void Report(benchmark::State& state, double virtual_seconds, int runs) {
  state.counters["virtual_s/wall_s"] =
      benchmark::Counter(virtual_seconds, benchmark::Counter::kIsRate);
  state.counters["executions/s"] =
      benchmark::Counter(static_cast<double>(runs), benchmark::Counter::kIsRate);
}

void BM_NightlyScenarios(benchmark::State& state) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kNightly)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Scenario> scenarios;
  for (const auto& file : files) {
    json::Result<std::vector<Scenario>> loaded = LoadScenarioFile(file.string());
    if (!loaded.ok()) return state.SkipWithError(loaded.error().message.c_str());
    for (Scenario& s : loaded.value()) scenarios.push_back(std::move(s));
  }
  if (scenarios.empty()) return state.SkipWithError("no scenarios in scenarios/nightly");
  double virtual_seconds = 0;
  for (auto _ : state) {
    std::string problem = RunAll(scenarios, virtual_seconds);
    if (!problem.empty()) return state.SkipWithError(problem.c_str());
  }
  Report(state, virtual_seconds, 0);
  state.SetLabel(fmt::format("{} scenarios", scenarios.size()));
}
BENCHMARK(BM_NightlyScenarios)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_NightlyYear(benchmark::State& state) {
  constexpr int kNights = 365;
  json::Result<std::vector<Scenario>> loaded =
      LoadScenarioFile((kNightly / "thirty_nights.json").string());
  if (!loaded.ok() || loaded.value().size() != 1 || !loaded.value()[0].schedule) {
    return state.SkipWithError("thirty_nights.json did not load as one scheduled scenario");
  }
  Scenario year = loaded.value()[0];
  year.name = "nightly: a year";
  year.schedule->count = kNights;
  year.expect_count = {{"SUCCEEDED", kNights - 1}, {"FAILED", 1}};
  nlohmann::ordered_json fx = nlohmann::ordered_json::array();
  const nlohmann::ordered_json ok = year.fakes["http"]["GET https://fx.example.com/v1/rates"];
  for (int night = 0; night < kNights; ++night) {
    fx.push_back({{"latency", "300ms"}, {"status", 503}, {"repeat", 2},
                  {"body", {{"message", "Service Unavailable"}}}});
    fx.push_back(ok);
  }
  year.fakes["http"]["GET https://fx.example.com/v1/rates"] = std::move(fx);
  std::vector<Scenario> scenarios{year};
  double virtual_seconds = 0;
  for (auto _ : state) {
    std::string problem = RunAll(scenarios, virtual_seconds);
    if (!problem.empty()) return state.SkipWithError(problem.c_str());
  }
  Report(state, virtual_seconds, kNights * static_cast<int>(state.iterations()));
  state.SetLabel(fmt::format("{} nights", kNights));
}
BENCHMARK(BM_NightlyYear)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::cli
