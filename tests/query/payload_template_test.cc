#include "emulator/query/payload_template.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace timeslip::query {
namespace {

// The context object as AWS documents a running execution's.
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
constexpr std::string_view kContext = R"({
  "Execution": {
    "Id": "arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName",
    "Input": {"key": "value"},
    "Name": "executionName",
    "RoleArn": "arn:aws:iam::123456789012:role...",
    "StartTime": "2019-03-26T20:14:13.192Z"
  },
  "State": {"EnteredTime": "2019-03-26T20:14:13.192Z", "Name": "Test", "RetryCount": 3},
  "StateMachine": {
    "Id": "arn:aws:states:us-east-1:123456789012:stateMachine:stateMachineName",
    "Name": "name"
  },
  "Task": {"Token": "h7XRiCdLtd/83p1E0dMccoxlzFhglsdkzpK9mBVKZsp7d9yrT1W"}
})";

struct RenderCase {
  std::string_view name;
  std::string_view tmpl;
  std::string_view input;
  std::string_view context;
  std::string_view want;
};

constexpr RenderCase kRenderCases[] = {
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    {"aws parameters key-value pairs",
     R"({"comment": "Selecting what I care about.",
         "MyDetails": {"size.$": "$.product.details.size",
                       "exists.$": "$.product.availability",
                       "StaticValue": "foo"}})",
     R"({"comment": "Example for Parameters.",
         "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
                     "availability": "in stock", "sku": "2317", "cost": "$23"}})",
     "{}",
     R"({"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}})"},
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
    {"aws context object in a nested object",
     R"({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
         "MessageBody": {"From": "YVR", "To": "SEA", "Execution.$": "$$.Execution.Id"}})",
     "{}", kContext,
     R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase","MessageBody":{"From":"YVR","To":"SEA","Execution":"arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName"}})"},
    {"aws context object map item",
     R"({"ContextIndex.$": "$$.Map.Item.Index", "ContextValue.$": "$$.Map.Item.Value"})",
     R"([{"who":"bob"},{"who":"meg"}])", R"({"Map":{"Item":{"Index":1,"Value":{"who":"meg"}}}})",
     R"({"ContextIndex":1,"ContextValue":{"who":"meg"}})"},
    {"aws context object whole", R"({"ExecutionID.$": "$$.Execution.Id"})", "{}", kContext,
     R"({"ExecutionID":"arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName"})"},
    // AWS's ResultSelector example: a createCluster.sync result trimmed to two fields.
    {"aws result selector",
     R"({"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"})",
     R"({"resourceType": "elasticmapreduce", "resource": "createCluster.sync",
         "output": {"SdkHttpMetadata": {"HttpHeaders": {"Content-Length": "1112",
                     "Content-Type": "application/x-amz-JSON-1.1",
                     "Date": "Mon, 25 Nov 2019 19:41:29 GMT",
                     "x-amzn-RequestId": "1234-5678-9012"}, "HttpStatusCode": 200},
                    "SdkResponseMetadata": {"RequestId": "1234-5678-9012"},
                    "ClusterId": "AKIAIOSFODNN7EXAMPLE"}})",
     "{}", R"({"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"})"},
    // AWS's flatten-an-array-of-arrays example for a Parallel or Map result.
    {"aws flatten array", R"({"flattenArray.$": "$[*][*]"})", "[[1,2,3],[4,5,6]]", "{}",
     R"({"flattenArray":[1,2,3,4,5,6]})"},
    // The ASL specification's Parameters example.
    {"asl spec parameters",
     R"({"flagged": true, "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[3:]"}})",
     R"({"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]})", "{}",
     R"({"flagged":true,"parts":{"first":0,"last3":[30,40,50]}})"},
    {"arrays of templates",
     R"({"list": [1, {"a.$": "$.x"}, [{"b.$": "$.y[1]"}], "lit"], "n": null})",
     R"({"x": "X", "y": [0, {"deep": true}]})", "{}",
     R"({"list":[1,{"a":"X"},[{"b":{"deep":true}}],"lit"],"n":null})"},
    {"whole input and whole context", R"({"in.$": "$", "ctx.$": "$$.State.Name"})", R"({"k":[1]})",
     kContext, R"({"in":{"k":[1]},"ctx":"Test"})"},
    {"selected values of every type",
     R"({"s.$": "$.s", "n.$": "$.n", "b.$": "$.b", "z.$": "$.z", "o.$": "$.o", "a.$": "$.a"})",
     R"({"s": "x", "n": 1.5, "b": false, "z": null, "o": {}, "a": []})", "{}",
     R"({"s":"x","n":1.5,"b":false,"z":null,"o":{},"a":[]})"},
    // [?(@.ok)] tests that "ok" exists, whatever its value.
    {"indefinite paths give arrays",
     R"({"have.$": "$.items[?(@.ok)].id", "ok.$": "$.items[?(@.ok == true)].id",
         "none.$": "$..nope"})",
     R"({"items": [{"ok": true, "id": 1}, {"ok": false, "id": 2}, {"id": 3}]})", "{}",
     R"({"have":[1,2],"ok":[1],"none":[]})"},
    {"literal only", R"({"a": {"b": [1, 2]}, "c": "$.not-a-path"})", R"({"x":1})", "{}",
     R"({"a":{"b":[1,2]},"c":"$.not-a-path"})"},
    {"a key that is only .$ is literal", R"({".$": "$.x"})", R"({"x":1})", "{}", R"({".$":"$.x"})"},
    {"empty template", "{}", R"({"x":1})", "{}", "{}"},
    {"scalar template", "42", R"({"x":1})", "{}", "42"},
};

TEST(PayloadTemplateTest, Renders) {
  for (const RenderCase& c : kRenderCases) {
    PayloadTemplate tmpl;
    std::vector<TemplateProblem> errors =
        PayloadTemplate::Compile(nlohmann::ordered_json::parse(c.tmpl), &tmpl);
    ASSERT_TRUE(errors.empty()) << c.name << ": " << errors.front().message;
    nlohmann::ordered_json input = nlohmann::ordered_json::parse(c.input);
    nlohmann::ordered_json context = nlohmann::ordered_json::parse(c.context);
    json::Result<nlohmann::ordered_json> got = tmpl.Render(EvalContext{input, context});
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.error().name << ": " << got.error().message;
    EXPECT_EQ(got.value().dump(), c.want) << c.name;
  }
}

TEST(PayloadTemplateTest, RendersIntrinsicCalls) {
  PayloadTemplate tmpl;
  ASSERT_TRUE(
      PayloadTemplate::Compile(
          nlohmann::ordered_json::parse(R"j({"greeting.$": "States.Format('Hello, {}', $.who)"})j"), &tmpl)
          .empty());
  nlohmann::ordered_json input = {{"who", "AWS Step Functions"}};
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  json::Result<nlohmann::ordered_json> got = tmpl.Render(EvalContext{input, context});
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value().dump(), R"({"greeting":"Hello, AWS Step Functions"})");
}

TEST(PayloadTemplateTest, DefaultTemplateIsAnEmptyObject) {
  nlohmann::ordered_json input = {{"x", 1}};
  json::Result<nlohmann::ordered_json> got = PayloadTemplate().Render(EvalContext{input, input});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value(), nlohmann::ordered_json::object());
}

TEST(PayloadTemplateTest, RendersRepeatedlyWithoutRecompiling) {
  PayloadTemplate tmpl;
  ASSERT_TRUE(PayloadTemplate::Compile(nlohmann::ordered_json::parse(R"({"v.$": "$.v"})"), &tmpl).empty());
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  for (int i = 0; i < 3; ++i) {
    nlohmann::ordered_json input = {{"v", i}};
    EXPECT_EQ(tmpl.Render(EvalContext{input, context}).value(), nlohmann::ordered_json({{"v", i}}));
  }
}

struct PathFailureCase {
  std::string_view tmpl;
  std::string_view input;
  std::string_view want_message;
};

constexpr PathFailureCase kPathFailures[] = {
    {R"({"missing.$": "$.nope.deep"})", R"({"other":1})",
     R"(The JSONPath '$.nope.deep' specified for the field 'missing.$' could not be found in the input '{"other":1}')"},
    {R"({"a": {"b": [{"c.$": "$.x[3]"}]}})", R"({"x":[1]})",
     R"(The JSONPath '$.x[3]' specified for the field 'c.$' could not be found in the input '{"x":[1]}')"},
    // The ASL specification: "$.vals[3:]" where vals is not an array fails too.
    {R"({"last3.$": "$.vals[3:]"})", R"({"vals":0})",
     R"(The JSONPath '$.vals[3:]' specified for the field 'last3.$' could not be found in the input '{"vals":0}')"},
    {R"({"id.$": "$$.Execution.Nope"})", R"({})",
     R"(The JSONPath '$$.Execution.Nope' specified for the field 'id.$' could not be found in the input '{"Execution":{"Id":"x"}}')"},
};

// AWS records States.Runtime here, not the spec's States.ParameterPathFailure.
TEST(PayloadTemplateTest, MissingPathIsRuntimeError) {
  for (const PathFailureCase& c : kPathFailures) {
    PayloadTemplate tmpl;
    ASSERT_TRUE(PayloadTemplate::Compile(nlohmann::ordered_json::parse(c.tmpl), &tmpl).empty()) << c.tmpl;
    nlohmann::ordered_json input = nlohmann::ordered_json::parse(c.input);
    nlohmann::ordered_json context = {{"Execution", {{"Id", "x"}}}};
    json::Result<nlohmann::ordered_json> got = tmpl.Render(EvalContext{input, context});
    ASSERT_FALSE(got.ok()) << c.tmpl;
    EXPECT_EQ(got.error().name, "States.Runtime") << c.tmpl;
    EXPECT_EQ(got.error().message, c.want_message);
  }
}

struct CompileErrorCase {
  std::string_view tmpl;
  std::vector<std::string_view> want_names;
  std::vector<std::string_view> want_locations;
};

TEST(PayloadTemplateTest, CompileErrorsListEveryProblemInOrder) {
  const CompileErrorCase cases[] = {
      {R"({"a.$": 1})", {"SCHEMA_VALIDATION_FAILED"}, {""}},
      {R"({"a.$": {"b": "$.x"}})", {"SCHEMA_VALIDATION_FAILED"}, {""}},
      {R"({"a.$": null})", {"SCHEMA_VALIDATION_FAILED"}, {""}},
      {R"({"a.$": ["$.x"]})", {"SCHEMA_VALIDATION_FAILED"}, {""}},
      {R"({"a.$": "x"})", {"INVALID_JSON_PATH"}, {""}},
      {R"({"a.$": "$.x["})", {"INVALID_JSON_PATH"}, {""}},
      {R"({"a.$": ""})", {"INVALID_JSON_PATH"}, {""}},
      // Intrinsic strings escape only \' \{ \} \\.
      {R"j({"p.$": "States.Format('say \\\"hi\\\"')"})j", {"SCHEMA_VALIDATION_FAILED"}, {""}},
      {R"({"a.$": 1, "b": {"c.$": "$..", "d": [{"e.$": true}]}})",
       {"SCHEMA_VALIDATION_FAILED", "INVALID_JSON_PATH", "SCHEMA_VALIDATION_FAILED"},
       {"", "/b", "/b/d/0"}},
  };
  for (const CompileErrorCase& c : cases) {
    PayloadTemplate tmpl;
    std::vector<TemplateProblem> errors =
        PayloadTemplate::Compile(nlohmann::ordered_json::parse(c.tmpl), &tmpl);
    ASSERT_EQ(errors.size(), c.want_names.size()) << c.tmpl;
    for (std::size_t i = 0; i < errors.size(); ++i) {
      EXPECT_EQ(errors[i].name, c.want_names[i]) << c.tmpl << " #" << i;
      EXPECT_EQ(errors[i].location, c.want_locations[i]) << c.tmpl << " #" << i;
      EXPECT_NE(errors[i].message.find(".$'"), std::string::npos) << errors[i].message;
    }
  }
}

TEST(PayloadTemplateTest, CompileErrorMessageNamesKeyAtItsObject) {
  PayloadTemplate tmpl;
  std::vector<TemplateProblem> errors =
      PayloadTemplate::Compile(nlohmann::ordered_json::parse(R"({"outer": {"size.$": 5}})"), &tmpl);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/outer");
  EXPECT_EQ(errors[0].message,
            "The value for the field 'size.$' must be a STRING that contains a JSONPath or an "
            "intrinsic function call");
}

// AWS's words for a value that does not compile, recorded for an intrinsic with a bad escape.
TEST(PayloadTemplateTest, InvalidPathOrCallInAwsWords) {
  for (std::string_view tmpl :
       {R"j({"parsed.$": "States.Format('He said, \\\"Hello, {}!\\\"', 'x')"})j",
        R"({"parsed.$": "$.a["})"}) {
    PayloadTemplate out;
    std::vector<TemplateProblem> errors =
        PayloadTemplate::Compile(nlohmann::ordered_json::parse(tmpl), &out);
    ASSERT_EQ(errors.size(), 1u) << tmpl;
    EXPECT_EQ(errors[0].message,
              "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic "
              "function call")
        << tmpl;
  }
}

}  // namespace
}  // namespace timeslip::query
