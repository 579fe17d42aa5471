#include "emulator/query/io_processing.h"

#include <fmt/format.h>

namespace timeslip::query {
namespace {

json::Result<nlohmann::json> SelectOrExplain(const JsonPath& path, const char* field,
                                             const nlohmann::json& doc,
                                             const nlohmann::json& context) {
  EvalContext ctx{doc, context};
  json::Result<nlohmann::json> selected = path.Select(ctx);
  if (selected.ok()) return selected;
  return json::Error{"States.Runtime", fmt::format("Invalid {} '{}': {}", field, path.text(),
                                                   selected.error().message)};
}

}  // namespace

json::Result<nlohmann::json> ApplyInputPath(const std::optional<JsonPath>& input_path,
                                            const nlohmann::json& raw,
                                            const nlohmann::json& context) {
  if (!input_path) return nlohmann::json::object();
  return SelectOrExplain(*input_path, "InputPath", raw, context);
}

json::Result<nlohmann::json> ApplyResultPath(const std::optional<JsonPath>& result_path,
                                             nlohmann::json state_input, nlohmann::json result) {
  if (!result_path) return state_input;
  return SetAtReferencePath(std::move(state_input), *result_path, std::move(result));
}

json::Result<nlohmann::json> ApplyOutputPath(const std::optional<JsonPath>& output_path,
                                             const nlohmann::json& doc,
                                             const nlohmann::json& context) {
  if (!output_path) return nlohmann::json::object();
  return SelectOrExplain(*output_path, "OutputPath", doc, context);
}

}  // namespace timeslip::query
