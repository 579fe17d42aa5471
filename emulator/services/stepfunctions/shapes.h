#pragma once
// The Step Functions wire shapes: checking a request's fields against the service model's
// constraints (AWS's ValidationException wording), opaque page tokens, and the response
// documents built from the engine's records. Field names and constraints follow the botocore
// model, stepfunctions/2016-11-23/service-2.json.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/engine/emulator.h"
#include "emulator/json/result.h"

namespace timeslip::services::stepfunctions {

enum class FieldKind { kString, kInteger, kBoolean, kTagList, kStringList, kObject };

// One member of an operation's input shape.
struct Field {
  std::string_view name;
  FieldKind kind = FieldKind::kString;
  bool required = false;
  std::int64_t min = 0;               // strings: length in characters; integers: value; lists: size
  std::int64_t max = -1;              // -1: unbounded
  std::string_view enum_values = {};  // "STANDARD,EXPRESS"; empty: any value
  bool sensitive = false;             // the value is never quoted in a message
};

// Checks every field of `input` named in `fields`; unknown members are ignored, as AWS does.
// A JSON null counts as absent. Error: ValidationException, "1 validation error detected: Value
// null at 'stateMachineArn' failed to satisfy constraint: Member must not be null", listing every
// violation ("2 validation errors detected: ...; ...").
json::Status CheckFields(const nlohmann::ordered_json& input, std::initializer_list<Field> fields);

// Accessors for checked input: the member if present and not null, else the fallback.
std::string GetString(const nlohmann::ordered_json& input, std::string_view name,
                      std::string fallback = "");
std::int64_t GetInt(const nlohmann::ordered_json& input, std::string_view name, std::int64_t fallback);
bool GetBool(const nlohmann::ordered_json& input, std::string_view name, bool fallback);
bool Has(const nlohmann::ordered_json& input, std::string_view name);
// [{"key": k, "value": v}, ...] as a map.
engine::Tags GetTags(const nlohmann::ordered_json& input, std::string_view name);
nlohmann::ordered_json TagList(const engine::Tags& tags);

// Page tokens: opaque (base64) and tied to the listing they came from (`scope`: the operation
// and its filters), carrying the position to continue from. Decoding a token that is not ours,
// or that belongs to another listing, gives Error{"InvalidToken", ...}.
std::string EncodePageToken(std::string_view scope, std::string_view position);
json::Result<std::string> DecodePageToken(std::string_view token, std::string_view scope);

// A page size: maxResults, where 0 (or absent) means the default of 100.
std::size_t PageSize(const nlohmann::ordered_json& input, std::size_t max = 1000);

// Response shapes.
nlohmann::ordered_json TimestampJson(time::Instant t);
nlohmann::ordered_json DescribeStateMachineJson(const engine::StateMachineRecord& record);
nlohmann::ordered_json DescribeExecutionJson(const engine::Execution& execution);
nlohmann::ordered_json ExecutionListItemJson(const engine::Execution& execution);
// The compact JSON text of a document, as the API returns inputs and outputs.
std::string JsonText(const nlohmann::ordered_json& value);

}  // namespace timeslip::services::stepfunctions
