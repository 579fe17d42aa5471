#pragma once
// The parsed form of an intrinsic function call, the table of functions, and the helpers the
// parser (intrinsic_parser.cc), the functions (intrinsic_functions.cc) and Intrinsic share.

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"
#include "emulator/query/json_path.h"

namespace timeslip::query::internal {

// "You can nest up to 10 intrinsic functions within a field":
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
// The outermost call is at depth 1.
inline constexpr int kMaxIntrinsicNesting = 10;

inline constexpr std::string_view kSchemaValidationFailed = "SCHEMA_VALIDATION_FAILED";
inline constexpr std::string_view kIntrinsicFailure = "States.IntrinsicFailure";

struct IntrinsicCall;
struct FunctionSpec;

struct IntrinsicArg {
  enum class Kind { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  nlohmann::ordered_json literal;               // kLiteral
  std::optional<JsonPath> path;         // kPath
  std::unique_ptr<IntrinsicCall> call;  // kCall
  // kLiteral strings only: the text between the unescaped "{}" placeholders, so that a
  // States.Format template keeps an escaped \{\} as literal braces. Placeholders: size() - 1.
  std::vector<std::string> format_pieces;
};

struct IntrinsicCall {
  std::string text;  // this call's source text, e.g. "States.ArrayLength($.a)"
  const FunctionSpec* fn = nullptr;
  std::vector<IntrinsicArg> args;
};

// What an argument must be. Checked at compile time for literals (SCHEMA_VALIDATION_FAILED) and
// at run time for every value (States.IntrinsicFailure).
enum class ArgType {
  kAny,
  kPathOnly,  // any value, but the argument must not be a literal (States.JsonToString)
  kString,
  kNumber,
  kArray,
  kObject,
  kFalse,   // the boolean false (States.JsonMerge's deep-merge flag)
  kScalar,  // string, number, boolean or null (States.Format's values)
};

struct ArgSpec {
  std::string_view name;  // for messages: "argument 2 (chunk size)"
  ArgType type;
};

using FunctionImpl = json::Result<nlohmann::ordered_json> (*)(const IntrinsicCall& call,
                                                      std::vector<nlohmann::ordered_json>& args,
                                                      const EvalContext& ctx);

inline constexpr int kVariadic = -1;

struct FunctionSpec {
  std::string_view name;  // "States.Format"
  int min_args;
  int max_args;  // or kVariadic
  // Argument i is described by args[min(i, args.size() - 1)]; empty when the function takes none.
  std::vector<ArgSpec> args;
  FunctionImpl impl;

  const ArgSpec& arg(std::size_t i) const { return args[i < args.size() ? i : args.size() - 1]; }
};

// The function named `name` ("States.Format"), or nullptr.
const FunctionSpec* FindFunction(std::string_view name);

// Why `value` cannot be argument `index` (0-based) of `fn`, in words ("must be an array, got
// string"), or "" when it can.
std::string CheckArgType(const FunctionSpec& fn, std::size_t index, const nlohmann::ordered_json& value);

// Parses and statically checks `text`. Errors are SCHEMA_VALIDATION_FAILED.
json::Result<std::unique_ptr<IntrinsicCall>> ParseIntrinsic(std::string_view text);

// Evaluates `call` and its nested calls.
json::Result<nlohmann::ordered_json> EvaluateCall(const IntrinsicCall& call, const EvalContext& ctx);

// UTF-8 helpers. Strings inside a nlohmann::ordered_json must be valid UTF-8, or dump() throws.
bool IsValidUtf8(std::string_view s);
std::string SanitizeUtf8(std::string_view s);     // invalid sequences become U+FFFD
std::size_t CountCodePoints(std::string_view s);  // REQUIRES: IsValidUtf8(s)

// `text` cut to a readable length for an error message.
std::string Snippet(std::string_view text);
// A value as compact JSON text, cut to a readable length, for an error message.
std::string ValueSnippet(const nlohmann::ordered_json& value);

}  // namespace timeslip::query::internal
