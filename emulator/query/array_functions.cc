#include "emulator/query/array_functions.h"

#include <algorithm>
#include <utility>

namespace timeslip::query {

nlohmann::ordered_json PartitionArray(nlohmann::ordered_json items, std::size_t chunk) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < items.size(); i += chunk) {
    nlohmann::ordered_json part = nlohmann::ordered_json::array();
    for (std::size_t j = i; j < std::min(items.size(), i + chunk); ++j) {
      part.push_back(std::move(items[j]));
    }
    out.push_back(std::move(part));
  }
  return out;
}

std::int64_t RangeLength(std::int64_t start, std::int64_t end, std::int64_t step) {
  if ((step > 0 && start <= end) || (step < 0 && start >= end)) return (end - start) / step + 1;
  return 0;
}

nlohmann::ordered_json RangeArray(std::int64_t start, std::int64_t step, std::int64_t count) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::int64_t i = 0; i < count; ++i) out.push_back(start + i * step);
  return out;
}

}  // namespace timeslip::query
