#include "emulator/query/jsonata/jsonata.h"

#include <gtest/gtest.h>

namespace timeslip::query::jsonata {
namespace {

using Json = nlohmann::ordered_json;

std::optional<Json> EvalText(const char* expr, const Json& input) {
  time::Rng rng(1);
  Environment env;
  env.rng = &rng;
  return Expression::Compile(expr).Evaluate(&input, {}, env);
}

TEST(JsonataTest, PathOverInput) {
  Json input = Json::parse(R"({"a": {"b": [1, 2, 3]}})");
  EXPECT_EQ(EvalText("a.b", input), Json::parse("[1,2,3]"));
  EXPECT_EQ(EvalText("$sum(a.b)", input), Json(6));
  EXPECT_EQ(EvalText("a.c", input), std::nullopt);
}

TEST(JsonataTest, CompileOnceEvaluateMany) {
  Expression expr = Expression::Compile("x * 2");
  time::Rng rng(1);
  Environment env;
  env.rng = &rng;
  for (int i = 0; i < 3; ++i) {
    Json input = {{"x", i}};
    EXPECT_EQ(expr.Evaluate(&input, {}, env), Json(i * 2));
  }
}

TEST(JsonataTest, ErrorsCarryTheReferenceCode) {
  try {
    EvalText("1 + 'a'", Json());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "T2002");
  }
  auto bad = Expression::TryCompile("(");
  ASSERT_FALSE(bad.ok());
}

TEST(JsonataTest, BindingsAndHostFunctions) {
  Bindings b;
  b.Set("name", "world");
  b.SetFunction(
      "twice",
      [](const std::vector<std::optional<Json>>& args) -> std::optional<Json> {
        return args[0]->get<double>() * 2;
      },
      "<n:n>");
  Environment env;
  Json input = nullptr;
  EXPECT_EQ(Expression::Compile("'hello ' & $name").Evaluate(&input, b, env), Json("hello world"));
  EXPECT_EQ(Expression::Compile("$twice(21)").Evaluate(&input, b, env), Json(42));
}

TEST(JsonataTest, NowComesFromTheEnvironment) {
  Environment env;
  env.now = time::Instant(std::chrono::milliseconds(1000));
  Json input = nullptr;
  EXPECT_EQ(Expression::Compile("$millis()").Evaluate(&input, {}, env), Json(1000));
  EXPECT_EQ(Expression::Compile("$now()").Evaluate(&input, {}, env),
            Json("1970-01-01T00:00:01.000Z"));
}

TEST(JsonataTest, SingletonSequencesCollapseUnlessKept) {
  Json input = Json::parse(R"({"a": [{"b": 1}]})");
  EXPECT_EQ(EvalText("a.b", input), Json(1));
  EXPECT_EQ(EvalText("a.b[]", input), Json::parse("[1]"));
}

TEST(JsonataTest, ParentOperatorReachesTheEnclosingObject) {
  Json input = Json::parse(R"({"orders": [{"id": "o1", "items": [{"sku": "x"}, {"sku": "y"}]}]})");
  EXPECT_EQ(EvalText("orders.items.{'sku': sku, 'order': %.id}", input),
            Json::parse(R"([{"sku":"x","order":"o1"},{"sku":"y","order":"o1"}])"));
}

TEST(JsonataTest, TailCallsDoNotGrowTheDepth) {
  time::Rng rng(1);
  Environment env;
  env.rng = &rng;
  env.max_depth = 50;
  Json input = nullptr;
  Expression loop = Expression::Compile(
      "($count := function($n, $acc){ $n = 0 ? $acc : $count($n - 1, $acc + 1) }; $count(1000, "
      "0))");
  EXPECT_EQ(loop.Evaluate(&input, {}, env), Json(1000));
  Expression deep =
      Expression::Compile("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000))");
  try {
    deep.Evaluate(&input, {}, env);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "U1001");
  }
}

TEST(JsonataTest, StepBudgetStopsRunawayLoops) {
  Environment env;
  env.max_steps = 10000;
  Json input = nullptr;
  Expression forever = Expression::Compile("($f := function($n){ $f($n + 1) }; $f(0))");
  try {
    forever.Evaluate(&input, {}, env);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "U1001");
  }
}

TEST(JsonataTest, RandomComesFromTheRng) {
  Json input = nullptr;
  Expression expr = Expression::Compile("[$random(), $shuffle([1,2,3,4,5])]");
  time::Rng a(7), b(7);
  Environment env_a, env_b;
  env_a.rng = &a;
  env_b.rng = &b;
  EXPECT_EQ(expr.Evaluate(&input, {}, env_a), expr.Evaluate(&input, {}, env_b));
}

TEST(JsonataTest, NumbersPrintAsJavaScriptDoes) {
  Json input = nullptr;
  EXPECT_EQ(EvalText("$string(0.1 + 0.2)", input), Json("0.3"));
  EXPECT_EQ(EvalText("$string(1e21)", input), Json("1e+21"));
  EXPECT_EQ(EvalText("$string(100)", input), Json("100"));
  EXPECT_EQ(EvalText("$round(2.5)", input), Json(2));
}

std::string CodeOf(const char* expr, const Json& input = nullptr) {
  try {
    EvalText(expr, input);
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

TEST(JsonataTest, SyntaxErrorsHaveTheReferenceCodes) {
  EXPECT_EQ(CodeOf("'unterminated"), "S0101");
  EXPECT_EQ(CodeOf("[1, 2"), "S0203");
  EXPECT_EQ(CodeOf("1 2"), "S0201");
  EXPECT_EQ(CodeOf("$a[0] := 1"), "S0212");
  EXPECT_EQ(CodeOf("%.a"), "S0217");
  EXPECT_EQ(CodeOf("function($x)<x-:y>{$x}"), "S0401");
}

TEST(JsonataTest, SignaturesCheckAndCoerceArguments) {
  EXPECT_EQ(CodeOf("$uppercase(1)"), "T0410");
  EXPECT_EQ(CodeOf("$sum(['a'])"), "T0412");
  EXPECT_EQ(EvalText("$sum(5)", nullptr), Json(5));  // a single value becomes an array
  EXPECT_EQ(EvalText("name.$uppercase()", Json::parse(R"({"name": "ann"})")), Json("ANN"));
}

TEST(JsonataTest, TransformCopiesAndLeavesTheInputAlone) {
  Json input = Json::parse(R"({"a": {"b": 1, "c": 2}})");
  EXPECT_EQ(EvalText("$ ~> |a|{'b': 10}, ['c']|", input), Json::parse(R"({"a": {"b": 10}})"));
  EXPECT_EQ(input, Json::parse(R"({"a": {"b": 1, "c": 2}})"));
}

TEST(JsonataTest, EvalSeesTheCallersVariables) {
  EXPECT_EQ(EvalText("($x := 5; $eval('$x + 1'))", nullptr), Json(6));
}

TEST(JsonataTest, DeepRecursionAndNestingFailCleanly) {
  EXPECT_EQ(CodeOf("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))"), "U1001");
  std::string nested = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(CodeOf(nested.c_str()), "S0201");
}

TEST(JsonataTest, RegexOnLongTextDoesNotOverflowTheStack) {
  // std::regex recurses per character: 50 000 would overflow an 8 MiB stack.
  Json input = {{"s", std::string(50000, 'a')}};
  EXPECT_EQ(EvalText("$replace(s, /(a|b)+/, 'x')", input), Json("x"));
  EXPECT_EQ(EvalText("$count($split(s, /a/))", input), Json(50001));
}

TEST(JsonataTest, GroupingAndSorting) {
  Json input = Json::parse(R"([{"k": "x", "v": 2}, {"k": "y", "v": 1}, {"k": "x", "v": 3}])");
  EXPECT_EQ(EvalText("${k: $sum(v)}", input), Json::parse(R"({"x": 5, "y": 1})"));
  EXPECT_EQ(EvalText("$^(>v).v", input), Json::parse("[3, 2, 1]"));
}

}  // namespace
}  // namespace timeslip::query::jsonata
