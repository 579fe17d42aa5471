#pragma once
// JSON with comments, as scenario files and the files they name are written: `//` to the end
// of the line and `/* ... */`, anywhere outside strings.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/json/result.h"

namespace timeslip::json {

// Where a byte offset falls in `text`, both counted from 1.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition PositionOf(std::string_view text, std::size_t offset);

// Replaces each comment with spaces, keeping its newlines, so byte offsets and line numbers
// still point into the original text. A `/*` without its `*/` is
// Error{error_name, "line L, column C: unterminated /* comment"}.
Result<std::string> StripComments(std::string_view text,
                                  std::string_view error_name = "SerializationException");

// StripComments, then one JSON value, never throwing. Errors, all named `error_name`:
// "line L, column C: unterminated /* comment", "nested deeper than 512 levels" (kMaxDepth), and
// "line L, column C: invalid JSON: <what the parser expected>".
Result<nlohmann::ordered_json> ParseWithComments(std::string_view text,
                                         std::string_view error_name = "SerializationException");

}  // namespace timeslip::json
