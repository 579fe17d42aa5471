// Durations, latency specs, and sampling with the seeded generator.
#include "fakes/latency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace timeslip::fakes {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

struct DurationCase {
  const char* json;
  time::Duration want;
};
const DurationCase kDurations[] = {
    {R"("90s")", seconds(90)},
    {R"("20m")", minutes(20)},
    {R"("5h")", hours(5)},
    {R"("1h30m")", minutes(90)},
    {R"("250ms")", milliseconds(250)},
    {R"("1.5s")", milliseconds(1500)},
    {R"("2d")", hours(48)},
    {R"("0s")", seconds(0)},
    {"45", seconds(45)},
    {"0.25", milliseconds(250)},
};

TEST(DurationTest, Parses) {
  for (const DurationCase& c : kDurations) {
    json::Result<time::Duration> got = ParseDuration(nlohmann::ordered_json::parse(c.json));
    ASSERT_TRUE(got.ok()) << c.json << ": " << got.error().message;
    EXPECT_EQ(got.value(), c.want) << c.json;
  }
}

struct BadCase {
  const char* json;
  const char* message;
};
const BadCase kBadDurations[] = {
    {R"("5q")", "unknown unit 'q'"},
    {R"("")", "empty duration"},
    {R"("-5s")", "negative duration"},
    {"-1", "negative duration"},
    {R"("5")", "missing unit after '5' (use ms, s, m, h or d)"},
    {R"("h")", "expected a number at 'h'"},
    {R"("1.2.3s")", "bad number '1.2.3'"},
    {R"("400d")", "longer than 366 days"},
    {"true", R"(expected a duration ("90s", "1h30m" or seconds), got boolean)"},
};

TEST(DurationTest, RefusesBadDurations) {
  for (const BadCase& c : kBadDurations) {
    json::Result<time::Duration> got = ParseDuration(nlohmann::ordered_json::parse(c.json));
    ASSERT_FALSE(got.ok()) << c.json;
    EXPECT_EQ(got.error().name, "ValidationException") << c.json;
    EXPECT_EQ(got.error().message, c.message) << c.json;
  }
}

const BadCase kBadLatencies[] = {
    {R"("3x")", "p: unknown unit 'x'"},
    {R"({"gamma": {}})",
     "p: unknown latency kind 'gamma' (use fixed, uniform, normal or lognormal)"},
    {R"({"fixed": "1s", "uniform": {}})", "p: expected one of fixed, uniform, normal, lognormal"},
    {R"({"uniform": {"min": "2s", "max": "1s"}})", "p.uniform: max is less than min"},
    {R"({"uniform": {"min": "2s"}})", "p.uniform: missing 'max'"},
    {R"({"uniform": {"min": "2s", "max": "3s", "mode": 1}})", "p.uniform: unknown field 'mode'"},
    {R"({"normal": {"mean": "2s", "stddev": "1z"}})", "p.normal.stddev: unknown unit 'z'"},
    {R"({"lognormal": {"median": "2s"}})", "p.lognormal: missing 'sigma'"},
    {R"({"lognormal": {"median": "2s", "sigma": -1}})",
     "p.lognormal.sigma: expected a number from 0 to 10"},
    {R"({"normal": 3})", "p.normal: expected an object"},
};

TEST(LatencyTest, RefusesBadLatenciesNamingThePath) {
  for (const BadCase& c : kBadLatencies) {
    json::Result<Latency> got = ParseLatency(nlohmann::ordered_json::parse(c.json), "p");
    ASSERT_FALSE(got.ok()) << c.json;
    EXPECT_EQ(got.error().message, c.message) << c.json;
  }
}

Latency Parsed(const char* json) {
  json::Result<Latency> l = ParseLatency(nlohmann::ordered_json::parse(json), "p");
  EXPECT_TRUE(l.ok()) << json;
  return l.ok() ? l.value() : Latency{};
}

std::vector<time::Duration> Samples(const Latency& l, std::uint64_t seed, int n) {
  time::Rng rng(seed);
  std::vector<time::Duration> out;
  for (int i = 0; i < n; ++i) out.push_back(Sample(l, rng));
  return out;
}

TEST(LatencyTest, FixedDrawsNothing) {
  time::Rng rng(7);
  time::Rng untouched(7);
  EXPECT_EQ(Sample(Parsed(R"({"fixed": "20m"})"), rng), minutes(20));
  EXPECT_EQ(rng.NextU64(), untouched.NextU64());
}

TEST(LatencyTest, SamplesAreDeterministicPerSeed) {
  for (const char* spec : {R"({"uniform": {"min": "1s", "max": "9s"}})",
                           R"({"normal": {"mean": "10s", "stddev": "2s"}})",
                           R"({"lognormal": {"median": "2s", "sigma": 0.4}})"}) {
    const Latency l = Parsed(spec);
    EXPECT_EQ(Samples(l, 42, 50), Samples(l, 42, 50)) << spec;
    EXPECT_NE(Samples(l, 42, 50), Samples(l, 43, 50)) << spec;
  }
}

TEST(LatencyTest, SamplesStayWithinBounds) {
  for (time::Duration d : Samples(Parsed(R"({"uniform": {"min": "1s", "max": "9s"}})"), 1, 2000)) {
    EXPECT_GE(d, seconds(1));
    EXPECT_LE(d, seconds(9));
  }
  // A normal is truncated at zero.
  for (time::Duration d :
       Samples(Parsed(R"({"normal": {"mean": "1s", "stddev": "5s"}})"), 1, 2000)) {
    EXPECT_GE(d, milliseconds(0));
  }
  // A huge sigma still lands within [0, kMaxLatency].
  for (time::Duration d :
       Samples(Parsed(R"({"lognormal": {"median": "300d", "sigma": 10}})"), 1, 200)) {
    EXPECT_GE(d, milliseconds(0));
    EXPECT_LE(d, kMaxLatency);
  }
}

TEST(LatencyTest, DistributionsHaveTheirCentres) {
  auto median = [](std::vector<time::Duration> v) {
    std::sort(v.begin(), v.end());
    return static_cast<double>(v[v.size() / 2].count());
  };
  EXPECT_NEAR(median(Samples(Parsed(R"({"lognormal": {"median": "2s", "sigma": 0.4}})"), 3, 4001)),
              2000, 100);
  EXPECT_NEAR(median(Samples(Parsed(R"({"normal": {"mean": "10s", "stddev": "2s"}})"), 3, 4001)),
              10000, 300);
  EXPECT_NEAR(median(Samples(Parsed(R"({"uniform": {"min": "0s", "max": "10s"}})"), 3, 4001)), 5000,
              300);
}

TEST(LatencyTest, StandardNormalHasUnitVariance) {
  time::Rng rng(9);
  double sum = 0, sum_sq = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double z = StandardNormal(rng);
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.05);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.05);
}

TEST(LatencyTest, ToJsonRoundTrips) {
  for (const char* spec : {R"("20m")", R"({"uniform": {"min": "1s", "max": "9s"}})",
                           R"({"normal": {"mean": "10s", "stddev": "2s"}})",
                           R"({"lognormal": {"median": "2s", "sigma": 0.4}})"}) {
    const Latency l = Parsed(spec);
    json::Result<Latency> back = ParseLatency(ToJson(l), "p");
    ASSERT_TRUE(back.ok()) << spec;
    EXPECT_EQ(back.value(), l) << spec;
  }
}

}  // namespace
}  // namespace timeslip::fakes
