#pragma once
// Equality as ASL means it: numbers compare by value (1 == 1.0), everything else structurally.

#include <nlohmann/json.hpp>

namespace timeslip::json {

bool Equal(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b);

// A number as a double, whatever its JSON storage (integer, unsigned, float).
// REQUIRES: v.is_number().
double AsDouble(const nlohmann::ordered_json& v);

}  // namespace timeslip::json
