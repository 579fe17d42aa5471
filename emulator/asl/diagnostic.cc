#include "emulator/asl/diagnostic.h"

#include <fmt/format.h>

namespace timeslip::asl {

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "ERROR" : "WARNING";
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::kError) return true;
  }
  return false;
}

std::string FormatInvalidDefinition(const std::vector<Diagnostic>& diagnostics) {
  std::string listed;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != Severity::kError) continue;
    if (!listed.empty()) listed += ", ";
    listed += fmt::format("{}: {}", d.code, d.message);
    if (!d.location.empty()) listed += fmt::format(" at {}", d.location);
  }
  return fmt::format("Invalid State Machine Definition: '{}'", listed);
}

}  // namespace timeslip::asl
