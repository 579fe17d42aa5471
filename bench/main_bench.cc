// The timeslip benchmark suites share one binary, build/bin/timeslip_bench.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
