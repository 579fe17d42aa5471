#pragma once
// XmlEscape: text made safe for XML 1.0 content and attributes. The JSON endpoints' two XML
// neighbours use it: SNS's query-protocol answers and the scenario runner's JUnit reports.

#include <string>
#include <string_view>

namespace timeslip::json {

// Escapes & < > " ' and drops the control characters XML 1.0 forbids (all below U+0020 but tab,
// newline and carriage return).
std::string XmlEscape(std::string_view text);

}  // namespace timeslip::json
