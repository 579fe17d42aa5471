#include "emulator/asl/diagnostic.h"

#include <fmt/format.h>

#include "emulator/asl/map_label_internal.h"

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

std::string FormatInvalidDefinition(const std::vector<Diagnostic>& diagnostics,
                                    std::string_view definition) {
  const Diagnostic* label = nullptr;
  bool others = false;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != Severity::kError) continue;
    if (d.code != kInvalidLabelName) others = true;
    if (d.code == kInvalidLabelName && label == nullptr) label = &d;
  }
  if (label != nullptr && !others) return internal::LabelRefusal(label->message, definition);
  std::string listed;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != Severity::kError || d.code == kInvalidLabelName) continue;
    if (!listed.empty()) listed += ", ";
    listed += fmt::format("{}: {}", d.code, d.message);
    if (!d.location.empty()) listed += fmt::format(" at {}", d.location);
  }
  return fmt::format("Invalid State Machine Definition: '{}'", listed);
}

}  // namespace timeslip::asl
