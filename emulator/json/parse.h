#pragma once
// Parse(text): JSON text to a document, never throwing, with a bounded nesting depth.

#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"

namespace timeslip::json {

// Deeper documents are refused before nlohmann builds them, so a hostile payload cannot exhaust
// the stack in the recursive code that later walks the document (dump, compare, copy).
inline constexpr int kMaxDepth = 512;

// Parses `text` as one JSON value. On failure: Error{"SerializationException", message naming the
// byte offset and what was expected}; on nesting beyond kMaxDepth, the same name, saying so.
// `error_name` lets callers use their own name (the ASL parser reports SCHEMA_VALIDATION_FAILED).
Result<nlohmann::ordered_json> Parse(std::string_view text,
                             std::string_view error_name = "SerializationException");

// The deepest nesting of arrays and objects in `text`, ignoring brackets inside strings.
// Works on malformed text too; used to refuse deep input before parsing.
int NestingDepth(std::string_view text);

}  // namespace timeslip::json
