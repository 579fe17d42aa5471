// Placeholder until the intrinsic tests land.
#include <gtest/gtest.h>
