#include "emulator/services/glue/fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <fmt/ranges.h>

#include <cctype>
#include <vector>

namespace timeslip::services::glue {
namespace {

// AWS's validation messages name members in camelCase: 'jobName', 'jobUpdate.timeout'.
std::string MemberPath(std::string_view parent, std::string_view name) {
  std::string member(name);
  if (!member.empty()) {
    member[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(member[0])));
  }
  return parent.empty() ? member : fmt::format("{}.{}", parent, member);
}

// Characters, not bytes: the model's lengths count code points.
std::int64_t Length(const std::string& s) {
  std::int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Shown(const Json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.size() > 256) return "";  // AWS does not echo long values either
  return fmt::format(" '{}'", text);
}

bool InEnum(std::string_view values, const std::string& value) {
  for (std::string_view rest = values; !rest.empty();) {
    std::size_t comma = rest.find(',');
    if (rest.substr(0, comma) == value) return true;
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
  }
  return false;
}

bool IsStringMap(const Json& value) {
  if (!value.is_object()) return false;
  for (const auto& [key, item] : value.items()) {
    if (!item.is_string()) return false;
  }
  return true;
}

bool IsStringList(const Json& value) {
  if (!value.is_array()) return false;
  for (const Json& item : value) {
    if (!item.is_string()) return false;
  }
  return true;
}

// The constraint `value` breaks, or "" when it keeps them all.
std::string Broken(const Field& field, const Json& value) {
  switch (field.kind) {
    case FieldKind::kString: {
      if (!value.is_string()) return "Member must be a string";
      const std::int64_t length = Length(value.get<std::string>());
      if (length < field.min) {
        return fmt::format("Member must have length greater than or equal to {}", field.min);
      }
      if (field.max >= 0 && length > field.max) {
        return fmt::format("Member must have length less than or equal to {}", field.max);
      }
      if (!field.enum_values.empty() && !InEnum(field.enum_values, value.get<std::string>())) {
        std::string set(field.enum_values);
        for (std::size_t i = 0; (i = set.find(',', i)) != std::string::npos; i += 2) {
          set.replace(i, 1, ", ");
        }
        return fmt::format("Member must satisfy enum value set: [{}]", set);
      }
      return "";
    }
    case FieldKind::kInteger:
    case FieldKind::kNumber: {
      const bool ok =
          field.kind == FieldKind::kInteger ? value.is_number_integer() : value.is_number();
      if (!ok) {
        return field.kind == FieldKind::kInteger ? "Member must be an integer"
                                                 : "Member must be a number";
      }
      const double n = value.get<double>();
      if (n < static_cast<double>(field.min)) {
        return fmt::format("Member must have value greater than or equal to {}", field.min);
      }
      if (field.max >= 0 && n > static_cast<double>(field.max)) {
        return fmt::format("Member must have value less than or equal to {}", field.max);
      }
      return "";
    }
    case FieldKind::kBoolean:
      return value.is_boolean() ? "" : "Member must be a boolean";
    case FieldKind::kStructure:
      return value.is_object() ? "" : "Member must be a structure";
    case FieldKind::kStringMap:
      return IsStringMap(value) ? "" : "Member must be a map of strings to strings";
    case FieldKind::kStringList: {
      if (!IsStringList(value)) return "Member must be a list of strings";
      const auto size = static_cast<std::int64_t>(value.size());
      if (size < field.min) {
        return fmt::format("Member must have length greater than or equal to {}", field.min);
      }
      if (field.max >= 0 && size > field.max) {
        return fmt::format("Member must have length less than or equal to {}", field.max);
      }
      return "";
    }
  }
  return "";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

json::Error InvalidInput(std::string message) {
  return json::Error{std::string(kInvalidInput), std::move(message)};
}

json::Error EntityNotFound(std::string message) {
  return json::Error{std::string(kEntityNotFound), std::move(message)};
}

json::Status CheckFields(const Json& input, std::initializer_list<Field> fields,
                         std::string_view parent) {
  std::vector<std::string> problems;
  for (const Field& field : fields) {
    auto it = input.find(field.name);
    if (it == input.end() || it->is_null()) {
      if (field.required) {
        problems.push_back(
            fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null",
                        MemberPath(parent, field.name)));
      }
      continue;
    }
    std::string broken = Broken(field, *it);
    if (broken.empty()) continue;
    problems.push_back(fmt::format("Value{} at '{}' failed to satisfy constraint: {}", Shown(*it),
                                   MemberPath(parent, field.name), broken));
  }
  if (problems.empty()) return json::Ok();
  return InvalidInput(fmt::format("{} validation error{} detected: {}", problems.size(),
                                  problems.size() == 1 ? "" : "s", fmt::join(problems, "; ")));
}

bool Has(const Json& input, std::string_view name) {
  auto it = input.find(name);
  return it != input.end() && !it->is_null();
}

std::string GetString(const Json& input, std::string_view name, std::string fallback) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

std::int64_t GetInt(const Json& input, std::string_view name, std::int64_t fallback) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_number_integer()) return fallback;
  return it->get<std::int64_t>();
}

std::string EncodePageToken(std::string_view scope, std::string_view position) {
  std::string token;
  for (unsigned char c : fmt::format("{}\n{}", scope, position)) {
    token += fmt::format("{:02x}", c);
  }
  return token;
}

json::Result<std::string> DecodePageToken(std::string_view token, std::string_view scope) {
  std::string text;
  bool ok = token.size() % 2 == 0;
  for (std::size_t i = 0; ok && i < token.size(); i += 2) {
    const int hi = HexDigit(token[i]), lo = HexDigit(token[i + 1]);
    ok = hi >= 0 && lo >= 0;
    text += static_cast<char>(hi * 16 + lo);
  }
  if (!ok || !text.starts_with(scope) || text.size() <= scope.size() ||
      text[scope.size()] != '\n') {
    return InvalidInput(fmt::format("Invalid pagination token: '{}'", token));
  }
  return text.substr(scope.size() + 1);
}

json::Result<std::vector<std::string>> NamePage(const Json& input, std::string_view scope,
                                                const std::vector<std::string>& names,
                                                std::size_t fallback, Json& next) {
  std::size_t begin = 0;
  if (Has(input, "NextToken")) {
    json::Result<std::string> after = DecodePageToken(GetString(input, "NextToken"), scope);
    if (!after.ok()) return after.error();
    // By name, not position: a name deleted between pages does not restart the listing.
    while (begin < names.size() && names[begin] <= after.value()) ++begin;
  }
  const std::size_t size = PageSize(input, fallback);
  std::vector<std::string> page;
  std::size_t i = begin;
  for (; i < names.size() && page.size() < size; ++i) page.push_back(names[i]);
  if (i < names.size()) next = EncodePageToken(scope, page.back());
  return page;
}

json::Result<PageRange> RunPage(const Json& input, std::string_view scope,
                                const std::vector<std::string_view>& ids, std::size_t fallback,
                                Json& next) {
  PageRange range;
  if (Has(input, "NextToken")) {
    json::Result<std::string> after = DecodePageToken(GetString(input, "NextToken"), scope);
    if (!after.ok()) return after.error();
    while (range.begin < ids.size() && ids[range.begin] != after.value()) ++range.begin;
    if (range.begin < ids.size()) ++range.begin;  // newer runs come first, so the position stays put
  }
  range.end = std::min(ids.size(), range.begin + PageSize(input, fallback));
  if (range.end < ids.size()) next = EncodePageToken(scope, ids[range.end - 1]);
  return range;
}

std::size_t PageSize(const Json& input, std::size_t fallback) {
  return static_cast<std::size_t>(GetInt(input, "MaxResults", static_cast<std::int64_t>(fallback)));
}

Json EpochSeconds(time::Instant t) {
  return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}

}  // namespace timeslip::services::glue
