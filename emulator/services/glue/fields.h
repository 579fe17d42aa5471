#pragma once
// The Glue wire's small print: checking a request's members against the model's constraints
// (Glue answers InvalidInputException, in AWS's "1 validation error detected: ..." wording),
// opaque page tokens, and timestamps as epoch seconds.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace timeslip::services::glue {

using Json = nlohmann::ordered_json;

inline constexpr std::string_view kInvalidInput = "InvalidInputException";
inline constexpr std::string_view kEntityNotFound = "EntityNotFoundException";
inline constexpr std::string_view kAlreadyExists = "AlreadyExistsException";

json::Error InvalidInput(std::string message);
json::Error EntityNotFound(std::string message);

enum class FieldKind {
  kString,
  kInteger,
  kNumber,
  kBoolean,
  kStructure,
  kStringMap,   // {"k": "v", ...}: GenericMap, TagsMap
  kStringList,  // ["a", ...]
};

// One member of an input shape.
struct Field {
  std::string_view name;  // AWS's member name: "JobName"
  FieldKind kind = FieldKind::kString;
  bool required = false;
  std::int64_t min = 0;               // strings: characters; integers: value; lists: size
  std::int64_t max = -1;              // -1: unbounded
  std::string_view enum_values = {};  // "FLEX,STANDARD"; empty: any value
};

// Checks the members of `input` named in `fields`; other members are ignored, as AWS does, and
// JSON null counts as absent. `parent`: the path of `input` in the request ("jobUpdate"), "" for
// the request itself. Error: InvalidInputException listing every violation, each naming its
// member as AWS does ('jobName', 'jobUpdate.timeout').
json::Status CheckFields(const Json& input, std::initializer_list<Field> fields,
                         std::string_view parent = "");

// Checked input: the member when present and not null, else the fallback.
bool Has(const Json& input, std::string_view name);
std::string GetString(const Json& input, std::string_view name, std::string fallback = "");
std::int64_t GetInt(const Json& input, std::string_view name, std::int64_t fallback);

// Page tokens: opaque, and tied to the listing they came from (`scope`: the operation and its
// filters). A token that is not ours, or another listing's, is InvalidInputException.
std::string EncodePageToken(std::string_view scope, std::string_view position);
json::Result<std::string> DecodePageToken(std::string_view token, std::string_view scope);
// One page of `names` (sorted, unique) after the NextToken's position, of MaxResults (or
// `fallback`) names; sets `next` to the token of the page after it, if any.
json::Result<std::vector<std::string>> NamePage(const Json& input, std::string_view scope,
                                                const std::vector<std::string>& names,
                                                std::size_t fallback, Json& next);
// One page of runs listed newest first, given by their ids: the positions [begin, end) of the
// page after NextToken's run, of MaxResults (or `fallback`) runs; sets `next` to the token of
// the page after it, if any.
struct PageRange {
  std::size_t begin = 0, end = 0;
};
json::Result<PageRange> RunPage(const Json& input, std::string_view scope,
                                const std::vector<std::string_view>& ids, std::size_t fallback,
                                Json& next);
// MaxResults, or `fallback` when absent. REQUIRES: checked to be a positive integer.
std::size_t PageSize(const Json& input, std::size_t fallback);

// A timestamp as the Glue wire carries it: epoch seconds, with the milliseconds.
Json EpochSeconds(time::Instant t);

}  // namespace timeslip::services::glue
