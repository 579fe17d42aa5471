#include "emulator/asl/diagnostic.h"

#include <gtest/gtest.h>

namespace timeslip::asl {
namespace {

TEST(DiagnosticTest, FormatsLikeCreateStateMachine) {
  std::vector<Diagnostic> ds = {
      {Severity::kError, "MISSING_TRANSITION_TARGET", "/States/A/Next", "Missing 'Next' target: B"},
      {Severity::kWarning, "NO_DOLLAR", "/States/A/Parameters/x", "looks like a path"},
      {Severity::kError, "SCHEMA_VALIDATION_FAILED", "/States/C", "Field 'Foo' is not supported"},
      {Severity::kError, "MISSING_END_STATE", "", "Workflow has no terminal state"},
  };
  EXPECT_EQ(FormatInvalidDefinition(ds),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: "
            "B at /States/A/Next, SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at "
            "/States/C, MISSING_END_STATE: Workflow has no terminal state'");
}

TEST(DiagnosticTest, WarningsAloneAreNotErrors) {
  EXPECT_FALSE(HasErrors({}));
  EXPECT_FALSE(HasErrors({{Severity::kWarning, "NO_PATH", "/States/F/Error", "m"}}));
  EXPECT_TRUE(HasErrors({{Severity::kError, "SCHEMA_VALIDATION_FAILED", "", "m"}}));
  EXPECT_EQ(SeverityName(Severity::kError), "ERROR");
  EXPECT_EQ(SeverityName(Severity::kWarning), "WARNING");
}

}  // namespace
}  // namespace timeslip::asl
