// Map states: Label checks in AWS's words, and the legacy Iterator with a ProcessorConfig.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "emulator/asl/map_label_internal.h"
#include "emulator/asl/parse_definition.h"

namespace timeslip::asl {
namespace {

// A distributed Map whose Label is `label_json` (a JSON string literal).
std::string MapWithLabel(std::string_view label_json) {
  return fmt::format(
      R"({{"StartAt":"M","States":{{"M":{{"Type":"Map","ItemProcessor":{{)"
      R"("ProcessorConfig":{{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}},)"
      R"("StartAt":"P","States":{{"P":{{"Type":"Pass","End":true}}}}}},"Label":{},"End":true}}}}}})",
      label_json);
}

struct LabelCase {
  std::string_view label_json;  // as written in the definition
  std::string_view problem;     // LabelProblem's text; "" when the label is taken
};
constexpr LabelCase kLabelCases[] = {
    {R"("Orders-2024_v1.0")", ""},
    {R"("1234567890123456789012345678901234567890")", ""},
    {R"("12345678901234567890123456789012345678901")", "Label cannot exceed 40 characters"},
    {R"("label_$")", "Label contains invalid character: '$'"},
    {R"("label_]")", "Label contains invalid character: ']'"},
    {R"("label_`")", "Label contains invalid character: '`'"},
    {R"("label_\"")", R"(Label contains invalid character: '"')"},
    {R"("label_\\")", R"(Label contains invalid character: '\\')"},
    {R"("label_\t")", R"(Label contains invalid character: '\t')"},
    {R"("label_\r")", R"(Label contains invalid character: '\r')"},
    {R"("label_ x")", "Label contains invalid character: ' '"},
    {R"("label_\u0001")", R"(Label contains invalid character: '\x01')"},
    {R"("label_\u007f")", R"(Label contains invalid character: '\x7f')"},
    {R"("label_\u0082")", R"(Label contains invalid character: '\x82')"},
    {R"("label_\u009e")", R"(Label contains invalid character: '\x9e')"},
    {R"("étiquette")", ""},  // characters, not bytes, and not only ASCII
};

TEST(MapLabelTest, AwsRefusesWhitespaceControlsReservedAndMoreThan40Characters) {
  for (const LabelCase& c : kLabelCases) {
    ParseResult result = ParseDefinition(MapWithLabel(c.label_json));
    if (c.problem.empty()) {
      EXPECT_TRUE(result.machine) << c.label_json;
      continue;
    }
    ASSERT_FALSE(result.machine) << c.label_json;
    ASSERT_EQ(result.diagnostics.size(), 1u) << c.label_json;
    EXPECT_EQ(result.diagnostics[0].code, kInvalidLabelName) << c.label_json;
    EXPECT_EQ(result.diagnostics[0].location, "/States/M/Label") << c.label_json;
    EXPECT_EQ(result.diagnostics[0].message, c.problem) << c.label_json;
  }
}

TEST(MapLabelTest, CreateStateMachineQuotesTheDefinitionAsAwsDoes) {
  // The problem text is shown as Python would print it: in double quotes when it holds a single
  // quote, in single quotes (escaping them) when it holds both kinds.
  std::string definition = MapWithLabel(R"("label_$")");
  EXPECT_EQ(FormatInvalidDefinition(ParseDefinition(definition).diagnostics, definition),
            "Error=ValueError Args=[\"Label contains invalid character: '$'\"] in definition '" +
                definition + "'.");
  definition = MapWithLabel(R"("label_\"")");
  EXPECT_EQ(FormatInvalidDefinition(ParseDefinition(definition).diagnostics, definition),
            R"(Error=ValueError Args=['Label contains invalid character: \'"\''] in definition ')" +
                definition + "'.");
  definition = MapWithLabel(R"("label_\\")");
  EXPECT_EQ(
      FormatInvalidDefinition(ParseDefinition(definition).diagnostics, definition),
      R"(Error=ValueError Args=["Label contains invalid character: '\\\\'"] in definition ')" +
          definition + "'.");
  EXPECT_EQ(internal::LabelRefusal("Label cannot exceed 40 characters", "{}"),
            "Error=ValueError Args=['Label cannot exceed 40 characters'] in definition '{}'.");
}

TEST(MapLabelTest, OtherErrorsComeFirst) {
  // AWS looks at Labels only in a definition that is otherwise valid.
  std::string definition = R"({"StartAt":"M","States":{"M":{"Type":"Map","Label":"a b",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true,
      "MaxConcurrency":-1}}})";
  ParseResult result = ParseDefinition(definition);
  ASSERT_FALSE(result.machine);
  EXPECT_EQ(FormatInvalidDefinition(result.diagnostics, definition),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: " +
                result.diagnostics[0].message + " at /States/M/MaxConcurrency'");
}

TEST(MapIteratorTest, LegacyIteratorTakesAProcessorConfig) {
  for (std::string_view mode :
       {R"({"Mode":"INLINE"})", R"({"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"})"}) {
    ParseResult result = ParseDefinition(fmt::format(
        R"({{"StartAt":"M","States":{{"M":{{"Type":"Map","MaxConcurrency":1,)"
        R"("ItemSelector":{{"v.$":"$$.Map.Item.Value"}},"Iterator":{{"StartAt":"P",)"
        R"("States":{{"P":{{"Type":"Pass","End":true}}}},"ProcessorConfig":{}}},"End":true}}}}}})",
        mode));
    ASSERT_TRUE(result.machine) << mode << " " << result.diagnostics.size();
    const State& map = result.machine->state(0);
    EXPECT_TRUE(map.item_processor) << mode;
    EXPECT_TRUE(map.item_selector) << mode;
    EXPECT_EQ(map.processor_mode, mode.find("DISTRIBUTED") != std::string_view::npos
                                      ? ProcessorMode::kDistributed
                                      : ProcessorMode::kInline);
  }
  ParseResult bad = ParseDefinition(
      R"({"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"P",
          "States":{"P":{"Type":"Pass","End":true}},"ProcessorConfig":{"Mode":"SIDEWAYS"}},
          "End":true}}})");
  ASSERT_FALSE(bad.machine);
  EXPECT_EQ(bad.diagnostics[0].location, "/States/M/Iterator/ProcessorConfig/Mode");
}

}  // namespace
}  // namespace timeslip::asl
