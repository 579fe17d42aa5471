#include "emulator/json/comments.h"

#include <fmt/format.h>

#include "emulator/json/parse.h"

namespace timeslip::json {

TextPosition PositionOf(std::string_view text, std::size_t offset) {
  TextPosition at;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

Result<std::string> StripComments(std::string_view text, std::string_view error_name) {
  std::string out(text);
  bool in_string = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      while (i < out.size() && out[i] != '\n') out[i++] = ' ';
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      std::size_t end = out.find("*/", i + 2);
      if (end == std::string::npos) {
        TextPosition at = PositionOf(text, i);
        return Error{
            std::string(error_name),
            fmt::format("line {}, column {}: unterminated /* comment", at.line, at.column)};
      }
      for (std::size_t j = i; j < end + 2; ++j) {
        if (out[j] != '\n') out[j] = ' ';
      }
      i = end + 1;
    }
  }
  return out;
}

Result<nlohmann::ordered_json> ParseWithComments(std::string_view text, std::string_view error_name) {
  Result<std::string> stripped = StripComments(text, error_name);
  if (!stripped.ok()) return stripped.error();
  const std::string& clean = stripped.value();
  if (NestingDepth(clean) > kMaxDepth) {
    return Error{std::string(error_name), fmt::format("nested deeper than {} levels", kMaxDepth)};
  }
  try {
    return nlohmann::ordered_json::parse(clean);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // nlohmann's byte counts from 1: the offset of the last character it read, plus one.
    TextPosition at = PositionOf(clean, e.byte == 0 ? 0 : e.byte - 1);
    std::string message = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: x" -> "x"
    if (std::size_t colon = message.find(": "); colon != std::string::npos) {
      message = message.substr(colon + 2);
    }
    return Error{std::string(error_name),
                 fmt::format("line {}, column {}: invalid JSON: {}", at.line, at.column, message)};
  } catch (const nlohmann::ordered_json::exception& e) {
    // e.g. out_of_range for a number no double can hold (1e999).
    return Error{std::string(error_name), fmt::format("invalid JSON: {}", e.what())};
  }
}

}  // namespace timeslip::json
