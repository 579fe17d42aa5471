#pragma once
// ParseDefinition: ASL text to an immutable, validated StateMachine, or every problem found.
// https://states-language.net/spec.html

#include <memory>
#include <string_view>
#include <vector>

#include "emulator/asl/diagnostic.h"
#include "emulator/asl/state_machine.h"

namespace timeslip::asl {

struct ParseResult {
  std::shared_ptr<const StateMachine> machine;  // null when any diagnostic is an error
  std::vector<Diagnostic> diagnostics;          // every error and warning, in document order
};

// Parses and validates `json_text` as AWS's CreateStateMachine does, reporting all problems,
// not just the first, each with AWS's code and the location of the offending field. Never
// throws or aborts, whatever the bytes: malformed JSON is INVALID_JSON_DESCRIPTION, empty text
// MISSING_DESCRIPTION, nesting deeper than json::kMaxDepth (or sub-machines deeper than
// kMaxMachineNesting) TOO_DEEPLY_NESTED.
ParseResult ParseDefinition(std::string_view json_text);

// How deep Parallel branches and Map processors may nest inside each other.
inline constexpr int kMaxMachineNesting = 40;

// The longest state name AWS accepts.
inline constexpr std::size_t kMaxStateNameLength = 80;

}  // namespace timeslip::asl
