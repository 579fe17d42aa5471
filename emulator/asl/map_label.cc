#include <fmt/format.h>

#include <vector>

#include "emulator/asl/map_label_internal.h"
#include "emulator/json/utf8.h"

namespace timeslip::asl::internal {
namespace {

bool IsRefused(char32_t cp) {
  constexpr std::u32string_view kReserved = U"<>{}[]?*\"#%\\^|~`$&,;:/";
  return cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
         kReserved.find(cp) != std::u32string_view::npos;
}

// Python's repr() of a string, which AWS's messages show: single quotes unless the text holds
// a single quote and no double quote; control characters escaped.
std::string PythonRepr(const std::vector<char32_t>& text) {
  bool has_single = false;
  bool has_double = false;
  for (char32_t cp : text) {
    has_single |= cp == U'\'';
    has_double |= cp == U'"';
  }
  const char32_t quote = has_single && !has_double ? U'"' : U'\'';
  std::string out(1, static_cast<char>(quote));
  for (char32_t cp : text) {
    if (cp == quote || cp == U'\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\r') {
      out += "\\r";
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    } else {
      json::AppendUtf8(cp, out);
    }
  }
  out += static_cast<char>(quote);
  return out;
}

}  // namespace

std::optional<std::string> LabelProblem(std::string_view label) {
  std::vector<char32_t> chars = json::CodePoints(label);
  if (chars.size() > kMaxLabelLength) {
    return fmt::format("Label cannot exceed {} characters", kMaxLabelLength);
  }
  for (char32_t cp : chars) {
    if (IsRefused(cp)) {
      return "Label contains invalid character: " + PythonRepr({cp});
    }
  }
  return std::nullopt;
}

std::string LabelRefusal(std::string_view problem, std::string_view definition) {
  return fmt::format("Error=ValueError Args=[{}] in definition '{}'.",
                     PythonRepr(json::CodePoints(problem)), definition);
}

}  // namespace timeslip::asl::internal
