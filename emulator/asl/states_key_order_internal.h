#pragma once
// What a parsed document forgets: state names given twice in one "States" object (the later
// silently replaces the earlier). AWS refuses such a definition, so the parser needs them.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace timeslip::asl::internal {

// For every object held under a key "States", keyed by its location ("/States",
// "/States/P/Branches/0/States"), its keys in document order, duplicates included.
using StatesKeyOrder = std::map<std::string, std::vector<std::string>>;

// Scans `json_text` (already known to parse, and not too deep). Never throws.
StatesKeyOrder RecordStatesKeyOrder(std::string_view json_text);

}  // namespace timeslip::asl::internal
