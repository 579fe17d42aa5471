#pragma once
// The size of a document as AWS counts it: the bytes of its UTF-8 serialisation.

#include <cstddef>

#include <nlohmann/json.hpp>

namespace timeslip::json {

// AWS's limit on any input, output or task result: 256 KiB.
inline constexpr std::size_t kMaxPayloadBytes = 256 * 1024;

// Bytes of `value` dumped compactly (no spaces), as AWS measures payloads.
std::size_t SerializedSize(const nlohmann::ordered_json& value);

// Whether SerializedSize(value) <= limit. Decided from lengths alone (no byte of a string read)
// whenever the document is far enough under the limit, which nearly every one is: the engine
// asks this of every state's output.
bool FitsWithin(const nlohmann::ordered_json& value, std::size_t limit = kMaxPayloadBytes);

}  // namespace timeslip::json
