#pragma once
// The hash functions Step Functions offers (States.Hash, JSONata's $hash): a digest as lowercase
// hex, by AWS's algorithm names.

#include <optional>
#include <string>
#include <string_view>

namespace timeslip::query {

// "MD5", "SHA-1", "SHA-256", "SHA-384" or "SHA-512"; nullopt for any other name.
std::optional<std::string> HexDigest(std::string_view algorithm, std::string_view data);

}  // namespace timeslip::query
