#include "emulator/time/rng.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

namespace timeslip::time {
namespace {

TEST(RngTest, SameSeedSameSequence) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    std::uint64_t x = a.NextU64();
    EXPECT_EQ(x, b.NextU64());
    (void)c;
  }
  EXPECT_NE(Rng(42).NextU64(), Rng(43).NextU64());
}

TEST(RngTest, UniformIntStaysInRangeAndCoversIt) {
  Rng rng(7);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    std::int64_t v = rng.UniformInt(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(RngTest, Uniform01IsInUnitInterval) {
  Rng rng(1);
  for (int i = 0; i < 1000; ++i) {
    double d = rng.Uniform01();
    ASSERT_GE(d, 0.0);
    ASSERT_LT(d, 1.0);
  }
}

TEST(RngTest, UuidIsVersion4Canonical) {
  Rng rng(9);
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(std::regex_match(rng.Uuid(), uuid));
}

TEST(RngTest, StateRoundTrips) {
  Rng a(5);
  a.NextU64();
  Rng b(0);
  b.set_state(a.state());
  EXPECT_EQ(a.NextU64(), b.NextU64());
}

}  // namespace
}  // namespace timeslip::time
