#pragma once
// The compiled form of a Choice rule: a tree of And/Or/Not nodes over comparisons.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/query/json_path.h"
#include "emulator/time/clock.h"

namespace timeslip::query::internal {

// What a comparison operator tests, whatever its relation or "...Path" suffix.
enum class ChoiceFamily : std::uint8_t {
  kString,
  kNumeric,
  kBoolean,
  kTimestamp,
  kStringMatches,
  kIsNull,
  kIsPresent,
  kIsNumeric,
  kIsString,
  kIsBoolean,
  kIsTimestamp,
};

enum class ChoiceRelation : std::uint8_t {
  kEquals,
  kLessThan,
  kGreaterThan,
  kLessEquals,
  kGreaterEquals
};

// One token of a StringMatches pattern: a literal byte, or `*` (any run of bytes, maybe empty).
struct ChoiceMatchToken {
  bool star = false;
  char byte = 0;
};

struct RuleNode {
  enum class Kind : std::uint8_t { kAnd, kOr, kNot, kCompare };
  Kind kind = Kind::kCompare;

  // kAnd, kOr: one or more; kNot: exactly one.
  std::vector<RuleNode> children;

  // kCompare only.
  ChoiceFamily family = ChoiceFamily::kString;
  ChoiceRelation relation = ChoiceRelation::kEquals;
  std::optional<JsonPath> variable;
  std::optional<JsonPath> operand_path;       // a "...Path" operator
  nlohmann::ordered_json literal;                     // otherwise: the operand as written
  std::optional<time::Instant> literal_time;  // Timestamp* literals, parsed once
  std::vector<ChoiceMatchToken> pattern;      // StringMatches, escapes resolved
};

}  // namespace timeslip::query::internal
