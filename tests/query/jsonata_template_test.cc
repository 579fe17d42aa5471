// JSONata fields of Step Functions states: templates with "{% %}" expressions, the $states and
// variables they read, AWS's errors, and Step Functions' own functions.
#include "emulator/query/jsonata_template.h"

#include <gtest/gtest.h>

namespace timeslip::query {
namespace {

using Json = nlohmann::ordered_json;

JsonataTemplate MustCompile(const char* text, std::string field = "Output") {
  json::Result<JsonataTemplate> t = JsonataTemplate::Compile(Json::parse(text), std::move(field));
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return std::move(t).value();
}

struct World {
  Json input = Json::parse(R"({"a":1,"items":[1,2,3]})");
  Json context = Json::parse(R"({"Execution":{"Name":"run"}})");
  Json variables = Json::parse(R"({"x":10})");
  VariableScope scope{&variables, nullptr};
  time::Rng rng{7};
  EvalContext ctx() {
    EvalContext c(input, context, &rng);
    c.variables = &scope;
    return c;
  }
};

TEST(JsonataTemplateTest, EvaluatesExpressionsInsideLiterals) {
  World w;
  JsonataTemplate t =
      MustCompile(R"({"sum":"{% $states.input.a + $x %}","lit":"$.a","n":[1,"{% $count($states.input.items) %}"]})");
  EXPECT_TRUE(t.has_expression());
  EXPECT_FALSE(t.is_expression());
  EXPECT_EQ(t.Evaluate(w.ctx()).value(), Json::parse(R"({"sum":11,"lit":"$.a","n":[1,3]})"));
}

TEST(JsonataTemplateTest, ReadsResultErrorOutputAndContext) {
  World w;
  Json result = Json::parse(R"({"r":2})");
  EvalContext ctx = w.ctx();
  ctx.result = &result;
  EXPECT_EQ(MustCompile(R"("{% $states.result.r %}")").Evaluate(ctx).value(), Json(2));
  EXPECT_EQ(MustCompile(R"("{% $states.context.Execution.Name %}")").Evaluate(ctx).value(),
            Json("run"));
}

TEST(JsonataTemplateTest, UndefinedIsAQueryEvaluationErrorNamingTheField) {
  World w;
  json::Result<Json> out = MustCompile(R"({"result":"{% $doesNotExist %}"})").Evaluate(w.ctx());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().name, "States.QueryEvaluationError");
  EXPECT_EQ(out.error().message,
            "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
            "returned nothing (undefined).");
  // "$" has no document at the top, as on AWS.
  EXPECT_FALSE(MustCompile(R"("{% $.a %}")").Evaluate(w.ctx()).ok());
}

TEST(JsonataTemplateTest, AThrownErrorCarriesItsCode) {
  World w;
  json::Result<Json> out = MustCompile(R"(["{% 'a' + 1 %}"])", "Arguments").Evaluate(w.ctx());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().name, "States.QueryEvaluationError");
  EXPECT_EQ(out.error().message.rfind("The JSONata expression ''a' + 1' specified for the field "
                                      "'Arguments[0]' threw an error during evaluation. T2001: ",
                                      0),
            0u)
      << out.error().message;
}

TEST(JsonataTemplateTest, AnExpressionThatDoesNotParseIsRefusedAtCompile) {
  json::Result<JsonataTemplate> t =
      JsonataTemplate::Compile(Json("{% $states.input + ( %}"), "Output");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().name, "SCHEMA_VALIDATION_FAILED");
  EXPECT_NE(t.error().message.find("'Output' is not valid"), std::string::npos)
      << t.error().message;
}

TEST(JsonataTemplateTest, StepFunctionsFunctions) {
  World w;
  EXPECT_EQ(MustCompile(R"("{% $partition([1,2,3,4,5], 2) %}")").Evaluate(w.ctx()).value(),
            Json::parse("[[1,2],[3,4],[5]]"));
  EXPECT_EQ(MustCompile(R"("{% $range(0, 10, 5) %}")").Evaluate(w.ctx()).value(),
            Json::parse("[0,5,10]"));
  EXPECT_EQ(MustCompile(R"("{% $hash('abc', 'SHA-256') %}")").Evaluate(w.ctx()).value(),
            Json("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_EQ(MustCompile(R"("{% $parse('{\"a\":[1]}') %}")").Evaluate(w.ctx()).value(),
            Json::parse(R"({"a":[1]})"));
  Json seeded = MustCompile(R"("{% $random(42) %}")").Evaluate(w.ctx()).value();
  EXPECT_EQ(MustCompile(R"("{% $random(42) %}")").Evaluate(w.ctx()).value(), seeded);
  EXPECT_EQ(MustCompile(R"("{% $uuid() %}")").Evaluate(w.ctx()).value().get<std::string>().size(),
            36u);

  for (const char* bad : {R"("{% $partition([1], 0) %}")", R"("{% $range(0, 5000, 1) %}")",
                          R"("{% $hash('a', 'SHA-3') %}")", R"("{% $parse('{') %}")"}) {
    json::Result<Json> out = MustCompile(bad).Evaluate(w.ctx());
    ASSERT_FALSE(out.ok()) << bad;
    EXPECT_EQ(out.error().name, "States.QueryEvaluationError") << bad;
    EXPECT_NE(out.error().message.find("threw an error during evaluation: $"), std::string::npos)
        << out.error().message;
  }
}

}  // namespace
}  // namespace timeslip::query
