#pragma once
// Equality as ASL means it: numbers compare by value (1 == 1.0), everything else structurally.

#include <nlohmann/json.hpp>

namespace timeslip::json {

bool Equal(const nlohmann::json& a, const nlohmann::json& b);

// A number as a double, whatever its JSON storage (integer, unsigned, float).
// REQUIRES: v.is_number().
double AsDouble(const nlohmann::json& v);

}  // namespace timeslip::json
