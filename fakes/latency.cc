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

// Member `key` into `out`: a duration.
json::Status DurationAt(const json::FieldReader& object, std::string_view key,
                        time::Duration& out) {
  if (!object.Has(key)) return Fail(object.Missing(key));
  json::Result<time::Duration> d = ParseDuration(object.Child(key).value());
  if (!d.ok()) return Fail(object.PathOf(key), d.error().message);
  out = d.value();
  return json::Ok();
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

json::Result<time::Duration> ParseDuration(const nlohmann::ordered_json& value) {
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

json::Result<Latency> ParseLatency(const nlohmann::ordered_json& value, std::string_view path) {
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
  const json::FieldReader spec = json::FieldReader(value, std::string(path)).Members().front();
  const std::string& kind = spec.name();
  if (kind == "fixed") {
    json::Result<time::Duration> d = ParseDuration(spec.value());
    if (!d.ok()) return Fail(spec.path(), d.error().message);
    l.fixed = d.value();
    return l;
  }
  if (!spec.Is(json::Type::kObject).ok()) return Fail(spec.path(), "expected an object");
  // Each distribution's parameters, in this order: the first problem is the answer.
  json::Status read = json::Ok();
  if (kind == "uniform") {
    l.kind = Latency::Kind::kUniform;
    read = internal::FirstProblem({CheckKeys(spec, {"min", "max"}), DurationAt(spec, "min", l.min),
                                   DurationAt(spec, "max", l.max)});
  } else if (kind == "normal") {
    l.kind = Latency::Kind::kNormal;
    read = internal::FirstProblem({CheckKeys(spec, {"mean", "stddev"}),
                                   DurationAt(spec, "mean", l.mean),
                                   DurationAt(spec, "stddev", l.stddev)});
  } else if (kind == "lognormal") {
    l.kind = Latency::Kind::kLogNormal;
    read = internal::FirstProblem({CheckKeys(spec, {"median", "sigma"}),
                                   DurationAt(spec, "median", l.median),
                                   internal::NumberAt(spec, "sigma", 0, 10, l.sigma)});
  } else {
    return Fail(path, fmt::format("unknown latency kind '{}' (use fixed, uniform, normal or "
                                  "lognormal)",
                                  kind));
  }
  if (!read.ok()) return read.error();
  if (l.kind == Latency::Kind::kUniform && l.max < l.min) {
    return Fail(spec.path(), "max is less than min");
  }
  return l;
}

nlohmann::ordered_json ToJson(const Latency& l) {
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
