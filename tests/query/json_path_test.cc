// Placeholder until the json_path tests land.
#include <gtest/gtest.h>
