// STUB: being replaced by the JSONPath implementation.
#include "emulator/query/json_path.h"

namespace timeslip::query {
namespace internal {
struct PathProgram {
  std::string text;
};
}  // namespace internal

JsonPath::JsonPath(std::shared_ptr<const internal::PathProgram> program)
    : program_(std::move(program)) {}
json::Result<JsonPath> JsonPath::Compile(std::string_view text) {
  return JsonPath(std::make_shared<internal::PathProgram>(internal::PathProgram{std::string(text)}));
}
json::Result<JsonPath> JsonPath::CompileReference(std::string_view text) { return Compile(text); }
const std::string& JsonPath::text() const { return program_->text; }
bool JsonPath::reads_context() const { return false; }
bool JsonPath::is_definite() const { return true; }
bool JsonPath::is_reference() const { return true; }
json::Result<nlohmann::json> JsonPath::Select(const EvalContext& ctx) const { return Select(ctx.input); }
json::Result<nlohmann::json> JsonPath::Select(const nlohmann::json& doc) const { return doc; }
const nlohmann::json* JsonPath::Find(const nlohmann::json& doc) const { return &doc; }
json::Result<nlohmann::json> SetAtReferencePath(nlohmann::json, const JsonPath&, nlohmann::json value) {
  return value;
}
}  // namespace timeslip::query
