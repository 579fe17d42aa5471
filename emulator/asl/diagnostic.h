#pragma once
// Diagnostic: one problem ParseDefinition found in a definition, with AWS's validation code,
// where it is (a JSON-pointer-like location, "/States/Load/Next") and what is wrong.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html

#include <string>
#include <string_view>
#include <vector>

namespace timeslip::asl {

// AWS's diagnostic codes (ValidateStateMachineDefinition), spelled once.
inline constexpr std::string_view kInvalidJsonDescription = "INVALID_JSON_DESCRIPTION";
inline constexpr std::string_view kMissingDescription = "MISSING_DESCRIPTION";
inline constexpr std::string_view kSchemaValidationFailed = "SCHEMA_VALIDATION_FAILED";
inline constexpr std::string_view kInvalidResource = "INVALID_RESOURCE";
inline constexpr std::string_view kMissingEndState = "MISSING_END_STATE";
inline constexpr std::string_view kDuplicateStateName = "DUPLICATE_STATE_NAME";
inline constexpr std::string_view kInvalidStateName = "INVALID_STATE_NAME";
inline constexpr std::string_view kInvalidLabelName = "INVALID_LABEL_NAME";
// Also what AWS reports for a state nothing transitions to ("State \"X\" is not reachable.").
inline constexpr std::string_view kMissingTransitionTarget = "MISSING_TRANSITION_TARGET";
inline constexpr std::string_view kTooDeeplyNested = "TOO_DEEPLY_NESTED";
// The query layer's code for a path that does not compile.
inline constexpr std::string_view kInvalidJsonPath = "INVALID_JSON_PATH";
// Warnings.
inline constexpr std::string_view kNoDollar = "NO_DOLLAR";
inline constexpr std::string_view kNoPath = "NO_PATH";
inline constexpr std::string_view kPassResultIsStatic = "PASS_RESULT_IS_STATIC";

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;      // one of the codes above
  std::string location;  // "/States/Load/Retry/0/BackoffRate"; "" for the whole definition
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// "ERROR" or "WARNING", as ValidateStateMachineDefinition spells severities.
std::string_view SeverityName(Severity severity);

// True when any diagnostic is an error (warnings alone leave a definition valid).
bool HasErrors(const std::vector<Diagnostic>& diagnostics);

// The message of CreateStateMachine's InvalidDefinition error, listing every error (warnings are
// left out): "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next'
// target: B at /States/A/Next, SCHEMA_VALIDATION_FAILED: ... at /States/C'". AWS checks Map
// Labels only once everything else is valid, and words that refusal its own way, quoting
// `definition` (the text sent): "Error=ValueError Args=[...] in definition '...'.".
std::string FormatInvalidDefinition(const std::vector<Diagnostic>& diagnostics,
                                    std::string_view definition = {});

}  // namespace timeslip::asl
