#include "emulator/query/io_processing.h"

#include <fmt/format.h>

namespace timeslip::query {
namespace {

json::Result<nlohmann::ordered_json> SelectOrExplain(const JsonPath& path,
                                                     const nlohmann::ordered_json& doc,
                                                     const PathRoots& roots) {
  EvalContext ctx{doc, roots.context};
  ctx.variables = roots.variables;
  return SelectOrExplain(path, ctx);
}

}  // namespace

json::Result<nlohmann::ordered_json> SelectOrExplain(const JsonPath& path, const EvalContext& ctx) {
  json::Result<nlohmann::ordered_json> selected = path.Select(ctx);
  if (selected.ok() || selected.error().name == kQueryEvaluationError) return selected;
  json::Result<const nlohmann::ordered_json*> root = path.Root(ctx);
  std::string why = root.ok() ? path.Explain(*root.value())
                              : "No results for path: " + path.normalized_text();
  return json::Error{"States.Runtime", fmt::format("Invalid path '{}' : {}", path.text(), why)};
}

// InputPath null: the state sees {}.
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
json::Result<nlohmann::ordered_json> ApplyInputPath(const std::optional<JsonPath>& input_path,
                                            const nlohmann::ordered_json& raw,
                                            const PathRoots& roots) {
  if (!input_path) return nlohmann::ordered_json::object();
  return SelectOrExplain(*input_path, raw, roots);
}

// ResultPath null keeps the input and drops the result; "$" replaces the input; any other
// reference path writes the result into the raw state input, creating objects on the way.
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
json::Result<nlohmann::ordered_json> ApplyResultPath(const std::optional<JsonPath>& result_path,
                                             nlohmann::ordered_json state_input, nlohmann::ordered_json result) {
  if (!result_path) return state_input;
  return SetAtReferencePath(std::move(state_input), *result_path, std::move(result));
}

// OutputPath null: the next state gets {}.
json::Result<nlohmann::ordered_json> ApplyOutputPath(const std::optional<JsonPath>& output_path,
                                             const nlohmann::ordered_json& doc,
                                             const PathRoots& roots) {
  if (!output_path) return nlohmann::ordered_json::object();
  return SelectOrExplain(*output_path, doc, roots);
}

json::Result<nlohmann::ordered_json> ApplyOutputPath(const std::optional<JsonPath>& output_path,
                                             nlohmann::ordered_json&& doc, const PathRoots& roots) {
  if (output_path && output_path->text() == "$") return std::move(doc);
  return ApplyOutputPath(output_path, static_cast<const nlohmann::ordered_json&>(doc), roots);
}

}  // namespace timeslip::query
