#include "emulator/query/json_path.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace timeslip::query {
namespace {

// Compile `path`, select from `input` (a JSON text), and dump the result compactly.
json::Result<std::string> SelectAsText(std::string_view path, std::string_view input) {
  json::Result<JsonPath> compiled = JsonPath::Compile(path);
  if (!compiled.ok()) return compiled.error();
  json::Result<nlohmann::ordered_json> got = compiled.value().Select(nlohmann::ordered_json::parse(input));
  if (!got.ok()) return got.error();
  return got.value().dump();
}

// The bookstore every JSONPath implementation is tested against.
constexpr std::string_view kStore = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century",
       "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour",
       "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings",
       "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10
})";

struct SelectCase {
  std::string_view path;
  std::string_view input;
  std::string_view want;
};

constexpr SelectCase kSelectCases[] = {
    // Definite paths yield the node itself.
    {"$", R"({"a":1})", R"({"a":1})"},
    {"$.a", R"({"a":1})", "1"},
    {"$.a.b", R"({"a":{"b":[1,2]}})", "[1,2]"},
    {"$.a.b[1]", R"({"a":{"b":[1,2]}})", "2"},
    {"$.a[-1]", R"({"a":[1,2,3]})", "3"},
    {"$.a[-3]", R"({"a":[1,2,3]})", "1"},
    {"$['a']", R"({"a":1})", "1"},
    {R"($["a"])", R"({"a":1})", "1"},
    {"$['a b']['c.d']", R"({"a b":{"c.d":7}})", "7"},
    {"$.abc.['def ghi']", R"({"abc":{"def ghi":3}})", "3"},  // AWS's own example
    {R"($['it\'s'])", R"({"it's":1})", "1"},
    {R"($["say \"hi\""])", R"({"say \"hi\"":1})", "1"},
    {R"($['\u00e9\\'])", R"({"\u00e9\\":1})", "1"},
    {"$['']", R"({"":5})", "5"},
    {"$.a.null", R"({"a":{"null":null}})", "null"},
    {"$.a-b.c_d.$e.@f", R"({"a-b":{"c_d":{"$e":{"@f":1}}}})", "1"},
    {"$.日本", R"({"日本":"語"})", R"("語")"},
    {"$[0][1]", "[[1,2],[3,4]]", "2"},
    {"$[ 0 ]", "[9]", "9"},
    // AWS's reference-path examples.
    {"$.foo", R"({"foo":123,"bar":["a","b","c"],"car":{"cdr":true}})", "123"},
    {"$.bar", R"({"foo":123,"bar":["a","b","c"],"car":{"cdr":true}})", R"(["a","b","c"])"},
    {"$.car.cdr", R"({"foo":123,"bar":["a","b","c"],"car":{"cdr":true}})", "true"},
    // AWS's slice example: {"a":[1,2,3,4]} with $.a[0:2].
    {"$.a[0:2]", R"({"a":[1,2,3,4]})", "[1,2]"},
    {"$.a[1:3]", R"({"a":[0,1,2,3]})", "[1,2]"},
    {"$.a[:2]", R"({"a":[0,1,2,3]})", "[0,1]"},
    {"$.a[2:]", R"({"a":[0,1,2,3]})", "[2,3]"},
    {"$.a[-2:]", R"({"a":[0,1,2,3]})", "[2,3]"},
    {"$.a[:-1]", R"({"a":[0,1,2,3]})", "[0,1,2]"},
    {"$.a[::2]", R"({"a":[0,1,2,3,4]})", "[0,2,4]"},
    {"$.a[1::2]", R"({"a":[0,1,2,3,4]})", "[1,3]"},
    {"$.a[::-1]", R"({"a":[0,1,2]})", "[2,1,0]"},
    {"$.a[5:9]", R"({"a":[0,1]})", "[]"},
    {"$.a[-99:1]", R"({"a":[0,1]})", "[0]"},
    {"$.a[0,2]", R"({"a":[0,1,2]})", "[0,2]"},
    {"$.a[2,0,9]", R"({"a":[0,1,2]})", "[2,0]"},
    {"$.a[*]", R"({"a":[1,2]})", "[1,2]"},
    {"$.a.*", R"({"a":{"x":1,"y":2}})", "[1,2]"},
    {"$.a[*]", R"({"a":"scalar"})", "[]"},
    {"$[*][*]", "[[1,2,3],[4,5,6]]", "[1,2,3,4,5,6]"},  // AWS's flatten-array example
    {"$[*].a", R"([{"a":1},{"b":2},{"a":3}])", "[1,3]"},
    {"$.a[*].b[0]", R"({"a":[{"b":[1]},{"b":[]},{"b":[3]}]})", "[1,3]"},
    // Jayway: a leaf union of names merges the names present into one object.
    {"$['a','b']", R"({"a":1,"b":2,"c":3})", R"([{"a":1,"b":2}])"},
    {"$['a','z']", R"({"a":1})", R"([{"a":1}])"},
    {"$['a','b'].v", R"({"a":{"v":1},"b":{"v":2}})", "[1,2]"},
    // Recursive descent.
    {"$..author", kStore, R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])"},
    // Keys are sorted (nlohmann), so "bicycle" comes before "book".
    {"$.store..price", kStore, "[8.95,12.99,8.99,22.99,19.95]"},
    {"$..book[2].title", kStore, R"(["Moby Dick"])"},
    {"$..book[-1].title", kStore, R"(["The Lord of the Rings"])"},
    {"$..book[0,1].price", kStore, "[8.95,12.99]"},
    {"$..book[:2].price", kStore, "[8.95,12.99]"},
    {"$..[0]", R"({"a":[1,[2,3]],"b":{"c":[4]}})", "[1,2,4]"},
    {"$..*", R"({"a":{"b":1},"c":[2]})", R"([{"b":1},[2],1,2])"},
    {"$..nope", kStore, "[]"},
    {"$..['a','b']", R"({"x":{"a":1,"b":2},"y":{"a":3}})", R"([{"a":1,"b":2}])"},
    // Filters.
    {"$.store.book[?(@.price < 10)].title", kStore, R"(["Sayings of the Century","Moby Dick"])"},
    {"$.store.book[?(@.isbn)].author", kStore, R"(["Herman Melville","J. R. R. Tolkien"])"},
    {"$.store.book[?(!@.isbn)].price", kStore, "[8.95,12.99]"},
    {"$.store.book[?(@.category == 'fiction' && @.price > 10)].price", kStore, "[12.99,22.99]"},
    {"$.store.book[?(@.price < 9 || @.price > 20)].price", kStore, "[8.95,8.99,22.99]"},
    {"$.store.book[?(!(@.price < 9 || @.price > 20))].price", kStore, "[12.99]"},
    {"$.store.book[?(@.price <= $.expensive)].price", kStore, "[8.95,8.99]"},
    {"$.store.book[?(@.price >= 12.99)].price", kStore, "[12.99,22.99]"},
    {"$.store.book[?(@.category != 'fiction')].price", kStore, "[8.95]"},
    {R"($.store.book[?(@.author == "Evelyn Waugh")].price)", kStore, "[12.99]"},
    {"$..book[?(@.author =='Herman Melville')].price", kStore, "[8.99]"},
    {"$..[?(@.price > 19)].price", kStore, "[22.99,19.95]"},
    {"$.a[?(@ > 1)]", R"({"a":[1,2,3]})", "[2,3]"},
    {"$.a[?(@ == 'x')]", R"({"a":["x","y"]})", R"(["x"])"},
    {"$.a[?(@.v == true)].n", R"({"a":[{"v":true,"n":1},{"v":false,"n":2}]})", "[1]"},
    {"$.a[?(@.v == null)].n", R"({"a":[{"v":null,"n":1},{"n":2}]})", "[1]"},
    {"$.a[?(@.v != null)].n", R"({"a":[{"v":null,"n":1},{"n":2},{"v":0,"n":3}]})", "[2,3]"},
    {"$.a[?(@.x == @.y)].n", R"({"a":[{"x":1,"y":1.0,"n":1},{"x":1,"y":2,"n":2}]})", "[1]"},
    {"$.a[?(@.x < @.y)].n", R"({"a":[{"x":"a","y":"b","n":1},{"x":"b","y":"a","n":2}]})", "[1]"},
    {"$.a[?(@.x < 5)].n", R"({"a":[{"x":"3","n":1},{"x":3,"n":2}]})", "[2]"},
    {"$.a[?(@.x == 3)].n", R"({"a":[{"x":"3","n":1},{"x":3,"n":2},{"x":"y","n":3}]})", "[1,2]"},
    {"$.a[?(@.x == -1.5e0)].n", R"({"a":[{"x":-1.5,"n":1}]})", "[1]"},
    {"$.a[?(@.s in ['S','M'])].n", R"({"a":[{"s":"S","n":1},{"s":"L","n":2}]})", "[1]"},
    {"$.a[?(@.s nin ['S','M'])].n", R"({"a":[{"s":"S","n":1},{"s":"L","n":2}]})", "[2]"},
    {"$.a[?(@.t == ['x'])].n", R"({"a":[{"t":["x"],"n":1},{"t":"x","n":2}]})", "[1]"},
    {"$.a[?(@.b[0] == 1)].n", R"({"a":[{"b":[1],"n":1},{"b":[],"n":2}]})", "[1]"},
    {"$.a[?(@.b[?(@ > 2)])].n", R"({"a":[{"b":[1,3],"n":1},{"b":[1],"n":2}]})", "[1]"},
    {"$.a[?(@['x y'] == 1)].n", R"({"a":[{"x y":1,"n":1}]})", "[1]"},
    {"$.a[?( @.x==1 )].n", R"({"a":[{"x":1,"n":1}]})", "[1]"},
    {"$.a[?(true)]", R"({"a":[1,2]})", "[1,2]"},
    {"$.a[?(false)]", R"({"a":[1,2]})", "[]"},
    // Jayway filters an object by testing the object itself.
    {"$.o[?(@.x == 1)]", R"({"o":{"x":1}})", R"([{"x":1}])"},
    {"$.o[?(@.x == 2)]", R"({"o":{"x":1}})", "[]"},
    // Indefinite paths after an indefinite step skip what is missing.
    {"$.a[*].missing", R"({"a":[{},{}]})", "[]"},
    {"$.a[5][*]", R"({"a":[[1]]})", "[]"},
    {"$.a[0,1].b", R"({"a":["s",{"b":2}]})", "[2]"},
    // A missing name is no match even before the first indefinite step, as AWS recorded.
    {"$.items[*]", "{}", "[]"},
    {"$.items[*].itemValue", "{}", "[]"},
    {"$.item.items[1:5].itemValue", "{}", "[]"},
    {"$.items[:1]", "{}", "[]"},
    {"$.a.items[1:]", R"({"a":{}})", "[]"},
    // An escaped quote of the other kind keeps its backslash (AWS's reading).
    {R"($['Test\""Name"'])", R"({"Test\\\"\"Name\"":"v"})", R"("v")"},
    {R"($["a\'b"])", R"({"a\\'b":1})", "1"},
};

TEST(JsonPathTest, Selects) {
  for (const SelectCase& c : kSelectCases) {
    json::Result<std::string> got = SelectAsText(c.path, c.input);
    ASSERT_TRUE(got.ok()) << c.path << ": " << got.error().name << ": " << got.error().message;
    EXPECT_EQ(got.value(), c.want) << c.path;
  }
}

struct NotFoundCase {
  std::string_view path;
  std::string_view input;
};

// A definite path that finds nothing is States.Runtime. So is an indefinite one when, while all
// steps so far were definite, it applies a name to a non-object or an array step to a non-array
// (Jayway's PathNotFoundException).
constexpr NotFoundCase kNotFoundCases[] = {
    {"$.missing", R"({"a":1})"},    {"$.a.b", R"({"a":1})"},
    {"$.a.b", R"({"a":null})"},     {"$.a.b.c", R"({"a":{}})"},
    {"$.a[3]", R"({"a":[1]})"},     {"$.a[-2]", R"({"a":[1]})"},
    {"$.a[0]", R"({"a":{"0":1}})"}, {"$.a", "[1]"},
    {"$[0]", R"({"a":1})"},         {"$.a.b[*]", R"({"a":1})"},
    {"$.a[1:]", R"({"a":0})"},  // the ASL spec's ParameterPathFailure example
    {"$.a[0,1]", R"({"a":"str"})"}, {"$.a['x','y']", R"({"a":[1]})"},
    {"$.a[?(@.x)]", R"({"a":5})"},
};

TEST(JsonPathTest, NotFoundIsStatesRuntime) {
  for (const NotFoundCase& c : kNotFoundCases) {
    json::Result<std::string> got = SelectAsText(c.path, c.input);
    ASSERT_FALSE(got.ok()) << c.path << " gave " << got.value();
    EXPECT_EQ(got.error().name, "States.Runtime") << c.path;
    EXPECT_NE(got.error().message.find(std::string(c.path)), std::string::npos)
        << got.error().message;
  }
}

TEST(JsonPathTest, NotFoundMessageQuotesPathAndInput) {
  json::Result<std::string> got = SelectAsText("$.a.b", R"({"a":{"c":1}})");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message,
            R"(The JSONPath '$.a.b' could not be found in the input '{"a":{"c":1}}')");
}

TEST(JsonPathTest, NotFoundMessageAbbreviatesHugeInput) {
  nlohmann::ordered_json big = {{"s", std::string(100000, 'x')}};
  json::Result<nlohmann::ordered_json> got = JsonPath::Compile("$.nope").value().Select(big);
  ASSERT_FALSE(got.ok());
  EXPECT_LT(got.error().message.size(), 400u);
}

struct CompileErrorCase {
  std::string_view path;
};

constexpr CompileErrorCase kCompileErrors[] = {
    {""},
    {"a.b"},
    {".a"},
    {" $.a"},
    {"$1a"},   // a variable name starts with a letter or '_'
    {"$a-b"},  // and holds letters, digits and '_'
    {"$.a "},
    {"$$$"},
    {"$."},
    {"$.a."},
    {"$.."},
    {"$.a.."},
    {"$...a"},
    {"$.a b"},
    {"$.a]"},
    {"$["},
    {"$[0"},
    {"$['a'"},
    {"$['a]"},
    {"$['a' 'b']"},
    {"$['a',]"},
    {"$[]"},
    {"$[a]"},
    {"$[0,]"},
    {"$[1:2:0]"},
    {"$[-]"},
    {"$[99999999999999999999]"},
    {"$[*"},
    {"$[?(@.a)"},
    {"$[?(@.a]"},
    {"$[?@.a]"},
    {"$[?()]"},
    {"$[?(@.a = 1)]"},
    {"$[?(@.a == )]"},
    {"$[?(@.a =~ /x/)]"},
    {"$[?(@.a &&)]"},
    {"$[?(@.a == 'x)]"},
    {"$[?(1)]"},
    {"$[?(@.a == tru)]"},
    {"$.length()"},
    {"$['\\x']"},
    {"$['\\u12']"},
    {"$.a[0]x"},
    {"$.a)"},
};

TEST(JsonPathTest, CompileErrorsAreInvalidJsonPath) {
  for (const CompileErrorCase& c : kCompileErrors) {
    json::Result<JsonPath> got = JsonPath::Compile(c.path);
    ASSERT_FALSE(got.ok()) << "'" << c.path << "' compiled";
    EXPECT_EQ(got.error().name, "INVALID_JSON_PATH") << c.path;
    EXPECT_FALSE(got.error().message.empty());
  }
}

TEST(JsonPathTest, CompileErrorNamesTheOffset) {
  json::Result<JsonPath> got = JsonPath::Compile("$.a[0");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message, "Invalid JSONPath '$.a[0': unclosed '[' at offset 5");
}

// Concatenation through one append each (GCC 12 warns falsely on "lit" + std::string(n, c)).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

TEST(JsonPathTest, HostileTextNeverAborts) {
  const std::string big(1 << 18, 'x');
  const std::string nested_filters = [] {
    std::string s = "$";
    for (int i = 0; i < 5000; ++i) s += "[?(@";
    return s;
  }();
  const std::string hostile[] = {
      Cat({"$", std::string(10000, '[')}),
      Cat({"$", std::string(10000, '.')}),
      Cat({"$[?(", std::string(10000, '('), "@.a", std::string(10000, ')'), ")]"}),
      Cat({"$[?(", std::string(10000, '!'), "@.a)]"}),
      nested_filters,
      Cat({"$['", big}),
      Cat({"$.", big, "["}),
      std::string("$\0.a", 4),
      "$[?(@.a == '\\",
      "$[?(@.a in [1,2",
      "$[1:2:3:4]",
  };
  for (const std::string& text : hostile) {
    json::Result<JsonPath> got = JsonPath::Compile(text);
    ASSERT_FALSE(got.ok()) << text.substr(0, 40);
    EXPECT_EQ(got.error().name, "INVALID_JSON_PATH");
    EXPECT_LT(got.error().message.size(), 300u);
  }
  // A long but valid path is fine.
  json::Result<JsonPath> long_name = JsonPath::Compile(Cat({"$.", big}));
  ASSERT_TRUE(long_name.ok());
  EXPECT_TRUE(long_name.value().is_definite());
}

struct ClassifyCase {
  std::string_view path;
  bool definite;
  bool reference;
  bool context;
};

constexpr ClassifyCase kClassifyCases[] = {
    {"$", true, true, false},
    {"$$", true, true, true},
    {"$.a.b[0]", true, true, false},
    {"$['a'][\"b\"][2]", true, true, false},
    {"$$.Execution.Id", true, true, true},
    {"$.a[-1]", true, false, false},
    {"$.a[*]", false, false, false},
    {"$.a.*", false, false, false},
    {"$..a", false, false, false},
    {"$.a[0,1]", false, false, false},
    {"$['a','b']", false, false, false},
    {"$.a[0:1]", false, false, false},
    {"$.a[?(@.x)]", false, false, false},
};

TEST(JsonPathTest, ClassifiesDefiniteAndReferencePaths) {
  for (const ClassifyCase& c : kClassifyCases) {
    json::Result<JsonPath> got = JsonPath::Compile(c.path);
    ASSERT_TRUE(got.ok()) << c.path << ": " << got.error().message;
    EXPECT_EQ(got.value().is_definite(), c.definite) << c.path;
    EXPECT_EQ(got.value().is_reference(), c.reference) << c.path;
    EXPECT_EQ(got.value().reads_context(), c.context) << c.path;
    EXPECT_EQ(got.value().text(), c.path);
    EXPECT_EQ(JsonPath::CompileReference(c.path).ok(), c.reference) << c.path;
  }
}

TEST(JsonPathTest, CompileReferenceSaysWhatIsNotAllowed) {
  json::Result<JsonPath> got = JsonPath::CompileReference("$.a[*]");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "INVALID_JSON_PATH");
  EXPECT_NE(got.error().message.find("reference path"), std::string::npos);
  EXPECT_EQ(JsonPath::CompileReference("$.a[").error().name, "INVALID_JSON_PATH");
}

TEST(JsonPathTest, NormalizedText) {
  EXPECT_EQ(JsonPath::Compile("$.a[0].b").value().normalized_text(), "$['a'][0]['b']");
  EXPECT_EQ(JsonPath::Compile("$..a[*][1:2]").value().normalized_text(), "$..['a'][*][1:2]");
  EXPECT_EQ(JsonPath::Compile("$$.Execution.Id").value().normalized_text(), "$['Execution']['Id']");
}

TEST(JsonPathTest, SelectWithContextReadsTheRightRoot) {
  nlohmann::ordered_json input = {{"a", 1}};
  nlohmann::ordered_json context = {{"Execution", {{"Id", "arn:x"}}}};
  EvalContext ctx{input, context};
  EXPECT_EQ(JsonPath::Compile("$.a").value().Select(ctx).value(), 1);
  EXPECT_EQ(JsonPath::Compile("$$.Execution.Id").value().Select(ctx).value(), "arn:x");
  EXPECT_EQ(JsonPath::Compile("$$").value().Select(ctx).value(), context);
  // "$" inside a filter of a "$$" path is the context object.
  nlohmann::ordered_json ctx_doc = {{"limit", 2}, {"xs", {1, 2, 3}}};
  EvalContext ctx2{input, ctx_doc};
  EXPECT_EQ(JsonPath::Compile("$$.xs[?(@ >= $.limit)]").value().Select(ctx2).value(),
            nlohmann::ordered_json({2, 3}));
}

TEST(JsonPathTest, FindPointsIntoTheDocument) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({"a":{"b":[10,20]},"n":null})");
  const nlohmann::ordered_json* b1 = JsonPath::Compile("$.a.b[1]").value().Find(doc);
  ASSERT_NE(b1, nullptr);
  EXPECT_EQ(b1, &doc["a"]["b"][1]);
  EXPECT_EQ(JsonPath::Compile("$").value().Find(doc), &doc);
  EXPECT_EQ(JsonPath::Compile("$.a.c").value().Find(doc), nullptr);
  const nlohmann::ordered_json* n = JsonPath::Compile("$.n").value().Find(doc);
  ASSERT_NE(n, nullptr);  // present, and null
  EXPECT_TRUE(n->is_null());
  // Indefinite: the first match, or nullptr.
  EXPECT_EQ(JsonPath::Compile("$.a.b[*]").value().Find(doc), &doc["a"]["b"][0]);
  EXPECT_EQ(JsonPath::Compile("$.a.b[?(@ > 15)]").value().Find(doc), &doc["a"]["b"][1]);
  EXPECT_EQ(JsonPath::Compile("$.a.b[?(@ > 99)]").value().Find(doc), nullptr);
  EXPECT_EQ(JsonPath::Compile("$.zz[*]").value().Find(doc), nullptr);
}

TEST(JsonPathTest, CompiledPathIsReusable) {
  JsonPath path = JsonPath::Compile("$.items[?(@.ok)].id").value();
  for (int i = 0; i < 3; ++i) {
    nlohmann::ordered_json doc = {{"items", {{{"ok", true}, {"id", i}}, {{"id", 99}}}}};
    EXPECT_EQ(path.Select(doc).value(), nlohmann::ordered_json({i}));
  }
}

TEST(JsonPathTest, DeepDocumentsDoNotOverflowTheStack) {
  constexpr int kDepth = 10000;
  nlohmann::ordered_json doc = {{"v", 0}};
  for (int i = 1; i < kDepth; ++i) doc = {{"v", i}, {"c", std::move(doc)}};
  json::Result<nlohmann::ordered_json> got = JsonPath::Compile("$..v").value().Select(doc);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got.value().size(), static_cast<std::size_t>(kDepth));
  EXPECT_EQ(got.value().front(), kDepth - 1);
  EXPECT_EQ(got.value().back(), 0);
}

struct SetCase {
  std::string_view path;
  std::string_view doc;
  std::string_view value;
  std::string_view want;
};

constexpr SetCase kSetCases[] = {
    {"$", R"({"a":1})", R"("r")", R"("r")"},
    {"$.a", R"({"a":1})", "2", R"({"a":2})"},
    {"$.b", R"({"a":1})", "2", R"({"a":1,"b":2})"},
    {"$.x.y.z", R"({"a":1})", "2", R"({"a":1,"x":{"y":{"z":2}}})"},
    {"$.a.y", R"({"a":{"k":1}})", "2", R"({"a":{"k":1,"y":2}})"},
    {"$.a[1]", R"({"a":[1,2,3]})", R"({"n":1})", R"({"a":[1,{"n":1},3]})"},
    {"$.a[0].b", R"({"a":[{}]})", "true", R"({"a":[{"b":true}]})"},
    {"$['a b']", "{}", "null", R"({"a b":null})"},
    {"$.a", R"({"a":null})", "1", R"({"a":1})"},
};

TEST(JsonPathTest, SetAtReferencePath) {
  for (const SetCase& c : kSetCases) {
    json::Result<nlohmann::ordered_json> got =
        SetAtReferencePath(nlohmann::ordered_json::parse(c.doc), JsonPath::Compile(c.path).value(),
                           nlohmann::ordered_json::parse(c.value));
    ASSERT_TRUE(got.ok()) << c.path << ": " << got.error().message;
    EXPECT_EQ(got.value().dump(), c.want) << c.path;
  }
}

constexpr SetCase kSetFailures[] = {
    {"$.a.b", R"({"a":"str"})", "1", ""}, {"$.a.b", R"({"a":null})", "1", ""},
    {"$.a", R"("str")", "1", ""},         {"$.a", "[1]", "1", ""},
    {"$[0]", R"({"a":1})", "1", ""},      {"$.a[3]", R"({"a":[1]})", "1", ""},
    {"$.a[0]", R"({})", "1", ""},         {"$.x.y[0]", R"({})", "1", ""},
    {"$.a[*]", R"({"a":[1]})", "1", ""},  // not a reference path
    {"$$.a", R"({"a":[1]})", "1", ""},    // the context object is not writable
};

TEST(JsonPathTest, SetAtReferencePathFailures) {
  for (const SetCase& c : kSetFailures) {
    json::Result<nlohmann::ordered_json> got =
        SetAtReferencePath(nlohmann::ordered_json::parse(c.doc), JsonPath::Compile(c.path).value(),
                           nlohmann::ordered_json::parse(c.value));
    ASSERT_FALSE(got.ok()) << c.path << " on " << c.doc << " gave " << got.value().dump();
    EXPECT_EQ(got.error().name, "States.ResultPathMatchFailure") << c.path;
    // The message shows the input as it was, not half-written.
    EXPECT_NE(got.error().message.find(std::string(c.doc)), std::string::npos)
        << got.error().message;
  }
}

}  // namespace
}  // namespace timeslip::query
