// Parser's diagnostics and its typed field readers, shared by every part of the parser.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cassert>

#include "emulator/asl/parser_internal.h"

namespace timeslip::asl::internal {

namespace {

json::FieldReader Reader(const Json& object, const std::string& location) {
  return json::FieldReader(object, location, json::PathStyle::kPointer);
}

}  // namespace


bool LooksLikePath(const std::string& text) {
  return text == "$" || text.rfind("$.", 0) == 0 || text.rfind("$[", 0) == 0 ||
         text.rfind("$$", 0) == 0;
}

void Parser::Error(std::string_view code, std::string location, std::string message) {
  diagnostics_.push_back(
      {Severity::kError, std::string(code), std::move(location), std::move(message)});
}

void Parser::Schema(std::string location, std::string message) {
  // AWS's schema check names the document's root "/": "These fields are required: [States] at /".
  if (location.empty()) location = "/";
  Error(kSchemaValidationFailed, std::move(location), std::move(message));
}

void Parser::Warn(std::string_view code, std::string location, std::string message) {
  diagnostics_.push_back(
      {Severity::kWarning, std::string(code), std::move(location), std::move(message)});
}

void Parser::TypeError(const std::string& location, std::string_view field, std::string_view kind) {
  Schema(At(location, field), fmt::format("The value for the field '{}' must be {}", field, kind));
}

void Parser::Misfit(const json::Problem& problem, const std::string& location,
                    std::string_view field, std::string_view kind, std::string otherwise) {
  if (problem.kind == json::Problem::Kind::kWrongType) {
    TypeError(location, field, kind);
  } else {
    Schema(problem.path, std::move(otherwise));
  }
}

void Parser::Unsupported(const std::string& location, std::string_view field) {
  Schema(location, fmt::format("Field '{}' is not supported", field));
}

void Parser::Required(const std::string& location, std::string_view fields) {
  Schema(location, fmt::format("These fields are required: [{}]", fields));
}

void Parser::Exclusive(const std::string& location, std::string_view a, std::string_view b) {
  Schema(At(location, a), fmt::format("Only one of these fields can be specified: [{}, {}]", a, b));
}

void Parser::CheckFields(const Json& object, const std::string& location,
                         std::initializer_list<std::string_view> allowed) {
  for (const json::Problem& unknown : Reader(object, location).UnknownFields(allowed)) {
    Unsupported(location, unknown.field);
  }
}

const Json* Parser::Typed(const Json& object, std::string_view field, const std::string& location,
                          json::Type type, std::string_view kind) {
  if (Find(object, field) == nullptr) return nullptr;
  const json::FieldReader member = Reader(object, location).Child(field);
  if (!member.Is(type).ok()) {
    TypeError(location, field, kind);
    return nullptr;
  }
  return &member.value();
}

std::optional<std::string> Parser::String(const Json& object, std::string_view field,
                                          const std::string& location) {
  const Json* value = Typed(object, field, location, json::Type::kString, "a STRING");
  if (value == nullptr) return std::nullopt;
  return value->get<std::string>();
}

std::optional<std::int64_t> Parser::Integer(const Json& object, std::string_view field,
                                            const std::string& location, std::int64_t min,
                                            std::int64_t max, std::string_view kind) {
  const Json* value = Find(object, field);
  if (value == nullptr) return std::nullopt;
  return IntegerValue(*value, field, location, min, max, kind);
}

std::optional<std::int64_t> Parser::IntegerValue(const Json& value, std::string_view field,
                                                 const std::string& location, std::int64_t min,
                                                 std::int64_t max, std::string_view kind) {
  json::Checked<std::int64_t> got = Reader(value, At(location, field)).Integer(min, max);
  if (got.ok()) return got.value();
  Misfit(got.error(), location, field, kind,
         fmt::format("The value for the field '{}' must be {} (between {} and {})", field, kind,
                     min, max));
  return std::nullopt;
}

std::optional<double> Parser::Number(const Json& object, std::string_view field,
                                     const std::string& location, double min, double max,
                                     std::string_view kind) {
  json::Checked<std::optional<double>> got = Reader(object, location).Number(field, min, max);
  if (got.ok()) return got.value();
  TypeError(location, field, kind);  // out of range reads the same: it must be `kind`
  return std::nullopt;
}

std::optional<std::string> Parser::Enum(const Json& object, std::string_view field,
                                        const std::string& location,
                                        std::initializer_list<std::string_view> values) {
  json::Checked<std::optional<std::string>> got = Reader(object, location).Enum(field, values);
  if (got.ok()) return got.value();
  Misfit(got.error(), location, field, "a STRING",
         fmt::format("The field '{}' should have one of these values: [{}]", field,
                     fmt::join(values, ", ")));
  return std::nullopt;
}

std::optional<query::JsonPath> Parser::ReferencePath(const Json& value, std::string_view field,
                                                     const std::string& location) {
  if (!value.is_string()) {
    TypeError(location, field, "a STRING");
    return std::nullopt;
  }
  json::Result<query::JsonPath> path =
      query::JsonPath::CompileReference(value.get_ref<const std::string&>());
  if (!path.ok()) {
    Error(path.error().name, At(location, field),
          fmt::format("The value for the field '{}' must be a valid Reference Path: {}", field,
                      path.error().message));
    return std::nullopt;
  }
  return std::move(path).value();
}

std::optional<query::JsonPath> Parser::ReferencePathField(const Json& object,
                                                          std::string_view field,
                                                          const std::string& location) {
  const Json* value = Find(object, field);
  if (value == nullptr) return std::nullopt;
  return ReferencePath(*value, field, location);
}

std::optional<query::JsonPath> Parser::IoPath(const Json& object, std::string_view field,
                                              const std::string& location, bool reference) {
  const Json* value = Find(object, field);
  if (value == nullptr) return Dollar();
  if (value->is_null()) return std::nullopt;
  if (!value->is_string()) {
    TypeError(location, field, "a STRING or null");
    return Dollar();
  }
  const std::string& text = value->get_ref<const std::string&>();
  json::Result<query::JsonPath> path =
      reference ? query::JsonPath::CompileReference(text) : query::JsonPath::Compile(text);
  if (!path.ok()) {
    Error(path.error().name, At(location, field),
          fmt::format("The value for the field '{}' must be a valid {}: {}", field,
                      reference ? "Reference Path" : "JSONPath", path.error().message));
    return Dollar();
  }
  // ResultPath writes into the state's data; variables are set only by Assign.
  if (reference && path.value().reads_variable()) {
    Error(kInvalidJsonPath, At(location, field),
          fmt::format("The value for the field '{}' must be a valid Reference Path: '{}' "
                      "reads a variable; ResultPath cannot set variables (use Assign)",
                      field, text));
    return Dollar();
  }
  return std::move(path).value();
}

query::JsonPath Parser::Dollar() {
  static const query::JsonPath kDollar = [] {
    json::Result<query::JsonPath> path = query::JsonPath::Compile("$");
    assert(path.ok());
    return std::move(path).value();
  }();
  return kDollar;
}

std::optional<query::JsonataTemplate> Parser::JsonataField(const Json& value,
                                                           const std::string& location,
                                                           std::string name) {
  json::Result<query::JsonataTemplate> compiled = query::JsonataTemplate::Compile(value, std::move(name));
  if (!compiled.ok()) {
    Schema(location, compiled.error().message);
    return std::nullopt;
  }
  return std::move(compiled).value();
}

std::optional<query::PayloadTemplate> Parser::Template(const Json& object, std::string_view field,
                                                       const std::string& location) {
  const Json* value = Typed(object, field, location, json::Type::kObject, "an OBJECT");
  if (value == nullptr) return std::nullopt;
  query::PayloadTemplate compiled;
  std::vector<query::TemplateProblem> problems = query::PayloadTemplate::Compile(*value, &compiled);
  for (query::TemplateProblem& p : problems) {
    Error(p.name, At(location, field) + p.location, std::move(p.message));
  }
  WarnNoDollar(*value, At(location, field), 0);
  if (!problems.empty()) return std::nullopt;
  return compiled;
}

void Parser::WarnNoDollar(const Json& value, const std::string& location, int depth) {
  if (!value.is_object() || depth > 32) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    bool dynamic = key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0;
    if (dynamic) continue;
    if (it->is_string()) {
      const std::string& text = it->get_ref<const std::string&>();
      if (LooksLikePath(text) || query::Intrinsic::LooksLikeCall(text)) {
        Warn(kNoDollar, At(location, key),
             fmt::format("The value of the field '{}' looks like a JSONPath or an intrinsic "
                         "function, but the field name does not end with '.$'",
                         key));
      }
    } else if (it->is_object()) {
      WarnNoDollar(*it, At(location, key), depth + 1);
    }
  }
}

bool Parser::HasDynamicKey(const Json& value, int depth) {
  if (depth > 32) return false;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      if (key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0) return true;
      if (HasDynamicKey(*it, depth + 1)) return true;
    }
  } else if (value.is_array()) {
    for (const Json& item : value) {
      if (HasDynamicKey(item, depth + 1)) return true;
    }
  }
  return false;
}

}  // namespace timeslip::asl::internal
