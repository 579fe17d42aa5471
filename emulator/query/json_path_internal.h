#pragma once
// The compiled form of a JsonPath: a vector of steps, evaluated without re-parsing. Private to
// json_path.cc (evaluation) and json_path_parse.cc (the compiler).

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/result.h"

namespace timeslip::query::internal {

struct FilterExpr;

struct Step {
  enum class Kind {
    kName,      // .name  ['name']
    kNames,     // ['a','b']      (Jayway: a leaf union of names merges into one object)
    kIndex,     // [n]  [-n]
    kIndices,   // [0,2]
    kSlice,     // [start:end:step]
    kWildcard,  // .*  [*]
    kFilter,    // [?(...)]
  };
  Kind kind = Kind::kName;
  bool scan = false;  // written after "..": applies to every container at any depth
  std::string name;
  std::vector<std::string> names;
  std::int64_t index = 0;
  std::vector<std::int64_t> indices;
  std::optional<std::int64_t> slice_start;
  std::optional<std::int64_t> slice_end;
  std::int64_t slice_step = 1;
  std::shared_ptr<const FilterExpr> filter;

  // Selects at most one node: a single name or a single index, not after "..".
  bool definite() const { return !scan && (kind == Kind::kName || kind == Kind::kIndex); }
};

struct PathProgram {
  std::string text;
  bool context = false;   // "$$": reads the context object
  std::string variable;   // "$name": reads workflow variable `name`; empty otherwise
  bool relative = false;  // "@": inside a filter, reads the current node
  bool definite = true;   // every step is definite
  bool reference = true;  // names and non-negative indices only
  std::vector<Step> steps;
};

// A filter operand: a path from "@" or "$", or a literal.
struct Operand {
  enum class Kind { kPath, kLiteral };
  Kind kind = Kind::kLiteral;
  std::shared_ptr<const PathProgram> path;
  nlohmann::ordered_json literal;
};

struct FilterExpr {
  enum class Kind { kOr, kAnd, kNot, kExists, kCompare, kConstant };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNin };
  Kind kind = Kind::kConstant;
  std::vector<std::shared_ptr<const FilterExpr>> children;  // kOr, kAnd, kNot
  Operand lhs;                                              // kExists, kCompare
  Operand rhs;                                              // kCompare
  Op op = Op::kEq;
  bool constant = false;  // kConstant
};

// Compiles `text` (the whole path, "$..." or "$$..."). Errors are INVALID_JSON_PATH.
json::Result<std::shared_ptr<const PathProgram>> CompilePath(std::string_view text);

// Jayway's normal form of a path, as AWS quotes it in error messages: $['a'][0][*].
std::string NormalizedText(const PathProgram& program);
// Pieces of that normal form: "$", "$name" or "@"; one step, e.g. "['a']", "[0]", "..['b']".
std::string RootText(const PathProgram& program);
std::string StepText(const Step& step);

inline constexpr std::string_view kInvalidJsonPath = "INVALID_JSON_PATH";

}  // namespace timeslip::query::internal
