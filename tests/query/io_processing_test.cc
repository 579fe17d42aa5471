#include "emulator/query/io_processing.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "emulator/query/payload_template.h"

// The tables below name only the fields that differ from the defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace timeslip::query {
namespace {

// A path field as the ASL parser hands it over: JSON null is nullopt.
std::optional<JsonPath> PathField(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  json::Result<JsonPath> path = JsonPath::Compile(*text);
  EXPECT_TRUE(path.ok()) << *text;
  return std::move(path).value();
}

const nlohmann::ordered_json kNoContext = nlohmann::ordered_json::object();

// One state's JSONPath data flow, the way the engine runs it: InputPath, Parameters, the task
// (here: a given result), ResultSelector, ResultPath into the raw input, OutputPath.
struct Flow {
  std::optional<std::string_view> input_path = "$";
  std::optional<std::string_view> parameters;  // a template, or none
  std::optional<std::string_view> result_selector;
  std::optional<std::string_view> result_path = "$";
  std::optional<std::string_view> output_path = "$";
};

struct FlowOutcome {
  nlohmann::ordered_json effective_input;  // what the task received
  json::Result<nlohmann::ordered_json> output;
};

FlowOutcome RunFlow(const Flow& flow, const nlohmann::ordered_json& raw, const nlohmann::ordered_json& task_result,
                    const nlohmann::ordered_json& context = kNoContext) {
  FlowOutcome out{nullptr, nlohmann::ordered_json()};
  json::Result<nlohmann::ordered_json> input = ApplyInputPath(PathField(flow.input_path), raw, context);
  if (!input.ok()) return {nullptr, input.error()};
  out.effective_input = std::move(input).value();
  if (flow.parameters) {
    PayloadTemplate tmpl;
    EXPECT_TRUE(PayloadTemplate::Compile(nlohmann::ordered_json::parse(*flow.parameters), &tmpl).empty());
    json::Result<nlohmann::ordered_json> rendered = tmpl.Render(EvalContext{out.effective_input, context});
    if (!rendered.ok()) return {nullptr, rendered.error()};
    out.effective_input = std::move(rendered).value();
  }
  nlohmann::ordered_json result = task_result;
  if (flow.result_selector) {
    PayloadTemplate tmpl;
    EXPECT_TRUE(
        PayloadTemplate::Compile(nlohmann::ordered_json::parse(*flow.result_selector), &tmpl).empty());
    json::Result<nlohmann::ordered_json> rendered = tmpl.Render(EvalContext{result, context});
    if (!rendered.ok()) return {nullptr, rendered.error()};
    result = std::move(rendered).value();
  }
  json::Result<nlohmann::ordered_json> combined =
      ApplyResultPath(PathField(flow.result_path), raw, std::move(result));
  if (!combined.ok()) return {out.effective_input, combined.error()};
  out.output = ApplyOutputPath(PathField(flow.output_path), combined.value(), context);
  return out;
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
constexpr std::string_view kResultPathInput =
    R"({"comment": "This is a test", "details": "Default example", "who": "Step Functions"})";
constexpr std::string_view kHello = R"("Hello, Step Functions!")";

struct DocExample {
  std::string_view name;
  Flow flow;
  std::string_view input;
  std::string_view task_result;
  std::string_view want_output;
  std::string_view want_effective_input = "";  // checked when not empty
};

const DocExample kDocExamples[] = {
    // ResultPath page.
    {"resultpath $ replaces the input",
     {.result_path = "$"},
     kResultPathInput,
     kHello,
     R"("Hello, Step Functions!")"},
    {"resultpath null keeps the input",
     {.result_path = std::nullopt},
     kResultPathInput,
     kHello,
     R"({"comment":"This is a test","details":"Default example","who":"Step Functions"})"},
    {"resultpath $.taskresult includes the result",
     {.result_path = "$.taskresult"},
     kResultPathInput,
     kHello,
     R"({"comment":"This is a test","details":"Default example","who":"Step Functions","taskresult":"Hello, Step Functions!"})"},
    {"resultpath into a child node",
     {.result_path = "$.strings.lambdaresult"},
     R"({"comment": "An input comment.",
         "strings": {"string1": "foo", "string2": "bar", "string3": "baz"},
         "who": "AWS Step Functions"})",
     R"("Hello, AWS Step Functions!")",
     R"({"comment":"An input comment.","strings":{"string1":"foo","string2":"bar","string3":"baz","lambdaresult":"Hello, AWS Step Functions!"},"who":"AWS Step Functions"})"},
    {"resultpath updates a node",
     {.result_path = "$.comment"},
     kResultPathInput,
     kHello,
     R"({"comment":"Hello, Step Functions!","details":"Default example","who":"Step Functions"})"},
    {"catch resultpath $.error",
     {.result_path = "$.error"},
     R"({"foo": "bar"})",
     R"({"Error": "Error here"})",
     R"({"foo":"bar","error":{"Error":"Error here"}})"},
    // InputPath, ResultPath and OutputPath example page.
    {"inputpath resultpath outputpath together",
     {.input_path = "$.lambda", .result_path = "$.data.lambdaresult", .output_path = "$.data"},
     R"({"comment": "An input comment.", "data": {"val1": 23, "val2": 17}, "extra": "foo",
         "lambda": {"who": "AWS Step Functions"}})",
     R"("Hello, AWS Step Functions!")",
     R"({"val1":23,"val2":17,"lambdaresult":"Hello, AWS Step Functions!"})",
     R"({"who":"AWS Step Functions"})"},
    // Input and output processing page: the numbers example, both OutputPaths.
    {"numbers sum outputpath $",
     {.input_path = "$.numbers", .result_path = "$.sum", .output_path = "$"},
     R"({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}})",
     "7",
     R"({"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":7})",
     R"({"val1":3,"val2":4})"},
    {"numbers sum outputpath $.sum",
     {.input_path = "$.numbers", .result_path = "$.sum", .output_path = "$.sum"},
     R"({"numbers": {"val1": 3, "val2": 4}})",
     "7",
     "7"},
    // InputPath and Parameters page.
    {"inputpath $.dataset2",
     {.input_path = "$.dataset2", .result_path = std::nullopt},
     R"({"comment": "Example for InputPath.", "dataset1": {"val1": 1, "val2": 2, "val3": 3},
         "dataset2": {"val1": "a", "val2": "b", "val3": "c"}})",
     "null",
     R"({"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},"dataset2":{"val1":"a","val2":"b","val3":"c"}})",
     R"({"val1":"a","val2":"b","val3":"c"})"},
    {"inputpath selecting a slice",
     {.input_path = "$.a[0:2]"},
     R"({"a": [1, 2, 3, 4]})",
     "{}",
     "{}",
     "[1,2]"},
    {"parameters after inputpath",
     {.input_path = "$.product",
      .parameters = R"({"comment": "Selecting what I care about.",
                        "MyDetails": {"size.$": "$.details.size", "exists.$": "$.availability",
                                      "StaticValue": "foo"}})",
      .result_path = std::nullopt},
     R"({"comment": "Example for Parameters.",
         "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
                     "availability": "in stock", "sku": "2317", "cost": "$23"}})",
     "null",
     R"({"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small","material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}})",
     R"({"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}})"},
    {"result selector then resultpath",
     {.result_selector = R"({"ClusterId.$": "$.output.ClusterId",
                             "ResourceType.$": "$.resourceType"})",
      .result_path = "$.EMROutput"},
     R"({"cluster": "a"})",
     R"({"resourceType": "elasticmapreduce", "resource": "createCluster.sync",
         "output": {"SdkResponseMetadata": {"RequestId": "1234-5678-9012"},
                    "ClusterId": "AKIAIOSFODNN7EXAMPLE"}})",
     R"({"cluster":"a","EMROutput":{"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"}})"},
    {"inputpath and outputpath null",
     {.input_path = std::nullopt, .output_path = std::nullopt},
     R"({"a": 1})",
     R"({"r": 1})",
     "{}",
     "{}"},
    // The context object reached through InputPath (AWS allows "$$" outside Parameters).
    {"inputpath from the context object",
     {.input_path = "$$.Execution.Id",
      .result_path = "$.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"},
     R"({"vals": [0, 1, 2]})",
     R"("abc")",
     R"({"vals":[0,1,2],"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"abc"})",
     R"("abc")"},
};

TEST(IoProcessingTest, DocumentedExamples) {
  const nlohmann::ordered_json context = {{"Execution", {{"Id", "abc"}}}};
  for (const DocExample& c : kDocExamples) {
    FlowOutcome got = RunFlow(c.flow, nlohmann::ordered_json::parse(c.input),
                              nlohmann::ordered_json::parse(c.task_result), context);
    ASSERT_TRUE(got.output.ok()) << c.name << ": " << got.output.error().name << ": "
                                 << got.output.error().message;
    EXPECT_EQ(got.output.value().dump(), c.want_output) << c.name;
    if (!c.want_effective_input.empty()) {
      EXPECT_EQ(got.effective_input.dump(), c.want_effective_input) << c.name;
    }
  }
}

TEST(IoProcessingTest, ResultPathWritesIntoTheRawInputNotTheEffectiveInput) {
  // InputPath narrowed what the task saw; ResultPath still merges into the whole raw input.
  FlowOutcome got = RunFlow({.input_path = "$.a", .result_path = "$.r"},
                            nlohmann::ordered_json::parse(R"({"a":{"x":1},"b":2})"), nlohmann::ordered_json(9));
  ASSERT_TRUE(got.output.ok());
  EXPECT_EQ(got.output.value().dump(), R"({"a":{"x":1},"b":2,"r":9})");
}

struct ErrorCase {
  std::string_view name;
  Flow flow;
  std::string_view input;
  std::string_view task_result;
  std::string_view want_error;
  std::string_view want_message;  // checked when not empty
};

const ErrorCase kErrorCases[] = {
    {"inputpath not found",
     {.input_path = "$.missing"},
     R"({"a":1})",
     "1",
     "States.Runtime",
     "Invalid path '$.missing' : No results for path: $['missing']"},
    {"inputpath through a scalar",
     {.input_path = "$.a.b[0]"},
     R"({"a":1})",
     "1",
     "States.Runtime",
     "Invalid path '$.a.b[0]' : No results for path: $['a']['b'][0]"},
    // Recorded on AWS (conformance test_catch_states_runtime): Jayway names the first missing
    // property when it is not the last step.
    {"inputpath through a missing property",
     {.input_path = "$.no.such.path"},
     R"({"a":1})",
     "1",
     "States.Runtime",
     "Invalid path '$.no.such.path' : Missing property in path $['no']"},
    {"inputpath missing deeper",
     {.input_path = "$.a.b.c"},
     R"({"a":{"x":1}})",
     "1",
     "States.Runtime",
     "Invalid path '$.a.b.c' : Missing property in path $['a']['b']"},
    {"outputpath not found",
     {.output_path = "$.nope"},
     R"({"a":1})",
     R"({"r":1})",
     "States.Runtime",
     "Invalid path '$.nope' : No results for path: $['nope']"},
    {"outputpath of a discarded result",
     {.result_path = std::nullopt, .output_path = "$.r"},
     R"({"a":1})",
     R"({"r":1})",
     "States.Runtime",
     ""},
    {"parameters path not found",
     {.parameters = R"({"x.$": "$.nope"})"},
     R"({"a":1})",
     "1",
     "States.Runtime",
     R"(The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{"a":1}')"},
    {"result selector path not found",
     {.result_selector = R"({"x.$": "$.Payload"})"},
     R"({"a":1})",
     R"({"StatusCode":200})",
     "States.Runtime",
     ""},
    {"resultpath through a string",
     {.result_path = "$.a.b"},
     R"({"a":"str"})",
     "1",
     "States.ResultPathMatchFailure",
     ""},
    {"resultpath into a non-object input",
     {.result_path = "$.a"},
     R"("just a string")",
     "1",
     "States.ResultPathMatchFailure",
     ""},
    {"resultpath index out of range",
     {.result_path = "$.a[2]"},
     R"({"a":[1]})",
     "1",
     "States.ResultPathMatchFailure",
     ""},
};

TEST(IoProcessingTest, Errors) {
  for (const ErrorCase& c : kErrorCases) {
    FlowOutcome got =
        RunFlow(c.flow, nlohmann::ordered_json::parse(c.input), nlohmann::ordered_json::parse(c.task_result));
    ASSERT_FALSE(got.output.ok()) << c.name << " gave " << got.output.value().dump();
    EXPECT_EQ(got.output.error().name, c.want_error) << c.name;
    if (!c.want_message.empty()) {
      EXPECT_EQ(got.output.error().message, c.want_message) << c.name;
    }
  }
}

TEST(IoProcessingTest, ResultPathMatchFailureMessage) {
  json::Result<nlohmann::ordered_json> got = ApplyResultPath(JsonPath::Compile("$.a.b").value(),
                                                     nlohmann::ordered_json::parse(R"({"a":"str"})"), 1);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message,
            R"(Unable to apply ResultPath '$.a.b' to input '{"a":"str"}': 'b' is applied to a )"
            R"(string, not an object)");
}

TEST(IoProcessingTest, IndefiniteOutputPathThatMatchesNothingIsAnEmptyArray) {
  json::Result<nlohmann::ordered_json> got =
      ApplyOutputPath(JsonPath::Compile("$.xs[?(@ > 5)]").value(),
                      nlohmann::ordered_json::parse(R"({"xs":[1,2]})"), kNoContext);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value(), nlohmann::ordered_json::array());
}

}  // namespace
}  // namespace timeslip::query
