#include <fmt/format.h>

#include <array>
#include <optional>
#include <vector>

#include "emulator/api/errors.h"
#include "emulator/api/stepfunctions_shapes_internal.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::api::sfn {
namespace {

// Characters (code points) in UTF-8 text, as the model's length constraints count them.
std::int64_t CharCount(std::string_view s) {
  std::int64_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Quoted(const Field& field, const nlohmann::json& value) {
  if (field.sensitive) return "";
  std::string text = value.is_string() ? value.get<std::string>() : JsonText(value);
  if (text.size() > 256) return "";  // AWS does not echo long values either
  return fmt::format(" '{}'", text);
}

std::string Violation(const Field& field, const nlohmann::json& value, std::string_view path,
                      std::string_view constraint) {
  return fmt::format("Value{} at '{}' failed to satisfy constraint: {}", Quoted(field, value), path,
                     constraint);
}

void CheckString(const Field& field, const nlohmann::json& value, std::string_view path,
                 std::vector<std::string>& problems) {
  if (!value.is_string()) {
    problems.push_back(Violation(field, value, path, "Member must be a string"));
    return;
  }
  const std::string& s = value.get_ref<const std::string&>();
  std::int64_t length = CharCount(s);
  if (length < field.min) {
    problems.push_back(
        Violation(field, value, path,
                  fmt::format("Member must have length greater than or equal to {}", field.min)));
  }
  if (field.max >= 0 && length > field.max) {
    problems.push_back(
        Violation(field, value, path,
                  fmt::format("Member must have length less than or equal to {}", field.max)));
  }
  if (!field.enum_values.empty()) {
    bool found = false;
    std::string_view rest = field.enum_values;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      if (rest.substr(0, comma) == s) found = true;
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
    if (!found) {
      std::string set(field.enum_values);
      for (std::size_t at = set.find(','); at != std::string::npos; at = set.find(',', at + 2)) {
        set.replace(at, 1, ", ");
      }
      problems.push_back(Violation(field, value, path,
                                   fmt::format("Member must satisfy enum value set: [{}]", set)));
    }
  }
}

void CheckField(const Field& field, const nlohmann::json& value,
                std::vector<std::string>& problems) {
  const std::string path(field.name);
  switch (field.kind) {
    case FieldKind::kString:
      CheckString(field, value, path, problems);
      return;
    case FieldKind::kInteger: {
      if (!value.is_number_integer()) {
        problems.push_back(Violation(field, value, path, "Member must be an integer"));
        return;
      }
      // Unsigned values beyond int64 read as negative here, and fail the minimum.
      std::int64_t v = value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX
                           ? INT64_MAX
                           : value.get<std::int64_t>();
      if (v < field.min) {
        problems.push_back(Violation(
            field, value, path,
            fmt::format("Member must have value greater than or equal to {}", field.min)));
      }
      if (field.max >= 0 && v > field.max) {
        problems.push_back(
            Violation(field, value, path,
                      fmt::format("Member must have value less than or equal to {}", field.max)));
      }
      return;
    }
    case FieldKind::kBoolean:
      if (!value.is_boolean()) {
        problems.push_back(Violation(field, value, path, "Member must be a boolean"));
      }
      return;
    case FieldKind::kObject:
      if (!value.is_object()) {
        problems.push_back(Violation(field, value, path, "Member must be a structure"));
      }
      return;
    case FieldKind::kStringList: {
      if (!value.is_array()) {
        problems.push_back(Violation(field, value, path, "Member must be a list"));
        return;
      }
      Field item{.name = field.name, .min = 1, .max = 128};
      for (std::size_t i = 0; i < value.size(); ++i) {
        CheckString(item, value[i], fmt::format("{}.{}.member", field.name, i + 1), problems);
      }
      return;
    }
    case FieldKind::kTagList: {
      if (!value.is_array()) {
        problems.push_back(Violation(field, value, path, "Member must be a list"));
        return;
      }
      const Field key{.name = "key", .min = 1, .max = 128};
      const Field val{.name = "value", .min = 0, .max = 256};
      for (std::size_t i = 0; i < value.size(); ++i) {
        std::string member = fmt::format("{}.{}.member", field.name, i + 1);
        const nlohmann::json& tag = value[i];
        if (!tag.is_object()) {
          problems.push_back(Violation(field, tag, member, "Member must be a structure"));
          continue;
        }
        if (tag.contains("key") && !tag["key"].is_null()) {
          CheckString(key, tag["key"], member + ".key", problems);
        }
        if (tag.contains("value") && !tag["value"].is_null()) {
          CheckString(val, tag["value"], member + ".value", problems);
        }
      }
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

json::Status CheckFields(const nlohmann::json& input, std::initializer_list<Field> fields) {
  std::vector<std::string> problems;
  for (const Field& field : fields) {
    auto it = input.find(std::string(field.name));
    if (it == input.end() || it->is_null()) {
      if (field.required) {
        problems.push_back(
            fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null",
                        field.name));
      }
      continue;
    }
    CheckField(field, *it, problems);
  }
  if (problems.empty()) return json::Ok();
  std::string joined;
  for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  return json::Error{std::string(kValidationException),
                     fmt::format("{} validation error{} detected: {}", problems.size(),
                                 problems.size() == 1 ? "" : "s", joined)};
}

bool Has(const nlohmann::json& input, std::string_view name) {
  auto it = input.find(std::string(name));
  return it != input.end() && !it->is_null();
}

std::string GetString(const nlohmann::json& input, std::string_view name, std::string fallback) {
  auto it = input.find(std::string(name));
  if (it == input.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

std::int64_t GetInt(const nlohmann::json& input, std::string_view name, std::int64_t fallback) {
  auto it = input.find(std::string(name));
  if (it == input.end() || !it->is_number_integer()) return fallback;
  return it->get<std::int64_t>();
}

bool GetBool(const nlohmann::json& input, std::string_view name, bool fallback) {
  auto it = input.find(std::string(name));
  if (it == input.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

engine::Tags GetTags(const nlohmann::json& input, std::string_view name) {
  engine::Tags tags;
  auto it = input.find(std::string(name));
  if (it == input.end() || !it->is_array()) return tags;
  for (const nlohmann::json& tag : *it) {
    if (!tag.is_object()) continue;
    tags[GetString(tag, "key")] = GetString(tag, "value");
  }
  return tags;
}

nlohmann::json TagList(const engine::Tags& tags) {
  nlohmann::json out = nlohmann::json::array();
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

std::size_t PageSize(const nlohmann::json& input, std::size_t max) {
  std::int64_t n = GetInt(input, "maxResults", 0);
  if (n <= 0) return 100;
  return std::min<std::size_t>(static_cast<std::size_t>(n), max);
}

std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json TimestampJson(time::Instant t) { return time::EpochSeconds(t); }

nlohmann::json DescribeStateMachineJson(const engine::StateMachineRecord& record) {
  nlohmann::json logging = record.logging_configuration;
  if (!logging.is_object() || logging.empty()) {
    logging = {{"level", "OFF"}, {"includeExecutionData", false}};
  }
  nlohmann::json tracing = record.tracing_configuration;
  if (!tracing.is_object() || tracing.empty()) tracing = {{"enabled", false}};
  nlohmann::json out = {{"stateMachineArn", record.arn},
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

nlohmann::json ExecutionListItemJson(const engine::Execution& execution) {
  nlohmann::json out = {{"executionArn", execution.arn()},
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

nlohmann::json DescribeExecutionJson(const engine::Execution& execution) {
  using engine::ExecutionStatus;
  nlohmann::json out = ExecutionListItemJson(execution);
  out["input"] = JsonText(execution.input());
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

}  // namespace timeslip::api::sfn
