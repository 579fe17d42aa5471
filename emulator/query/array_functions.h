#pragma once
// The array work States.ArrayPartition / States.ArrayRange and JSONata's $partition / $range
// share; each checks and words its own arguments.

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace timeslip::query {

// AWS's limit on a range: at most 1,000 elements.
inline constexpr std::int64_t kMaxRangeElements = 1000;

// `items` (an array) cut into arrays of `chunk` items, the last maybe shorter. REQUIRES: chunk > 0.
nlohmann::ordered_json PartitionArray(nlohmann::ordered_json items, std::size_t chunk);

// How many elements start, start+step, ... reach while not passing `end` (inclusive); 0 when the
// step points away from it. REQUIRES: step != 0.
std::int64_t RangeLength(std::int64_t start, std::int64_t end, std::int64_t step);
// [start, start+step, ...] with `count` elements.
nlohmann::ordered_json RangeArray(std::int64_t start, std::int64_t step, std::int64_t count);

}  // namespace timeslip::query
