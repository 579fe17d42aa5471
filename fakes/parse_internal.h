#pragma once
// Helpers shared by the behaviour parsers: errors that name their place in the document.

#include <fmt/format.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/json/result.h"
#include "fakes/latency.h"

namespace timeslip::fakes::internal {

inline json::Error Fail(std::string_view path, std::string_view what) {
  return {std::string(kBehaviourError), fmt::format("{}: {}", path, what)};
}

// Refuses fields outside `keys`, so a misspelt field is an error rather than ignored.
inline json::Status CheckKeys(const nlohmann::json& object,
                              std::initializer_list<std::string_view> keys, std::string_view path) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (std::string_view k : keys) known = known || k == it.key();
    if (!known) return Fail(path, fmt::format("unknown field '{}'", it.key()));
  }
  return json::Ok();
}

}  // namespace timeslip::fakes::internal
