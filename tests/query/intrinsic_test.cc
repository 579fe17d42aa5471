#include "emulator/query/intrinsic.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <string_view>

#include "emulator/json/result.h"
#include "emulator/time/rng.h"

namespace timeslip::query {
namespace {

constexpr std::string_view kSchema = "SCHEMA_VALIDATION_FAILED";
constexpr std::string_view kFailure = "States.IntrinsicFailure";
constexpr std::string_view kRuntime = "States.Runtime";

// Compiles `text`, evaluates it against `input` (and `context` for "$$"), and dumps the result.
json::Result<std::string> EvalAsText(std::string_view text, std::string_view input = "{}",
                                     std::string_view context = "{}", time::Rng* rng = nullptr) {
  json::Result<Intrinsic> compiled = Intrinsic::Compile(text);
  if (!compiled.ok()) return compiled.error();
  const nlohmann::ordered_json in = nlohmann::ordered_json::parse(input);
  const nlohmann::ordered_json ctx_doc = nlohmann::ordered_json::parse(context);
  json::Result<nlohmann::ordered_json> got = compiled.value().Evaluate(EvalContext{in, ctx_doc, rng});
  if (!got.ok()) return got.error();
  return got.value().dump();
}

struct EvalCase {
  std::string_view text;
  std::string_view want;  // the result as compact JSON
};

// Arguments that are literals or nested calls: no input needed.
constexpr EvalCase kLiteralCases[] = {
    // States.Format
    {"States.Format('Hello, {}!', 'World')", R"("Hello, World!")"},
    {"States.Format('{} {} {} {} {}', 1, -1.5, true, false, null)", R"("1 -1.5 true false null")"},
    {"States.Format('no placeholders')", R"("no placeholders")"},
    {"States.Format('{}{}', 'a', 'b')", R"("ab")"},
    {R"(States.Format('\{\} is {}', 'x'))", R"("{} is x")"},
    {R"(States.Format('\{}'))", R"("{}")"},
    {R"(States.Format('it\'s {}', 'a\\b'))", R"("it's a\\b")"},
    {"States.Format('{ } {')", R"("{ } {")"},
    {"States.Format('{}', States.ArrayLength(States.Array(1, 2)))", R"("2")"},
    // A template made by a nested call has no escapes left: its "{}" is a placeholder.
    {R"(States.Format(States.Format('\{\}'), 'x'))", R"("x")"},
    {"States.Format('{}', 12345678901234)", R"("12345678901234")"},
    // States.StringToJson / States.JsonToString
    {R"(States.StringToJson('{"a": [1, 2]}'))", R"({"a":[1,2]})"},
    {"States.StringToJson('  7 ')", "7"},
    {R"(States.StringToJson('"s"'))", R"("s")"},
    {"States.JsonToString(States.Array(1, 'a', null))", R"("[1,\"a\",null]")"},
    {R"(States.JsonToString(States.StringToJson('{"b": 1, "a": {"c": true}}')))",
     R"("{\"b\":1,\"a\":{\"c\":true}}")"},
    // States.Array
    {"States.Array()", "[]"},
    {"States.Array(1, -2, 3.5, 'x', true, false, null)", R"([1,-2,3.5,"x",true,false,null])"},
    {"States.Array(-0.5, 1e3, 12345678901234, 0)", "[-0.5,1000.0,12345678901234,0]"},
    {"States.Array(States.Array(1), States.Array())", "[[1],[]]"},
    {"  States.Array( 1 ,\t'a' ,\n true )  ", R"([1,"a",true])"},
    {"States.Array('')", R"([""])"},
    {"States.Array('a,b)c$')", R"(["a,b)c$"])"},
    {"States.Array('h\xC3\xA9')", "[\"h\xC3\xA9\"]"},
    // States.ArrayPartition
    {"States.ArrayPartition(States.Array(1,2,3,4,5,6,7,8,9), 4)", "[[1,2,3,4],[5,6,7,8],[9]]"},
    {"States.ArrayPartition(States.Array(1,2), 5)", "[[1,2]]"},
    {"States.ArrayPartition(States.Array(), 2)", "[]"},
    {"States.ArrayPartition(States.Array(1,2,3), 1.6)", "[[1,2],[3]]"},  // rounded to 2
    // States.ArrayContains
    {"States.ArrayContains(States.Array(1,2,3), 2)", "true"},
    {"States.ArrayContains(States.Array(1,2,3), 2.0)", "true"},
    {"States.ArrayContains(States.Array(1,'2'), 2)", "false"},
    {"States.ArrayContains(States.Array(), null)", "false"},
    {"States.ArrayContains(States.Array(States.Array(1)), States.Array(1))", "true"},
    // States.ArrayRange: the end is included when the steps land on it
    {"States.ArrayRange(1, 9, 2)", "[1,3,5,7,9]"},
    {"States.ArrayRange(1, 10, 2)", "[1,3,5,7,9]"},
    {"States.ArrayRange(5, 1, -2)", "[5,3,1]"},
    {"States.ArrayRange(5, 1, 1)", "[]"},
    {"States.ArrayRange(3, 3, 1)", "[3]"},
    {"States.ArrayRange(1.4, 3.6, 1)", "[1,2,3,4]"},
    {"States.ArrayRange(-2.5, -0.5, 1)", "[-2,-1,0]"},  // halves up, as MathAdd
    {"States.ArrayLength(States.ArrayRange(0, 999, 1))", "1000"},
    {"States.ArrayLength(States.ArrayRange(-1000000, 1000000, 2002))", "1000"},
    // States.ArrayGetItem / ArrayLength / ArrayUnique
    {"States.ArrayGetItem(States.Array('a','b','c'), 1)", R"("b")"},
    {"States.ArrayGetItem(States.Array('a','b','c'), 2.0)", R"("c")"},
    {"States.ArrayGetItem(States.Array(States.Array(7)), 0)", "[7]"},
    {"States.ArrayLength(States.Array())", "0"},
    {"States.ArrayLength(States.Array(1, null, 'x'))", "3"},
    {"States.ArrayUnique(States.Array(1,2,3,3,3,3,3,3,4))", "[1,2,3,4]"},
    {"States.ArrayUnique(States.Array(3, 1, 3, 1.0, '1', null, null))", R"([3,1,"1",null])"},
    {"States.ArrayUnique(States.Array(States.Array(1), States.Array(1), States.Array()))",
     "[[1],[]]"},
    // Base64
    {"States.Base64Encode('Data to encode')", R"("RGF0YSB0byBlbmNvZGU=")"},
    {"States.Base64Encode('')", R"("")"},
    {"States.Base64Encode('ab')", R"("YWI=")"},
    {"States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", R"("Data to encode")"},
    {"States.Base64Decode('RGF0YSB0byBlbmNvZGU')", R"("Data to encode")"},  // padding optional
    {"States.Base64Decode('RGVjb2RlZCBkYXRh')", R"("Decoded data")"},
    {"States.Base64Decode('')", R"("")"},
    {"States.Base64Decode('/w==')", "\"\xEF\xBF\xBD\""},  // 0xFF is no UTF-8: U+FFFD
    {"States.Base64Decode(States.Base64Encode('h\xC3\xA9 {}'))", "\"h\xC3\xA9 {}\""},
    // States.Hash: lowercase hex
    {"States.Hash('input data', 'MD5')", R"("812f45842bc6d66ee14572ce20db8e86")"},
    {"States.Hash('input data', 'SHA-1')", R"("aaff4a450a104cd177d28d18d74485e8cae074b7")"},
    {"States.Hash('input data', 'SHA-256')",
     R"("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")"},
    {"States.Hash('input data', 'SHA-384')",
     R"("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562")"},
    {"States.Hash('input data', 'SHA-512')",
     R"("6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4")"},
    {"States.Hash('', 'SHA-256')",
     R"("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")"},
    {"States.Hash(States.Array(1, 2), 'MD5')", R"("f79408e5ca998cd53faf44af31e6eb45")"},
    // States.JsonMerge: shallow, the second object wins
    {R"(States.JsonMerge(States.StringToJson('{"a": {"a1": 1, "a2": 2}, "b": 2}'), )"
     R"(States.StringToJson('{"a": {"a3": 1, "a4": 2}, "c": 3}'), false))",
     R"({"a":{"a3":1,"a4":2},"b":2,"c":3})"},
    {"States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), false)", "{}"},
    // States.MathAdd: integers; each non-integer is rounded, halves up (as AWS recorded)
    {"States.MathAdd(111, -1)", "110"},
    {"States.MathAdd(1.5, 1)", "3"},
    {"States.MathAdd(-1.5, 0)", "-1"},
    {"States.MathAdd(-1.51, 0)", "-2"},
    {"States.MathAdd(2.5, 0)", "3"},
    {"States.MathAdd(-2.5, 0)", "-2"},
    {"States.MathAdd(-0.5, 0)", "0"},
    {"States.MathAdd(-0.5, 0.5)", "1"},
    {"States.MathAdd(-1.49, -1.5)", "-2"},
    {"States.MathAdd(-1.5, -1.51)", "-3"},
    {"States.MathAdd(1.49, 1.5)", "3"},
    {"States.MathAdd(2147483647, 1)", "2147483648"},
    {"States.MathAdd(-2147483648, -2147483648)", "-4294967296"},
    // States.MathRandom with a one-value range, and with a seed
    {"States.MathRandom(7, 8, 123)", "7"},
    {"States.MathRandom(-3, -2, 0)", "-3"},
    // States.StringSplit: every character of the second argument delimits
    {"States.StringSplit('1,2,3,4,5', ',')", R"(["1","2","3","4","5"])"},
    {"States.StringSplit('This.is+a,test=string', '.+,=')", R"(["This","is","a","test","string"])"},
    {"States.StringSplit('a,,b,', ',')", R"(["a","b"])"},
    {"States.StringSplit('', ',')", "[]"},
    {"States.StringSplit('abc', '')", R"(["abc"])"},
    {"States.StringSplit('h\xC3\xA9llo w\xC3\xB6rld', '\xC3\xB6 ')",
     "[\"h\xC3\xA9llo\",\"w\",\"rld\"]"},
    {"States.ArrayGetItem(States.StringSplit('a/b/c', '/'), 2)", R"("c")"},
    // Ten levels of nesting is AWS's limit, and allowed.
    {"States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array("
     "States.Array(States.Array(States.Array(1))))))))))",
     "[[[[[[[[[[1]]]]]]]]]]"},
};

TEST(IntrinsicTest, EvaluatesLiteralArguments) {
  for (const EvalCase& c : kLiteralCases) {
    json::Result<std::string> got = EvalAsText(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error().name << ": " << got.error().message;
    EXPECT_EQ(got.value(), c.want) << c.text;
  }
}

struct ErrorCase {
  std::string_view text;
  std::string_view want_name;
};

constexpr ErrorCase kCompileErrors[] = {
    {"", kSchema},
    {"States.", kSchema},
    {"States.Nope(1)", kSchema},
    {"states.Array()", kSchema},
    {"States.array()", kSchema},
    {"States.Format", kSchema},
    {"States.Format 'x'", kSchema},
    // argument counts
    {"States.Format()", kSchema},
    {"States.StringToJson()", kSchema},
    {"States.JsonToString($.a, $.b)", kSchema},
    {"States.ArrayPartition(States.Array())", kSchema},
    {"States.ArrayContains(States.Array())", kSchema},
    {"States.ArrayRange(1, 2)", kSchema},
    {"States.ArrayGetItem(States.Array(), 1, 2)", kSchema},
    {"States.ArrayLength(States.Array(), 1)", kSchema},
    {"States.ArrayUnique()", kSchema},
    {"States.Base64Encode('a', 'b')", kSchema},
    {"States.Base64Decode()", kSchema},
    {"States.Hash('a')", kSchema},
    {"States.JsonMerge($.a, $.b)", kSchema},
    {"States.MathRandom(1)", kSchema},
    {"States.MathRandom(1, 2, 3, 4)", kSchema},
    {"States.MathAdd(1)", kSchema},
    {"States.StringSplit('a')", kSchema},
    {"States.UUID(1)", kSchema},
    // syntax
    {"States.Array('abc", kSchema},
    {"States.Array('abc)", kSchema},
    {R"(States.Array('abc\'))", kSchema},
    {R"(States.Array('a\nb'))", kSchema},
    {R"(States.Array('a\"b'))", kSchema},
    {"States.Array('a\\", kSchema},
    {"States.Array(1) x", kSchema},
    {"States.Array(1))", kSchema},
    {"States.Array(1", kSchema},
    {"States.Array(1,", kSchema},
    {"States.Array(1,)", kSchema},
    {"States.Array(,1)", kSchema},
    {"States.Array(1 2)", kSchema},
    {"States.Array(tru)", kSchema},
    {"States.Array(truex)", kSchema},
    {"States.Array(nul)", kSchema},
    {"States.Array(1.)", kSchema},
    {"States.Array(.5)", kSchema},
    {"States.Array(--1)", kSchema},
    {"States.Array(+1)", kSchema},
    {"States.Array(1x)", kSchema},
    {"States.Array(1e)", kSchema},
    {"States.Array(1e999)", kSchema},
    {"States.Array(\"a\")", kSchema},
    {"States.Array(x)", kSchema},
    {"States.Array(States.Nope())", kSchema},
    {"States.Array(States.Array(1)", kSchema},
    {"States.Array('\xFF')", kSchema},  // not UTF-8
    // literal argument types
    {"States.Format(1)", kSchema},
    {"States.StringToJson(1)", kSchema},
    {"States.JsonToString('x')", kSchema},
    {"States.JsonToString(1)", kSchema},
    {"States.ArrayPartition('a', 1)", kSchema},
    {"States.ArrayPartition(States.Array(), 'a')", kSchema},
    {"States.ArrayContains(null, 1)", kSchema},
    {"States.ArrayRange(1, 2, '1')", kSchema},
    {"States.ArrayGetItem(States.Array(), true)", kSchema},
    {"States.ArrayLength(1)", kSchema},
    {"States.ArrayUnique('a')", kSchema},
    {"States.Base64Encode(1)", kSchema},
    {"States.Base64Decode(null)", kSchema},
    {"States.Hash('a', 1)", kSchema},
    {"States.JsonMerge(1, States.StringToJson('{}'), false)", kSchema},
    {"States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), true)", kSchema},
    {"States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), 'false')", kSchema},
    {"States.MathRandom('1', 2)", kSchema},
    {"States.MathAdd(1, '2')", kSchema},
    {"States.StringSplit('a', 1)", kSchema},
    // eleven levels of nesting
    {"States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array("
     "States.Array(States.Array(States.Array(States.Array(1)))))))))))",
     kSchema},
};

TEST(IntrinsicTest, RejectsBadTextAtCompileTime) {
  for (const ErrorCase& c : kCompileErrors) {
    json::Result<Intrinsic> got = Intrinsic::Compile(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.error().name, c.want_name) << c.text << ": " << got.error().message;
    EXPECT_FALSE(got.error().message.empty()) << c.text;
  }
}

TEST(IntrinsicTest, CompileErrorsNameTheFunctionAndProblem) {
  struct MessageCase {
    std::string_view text, want_substring;
  };
  const MessageCase cases[] = {
      {"States.Nope(1)", "unknown intrinsic function 'States.Nope'"},
      {"States.ArrayLength()", "States.ArrayLength takes 1 argument, got 0"},
      {"States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments, got 1"},
      {"States.Format()", "States.Format takes at least 1 argument, got 0"},
      {"States.Array('abc", "unterminated string starting at offset 13"},
      {"States.Array(1) x", "unexpected text 'x' after the call at offset 16"},
      {"States.ArrayLength(1)",
       "States.ArrayLength argument 1 (array) must be an array, got number"},
      {R"(States.Array('\n'))", "invalid escape '\\n'"},
  };
  for (const MessageCase& c : cases) {
    json::Result<Intrinsic> got = Intrinsic::Compile(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.error().message.find(c.want_substring), std::string::npos)
        << c.text << ": " << got.error().message;
  }
}

constexpr ErrorCase kRuntimeErrors[] = {
    // States.Format
    {"States.Format('{} {}', 'a')", kFailure},
    {"States.Format('{}', 'a', 'b')", kFailure},
    {"States.Format('x', 'a')", kFailure},
    {R"(States.Format('\{\}', 'a'))", kFailure},
    {"States.Format('{}', States.Array(1))", kFailure},
    {"States.Format('{}', States.StringToJson('{}'))", kFailure},
    {"States.Format(States.Array())", kFailure},
    // States.StringToJson
    {"States.StringToJson('{bad')", kFailure},
    {"States.StringToJson('')", kFailure},
    {"States.StringToJson('1 2')", kFailure},
    {"States.StringToJson('1e999')", kFailure},
    // wrong types that only show at run time
    {"States.ArrayLength(States.StringToJson('1'))", kFailure},
    {"States.ArrayUnique(States.StringToJson('{}'))", kFailure},
    {"States.MathAdd(States.Format('1'), 1)", kFailure},
    {"States.Base64Encode(States.Array())", kFailure},
    // States.ArrayPartition: the chunk size must be a positive integer
    {"States.ArrayPartition(States.Array(1), 0)", kFailure},
    {"States.ArrayPartition(States.Array(1), -1)", kFailure},
    {"States.ArrayPartition(States.Array(1), 0.4)", kFailure},
    {"States.ArrayPartition(States.Array(1), 1e300)", kFailure},
    // States.ArrayRange
    {"States.ArrayRange(1, 10, 0)", kFailure},
    {"States.ArrayRange(0, 1000, 1)", kFailure},  // 1001 elements
    {"States.ArrayRange(1000, -1000, -1)", kFailure},
    {"States.ArrayRange(-9007199254740993, 0, 1)", kFailure},
    // States.ArrayGetItem
    {"States.ArrayGetItem(States.Array(1, 2), 2)", kFailure},
    {"States.ArrayGetItem(States.Array(1, 2), -1)", kFailure},
    {"States.ArrayGetItem(States.Array(1, 2), 0.5)", kFailure},
    {"States.ArrayGetItem(States.Array(), 0)", kFailure},
    {"States.ArrayGetItem(States.Array(1), 18446744073709551615)", kFailure},
    // Base64
    {"States.Base64Decode('abc$')", kFailure},
    {"States.Base64Decode('a')", kFailure},
    {"States.Base64Decode('ab=c')", kFailure},
    {"States.Base64Decode('abc==')", kFailure},
    {"States.Base64Decode('a===')", kFailure},
    {"States.Base64Decode(' YWI=')", kFailure},
    // States.Hash
    {"States.Hash('x', 'SHA-3')", kFailure},
    {"States.Hash('x', 'md5')", kFailure},
    {"States.Hash('x', '')", kFailure},
    // States.JsonMerge
    {"States.JsonMerge(States.Array(), States.StringToJson('{}'), false)", kFailure},
    {"States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), "
     "States.StringToJson('true'))",
     kFailure},
    // States.MathAdd: int32 arguments
    {"States.MathAdd(2147483648, 1)", kFailure},
    {"States.MathAdd(1, -2147483649)", kFailure},
    {"States.MathAdd(2147483647.6, 0)", kFailure},
    // States.MathRandom: start < end
    {"States.MathRandom(5, 5, 1)", kFailure},
    {"States.MathRandom(6, 5, 1)", kFailure},
    {"States.MathRandom(1, 2, 1e300)", kFailure},
    // No Rng in the context.
    {"States.MathRandom(1, 2)", kFailure},
    {"States.UUID()", kFailure},
    // The error of a nested call is the error of the whole.
    {"States.Array(1, States.ArrayGetItem(States.Array(), 0))", kFailure},
};

TEST(IntrinsicTest, FailsAtRunTimeWithIntrinsicFailure) {
  for (const ErrorCase& c : kRuntimeErrors) {
    json::Result<Intrinsic> compiled = Intrinsic::Compile(c.text);
    ASSERT_TRUE(compiled.ok()) << c.text << ": " << compiled.error().message;
    json::Result<std::string> got = EvalAsText(c.text);
    ASSERT_FALSE(got.ok()) << c.text << " gave " << got.value();
    EXPECT_EQ(got.error().name, c.want_name) << c.text << ": " << got.error().message;
  }
}

TEST(IntrinsicTest, RuntimeErrorsNameTheFunctionAndArgument) {
  struct MessageCase {
    std::string_view text, want_substring;
  };
  const MessageCase cases[] = {
      {"States.ArrayGetItem(States.Array(1, 2), 2)",
       "States.ArrayGetItem: argument 2 (index) 2 is out of range for an array of length 2"},
      {"States.ArrayPartition(States.Array(1), 0)",
       "States.ArrayPartition: argument 2 (chunk size) must be a positive integer, got 0"},
      {"States.Format('{} {}', 'a')",
       "States.Format: the template has 2 placeholders '{}' but 1 value was given"},
      {"States.ArrayLength(States.StringToJson('1'))",
       "States.ArrayLength argument 1 (array) must be an array, got number"},
      {"States.Hash('x', 'SHA-3')", "States.Hash: argument 2 (algorithm) 'SHA-3' is not"},
      {"States.ArrayRange(0, 1000, 1)",
       "States.ArrayRange: the range would have 1001 elements; at most 1000 are allowed"},
  };
  for (const MessageCase& c : cases) {
    json::Result<std::string> got = EvalAsText(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.error().message.find(c.want_substring), std::string::npos)
        << c.text << ": " << got.error().message;
  }
}

TEST(IntrinsicTest, EnforcesTheTenThousandCharacterLimits) {
  const std::string at_limit(10000, 'a');
  const std::string over_limit(10001, 'a');
  for (std::string_view fn : {"States.Base64Encode('{}')", "States.Hash('{}', 'MD5')"}) {
    std::string ok_text(fn);
    ok_text.replace(ok_text.find("{}"), 2, at_limit);
    EXPECT_TRUE(EvalAsText(ok_text).ok()) << fn;
    std::string bad_text(fn);
    bad_text.replace(bad_text.find("{}"), 2, over_limit);
    json::Result<std::string> got = EvalAsText(bad_text);
    ASSERT_FALSE(got.ok()) << fn;
    EXPECT_EQ(got.error().name, kFailure) << fn;
  }
  // Characters, not bytes: 10,000 two-byte characters are allowed.
  std::string accented;
  for (int i = 0; i < 10000; ++i) accented += "\xC3\xA9";
  EXPECT_TRUE(EvalAsText("States.Base64Encode('" + accented + "')").ok());
  // Base64Decode's input counts too.
  std::string long_base64(10004, 'A');
  json::Result<std::string> got = EvalAsText("States.Base64Decode('" + long_base64 + "')");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, kFailure);
}

TEST(IntrinsicTest, HostileTextNeverAborts) {
  // Deep nesting stops at the limit, long before the stack is in danger.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "States.Array(";
  json::Result<Intrinsic> got = Intrinsic::Compile(deep);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, kSchema);
  EXPECT_LT(got.error().message.size(), 500u);

  // A huge string literal is fine, and the message about a broken one stays short.
  const std::string huge(1 << 20, 'x');
  json::Result<std::string> ok = EvalAsText("States.Array('" + huge + "')");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().size(), huge.size() + 4);
  json::Result<Intrinsic> broken = Intrinsic::Compile("States.Array('" + huge);
  ASSERT_FALSE(broken.ok());
  EXPECT_LT(broken.error().message.size(), 500u);

  // Every prefix of a valid call is an error, never a crash.
  const std::string full =
      R"(States.Format('a\{\}{}\'', States.ArrayGetItem(States.Array(1, -2.5e3, true, null), 0)))";
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(Intrinsic::Compile(full.substr(0, n)).ok()) << full.substr(0, n);
  }
  EXPECT_TRUE(Intrinsic::Compile(full).ok());
  // Every byte value in an argument position.
  for (int b = 0; b < 256; ++b) {
    std::string text = "States.Array(";
    text.push_back(static_cast<char>(b));
    text += ")";
    (void)Intrinsic::Compile(text);
  }
}

TEST(IntrinsicTest, LooksLikeCallAndText) {
  EXPECT_TRUE(Intrinsic::LooksLikeCall("States.Array()"));
  EXPECT_TRUE(Intrinsic::LooksLikeCall("States.Anything"));
  EXPECT_FALSE(Intrinsic::LooksLikeCall(" States.Array()"));
  EXPECT_FALSE(Intrinsic::LooksLikeCall("$.a"));
  EXPECT_FALSE(Intrinsic::LooksLikeCall("States"));
  json::Result<Intrinsic> got = Intrinsic::Compile("States.Array(1)");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().text(), "States.Array(1)");
}

TEST(IntrinsicTest, CompiledCallIsReusable) {
  json::Result<Intrinsic> compiled =
      Intrinsic::Compile("States.ArrayPartition(States.Array(1, 2, 3), 2)");
  ASSERT_TRUE(compiled.ok());
  const Intrinsic copy = compiled.value();
  const nlohmann::ordered_json empty = nlohmann::ordered_json::object();
  for (int i = 0; i < 3; ++i) {
    json::Result<nlohmann::ordered_json> got = copy.Evaluate(EvalContext{empty, empty, nullptr});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got.value().dump(), "[[1,2],[3]]");
  }
}

TEST(IntrinsicTest, RandomnessComesFromTheRng) {
  const std::regex uuid_v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  time::Rng a(42);
  time::Rng b(42);
  std::vector<std::string> first;
  for (int i = 0; i < 20; ++i) {
    json::Result<std::string> uuid = EvalAsText("States.UUID()", "{}", "{}", &a);
    ASSERT_TRUE(uuid.ok()) << uuid.error().message;
    const std::string text = nlohmann::ordered_json::parse(uuid.value()).get<std::string>();
    EXPECT_TRUE(std::regex_match(text, uuid_v4)) << text;
    first.push_back(text);
    json::Result<std::string> n = EvalAsText("States.MathRandom(1, 1000)", "{}", "{}", &a);
    ASSERT_TRUE(n.ok()) << n.error().message;
    const int value = std::stoi(n.value());
    EXPECT_GE(value, 1);
    EXPECT_LT(value, 1000);  // the end is exclusive
    first.push_back(n.value());
  }
  // The same seed gives the same draws, in the same order.
  for (std::size_t i = 0; i < first.size(); i += 2) {
    json::Result<std::string> uuid = EvalAsText("States.UUID()", "{}", "{}", &b);
    ASSERT_TRUE(uuid.ok());
    EXPECT_EQ(nlohmann::ordered_json::parse(uuid.value()).get<std::string>(), first[i]);
    json::Result<std::string> n = EvalAsText("States.MathRandom(1, 1000)", "{}", "{}", &b);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n.value(), first[i + 1]);
  }
  // UUIDs differ from draw to draw.
  EXPECT_NE(first[0], first[2]);
}

TEST(IntrinsicTest, MathRandomRangeIsStartInclusiveEndExclusive) {
  time::Rng rng(7);
  bool saw_start = false;
  for (int i = 0; i < 200; ++i) {
    json::Result<std::string> n = EvalAsText("States.MathRandom(-2, 1)", "{}", "{}", &rng);
    ASSERT_TRUE(n.ok());
    const int value = std::stoi(n.value());
    EXPECT_GE(value, -2);
    EXPECT_LE(value, 0);
    saw_start |= value == -2;
  }
  EXPECT_TRUE(saw_start);
}

TEST(IntrinsicTest, SeededMathRandomRepeatsAndLeavesTheRngAlone) {
  time::Rng rng(1);
  const time::Rng::State before = rng.state();
  json::Result<std::string> first =
      EvalAsText("States.MathRandom(1, 1000000, 99)", "{}", "{}", &rng);
  ASSERT_TRUE(first.ok());
  for (int i = 0; i < 5; ++i) {
    json::Result<std::string> again =
        EvalAsText("States.MathRandom(1, 1000000, 99)", "{}", "{}", &rng);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), first.value());
  }
  EXPECT_EQ(rng.state(), before);
  // Without an Rng in the context too.
  json::Result<std::string> no_rng = EvalAsText("States.MathRandom(1, 1000000, 99)");
  ASSERT_TRUE(no_rng.ok());
  EXPECT_EQ(no_rng.value(), first.value());
  json::Result<std::string> other_seed = EvalAsText("States.MathRandom(1, 1000000, 100)");
  ASSERT_TRUE(other_seed.ok());
  EXPECT_NE(other_seed.value(), first.value());
}

// ---- path arguments (need emulator/query/json_path.cc) -----------------------------------------

struct PathCase {
  std::string_view text;
  std::string_view input;
  std::string_view want;
};

// The examples of https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
constexpr PathCase kPathCases[] = {
    {"States.Format('Hello, my name is {}.', $.name)", R"({"name":"Arnav"})",
     R"("Hello, my name is Arnav.")"},
    {"States.Format($.template, $.name)", R"({"name":"Arnav","template":"Hello, my name is {}."})",
     R"("Hello, my name is Arnav.")"},
    {"States.Format('{} {} {}', $.n, $.b, $.z)", R"({"n":2.5,"b":false,"z":null})",
     R"("2.5 false null")"},
    {"States.StringToJson($.escapedJsonString)", R"({"escapedJsonString":"{\"foo\": \"bar\"}"})",
     R"({"foo":"bar"})"},
    {"States.JsonToString($.unescapedJson)", R"({"unescapedJson":{"foo":"bar"}})",
     R"("{\"foo\":\"bar\"}")"},
    {"States.JsonToString($.s)", R"({"s":"q\"uote"})", R"("\"q\\\"uote\"")"},
    {"States.Array($.Id)", R"({"Id":123456})", "[123456]"},
    {"States.Array('Foo', 2020, $.someJson, null)", R"({"someJson":{"random":"abcdefg"}})",
     R"(["Foo",2020,{"random":"abcdefg"},null])"},
    {"States.ArrayPartition($.inputArray,4)", R"({"inputArray":[1,2,3,4,5,6,7,8,9]})",
     "[[1,2,3,4],[5,6,7,8],[9]]"},
    {"States.ArrayContains($.inputArray, $.lookingFor)",
     R"({"inputArray":[1,2,3,4,5,6,7,8,9],"lookingFor":5})", "true"},
    {"States.ArrayContains($.a, $.o)", R"({"a":[{"k":[1,{"x":1}]}],"o":{"k":[1,{"x":1.0}]}})",
     "true"},
    {"States.ArrayRange($.a, $.b, $.c)", R"({"a":1,"b":9,"c":2})", "[1,3,5,7,9]"},
    {"States.ArrayGetItem($.inputArray, $.index)",
     R"({"inputArray":[1,2,3,4,5,6,7,8,9],"index":5})", "6"},
    {"States.ArrayLength($.inputArray)", R"({"inputArray":[1,2,3,4,5,6,7,8,9]})", "9"},
    {"States.ArrayUnique($.inputArray)", R"({"inputArray":[1,2,3,3,3,3,3,3,4]})", "[1,2,3,4]"},
    {"States.Base64Encode($.input)", R"({"input":"Data to encode"})", R"("RGF0YSB0byBlbmNvZGU=")"},
    {"States.Base64Decode($.base64)", R"({"base64":"RGF0YSB0byBlbmNvZGU="})",
     R"("Data to encode")"},
    {"States.Hash($.Data, $.Algorithm)", R"({"Data":"input data","Algorithm":"SHA-1"})",
     R"("aaff4a450a104cd177d28d18d74485e8cae074b7")"},
    {"States.Hash($.obj, 'SHA-256')", R"({"obj":{"a":1}})",
     R"("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862")"},
    {"States.JsonMerge($.json1, $.json2, false)",
     R"({"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}})",
     R"({"a":{"a3":1,"a4":2},"b":2,"c":3})"},
    {"States.MathAdd($.value1, $.step)", R"({"value1":111,"step":-1})", "110"},
    {"States.StringSplit($.inputString, $.splitter)",
     R"({"inputString":"1,2,3,4,5","splitter":","})", R"(["1","2","3","4","5"])"},
    {"States.StringSplit($.inputString, $.splitter)",
     R"({"inputString":"This.is+a,test=string","splitter":".+,="})",
     R"(["This","is","a","test","string"])"},
    // Nine nested calls, as in AWS's myArn example (with as many placeholders as values).
    {"States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
     "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem("
     "States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), "
     "'.'), 1))",
     R"({"ImageRecipe":{"Arn":"arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/r/1.0.2"}})",
     R"("1.0")"},
    // Paths with brackets, spaces, commas and parentheses inside quotes.
    {"States.Array($['a b'], $.c[1], $['x, y)'])", R"j({"a b":1,"c":[0,2],"x, y)":3})j", "[1,2,3]"},
    {"States.Format('{}-{}', $.a,$.b)", R"({"a":"x","b":"y"})", R"("x-y")"},
    {"States.Array( $.a )", R"({"a":1})", "[1]"},
    {"States.Array($)", R"({"a":1})", R"([{"a":1}])"},
};

TEST(IntrinsicTest, EvaluatesPathArguments) {
  for (const PathCase& c : kPathCases) {
    json::Result<std::string> got = EvalAsText(c.text, c.input);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error().name << ": " << got.error().message;
    EXPECT_EQ(got.value(), c.want) << c.text;
  }
}

TEST(IntrinsicTest, ReadsTheContextObject) {
  json::Result<std::string> got = EvalAsText(
      "States.Format('{}/{}', $$.Execution.Id, $.n)", R"({"n":1})",
      R"({"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:sm:run1"}})");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value(), R"("arn:aws:states:us-east-1:123456789012:execution:sm:run1/1")");
}

struct PathErrorCase {
  std::string_view text;
  std::string_view input;
  std::string_view want_name;
};

constexpr PathErrorCase kPathErrors[] = {
    {"States.Array($.missing)", R"({"a":1})", kRuntime},
    {"States.Format('{}', $.a.b)", R"({"a":{}})", kRuntime},
    {"States.ArrayLength(States.Array($.nope))", R"({})", kRuntime},
    {"States.ArrayLength($.name)", R"({"name":"x"})", kFailure},
    {"States.Format('{}', $.obj)", R"({"obj":{"a":1}})", kFailure},
    {"States.Format('{}', $.arr)", R"({"arr":[1]})", kFailure},
    {"States.Format($.t, 1)", R"({"t":5})", kFailure},
    {"States.Format($.t, 1)", R"({"t":"none"})", kFailure},
    {"States.StringToJson($.s)", R"({"s":"{\"a\":"})", kFailure},
    {"States.JsonMerge($.a, $.b, false)", R"({"a":{},"b":[]})", kFailure},
    {"States.ArrayGetItem($.a, $.i)", R"({"a":[1],"i":1})", kFailure},
    {"States.MathAdd($.a, 1)", R"({"a":"1"})", kFailure},
    {"States.Hash($.d, $.alg)", R"({"d":"x","alg":"SHA-2"})", kFailure},
};

TEST(IntrinsicTest, PathArgumentErrors) {
  for (const PathErrorCase& c : kPathErrors) {
    json::Result<std::string> got = EvalAsText(c.text, c.input);
    ASSERT_FALSE(got.ok()) << c.text << " gave " << got.value();
    EXPECT_EQ(got.error().name, c.want_name) << c.text << ": " << got.error().message;
  }
}

TEST(IntrinsicTest, RejectsBadPathsAtCompileTime) {
  for (std::string_view text :
       {"States.Array($.)", "States.Array($[)", "States.Array($['a)", "States.Array($1a)"}) {
    json::Result<Intrinsic> got = Intrinsic::Compile(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.error().name, kSchema) << text << ": " << got.error().message;
  }
}

}  // namespace
}  // namespace timeslip::query
