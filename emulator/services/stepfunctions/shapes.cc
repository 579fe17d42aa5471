#include "emulator/services/stepfunctions/shapes.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <optional>
#include <vector>

#include "emulator/host/common_errors.h"
#include "emulator/json/field_reader.h"
#include "emulator/json/text.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::services::stepfunctions {
namespace {

using host::kValidationException;

std::string Quoted(const Field& field, const nlohmann::ordered_json& value) {
  if (field.sensitive) return "";
  std::string text = value.is_string() ? value.get<std::string>() : JsonText(value);
  if (text.size() > 256) return "";  // AWS does not echo long values either
  return fmt::format(" '{}'", text);
}

// "STANDARD,EXPRESS" as {"STANDARD", "EXPRESS"}.
std::vector<std::string_view> EnumValues(const Field& field) {
  std::vector<std::string_view> values;
  for (std::string_view rest = field.enum_values; !rest.empty();) {
    std::size_t comma = rest.find(',');
    values.push_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
  }
  return values;
}

// The service model's names for JSON types: "Member must be a structure".
constexpr json::TypeNames kShapeNames{"",         "a boolean", "an integer", "",
                                      "a string", "a list",    "a structure"};

std::string Constraint(const Field& field, const json::Problem& problem) {
  using Kind = json::Problem::Kind;
  switch (problem.kind) {
    case Kind::kMissing:
      return "Member must not be null";
    case Kind::kWrongType:
      return fmt::format("Member must be {}", kShapeNames[problem.expected]);
    case Kind::kTooSmall:
      return fmt::format("Member must have value greater than or equal to {}", field.min);
    case Kind::kTooLarge:
      return fmt::format("Member must have value less than or equal to {}", field.max);
    case Kind::kTooShort:
      return fmt::format("Member must have length greater than or equal to {}", field.min);
    case Kind::kTooLong:
      return fmt::format("Member must have length less than or equal to {}", field.max);
    case Kind::kNotAllowed:
      return fmt::format("Member must satisfy enum value set: [{}]",
                         fmt::join(EnumValues(field), ", "));
    case Kind::kUnknownField:  // never asked for: unknown members are ignored, as AWS does
      break;
  }
  return "";
}

// "Value 'x' at 'name' failed to satisfy constraint: Member must ...", for a problem with a
// value checked against `field`.
std::string Violation(const Field& field, const json::Problem& problem) {
  return fmt::format("Value{} at '{}' failed to satisfy constraint: {}",
                     problem.found == nullptr ? " null" : Quoted(field, *problem.found),
                     problem.path, Constraint(field, problem));
}

void CheckString(const Field& field, const json::FieldReader& value,
                 std::vector<std::string>& problems) {
  json::Checked<std::string> s =
      value.String(static_cast<std::size_t>(field.min),
                   field.max < 0 ? SIZE_MAX : static_cast<std::size_t>(field.max));
  if (!s.ok()) {
    problems.push_back(Violation(field, s.error()));
    if (s.error().kind == json::Problem::Kind::kWrongType) return;
  }
  if (field.enum_values.empty()) return;
  if (json::Checked<std::string> e = value.Enum(EnumValues(field)); !e.ok()) {
    problems.push_back(Violation(field, e.error()));
  }
}

// Checks `value` is a list; `item` checks each element.
template <typename CheckItem>
void CheckList(const Field& field, const json::FieldReader& value,
               std::vector<std::string>& problems, CheckItem item) {
  if (json::Checked<std::monostate> list = value.Is(json::Type::kArray); !list.ok()) {
    problems.push_back(Violation(field, list.error()));
    return;
  }
  for (const json::FieldReader& element : value.Elements()) item(element);
}

void CheckField(const Field& field, const json::FieldReader& value,
                std::vector<std::string>& problems) {
  switch (field.kind) {
    case FieldKind::kString:
      CheckString(field, value, problems);
      return;
    case FieldKind::kInteger: {
      // Unbounded above: only values beyond int64 are too large, and AWS takes those.
      json::Checked<std::int64_t> n =
          value.Integer(field.min, field.max < 0 ? INT64_MAX : field.max);
      if (!n.ok() && (n.error().kind != json::Problem::Kind::kTooLarge || field.max >= 0)) {
        problems.push_back(Violation(field, n.error()));
      }
      return;
    }
    case FieldKind::kBoolean:
    case FieldKind::kObject: {
      json::Checked<std::monostate> is =
          value.Is(field.kind == FieldKind::kBoolean ? json::Type::kBoolean : json::Type::kObject);
      if (!is.ok()) problems.push_back(Violation(field, is.error()));
      return;
    }
    case FieldKind::kStringList: {
      const Field item{.name = field.name, .min = 1, .max = 128};
      CheckList(field, value, problems,
                [&](const json::FieldReader& element) { CheckString(item, element, problems); });
      return;
    }
    case FieldKind::kTagList: {
      const Field key{.name = "key", .min = 1, .max = 128};
      const Field val{.name = "value", .min = 0, .max = 256};
      CheckList(field, value, problems, [&](const json::FieldReader& tag) {
        if (json::Checked<std::monostate> is = tag.Is(json::Type::kObject); !is.ok()) {
          problems.push_back(Violation(field, is.error()));
          return;
        }
        if (Has(tag.value(), "key")) CheckString(key, tag.Child("key"), problems);
        if (Has(tag.value(), "value")) CheckString(val, tag.Child("value"), problems);
      });
      return;
    }
  }
}

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t n = (static_cast<unsigned char>(in[i]) << 16) |
                      (static_cast<unsigned char>(in[i + 1]) << 8) |
                      static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(n >> shift) & 63];
  }
  if (i < in.size()) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < in.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Unbase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t n = 0;
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = in[i + j];
      std::size_t v = kBase64.find(c);
      if (c == '=' && i + 4 == in.size() && j >= 2) {
        ++pad;
        v = 0;
      } else if (v == std::string_view::npos || pad > 0) {
        return std::nullopt;
      }
      n = (n << 6) | static_cast<std::uint32_t>(v);
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

constexpr std::string_view kTokenMagic = "timeslip-page-v1";

}  // namespace

json::Status CheckFields(const nlohmann::ordered_json& input, std::initializer_list<Field> fields) {
  const json::FieldReader in(input, "", json::PathStyle::kMember);
  std::vector<std::string> problems;
  for (const Field& field : fields) {
    if (Has(input, field.name)) {
      CheckField(field, in.Child(field.name), problems);
    } else if (field.required) {
      problems.push_back(Violation(field, in.Missing(field.name)));
    }
  }
  if (problems.empty()) return json::Ok();
  std::string joined;
  for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  return json::Error{std::string(kValidationException),
                     fmt::format("{} validation error{} detected: {}", problems.size(),
                                 problems.size() == 1 ? "" : "s", joined)};
}

bool Has(const nlohmann::ordered_json& input, std::string_view name) {
  const nlohmann::ordered_json* member = json::Find(input, name);
  return member != nullptr && !member->is_null();
}

namespace {

// Member `name` if it is a T, else `fallback`.
template <typename T>
T Get(const nlohmann::ordered_json& input, std::string_view name, T fallback) {
  json::Checked<std::optional<T>> got = json::FieldReader(input).Optional<T>(name);
  return got.ok() && got.value() ? *std::move(got).value() : std::move(fallback);
}

}  // namespace

std::string GetString(const nlohmann::ordered_json& input, std::string_view name, std::string fallback) {
  return Get(input, name, std::move(fallback));
}

std::int64_t GetInt(const nlohmann::ordered_json& input, std::string_view name, std::int64_t fallback) {
  return Get(input, name, fallback);
}

bool GetBool(const nlohmann::ordered_json& input, std::string_view name, bool fallback) {
  return Get(input, name, fallback);
}

engine::Tags GetTags(const nlohmann::ordered_json& input, std::string_view name) {
  engine::Tags tags;
  const nlohmann::ordered_json* list = json::Find(input, name);
  if (list == nullptr || !list->is_array()) return tags;
  for (const nlohmann::ordered_json& tag : *list) {
    if (!tag.is_object()) continue;
    tags[GetString(tag, "key")] = GetString(tag, "value");
  }
  return tags;
}

nlohmann::ordered_json TagList(const engine::Tags& tags) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [k, v] : tags) out.push_back({{"key", k}, {"value", v}});
  return out;
}

std::string EncodePageToken(std::string_view scope, std::string_view position) {
  return Base64(fmt::format("{}\n{}\n{}", kTokenMagic, scope, position));
}

json::Result<std::string> DecodePageToken(std::string_view token, std::string_view scope) {
  json::Error invalid{"InvalidToken", fmt::format("Invalid Token: '{}'", token)};
  std::optional<std::string> text = Unbase64(token);
  if (!text) return invalid;
  std::string prefix = fmt::format("{}\n{}\n", kTokenMagic, scope);
  if (text->rfind(prefix, 0) != 0) return invalid;
  return text->substr(prefix.size());
}

std::size_t PageSize(const nlohmann::ordered_json& input, std::size_t max) {
  std::int64_t n = GetInt(input, "maxResults", 0);
  if (n <= 0) return 100;
  return std::min<std::size_t>(static_cast<std::size_t>(n), max);
}

std::string JsonText(const nlohmann::ordered_json& value) { return json::Text(value); }

nlohmann::ordered_json TimestampJson(time::Instant t) { return time::EpochSeconds(t); }

nlohmann::ordered_json DescribeStateMachineJson(const engine::StateMachineRecord& record) {
  nlohmann::ordered_json logging = record.logging_configuration;
  if (!logging.is_object() || logging.empty()) {
    logging = {{"level", "OFF"}, {"includeExecutionData", false}};
  }
  nlohmann::ordered_json tracing = record.tracing_configuration;
  if (!tracing.is_object() || tracing.empty()) tracing = {{"enabled", false}};
  nlohmann::ordered_json out = {{"stateMachineArn", record.arn},
                        {"name", record.name},
                        {"status", "ACTIVE"},
                        {"definition", record.definition},
                        {"roleArn", record.role_arn},
                        {"type", engine::MachineTypeName(record.type)},
                        {"creationDate", TimestampJson(record.creation_date)},
                        {"loggingConfiguration", logging},
                        {"tracingConfiguration", tracing},
                        {"revisionId", record.revision_id}};
  if (!record.description.empty()) out["description"] = record.description;
  return out;
}

nlohmann::ordered_json ExecutionListItemJson(const engine::Execution& execution) {
  nlohmann::ordered_json out = {{"executionArn", execution.arn()},
                        {"stateMachineArn", execution.state_machine_arn()},
                        {"name", execution.name()},
                        {"status", engine::StatusName(execution.status())},
                        {"startDate", TimestampJson(execution.start_date())}};
  if (execution.stop_date()) out["stopDate"] = TimestampJson(*execution.stop_date());
  if (execution.redrive_count() > 0) {
    out["redriveCount"] = execution.redrive_count();
    if (execution.redrive_date()) out["redriveDate"] = TimestampJson(*execution.redrive_date());
  }
  return out;
}

nlohmann::ordered_json DescribeExecutionJson(const engine::Execution& execution) {
  using engine::ExecutionStatus;
  nlohmann::ordered_json out = ExecutionListItemJson(execution);
  out["input"] = execution.input_text();
  out["inputDetails"] = {{"included", true}};
  if (execution.output()) {
    out["output"] = JsonText(*execution.output());
    out["outputDetails"] = {{"included", true}};
  }
  const ExecutionStatus status = execution.status();
  if (status == ExecutionStatus::kFailed || status == ExecutionStatus::kTimedOut ||
      status == ExecutionStatus::kAborted) {
    if (!execution.error().empty()) out["error"] = execution.error();
    if (!execution.cause().empty()) out["cause"] = execution.cause();
  }
  if (execution.type() == engine::MachineType::kStandard) {
    out["redriveCount"] = execution.redrive_count();
    if (status == ExecutionStatus::kRunning || status == ExecutionStatus::kSucceeded) {
      out["redriveStatus"] = "NOT_REDRIVABLE";
      out["redriveStatusReason"] =
          fmt::format("Execution is {} and cannot be redriven", engine::StatusName(status));
    } else {
      out["redriveStatus"] = "REDRIVABLE";
    }
  }
  return out;
}

}  // namespace timeslip::services::stepfunctions
