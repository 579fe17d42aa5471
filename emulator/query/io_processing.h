#pragma once
// The JSONPath input and output processing of one state, step by step, with AWS's semantics:
// InputPath -> Parameters -> (task) -> ResultSelector -> ResultPath -> OutputPath.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
//
// A path field is std::optional<JsonPath>: nullopt stands for an explicit JSON null, which
// means "{}" for InputPath and OutputPath and "discard the result" for ResultPath. A field left
// out of the definition is "$" (the ASL parser fills that in).

#include <optional>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"
#include "emulator/query/json_path.h"

namespace timeslip::query {

// `roots` carries what "$$" and "$name" read (a bare context document converts).

// Selects a path that must find something (InputPath, OutputPath, *Path fields). A definite path
// that finds nothing is States.Runtime in Jayway's words, as AWS quotes them: "Invalid path '$.x'
// : No results for path: $['x']" or "... : Missing property in path $['a']". An undefined
// variable keeps its own error.
json::Result<nlohmann::ordered_json> SelectOrExplain(const JsonPath& path, const EvalContext& ctx);

// InputPath. Error{"States.Runtime", ...} when a definite path is absent from `raw`;
// UndefinedVariable (variables.h) when it reads a variable no scope has.
json::Result<nlohmann::ordered_json> ApplyInputPath(const std::optional<JsonPath>& input_path,
                                            const nlohmann::ordered_json& raw,
                                            const PathRoots& roots);

// ResultPath: `result` merged into `state_input`. nullopt keeps the input and drops the result.
// Error{"States.ResultPathMatchFailure", ...} when the path cannot be set in the input.
json::Result<nlohmann::ordered_json> ApplyResultPath(const std::optional<JsonPath>& result_path,
                                             nlohmann::ordered_json state_input, nlohmann::ordered_json result);

// OutputPath. Errors as ApplyInputPath's, for `doc`.
json::Result<nlohmann::ordered_json> ApplyOutputPath(const std::optional<JsonPath>& output_path,
                                             const nlohmann::ordered_json& doc,
                                             const PathRoots& roots);
// The same, consuming `doc`: "$" then moves it rather than copy it.
json::Result<nlohmann::ordered_json> ApplyOutputPath(const std::optional<JsonPath>& output_path,
                                             nlohmann::ordered_json&& doc, const PathRoots& roots);

}  // namespace timeslip::query
