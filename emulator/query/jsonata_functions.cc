#include "emulator/query/jsonata_functions.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string_view>

#include "emulator/json/parse.h"
#include "emulator/query/array_functions.h"
#include "emulator/query/digest.h"

namespace timeslip::query {
namespace {

using Json = nlohmann::ordered_json;
using Args = std::vector<std::optional<Json>>;

enum : StepFunctionsFunctions {
  kPartition = 1u << 0,
  kRange = 1u << 1,
  kHash = 1u << 2,
  kRandom = 1u << 3,
  kUuid = 1u << 4,
  kParse = 1u << 5,
};

// Uncoded: AWS words these failures itself, after a colon.
[[noreturn]] void Fail(std::string message) { throw jsonata::Error("", message); }

std::int64_t Integer(const std::optional<Json>& arg, std::string_view function,
                     std::string_view what) {
  if (!arg || !arg->is_number()) Fail(fmt::format("{}: {} must be a number", function, what));
  double d = arg->get<double>();
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740991.0) {
    Fail(fmt::format("{}: {} must be an integer, got {}", function, what, arg->dump()));
  }
  return static_cast<std::int64_t>(d);
}

std::optional<Json> Partition(const Args& args) {
  const Json& items = *args.at(0);
  std::int64_t size = Integer(args.at(1), "$partition", "the chunk size");
  if (size <= 0) Fail(fmt::format("$partition: the chunk size must be positive, got {}", size));
  return PartitionArray(items, static_cast<std::size_t>(size));
}

std::optional<Json> Range(const Args& args) {
  std::int64_t start = Integer(args.at(0), "$range", "the start");
  std::int64_t end = Integer(args.at(1), "$range", "the end");
  std::int64_t step = Integer(args.at(2), "$range", "the step");
  if (step == 0) Fail("$range: the step must not be 0");
  const std::int64_t count = RangeLength(start, end, step);
  if (count > kMaxRangeElements) {
    Fail(fmt::format("$range: the range would have {} elements; at most {} are allowed", count,
                     kMaxRangeElements));
  }
  return RangeArray(start, step, count);
}

std::optional<Json> Hash(const Args& args) {
  const Json& data = *args.at(0);
  const std::string text = data.is_string() ? data.get<std::string>() : data.dump();
  const std::string algorithm = args.at(1)->get<std::string>();
  std::optional<std::string> hex = HexDigest(algorithm, text);
  if (!hex) {
    Fail(fmt::format("$hash: '{}' is not a supported hash algorithm; use MD5, SHA-1, SHA-256, "
                     "SHA-384 or SHA-512",
                     algorithm));
  }
  return Json(std::move(*hex));
}

std::optional<Json> Parse(const Args& args) {
  json::Result<Json> parsed = json::Parse(args.at(0)->get<std::string>());
  if (!parsed.ok()) Fail("$parse: the argument is not JSON text: " + parsed.error().message);
  return std::move(parsed).value();
}

}  // namespace

StepFunctionsFunctions StepFunctionsFunctionsNamed(const std::vector<std::string>& names) {
  StepFunctionsFunctions which = 0;
  for (const std::string& name : names) {
    if (name == "partition") which |= kPartition;
    if (name == "range") which |= kRange;
    if (name == "hash") which |= kHash;
    if (name == "random") which |= kRandom;
    if (name == "uuid") which |= kUuid;
    if (name == "parse") which |= kParse;
  }
  return which;
}

void AddStepFunctionsFunctions(StepFunctionsFunctions which, time::Rng* rng,
                               jsonata::Bindings& bindings) {
  if (which == 0) return;
  if (which & kPartition) bindings.SetFunction("partition", &Partition, "<an:a>");
  if (which & kRange) bindings.SetFunction("range", &Range, "<nnn:a>");
  if (which & kHash) bindings.SetFunction("hash", &Hash, "<xs:s>");
  if (which & kParse) bindings.SetFunction("parse", &Parse, "<s:x>");
  if (which & kRandom) {
    bindings.SetFunction(
        "random",
        [rng](const Args& args) -> std::optional<Json> {
          // A seed gives the same number every time, as AWS documents; none draws from the
          // execution's generator.
          if (!args.empty() && args[0]) {
            time::Rng seeded(static_cast<std::uint64_t>(Integer(args[0], "$random", "the seed")));
            return Json(seeded.Uniform01());
          }
          if (rng == nullptr) Fail("$random: no random number generator");
          return Json(rng->Uniform01());
        },
        "<n?:n>");
  }
  if (which & kUuid) {
    bindings.SetFunction(
        "uuid",
        [rng](const Args&) -> std::optional<Json> {
          if (rng == nullptr) Fail("$uuid: no random number generator");
          return Json(rng->Uuid());
        },
        "<:s>");
  }
}

}  // namespace timeslip::query
