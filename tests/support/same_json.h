#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/json/equality.h"

namespace timeslip::testing {

// ordered_json's == compares members in order, which is right where the order is AWS's
// behaviour under test (outputs, payloads) and noise where it is not (an API answer's shape,
// which every client parses into a map). This compares members as a set, numbers by value.
inline ::testing::AssertionResult SameJson(const nlohmann::ordered_json& got,
                                           const nlohmann::ordered_json& want) {
  if (json::Equal(got, want)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got  " << got.dump() << "\nwant " << want.dump();
}

}  // namespace timeslip::testing
