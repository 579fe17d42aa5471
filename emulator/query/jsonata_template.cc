#include "emulator/query/jsonata_template.h"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "emulator/query/jsonata/jsonata.h"
#include "emulator/query/jsonata_functions.h"
#include "emulator/query/variables.h"

namespace timeslip::query {
namespace internal {

using Json = nlohmann::ordered_json;

// One "{% %}" string inside the template, compiled, and what it reads: an expression is handed
// only the variables it names and builds $states only when it mentions it, because each binding
// is a copy.
struct JsonataSlot {
  Json::json_pointer at;  // where the value goes in the output
  std::string field;      // "Output/result", as AWS names it
  std::string text;       // the expression as AWS quotes it
  jsonata::Expression expression;
  bool reads_states = false;
  bool reads_context = false;
  std::vector<std::string> variables;
  StepFunctionsFunctions functions;
};

struct JsonataTemplateParts {
  Json raw;
  std::string field;
  std::vector<JsonataSlot> slots;
  bool whole = false;  // raw is one expression: slots[0]
  bool reads_states = false;   // some slot does
  bool reads_context = false;  // some slot reads $states.context
};

}  // namespace internal

namespace {

using Json = nlohmann::ordered_json;
using internal::JsonataSlot;
using internal::JsonataTemplateParts;

json::Error QueryError(std::string message) {
  return {std::string(kQueryEvaluationError), std::move(message)};
}

std::string Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// The "$name" references in an expression, "$states" aside. Over-approximates (a name in a
// string literal, a local binding): binding one more variable than needed is harmless.
void ScanNames(const std::string& text, JsonataSlot& slot) {
  static const std::regex kName(R"(\$([A-Za-z_][A-Za-z0-9_]*))");
  std::set<std::string> seen;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kName);
       it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1].str();
    if (name == kReservedVariable) {
      slot.reads_states = true;
    } else if (seen.insert(name).second) {
      slot.variables.push_back(std::move(name));
    }
  }
  slot.reads_context = slot.reads_states && text.find("context") != std::string::npos;
  slot.functions = StepFunctionsFunctionsNamed(slot.variables);
}

json::Status CompileInto(const Json& value, const Json::json_pointer& at, const std::string& field,
                         JsonataTemplateParts& parts) {
  if (IsJsonataExpression(value)) {
    const std::string& written = value.get_ref<const std::string&>();
    std::string text = Trim(std::string_view(written).substr(2, written.size() - 4));
    json::Result<jsonata::Expression> compiled = jsonata::Expression::TryCompile(text);
    if (!compiled.ok()) {
      return json::Error{"SCHEMA_VALIDATION_FAILED",
                         fmt::format("The JSONata expression '{}' specified for the field '{}' is "
                                     "not valid: {}: {}",
                                     text, field, compiled.error().name, compiled.error().message)};
    }
    JsonataSlot slot{at, field, text, std::move(compiled).value()};
    ScanNames(text, slot);
    parts.reads_states |= slot.reads_states;
    parts.reads_context |= slot.reads_context;
    parts.slots.push_back(std::move(slot));
    return json::Ok();
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (json::Status s = CompileInto(it.value(), at / it.key(), field + "/" + it.key(), parts);
          !s.ok()) {
        return s;
      }
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (json::Status s = CompileInto(value[i], at / i, fmt::format("{}[{}]", field, i), parts);
          !s.ok()) {
        return s;
      }
    }
  }
  return json::Ok();
}

// JSONata numbers are doubles; JSON keeps an integral one as an integer (1, not 1.0), as AWS
// prints them.
void NormalizeNumbers(Json& value) {
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9007199254740992.0 &&
        d < 9007199254740992.0) {
      value = static_cast<std::int64_t>(d);
    }
  } else if (value.is_structured()) {
    for (Json& child : value) NormalizeNumbers(child);
  }
}

// $states: {input, context, result, errorOutput}, as much as the field may read. Built once per
// template evaluation and shared by its expressions, since it copies the input.
std::shared_ptr<const Json> StatesObject(const EvalContext& ctx, bool with_context) {
  auto states = std::make_shared<Json>(Json::object());
  (*states)["input"] = ctx.input;
  if (with_context) (*states)["context"] = ctx.context();
  if (ctx.result != nullptr) (*states)["result"] = *ctx.result;
  if (ctx.error_output != nullptr) (*states)["errorOutput"] = *ctx.error_output;
  return states;
}

// `states`: StatesObject's, or null when the expression does not read $states.
json::Result<Json> EvaluateSlot(const JsonataSlot& slot, const EvalContext& ctx,
                                const std::shared_ptr<const Json>& states) {
  jsonata::Bindings bindings;
  if (slot.reads_states) bindings.SetShared(std::string(kReservedVariable), states);
  if (ctx.variables != nullptr) {
    for (const std::string& name : slot.variables) {
      if (const Json* value = ctx.variables->Find(name)) bindings.Set(name, *value);
    }
  }
  AddStepFunctionsFunctions(slot.functions, ctx.rng, bindings);
  jsonata::Environment env;
  env.now = ctx.now;
  env.rng = ctx.rng;
  std::optional<Json> out;
  try {
    // No input document: on AWS "$" and bare field names are undefined at the top.
    out = slot.expression.Evaluate(static_cast<const Json*>(nullptr), bindings, env);
  } catch (const jsonata::Error& e) {
    // A coded error is a sentence of its own after AWS's; Step Functions' own functions throw
    // uncoded ones, which follow a colon.
    std::string tail = e.code().empty() ? fmt::format(": {}", e.what())
                                        : fmt::format(". {}: {}", e.code(), e.what());
    return QueryError(fmt::format("The JSONata expression '{}' specified for the field '{}' threw "
                                  "an error during evaluation{}",
                                  slot.text, slot.field, tail));
  }
  if (!out) {
    return QueryError(fmt::format(
        "The JSONata expression '{}' specified for the field '{}' returned nothing (undefined).",
        slot.text, slot.field));
  }
  NormalizeNumbers(*out);
  return std::move(*out);
}

}  // namespace

bool IsJsonataExpression(const Json& value) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.size() >= 4 && text.compare(0, 2, "{%") == 0 &&
         text.compare(text.size() - 2, 2, "%}") == 0;
}

JsonataTemplate::JsonataTemplate(std::shared_ptr<const JsonataTemplateParts> parts)
    : parts_(std::move(parts)) {}

json::Result<JsonataTemplate> JsonataTemplate::Compile(const Json& value, std::string field) {
  auto parts = std::make_shared<JsonataTemplateParts>();
  parts->raw = value;
  parts->field = std::move(field);
  if (json::Status s = CompileInto(value, Json::json_pointer(), parts->field, *parts); !s.ok()) {
    return s.error();
  }
  parts->whole = IsJsonataExpression(value);
  return JsonataTemplate(std::move(parts));
}

json::Result<Json> JsonataTemplate::Evaluate(const EvalContext& ctx) const {
  const JsonataTemplateParts& parts = *parts_;
  std::shared_ptr<const Json> states;
  if (parts.reads_states) states = StatesObject(ctx, parts.reads_context);
  if (parts.whole) return EvaluateSlot(parts.slots.front(), ctx, states);
  Json out = parts.raw;
  for (const JsonataSlot& slot : parts.slots) {
    json::Result<Json> value = EvaluateSlot(slot, ctx, states);
    if (!value.ok()) return value.error();
    out[slot.at] = std::move(value).value();
  }
  return out;
}

json::Error JsonataTemplate::UnexpectedType(std::string_view expected, const Json& value) const {
  const char* type = value.is_null()      ? "null"
                     : value.is_boolean() ? "boolean"
                     : value.is_number()  ? "number"
                     : value.is_string()  ? "string"
                     : value.is_array()   ? "array"
                                          : "object";
  const std::string text = parts_->whole ? parts_->slots.front().text : parts_->raw.dump();
  return QueryError(fmt::format(
      "The JSONata expression '{}' specified for the field '{}' returned an unexpected result "
      "type. Expected '{}', but was '{}' for value: {}",
      text, parts_->field, expected, type, value.dump()));
}

const Json& JsonataTemplate::raw() const { return parts_->raw; }
const std::string& JsonataTemplate::field() const { return parts_->field; }
bool JsonataTemplate::is_expression() const { return parts_->whole; }
bool JsonataTemplate::has_expression() const { return !parts_->slots.empty(); }
std::string JsonataTemplate::expression_text() const {
  return parts_->whole ? parts_->slots.front().text : std::string();
}

}  // namespace timeslip::query
