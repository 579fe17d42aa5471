// Placeholder until the input and output processing tests land.
#include <gtest/gtest.h>
