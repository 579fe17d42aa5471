#include "emulator/json/parse.h"

#include <fmt/format.h>

namespace timeslip::json {

int NestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        deepest = std::max(deepest, ++depth);
        break;
      case ']':
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

Result<nlohmann::ordered_json> Parse(std::string_view text, std::string_view error_name) {
  if (NestingDepth(text) > kMaxDepth) {
    return Error{std::string(error_name),
                 fmt::format("JSON nesting is deeper than {} levels", kMaxDepth)};
  }
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 2:
    // ..."; people want the part after the bracketed id.
    std::string what = e.what();
    std::size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
    return Error{std::string(error_name), fmt::format("Malformed JSON: {}", what)};
  } catch (const nlohmann::ordered_json::exception& e) {
    // e.g. out_of_range for a number no double can hold (1e999).
    return Error{std::string(error_name), fmt::format("Malformed JSON: {}", e.what())};
  }
}

}  // namespace timeslip::json
