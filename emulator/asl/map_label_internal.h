#pragma once
// Map Labels (they name Map Runs), checked as AWS checks them: only once the rest of the
// definition is valid, and refused in words of AWS's own, which quote the whole definition.
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace timeslip::asl::internal {

inline constexpr std::size_t kMaxLabelLength = 40;  // characters, not bytes

// What AWS finds wrong with `label` (UTF-8), in its words: "Label cannot exceed 40 characters",
// or "Label contains invalid character: '$'" naming the first offending character as Python
// would print it ('\\t', '\\x82'). nullopt when AWS takes the label. Whitespace, control
// characters (U+0000-U+001F, U+007F-U+009F) and the characters that ARNs reserve are refused.
std::optional<std::string> LabelProblem(std::string_view label);

// CreateStateMachine's InvalidDefinition message for `problem`, a LabelProblem() text:
// "Error=ValueError Args=['Label cannot exceed 40 characters'] in definition '<definition>'."
std::string LabelRefusal(std::string_view problem, std::string_view definition);

}  // namespace timeslip::asl::internal
