#include "emulator/json/field_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>

namespace timeslip::json {
namespace {

// In Problem::Kind's order.
constexpr std::string_view kKindNames[] = {"missing",     "wrong type",   "too small",
                                           "too large",   "too short",    "too long",
                                           "not allowed", "unknown field"};
constexpr TypeNames kTypeNames{"null", "boolean", "integer", "number", "string", "array", "object"};

// "too small at x.n (in x, field n, found 0)", "wrong type at p.s (..., want string, found 1)".
std::string Show(const Problem& p) {
  std::string out = fmt::format("{} at {} (in {}, field {}", kKindNames[static_cast<int>(p.kind)],
                                p.path, p.parent, p.field);
  if (p.kind == Problem::Kind::kWrongType) out += fmt::format(", want {}", kTypeNames[p.expected]);
  if (p.found != nullptr) out += ", found " + p.found->dump();
  return out + ")";
}

std::string ShowValue(const std::string& s) { return "\"" + s + "\""; }
std::string ShowValue(bool b) { return b ? "true" : "false"; }
std::string ShowValue(std::int64_t n) { return std::to_string(n); }
std::string ShowValue(double d) { return fmt::format("{}", d); }
std::string ShowValue(std::monostate) { return "ok"; }
template <typename T>
std::string ShowValue(const std::optional<T>& v) {
  return v ? ShowValue(*v) : "absent";
}

// The value read, or the problem found.
template <typename T>
std::string Show(const Checked<T>& got) {
  return got.ok() ? ShowValue(got.value()) : Show(got.error());
}

struct ReadCase {
  std::string_view document;
  std::string_view want;
};

// Parses each case's document, reads it with `read` and compares what that shows.
template <typename Read>
void ExpectReads(std::span<const ReadCase> cases, Read read) {
  for (const ReadCase& c : cases) {
    nlohmann::ordered_json document = nlohmann::ordered_json::parse(c.document);
    EXPECT_EQ(read(document), c.want) << c.document;
  }
}

TEST(FieldReaderTest, SpellsPathsAsEachModuleDoes) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({"a": {"b": [1, {"c": true}]}})");
  EXPECT_EQ(FieldReader(doc).Child("a").Child("b").Index(1).Child("c").path(), "a.b[1].c");
  EXPECT_EQ(FieldReader(doc, "glue").Child("a").path(), "glue.a");
  EXPECT_EQ(FieldReader(doc, "", PathStyle::kPointer).Child("a").Child("b").Index(1).path(),
            "/a/b/1");
  EXPECT_EQ(FieldReader(doc, "/States", PathStyle::kPointer).PathOf("Next"), "/States/Next");
  EXPECT_EQ(FieldReader(doc, "", PathStyle::kMember).Child("a").Child("b").Index(1).path(),
            "a.b.2.member");
  EXPECT_EQ(ElementPath(PathStyle::kMember, "tags", 0) + ".key", "tags.1.member.key");
}

// Member "s" of the object at "p", as an optional string.
constexpr ReadCase kOptionalCases[] = {
    {R"({"s": "x"})", "\"x\""},
    {R"({})", "absent"},
    {R"([1])", "absent"},  // no object, no members
    {R"({"s": null})", "wrong type at p.s (in p, field s, want string, found null)"},
    {R"({"s": 1})", "wrong type at p.s (in p, field s, want string, found 1)"},
};

TEST(FieldReaderTest, Optional) {
  ExpectReads(kOptionalCases, [](const nlohmann::ordered_json& d) {
    return Show(FieldReader(d, "p").Optional<std::string>("s"));
  });
}

// Member "Next" of the state at "/States/A", required: a string.
constexpr ReadCase kRequiredCases[] = {
    {R"({"Next": "B"})", "\"B\""},
    {R"({})", "missing at /States/A/Next (in /States/A, field Next)"},
    {R"({"Next": false})",
     "wrong type at /States/A/Next (in /States/A, field Next, want string, "
     "found false)"},
};

TEST(FieldReaderTest, Required) {
  ExpectReads(kRequiredCases, [](const nlohmann::ordered_json& d) {
    return Show(FieldReader(d, "/States/A", PathStyle::kPointer).Required<std::string>("Next"));
  });
}

TEST(FieldReaderTest, TypesAskedFor) {
  nlohmann::ordered_json doc =
      nlohmann::ordered_json::parse(R"({"i": 7, "f": 7.5, "b": true, "o": {}, "l": [], "z": null})");
  const FieldReader in(doc);
  EXPECT_EQ(Show(in.Child("i").Is(Type::kNumber)), "ok") << "numbers take integers";
  EXPECT_EQ(Show(in.Child("f").Is(Type::kInteger)),
            "wrong type at f (in , field f, want integer, found 7.5)");
  EXPECT_EQ(Show(in.Child("o").Is(Type::kArray)),
            "wrong type at o (in , field o, want array, "
            "found {})");
  EXPECT_EQ(Show(in.Required<bool>("b")), "true");
  EXPECT_EQ(Show(in.Required<double>("i")), "7");
  EXPECT_EQ(Show(in.Required<std::int64_t>("f")),
            "wrong type at f (in , field f, want integer, found 7.5)");
  EXPECT_EQ(Show(in.Child("z").Is(Type::kNull)), "ok");
  EXPECT_EQ(TypeOf(doc["i"]), Type::kInteger);
  EXPECT_EQ(TypeOf(doc["f"]), Type::kNumber);
  EXPECT_EQ(TypeOf(doc["l"]), Type::kArray);
}

// Member "n" of the object at "x", as an integer from 1 to 5.
constexpr ReadCase kIntegerCases[] = {
    {R"({"n": 5})", "5"},
    {R"({})", "absent"},
    {R"({"n": 0})", "too small at x.n (in x, field n, found 0)"},
    {R"({"n": -1})", "too small at x.n (in x, field n, found -1)"},
    {R"({"n": 6})", "too large at x.n (in x, field n, found 6)"},
    {R"({"n": 18446744073709551615})",
     "too large at x.n (in x, field n, found 18446744073709551615)"},
    {R"({"n": 2.5})", "wrong type at x.n (in x, field n, want integer, found 2.5)"},
    {R"({"n": "5"})", "wrong type at x.n (in x, field n, want integer, found \"5\")"},
};

TEST(FieldReaderTest, IntegerRange) {
  ExpectReads(kIntegerCases,
              [](const nlohmann::ordered_json& d) { return Show(FieldReader(d, "x").Integer("n", 1, 5)); });
}

TEST(FieldReaderTest, IntegerTakesAllOfInt64) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"([9223372036854775807, -9223372036854775808])");
  EXPECT_EQ(Show(FieldReader(doc).Index(0).As<std::int64_t>()), "9223372036854775807");
  EXPECT_EQ(Show(FieldReader(doc).Index(1).As<std::int64_t>()), "-9223372036854775808");
}

// Member "r" of the root object, as a number from 0 to 1.
constexpr ReadCase kNumberCases[] = {
    {R"({"r": 0.5})", "0.5"},
    {R"({"r": 1})", "1"},
    {R"({"r": 1.5})", "too large at r (in , field r, found 1.5)"},
    {R"({"r": -1})", "too small at r (in , field r, found -1)"},
    {R"({"r": true})", "wrong type at r (in , field r, want number, found true)"},
};

TEST(FieldReaderTest, NumberRange) {
  ExpectReads(kNumberCases,
              [](const nlohmann::ordered_json& d) { return Show(FieldReader(d).Number("r", 0, 1)); });
}

// The value at "s", as a string of 1 to 3 characters.
constexpr ReadCase kLengthCases[] = {
    {R"("abc")", "\"abc\""},
    {R"("ééé")", "\"ééé\""},  // code points, not bytes
    {R"("")", "too short at s (in , field , found \"\")"},
    {R"("abcd")", "too long at s (in , field , found \"abcd\")"},
    {R"(["a"])", "wrong type at s (in , field , want string, found [\"a\"])"},
};

TEST(FieldReaderTest, StringLength) {
  ExpectReads(kLengthCases,
              [](const nlohmann::ordered_json& d) { return Show(FieldReader(d, "s").String(1, 3)); });
}

// Member "Mode" of the object at "/M", one of INLINE and DISTRIBUTED.
constexpr ReadCase kEnumCases[] = {
    {R"({"Mode": "INLINE"})", "\"INLINE\""},
    {R"({})", "absent"},
    {R"({"Mode": "inline"})", "not allowed at /M/Mode (in /M, field Mode, found \"inline\")"},
    {R"({"Mode": 1})", "wrong type at /M/Mode (in /M, field Mode, want string, found 1)"},
};

TEST(FieldReaderTest, Enum) {
  ExpectReads(kEnumCases, [](const nlohmann::ordered_json& d) {
    return Show(FieldReader(d, "/M", PathStyle::kPointer).Enum("Mode", {"INLINE", "DISTRIBUTED"}));
  });
}

TEST(FieldReaderTest, UnknownFieldsInDocumentOrder) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({"b": 1, "a": 2, "c": 3})");
  std::vector<Problem> unknown = FieldReader(doc, "o").UnknownFields({"a"});
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(Show(unknown[0]), "unknown field at o.b (in o, field b, found 1)");
  EXPECT_EQ(Show(unknown[1]), "unknown field at o.c (in o, field c, found 3)");
  EXPECT_TRUE(FieldReader(doc).UnknownFields({"a", "b", "c"}).empty());
  EXPECT_TRUE(FieldReader(doc["a"]).UnknownFields({}).empty()) << "no object, no members";
}

TEST(FieldReaderTest, MembersAndElements) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({"x": 1, "y": [2, 3]})");
  const FieldReader in(doc, "h");
  std::string seen;
  for (const FieldReader& m : in.Members()) seen += m.name() + "=" + m.path() + " ";
  for (const FieldReader& e : in.Child("y").Elements()) seen += e.name() + "=" + e.path() + " ";
  EXPECT_EQ(seen, "x=h.x y=h.y 0=h.y[0] 1=h.y[1] ");
  EXPECT_EQ(in.size(), 2u);
  EXPECT_EQ(in.Child("x").size(), 0u);
  EXPECT_TRUE(in.Child("x").Members().empty());
}

TEST(FieldReaderTest, ProblemPointsIntoTheDocument) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({"n": [1, "two"]})");
  Checked<std::int64_t> got = FieldReader(doc, "doc").Child("n").Index(1).As<std::int64_t>();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().found, &doc["n"][1]);
  EXPECT_EQ(got.error().path, "doc.n[1]");
  EXPECT_EQ(got.error().parent, "doc.n");
  EXPECT_EQ(got.error().field, "1");
}

TEST(FieldReaderTest, MissingNamesWhereTheMemberWouldBe) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  Problem p = FieldReader(doc, "", PathStyle::kMember).Missing("stateMachineArn");
  EXPECT_EQ(p.kind, Problem::Kind::kMissing);
  EXPECT_EQ(p.path, "stateMachineArn");
  EXPECT_EQ(p.parent, "");
  EXPECT_EQ(p.found, nullptr);
}

}  // namespace
}  // namespace timeslip::json
