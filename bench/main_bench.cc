// The timeslip benchmark suites share one binary, build/bin/timeslip_bench. Besides Google
// Benchmark's flags it takes:
//   --timeslip_dump_workloads=FILE        write the engine workloads bench/peer/ runs (JSON) to
//                                         FILE and exit, without running a benchmark
//   --timeslip_dump_workloads_quick=FILE  the same at the quick run's sizes
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <string_view>

#include "bench/workloads.h"

namespace {

// Returns 0 when written, 1 when not.
int DumpWorkloads(const char* path, bool quick) {
  std::ofstream out(path);
  out << timeslip::bench::PeerWorkloads(quick).dump() << "\n";
  if (!out.flush()) {
    std::cerr << "cannot write " << path << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  constexpr std::string_view kFull = "--timeslip_dump_workloads=";
  constexpr std::string_view kQuick = "--timeslip_dump_workloads_quick=";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, kFull.size()) == kFull) return DumpWorkloads(argv[i] + kFull.size(), false);
    if (arg.substr(0, kQuick.size()) == kQuick) return DumpWorkloads(argv[i] + kQuick.size(), true);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
