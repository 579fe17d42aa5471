// PythonJsonText writes what Python's json.dumps writes by default.
#include "fakes/python_json.h"

#include <gtest/gtest.h>

#include <string_view>

namespace timeslip::fakes {
namespace {

struct PythonCase {
  std::string_view json, want;
};
// `want`: json.dumps(json.loads(json)) under CPython 3.12.
constexpr PythonCase kCases[] = {
    {R"({"ok":true})", R"({"ok": true})"},
    {R"({"a":[1,2.5,null],"b":{}})", R"({"a": [1, 2.5, null], "b": {}})"},
    {R"([])", R"([])"},
    {R"("tab\tquote\"back\\slash")", R"("tab\tquote\"back\\slash")"},
    {R"("\u0001")", R"("\u0001")"},
    {"\"caf\xc3\xa9\"", R"("caf\u00e9")"},
    {"\"\xf0\x9f\x98\x80\"", R"("\ud83d\ude00")"},  // a surrogate pair
    {R"("/")", R"("/")"},
    {R"(0.0)", R"(0.0)"},
};

TEST(PythonJsonTest, WritesAsJsonDumps) {
  for (const PythonCase& c : kCases) {
    EXPECT_EQ(PythonJsonText(nlohmann::ordered_json::parse(c.json)), c.want) << c.json;
  }
}

TEST(PythonJsonTest, KeepsKeyOrder) {
  EXPECT_EQ(PythonJsonText(nlohmann::ordered_json::parse(R"({"z":1,"a":2})")),
            R"({"z": 1, "a": 2})");
}

}  // namespace
}  // namespace timeslip::fakes
