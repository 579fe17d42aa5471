#include "fakes/latency.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "fakes/parse_internal.h"

namespace timeslip::fakes {
using internal::CheckKeys;
using internal::Fail;

namespace {

time::Duration Clamp(double ms) {
  if (!(ms > 0)) return time::Duration{0};  // also NaN
  const double max = static_cast<double>(kMaxLatency.count());
  if (ms >= max) return kMaxLatency;
  return time::Duration{static_cast<std::int64_t>(std::llround(ms))};
}

double Ms(time::Duration d) { return static_cast<double>(d.count()); }

// Milliseconds per unit; 0 for an unknown unit.
std::int64_t UnitMs(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 60 * 60 * 1000;
  if (unit == "d") return 24 * 60 * 60 * 1000;
  return 0;
}

json::Result<time::Duration> FromSeconds(double seconds) {
  if (!std::isfinite(seconds)) return json::Error{"", "not a finite number"};
  if (seconds < 0) return json::Error{"", "negative duration"};
  const double ms = seconds * 1000.0;
  if (ms > Ms(kMaxLatency)) {
    return json::Error{"", fmt::format("longer than {} days", kMaxLatency.count() / 86400000)};
  }
  return time::Duration{static_cast<std::int64_t>(std::llround(ms))};
}

json::Result<time::Duration> FromText(std::string_view text) {
  if (text.empty()) return json::Error{"", "empty duration"};
  if (text[0] == '-') return json::Error{"", "negative duration"};
  double total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == start) {
      return json::Error{"", fmt::format("expected a number at '{}'", text.substr(start))};
    }
    const std::string number(text.substr(start, i - start));
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size()) {
      return json::Error{"", fmt::format("bad number '{}'", number)};
    }
    const std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit.empty()) {
      return json::Error{"", fmt::format("missing unit after '{}' (use ms, s, m, h or d)", number)};
    }
    const std::int64_t per = UnitMs(unit);
    if (per == 0) return json::Error{"", fmt::format("unknown unit '{}'", unit)};
    total_ms += value * static_cast<double>(per);
    if (total_ms > Ms(kMaxLatency)) {
      return json::Error{"", fmt::format("longer than {} days", kMaxLatency.count() / 86400000)};
    }
  }
  return time::Duration{static_cast<std::int64_t>(std::llround(total_ms))};
}

json::Result<time::Duration> DurationAt(const nlohmann::json& object, const char* key,
                                        std::string_view path) {
  const std::string at = fmt::format("{}.{}", path, key);
  if (!object.contains(key)) return Fail(path, fmt::format("missing '{}'", key));
  json::Result<time::Duration> d = ParseDuration(object.at(key));
  if (!d.ok()) return Fail(at, d.error().message);
  return d;
}

}  // namespace

double StandardNormal(time::Rng& rng) {
  // u1 in (0, 1] so the log is finite.
  const double u1 = 1.0 - rng.Uniform01();
  const double u2 = rng.Uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

time::Duration Sample(const Latency& l, time::Rng& rng) {
  switch (l.kind) {
    case Latency::Kind::kFixed:
      return std::min(l.fixed, kMaxLatency);
    case Latency::Kind::kUniform:
      return Clamp(Ms(l.min) + (Ms(l.max) - Ms(l.min)) * rng.Uniform01());
    case Latency::Kind::kNormal:
      return Clamp(Ms(l.mean) + Ms(l.stddev) * StandardNormal(rng));
    case Latency::Kind::kLogNormal:
      return Clamp(Ms(l.median) * std::exp(l.sigma * StandardNormal(rng)));
  }
  return time::Duration{0};
}

json::Result<time::Duration> ParseDuration(const nlohmann::json& value) {
  json::Result<time::Duration> d = json::Error{"", ""};
  if (value.is_number()) {
    d = FromSeconds(value.get<double>());
  } else if (value.is_string()) {
    d = FromText(value.get_ref<const std::string&>());
  } else {
    return json::Error{std::string(kBehaviourError),
                       fmt::format("expected a duration (\"90s\", \"1h30m\" or seconds), got {}",
                                   value.type_name())};
  }
  if (!d.ok()) return json::Error{std::string(kBehaviourError), d.error().message};
  return d;
}

json::Result<Latency> ParseLatency(const nlohmann::json& value, std::string_view path) {
  Latency l;
  if (!value.is_object()) {
    json::Result<time::Duration> d = ParseDuration(value);
    if (!d.ok()) return Fail(path, d.error().message);
    l.fixed = d.value();
    return l;
  }
  if (value.size() != 1) {
    return Fail(path, "expected one of fixed, uniform, normal, lognormal");
  }
  const std::string kind = value.begin().key();
  const nlohmann::json& spec = value.begin().value();
  const std::string at = fmt::format("{}.{}", path, kind);
  if (kind == "fixed") {
    json::Result<time::Duration> d = ParseDuration(spec);
    if (!d.ok()) return Fail(at, d.error().message);
    l.fixed = d.value();
    return l;
  }
  if (!spec.is_object()) return Fail(at, "expected an object");
  if (kind == "uniform") {
    if (json::Status s = CheckKeys(spec, {"min", "max"}, at); !s.ok()) return s.error();
    l.kind = Latency::Kind::kUniform;
    json::Result<time::Duration> min = DurationAt(spec, "min", at);
    if (!min.ok()) return min.error();
    json::Result<time::Duration> max = DurationAt(spec, "max", at);
    if (!max.ok()) return max.error();
    if (max.value() < min.value()) return Fail(at, "max is less than min");
    l.min = min.value();
    l.max = max.value();
    return l;
  }
  if (kind == "normal") {
    if (json::Status s = CheckKeys(spec, {"mean", "stddev"}, at); !s.ok()) return s.error();
    l.kind = Latency::Kind::kNormal;
    json::Result<time::Duration> mean = DurationAt(spec, "mean", at);
    if (!mean.ok()) return mean.error();
    json::Result<time::Duration> stddev = DurationAt(spec, "stddev", at);
    if (!stddev.ok()) return stddev.error();
    l.mean = mean.value();
    l.stddev = stddev.value();
    return l;
  }
  if (kind == "lognormal") {
    if (json::Status s = CheckKeys(spec, {"median", "sigma"}, at); !s.ok()) return s.error();
    l.kind = Latency::Kind::kLogNormal;
    json::Result<time::Duration> median = DurationAt(spec, "median", at);
    if (!median.ok()) return median.error();
    if (!spec.contains("sigma")) return Fail(at, "missing 'sigma'");
    const nlohmann::json& sigma = spec.at("sigma");
    if (!sigma.is_number() || !std::isfinite(sigma.get<double>()) || sigma.get<double>() < 0 ||
        sigma.get<double>() > 10) {
      return Fail(at + ".sigma", "expected a number from 0 to 10");
    }
    l.median = median.value();
    l.sigma = sigma.get<double>();
    return l;
  }
  return Fail(path, fmt::format("unknown latency kind '{}' (use fixed, uniform, normal or "
                                "lognormal)",
                                kind));
}

nlohmann::json ToJson(const Latency& l) {
  auto s = [](time::Duration d) { return static_cast<double>(d.count()) / 1000.0; };
  switch (l.kind) {
    case Latency::Kind::kFixed:
      return s(l.fixed);
    case Latency::Kind::kUniform:
      return {{"uniform", {{"min", s(l.min)}, {"max", s(l.max)}}}};
    case Latency::Kind::kNormal:
      return {{"normal", {{"mean", s(l.mean)}, {"stddev", s(l.stddev)}}}};
    case Latency::Kind::kLogNormal:
      return {{"lognormal", {{"median", s(l.median)}, {"sigma", l.sigma}}}};
  }
  return nullptr;
}

}  // namespace timeslip::fakes
