// Variables as the query layer sees them: names, scopes, "$name" paths in every kind of query
// (paths, templates, intrinsics, Choice rules, io processing) and Assign.
#include "emulator/query/variables.h"

#include <gtest/gtest.h>

#include <string_view>

#include "emulator/query/assign.h"
#include "emulator/query/choice_rule.h"
#include "emulator/query/intrinsic.h"
#include "emulator/query/io_processing.h"
#include "emulator/query/json_path.h"
#include "emulator/query/payload_template.h"

namespace timeslip::query {
namespace {

using Json = nlohmann::ordered_json;

struct NameCase {
  std::string_view name;
  bool valid;
};
constexpr NameCase kNames[] = {
    {"x", true},    {"_x", true},   {"camelCase2", true}, {"snake_case", true},
    {"变量", true}, {"", false},    {"1x", false},        {"a-b", false},
    {"a b", false}, {"a.b", false}, {"a$", false},
};

TEST(VariableNameTest, FollowsIdentifierRules) {
  for (const NameCase& c : kNames) {
    EXPECT_EQ(!VariableNameProblem(c.name).has_value(), c.valid) << "'" << c.name << "'";
  }
  EXPECT_FALSE(VariableNameProblem(std::string(80, 'a')));
  EXPECT_TRUE(VariableNameProblem(std::string(81, 'a')));
}

TEST(VariableScopeTest, InnerScopesShadowAndFallBackToOuterOnes) {
  Json outer_values = Json::parse(R"({"x":1,"y":2})");
  Json inner_values = Json::parse(R"({"y":20})");
  VariableScope outer{&outer_values, nullptr};
  VariableScope inner{&inner_values, &outer};
  VariableScope empty{nullptr, &inner};
  EXPECT_EQ(*empty.Find("x"), 1);
  EXPECT_EQ(*empty.Find("y"), 20);
  EXPECT_EQ(empty.Find("z"), nullptr);
  EXPECT_EQ(*outer.Find("y"), 2);
}

// An EvalContext over `input` with the variables `values`.
class WithVariables {
 public:
  WithVariables(std::string_view input, std::string_view values)
      : input_(Json::parse(input)),
        values_(Json::parse(values)),
        scope_{&values_, nullptr},
        ctx_(input_, context_) {
    ctx_.variables = &scope_;
  }
  const EvalContext& ctx() const { return ctx_; }
  const VariableScope* scope() const { return &scope_; }

 private:
  Json input_;
  Json values_;
  Json context_ = Json::object();
  VariableScope scope_;
  EvalContext ctx_;
};

struct SelectCase {
  std::string_view path, want;
};
constexpr SelectCase kSelects[] = {
    {"$v", R"({"a":[1,2,{"b":"c"}]})"},
    {"$v.a[2].b", R"("c")"},
    {"$v['a'][0]", "1"},
    {"$v.a[*]", R"([1,2,{"b":"c"}])"},
    {"$n", "42"},
    {"$.in", R"("input")"},
};

TEST(VariablePathTest, SelectsFromTheVariable) {
  WithVariables w(R"({"in":"input"})", R"({"v":{"a":[1,2,{"b":"c"}]},"n":42})");
  for (const SelectCase& c : kSelects) {
    json::Result<JsonPath> path = JsonPath::Compile(c.path);
    ASSERT_TRUE(path.ok()) << c.path << ": " << path.error().message;
    json::Result<Json> got = path.value().Select(w.ctx());
    ASSERT_TRUE(got.ok()) << c.path << ": " << got.error().message;
    EXPECT_EQ(got.value(), Json::parse(c.want)) << c.path;
  }
  JsonPath reference = JsonPath::CompileReference("$v.a[0]").value();
  EXPECT_TRUE(reference.reads_variable());
  EXPECT_EQ(reference.variable(), "v");
  EXPECT_EQ(reference.normalized_text(), "$v['a'][0]");
}

TEST(VariablePathTest, AnUndefinedVariableIsAQueryEvaluationError) {
  WithVariables w("{}", R"({"v":1})");
  json::Result<Json> got = JsonPath::Compile("$nope.a").value().Select(w.ctx());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "States.QueryEvaluationError");
  EXPECT_EQ(got.error().message,
            "The JSONPath '$nope.a' references the variable 'nope', which has not been "
            "assigned.");
  // A defined variable without the member is the usual missing path.
  json::Result<Json> missing = JsonPath::Compile("$v.a").value().Select(w.ctx());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().name, "States.Runtime");
  // No scope at all: every variable is undefined.
  Json input = Json::object();
  EvalContext bare(input, input);
  EXPECT_EQ(JsonPath::Compile("$v").value().Select(bare).error().name,
            "States.QueryEvaluationError");
}

TEST(VariablePathTest, TemplatesAndIntrinsicsReadVariables) {
  WithVariables w(R"({"name":"World"})", R"({"greeting":"Hello","list":[3,1,3]})");
  PayloadTemplate tmpl;
  ASSERT_TRUE(PayloadTemplate::Compile(Json::parse(R"j({
      "g.$":"$greeting","f.$":"States.Format('{} {}', $greeting, $.name)",
      "u.$":"States.ArrayUnique($list)","literal":"$greeting"})j"),
                                       &tmpl)
                  .empty());
  json::Result<Json> got = tmpl.Render(w.ctx());
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value(), Json::parse(R"({"g":"Hello","f":"Hello World","u":[3,1],
      "literal":"$greeting"})"));

  PayloadTemplate undefined;
  ASSERT_TRUE(PayloadTemplate::Compile(Json::parse(R"({"a.$":"$nope"})"), &undefined).empty());
  EXPECT_EQ(undefined.Render(w.ctx()).error().name, "States.QueryEvaluationError")
      << "not rewritten into the template's States.Runtime";
}

TEST(VariablePathTest, ChoiceRulesCompareVariables) {
  WithVariables w(R"({"n":5})", R"({"guess":"a","answer":"a","limit":3})");
  auto eval = [&](std::string_view rule) {
    json::Result<ChoiceRule> compiled = ChoiceRule::Compile(Json::parse(rule), true);
    EXPECT_TRUE(compiled.ok()) << rule;
    return compiled.value().Evaluate(w.ctx());
  };
  EXPECT_TRUE(eval(R"({"Variable":"$guess","StringEqualsPath":"$answer","Next":"X"})").value());
  EXPECT_TRUE(eval(R"({"Variable":"$.n","NumericGreaterThanPath":"$limit","Next":"X"})").value());
  EXPECT_TRUE(eval(R"({"Variable":"$guess.x","IsPresent":false,"Next":"X"})").value());
  json::Result<bool> undefined = eval(R"({"Variable":"$nope","IsPresent":true,"Next":"X"})");
  ASSERT_FALSE(undefined.ok());
  EXPECT_EQ(undefined.error().name, "States.QueryEvaluationError");
}

TEST(VariablePathTest, InputAndOutputPathsReadVariables) {
  WithVariables w("{}", R"({"v":{"a":1}})");
  Json raw = Json::parse(R"({"in":true})");
  Json context = Json::object();
  PathRoots roots(context, w.scope());
  EXPECT_EQ(ApplyInputPath(JsonPath::Compile("$v").value(), raw, roots).value(),
            Json::parse(R"({"a":1})"));
  EXPECT_EQ(ApplyOutputPath(JsonPath::Compile("$v.a").value(), raw, roots).value(), 1);
  EXPECT_EQ(ApplyInputPath(JsonPath::Compile("$nope").value(), raw, roots).error().name,
            "States.QueryEvaluationError");
}

TEST(AssignTest, JsonPathAssignReadsLikeParameters) {
  WithVariables w(R"({"answer":42})", R"({"x":1})");
  Assign assign;
  ASSERT_TRUE(Assign::Compile(Json::parse(R"({"a.$":"$.answer","old.$":"$x","lit":"$.answer",
      "expr":"{% $x %}","nested":{"n.$":"$.answer"}})"),
                              &assign)
                  .empty());
  json::Result<Json> got = assign.Evaluate(w.ctx());
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value(), Json::parse(R"({"a":42,"old":1,"lit":"$.answer","expr":"{% $x %}",
      "nested":{"n":42}})"));
  std::vector<TemplateProblem> problems =
      Assign::Compile(Json::parse(R"({"v.$":"not a path"})"), nullptr);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message,
            "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic "
            "function call");
}

TEST(AssignTest, JsonataAssignsLiteralsAndEvaluatesExpressions) {
  WithVariables w("{}", "{}");
  auto compile = [](const char* text) {
    return Assign::Jsonata(JsonataTemplate::Compile(Json::parse(text), "Assign").value());
  };
  EXPECT_EQ(compile(R"({"x":"$.a"})").Evaluate(w.ctx()).value(), Json::parse(R"({"x":"$.a"})"));
  EXPECT_EQ(compile(R"({"x":"{% 1 + 2 %}"})").Evaluate(w.ctx()).value(),
            Json::parse(R"({"x":3})"));
  json::Result<Json> undefined = compile(R"({"x":"{% $nothing %}"})").Evaluate(w.ctx());
  ASSERT_FALSE(undefined.ok());
  EXPECT_EQ(undefined.error().name, "States.QueryEvaluationError");
  EXPECT_EQ(undefined.error().message,
            "The JSONata expression '$nothing' specified for the field 'Assign/x' returned "
            "nothing (undefined).");
}

}  // namespace
}  // namespace timeslip::query
