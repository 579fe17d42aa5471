#pragma once
// JsonPath: ASL's JSONPath dialect (Jayway's, as Step Functions runs it), compiled once.
//
//   $  the input        $$  the context object        $name  workflow variable `name`
//   .name  ['name']  [0]  [-1]  [*]  .*  [0,2]  ['a','b']  [1:3]  [::2]  ..name  [?(@.x > 1)]
//
// A path is *definite* when it can only ever name one node (no wildcard, filter, slice, union or
// recursive descent): selecting it yields that node. An indefinite path yields a JSON array of
// every match. A *reference path* (ResultPath, Choice Variable, *Path fields) is definite and
// uses only names and non-negative indices.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"

namespace timeslip::query {

namespace internal {
struct PathProgram;  // the compiled steps; json_path_internal.h
}

class JsonPath {
 public:
  // Compiles `text`. On failure: Error{"INVALID_JSON_PATH", message naming the path and what is
  // wrong at which offset}. Never aborts, whatever the text.
  static json::Result<JsonPath> Compile(std::string_view text);
  // Compile, then also require a reference path. Error name INVALID_JSON_PATH as above, with
  // a message saying which construct a reference path may not use.
  static json::Result<JsonPath> CompileReference(std::string_view text);

  const std::string& text() const;
  bool reads_context() const;  // starts with "$$"
  bool reads_variable() const;  // starts with "$name"
  const std::string& variable() const;  // that name; empty when not reads_variable()
  bool is_definite() const;
  bool is_reference() const;
  // Jayway's normal form, as AWS quotes paths in runtime errors: "$.a[0]" is "$['a'][0]".
  std::string normalized_text() const;

  // The document the path starts from: ctx.input, ctx.context(), or the value of the variable
  // it names. Error UndefinedVariable (variables.h) when no scope in ctx.variables has it.
  json::Result<const nlohmann::ordered_json*> Root(const EvalContext& ctx) const;

  // Why the path selects nothing from `doc`, in Jayway's words as AWS quotes them after
  // "Invalid path '<text>' : ": "Missing property in path $['a']" when a name before the last step
  // is absent, otherwise "No results for path: $['a']['b']".
  std::string Explain(const nlohmann::ordered_json& doc) const;

  // Selects from Root(ctx): ctx.input, ctx.context when the path starts with "$$", a variable's
  // value when it starts with "$name" (UndefinedVariable when it has none).
  // Definite: the node, or Error{"States.Runtime", "... path '<text>' could not be found in the
  // input '<input>'"} when it is absent. Indefinite: an array of the matches, maybe empty.
  // As in Jayway, an indefinite path fails the same way if, while every step before was
  // definite, it applies a name to a non-object, an index or slice to a non-array, or a filter
  // to a scalar. A missing name is no match, as AWS answers: "$.missing[*]" on {} is [].
  json::Result<nlohmann::ordered_json> Select(const EvalContext& ctx) const;
  // Selects from `doc`, whatever the root ("$", "$$" or "$name").
  json::Result<nlohmann::ordered_json> Select(const nlohmann::ordered_json& doc) const;

  // As Select, but nullptr rather than an error when a definite path is absent (IsPresent).
  // For an indefinite path: the first match, or nullptr when there is none (Select gives all).
  // The pointer is into `doc` and lives as long as it does.
  const nlohmann::ordered_json* Find(const nlohmann::ordered_json& doc) const;
  // Find from Root(ctx); an undefined variable is an error, not an absent node.
  json::Result<const nlohmann::ordered_json*> Find(const EvalContext& ctx) const;

 private:
  explicit JsonPath(std::shared_ptr<const internal::PathProgram> program);
  friend json::Result<nlohmann::ordered_json> SetAtReferencePath(nlohmann::ordered_json doc, const JsonPath& path,
                                                         nlohmann::ordered_json value);
  std::shared_ptr<const internal::PathProgram> program_;
};

// ResultPath: `doc` with `value` placed at `path`, creating intermediate objects as needed.
// "$" replaces the whole document. Error{"States.ResultPathMatchFailure", ...} when the path runs
// through a value that is not an object (or an array index out of range).
// REQUIRES: path.is_reference().
json::Result<nlohmann::ordered_json> SetAtReferencePath(nlohmann::ordered_json doc, const JsonPath& path,
                                                nlohmann::ordered_json value);

}  // namespace timeslip::query
