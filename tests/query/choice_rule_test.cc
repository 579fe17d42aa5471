// Placeholder until the choice_rule tests land.
#include <gtest/gtest.h>
