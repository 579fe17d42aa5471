#include "emulator/json/equality.h"

namespace timeslip::json {

double AsDouble(const nlohmann::ordered_json& v) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return static_cast<double>(v.get<std::int64_t>());
  if (v.is_number_unsigned()) return static_cast<double>(v.get<std::uint64_t>());
  return v.get<double>();
}

bool Equal(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  if (a.is_number() && b.is_number()) return AsDouble(a) == AsDouble(b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!Equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !Equal(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace timeslip::json
