#pragma once
// Latency: how long one scripted attempt takes, in virtual time: fixed, or sampled from a
// uniform, normal or log-normal distribution with the engine's one seeded Rng. The mappings
// from Rng::Uniform01 are ours (Box-Muller for the normal), so a seed fixes every sample on
// every standard library.

#include <nlohmann/json.hpp>
#include <string_view>

#include "emulator/json/result.h"
#include "emulator/time/clock.h"
#include "emulator/time/rng.h"

namespace timeslip::fakes {

// The error name of every behaviour parse error: what the control API answers for a bad
// POST /_timeslip/fakes body (AWS's generic name for a request that fails validation).
inline constexpr std::string_view kBehaviourError = "ValidationException";

// No sample exceeds this: a year of virtual time is longer than anything we script, and it
// keeps a wild log-normal tail from overflowing the clock.
inline constexpr time::Duration kMaxLatency = std::chrono::hours(24 * 366);

struct Latency {
  enum class Kind { kFixed, kUniform, kNormal, kLogNormal };
  Kind kind = Kind::kFixed;
  time::Duration fixed{0};  // kFixed
  time::Duration min{0};    // kUniform: [min, max]
  time::Duration max{0};
  time::Duration mean{0};  // kNormal, truncated at 0
  time::Duration stddev{0};
  time::Duration median{0};  // kLogNormal: median * exp(sigma * N(0, 1))
  double sigma = 0;

  friend bool operator==(const Latency&, const Latency&) = default;
};

// One sample, in [0, kMaxLatency], rounded to milliseconds. A fixed latency draws nothing from
// `rng`; the others draw one (uniform) or two (normal, log-normal) numbers.
time::Duration Sample(const Latency& latency, time::Rng& rng);

// A standard normal variate by Box-Muller from two Uniform01 draws.
double StandardNormal(time::Rng& rng);

// Parses a duration: "90s", "20m", "5h", "1h30m", "250ms", "2d", or a number of seconds
// (fractions allowed, to the millisecond). Negative durations are refused. On error the
// message is just the problem ("unknown unit 'q'"); callers prefix the document path.
json::Result<time::Duration> ParseDuration(const nlohmann::ordered_json& value);

// Parses a latency: a duration (as above) for a fixed latency, or one of
//   {"fixed": D}
//   {"uniform": {"min": D, "max": D}}
//   {"normal": {"mean": D, "stddev": D}}
//   {"lognormal": {"median": D, "sigma": X}}
// `path` names the value in its document ("glue.job[1].latency") for error messages.
json::Result<Latency> ParseLatency(const nlohmann::ordered_json& value, std::string_view path);

// The latency as JSON in the form ParseLatency reads (durations in seconds).
nlohmann::ordered_json ToJson(const Latency& latency);

}  // namespace timeslip::fakes
