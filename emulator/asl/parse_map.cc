// Map states: ItemProcessor (or Iterator), items and their selection, concurrency, tolerated
// failures, Label, ItemReader, ItemBatcher and ResultWriter.
#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "emulator/asl/map_label_internal.h"
#include "emulator/asl/parser_internal.h"

namespace timeslip::asl::internal {
namespace {

// ItemBatcher MaxInputBytesPerBatch: at most 256 KiB.
constexpr std::int64_t kMaxInputBytesPerBatch = 256 * 1024;

}  // namespace

void Parser::ParseMap(const Json& def, const std::string& location, int depth, bool jsonata,
                      State& state) {
  const Json* processor = Find(def, "ItemProcessor");
  const Json* iterator = Find(def, "Iterator");
  if (processor != nullptr && iterator != nullptr) {
    Exclusive(location, "ItemProcessor", "Iterator");
  } else if (processor == nullptr && iterator == nullptr) {
    Required(location, "ItemProcessor");
  }
  // Iterator is ItemProcessor's older name, and AWS still takes a ProcessorConfig inside it.
  if (const Json* machine = processor != nullptr ? processor : iterator) {
    std::string at = At(location, processor != nullptr ? "ItemProcessor" : "Iterator");
    if (const Json* config = Find(*machine, "ProcessorConfig")) {
      ParseProcessorConfig(*config, At(at, "ProcessorConfig"), state);
    }
    state.item_processor =
        ParseMachine(*machine, at, MachineKind::kItemProcessor, state.query_language, depth + 1);
  }

  if (jsonata) {
    if (const Json* v = Find(def, "Items")) {
      if (!v->is_array() && !IsJsonataExpression(*v)) {
        TypeError(location, "Items", "an ARRAY or a JSONata expression");
      } else {
        state.items = JsonataField(*v, At(location, "Items"), "Items");
      }
    }
    if (const Json* v = Find(def, "ItemSelector")) {
      state.jsonata_item_selector = JsonataField(*v, At(location, "ItemSelector"), "ItemSelector");
    }
  } else {
    if (const Json* v = Find(def, "ItemsPath")) {
      state.items_path = ReferencePath(*v, "ItemsPath", location);
    } else {
      state.items_path = Dollar();
    }
    if (Find(def, "ItemSelector") && Find(def, "Parameters")) {
      Exclusive(location, "ItemSelector", "Parameters");
    }
    state.item_selector = Find(def, "ItemSelector") ? Template(def, "ItemSelector", location)
                                                    : Template(def, "Parameters", location);
    state.max_concurrency_path = ReferencePathField(def, "MaxConcurrencyPath", location);
    state.tolerated_failure_percentage_path =
        ReferencePathField(def, "ToleratedFailurePercentagePath", location);
    state.tolerated_failure_count_path =
        ReferencePathField(def, "ToleratedFailureCountPath", location);
    if (Find(def, "MaxConcurrency") && Find(def, "MaxConcurrencyPath")) {
      Exclusive(location, "MaxConcurrency", "MaxConcurrencyPath");
    }
    if (Find(def, "ToleratedFailurePercentage") && Find(def, "ToleratedFailurePercentagePath")) {
      Exclusive(location, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    }
    if (Find(def, "ToleratedFailureCount") && Find(def, "ToleratedFailureCountPath")) {
      Exclusive(location, "ToleratedFailureCount", "ToleratedFailureCountPath");
    }
  }

  if (const Json* v = Find(def, "MaxConcurrency")) {
    if (jsonata && IsJsonataExpression(*v)) {
      state.max_concurrency_expr = JsonataField(*v, At(location, "MaxConcurrency"), "MaxConcurrency");
    } else {
      state.max_concurrency =
          IntegerValue(*v, "MaxConcurrency", location, 0, std::numeric_limits<std::int64_t>::max(),
                       "a non-negative integer");
    }
  }
  if (const Json* v = Find(def, "ToleratedFailurePercentage")) {
    if (jsonata && IsJsonataExpression(*v)) {
      state.tolerated_failure_percentage_expr = JsonataField(
          *v, At(location, "ToleratedFailurePercentage"), "ToleratedFailurePercentage");
    } else {
      state.tolerated_failure_percentage =
          Number(def, "ToleratedFailurePercentage", location, 0, 100, "a number between 0 and 100");
    }
  }
  if (const Json* v = Find(def, "ToleratedFailureCount")) {
    if (jsonata && IsJsonataExpression(*v)) {
      state.tolerated_failure_count_expr =
          JsonataField(*v, At(location, "ToleratedFailureCount"), "ToleratedFailureCount");
    } else {
      state.tolerated_failure_count =
          IntegerValue(*v, "ToleratedFailureCount", location, 0,
                       std::numeric_limits<std::int64_t>::max(), "a non-negative integer");
    }
  }
  if (std::optional<std::string> label = String(def, "Label", location)) {
    state.label = *label;
    CheckLabel(*label, At(location, "Label"));
  }
  if (const Json* v = Find(def, "ItemReader")) ParseItemReader(*v, location, jsonata, state);
  if (const Json* v = Find(def, "ItemBatcher")) ParseItemBatcher(*v, location, jsonata, state);
  if (const Json* v = Find(def, "ResultWriter")) ParseResultWriter(*v, location, jsonata, state);
}

void Parser::ParseProcessorConfig(const Json& config, const std::string& at, State& state) {
  if (!config.is_object()) {
    Schema(at, "The value for the field 'ProcessorConfig' must be an OBJECT");
    return;
  }
  CheckFields(config, at, {"Mode", "ExecutionType"});
  if (auto mode = Enum(config, "Mode", at, {"INLINE", "DISTRIBUTED"})) {
    state.processor_mode =
        *mode == "DISTRIBUTED" ? ProcessorMode::kDistributed : ProcessorMode::kInline;
  }
  if (auto type = Enum(config, "ExecutionType", at, {"STANDARD", "EXPRESS"})) {
    state.execution_type = *type == "EXPRESS" ? ExecutionType::kExpress : ExecutionType::kStandard;
  }
  if (state.processor_mode == ProcessorMode::kDistributed &&
      Find(config, "ExecutionType") == nullptr) {
    Required(at, "ExecutionType");
  }
}

void Parser::CheckLabel(const std::string& label, const std::string& at) {
  if (label.empty()) {
    Schema(at, "The field 'Label' must not be empty");
  } else if (std::optional<std::string> problem = LabelProblem(label)) {
    Error(kInvalidLabelName, at, std::move(*problem));
  }
}

void Parser::ParseItemReader(const Json& reader, const std::string& location, bool jsonata,
                             State& state) {
  std::string at = At(location, "ItemReader");
  state.item_reader = reader;
  if (!reader.is_object()) {
    TypeError(location, "ItemReader", "an OBJECT");
    return;
  }
  CheckFields(reader, at, {"Resource", "ReaderConfig", jsonata ? "Arguments" : "Parameters"});
  std::optional<std::string> resource = String(reader, "Resource", at);
  if (Find(reader, "Resource") == nullptr) Required(at, "Resource");
  if (resource && *resource != "arn:aws:states:::s3:getObject" &&
      *resource != "arn:aws:states:::s3:listObjectsV2") {
    Schema(At(at, "Resource"),
           fmt::format("The field 'Resource' should have one of these values: "
                       "[arn:aws:states:::s3:getObject, arn:aws:states:::s3:listObjectsV2]"));
  }
  if (const Json* config = Find(reader, "ReaderConfig")) {
    std::string config_at = At(at, "ReaderConfig");
    if (!config->is_object()) {
      TypeError(at, "ReaderConfig", "an OBJECT");
    } else {
      CheckFields(*config, config_at,
                  {"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems",
                   "MaxItemsPath", "ManifestType", "Transformation"});
      Enum(*config, "InputType", config_at, {"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"});
      Enum(*config, "CSVHeaderLocation", config_at, {"FIRST_ROW", "GIVEN"});
      Integer(*config, "MaxItems", config_at, 1, 100000000, "a positive integer");
      if (!jsonata) ReferencePathField(*config, "MaxItemsPath", config_at);
    }
  }
  if (!jsonata) state.item_reader_parameters = Template(reader, "Parameters", at);
}

void Parser::ParseItemBatcher(const Json& batcher, const std::string& location, bool jsonata,
                              State& state) {
  std::string at = At(location, "ItemBatcher");
  state.item_batcher = batcher;
  if (!batcher.is_object()) {
    TypeError(location, "ItemBatcher", "an OBJECT");
    return;
  }
  if (jsonata) {
    CheckFields(batcher, at, {"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"});
  } else {
    CheckFields(batcher, at,
                {"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
                 "MaxInputBytesPerBatchPath", "BatchInput"});
    ReferencePathField(batcher, "MaxItemsPerBatchPath", at);
    ReferencePathField(batcher, "MaxInputBytesPerBatchPath", at);
  }
  for (std::string_view field : {"MaxItemsPerBatch", "MaxInputBytesPerBatch"}) {
    const Json* v = Find(batcher, field);
    if (v == nullptr || (jsonata && IsJsonataExpression(*v))) continue;
    IntegerValue(*v, field, at, 1,
                 field == "MaxInputBytesPerBatch" ? kMaxInputBytesPerBatch
                                                  : std::numeric_limits<std::int32_t>::max(),
                 "a positive integer");
  }
  if (const Json* v = Find(batcher, "BatchInput"); v != nullptr && !v->is_object()) {
    TypeError(at, "BatchInput", "an OBJECT");
  }
}

void Parser::ParseResultWriter(const Json& writer, const std::string& location, bool jsonata,
                               State& state) {
  std::string at = At(location, "ResultWriter");
  state.result_writer = writer;
  if (!writer.is_object()) {
    TypeError(location, "ResultWriter", "an OBJECT");
    return;
  }
  CheckFields(writer, at, {"Resource", "WriterConfig", jsonata ? "Arguments" : "Parameters"});
  if (Find(writer, "Resource") == nullptr && Find(writer, "WriterConfig") == nullptr) {
    Required(at, "Resource");
  }
  if (std::optional<std::string> resource = String(writer, "Resource", at)) {
    if (*resource != "arn:aws:states:::s3:putObject") {
      Schema(At(at, "Resource"),
             "The field 'Resource' should have one of these values: "
             "[arn:aws:states:::s3:putObject]");
    }
  }
  if (const Json* config = Find(writer, "WriterConfig")) {
    std::string config_at = At(at, "WriterConfig");
    if (!config->is_object()) {
      TypeError(at, "WriterConfig", "an OBJECT");
    } else {
      CheckFields(*config, config_at, {"Transformation", "OutputType"});
      Enum(*config, "Transformation", config_at, {"NONE", "COMPACT", "FLATTEN"});
      Enum(*config, "OutputType", config_at, {"JSON", "JSONL"});
    }
  }
  if (!jsonata) state.result_writer_parameters = Template(writer, "Parameters", at);
}

}  // namespace timeslip::asl::internal
