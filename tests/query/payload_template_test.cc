// Placeholder until the payload template tests land.
#include <gtest/gtest.h>
