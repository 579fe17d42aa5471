#pragma once
// Helpers shared by the behaviour parsers: errors that name their place in the document, in the
// fakes' words for json::FieldReader's problems ("glue.j[0]: missing 'name'").

#include <fmt/format.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/field_reader.h"
#include "emulator/json/result.h"
#include "fakes/latency.h"

namespace timeslip::fakes::internal {

using json::FieldReader;

inline json::Error Fail(std::string_view path, std::string_view what) {
  return {std::string(kBehaviourError), fmt::format("{}: {}", path, what)};
}

// The fakes' words for JSON types: "expected a string, got number".
inline constexpr json::TypeNames kNouns{"null",     "true or false", "an integer", "a number",
                                        "a string", "an array",      "an object"};

// A missing or unknown member is named at the object that should (not) hold it; a value of
// the wrong type says what it is. Other problems the caller words: it knows the range or values
// it asked for.
inline json::Error Fail(const json::Problem& problem) {
  switch (problem.kind) {
    case json::Problem::Kind::kMissing:
      return Fail(problem.parent, fmt::format("missing '{}'", problem.field));
    case json::Problem::Kind::kUnknownField:
      return Fail(problem.parent, fmt::format("unknown field '{}'", problem.field));
    case json::Problem::Kind::kWrongType:
      return Fail(problem.path, fmt::format("expected {}, got {}", kNouns[problem.expected],
                                            problem.found->type_name()));
    default:
      return Fail(problem.path, fmt::format("unexpected value {}", problem.found->dump()));
  }
}

// Refuses fields outside `keys`, so a misspelt field is an error rather than ignored.
inline json::Status CheckKeys(const FieldReader& object,
                              std::initializer_list<std::string_view> keys) {
  std::vector<json::Problem> unknown = object.UnknownFields(keys);
  if (!unknown.empty()) return Fail(unknown.front());
  return json::Ok();
}

// Member `key` into `out`: a number from `lo` to `hi`.
inline json::Status NumberAt(const FieldReader& object, std::string_view key, double lo, double hi,
                             double& out) {
  json::Checked<double> d = object.Has(key) ? object.Child(key).Number(lo, hi)
                                            : json::Checked<double>(object.Missing(key));
  if (!d.ok() && d.error().kind == json::Problem::Kind::kMissing) return Fail(d.error());
  if (!d.ok()) return Fail(d.error().path, fmt::format("expected a number from {} to {}", lo, hi));
  out = d.value();
  return json::Ok();
}

// The first of `checks` that failed, in their order; OK if none did.
inline json::Status FirstProblem(std::initializer_list<json::Status> checks) {
  for (const json::Status& s : checks) {
    if (!s.ok()) return s;
  }
  return json::Ok();
}

}  // namespace timeslip::fakes::internal
