#include "emulator/asl/error_names.h"

#include <gtest/gtest.h>

namespace timeslip::asl {
namespace {

TEST(ErrorNamesTest, KnowsThePredefinedNames) {
  EXPECT_TRUE(IsPredefinedError("States.ALL"));
  EXPECT_TRUE(IsPredefinedError("States.HeartbeatTimeout"));
  EXPECT_FALSE(IsPredefinedError("States.Nope"));
  EXPECT_FALSE(IsPredefinedError("Lambda.ServiceException"));
}

}  // namespace
}  // namespace timeslip::asl
