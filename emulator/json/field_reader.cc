#include "emulator/json/field_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <limits>
#include <utility>

namespace timeslip::json {
namespace {

// Characters (code points) in UTF-8 text: AWS's length constraints count these, not bytes.
std::size_t CharCount(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool Contains(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Type TypeOf(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::boolean:
      return Type::kBoolean;
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned:
      return Type::kInteger;
    case nlohmann::ordered_json::value_t::number_float:
      return Type::kNumber;
    case nlohmann::ordered_json::value_t::string:
      return Type::kString;
    case nlohmann::ordered_json::value_t::array:
      return Type::kArray;
    case nlohmann::ordered_json::value_t::object:
      return Type::kObject;
    default:  // null; binary and discarded values never come from JSON text
      return Type::kNull;
  }
}

std::string_view TypeNames::operator[](Type type) const {
  const std::string_view in_order[] = {null, boolean, integer, number, string, array, object};
  return in_order[static_cast<std::size_t>(type)];
}

std::string MemberPath(PathStyle style, std::string_view parent, std::string_view name) {
  if (style == PathStyle::kPointer) return fmt::format("{}/{}", parent, name);
  if (parent.empty()) return std::string(name);
  return fmt::format("{}.{}", parent, name);
}

std::string ElementPath(PathStyle style, std::string_view parent, std::size_t index) {
  switch (style) {
    case PathStyle::kPointer:
      return fmt::format("{}/{}", parent, index);
    case PathStyle::kMember:
      return fmt::format("{}.{}.member", parent, index + 1);
    case PathStyle::kDotted:
      break;
  }
  return fmt::format("{}[{}]", parent, index);
}

const nlohmann::ordered_json* Find(const nlohmann::ordered_json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

FieldReader::FieldReader(const nlohmann::ordered_json& value, std::string path, PathStyle style)
    : value_(&value), path_(std::move(path)), style_(style) {}

FieldReader::FieldReader(const nlohmann::ordered_json& value, std::string path, std::string parent,
                         std::string name, PathStyle style)
    : value_(&value),
      path_(std::move(path)),
      parent_(std::move(parent)),
      name_(std::move(name)),
      style_(style) {}

std::size_t FieldReader::size() const {
  return value_->is_object() || value_->is_array() ? value_->size() : 0;
}

FieldReader FieldReader::Child(std::string_view name) const {
  const nlohmann::ordered_json* member = Find(name);
  assert(member != nullptr);
  return FieldReader(*member, PathOf(name), path_, std::string(name), style_);
}

FieldReader FieldReader::Index(std::size_t index) const {
  assert(value_->is_array() && index < value_->size());
  return FieldReader((*value_)[index], ElementPath(style_, path_, index), path_,
                     std::to_string(index), style_);
}

std::vector<FieldReader> FieldReader::Members() const {
  std::vector<FieldReader> members;
  if (!value_->is_object()) return members;
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    members.push_back(FieldReader(*it, PathOf(it.key()), path_, it.key(), style_));
  }
  return members;
}

std::vector<FieldReader> FieldReader::Elements() const {
  std::vector<FieldReader> elements;
  if (!value_->is_array()) return elements;
  for (std::size_t i = 0; i < value_->size(); ++i) elements.push_back(Index(i));
  return elements;
}

Problem FieldReader::Missing(std::string_view name) const {
  return Problem{.kind = Problem::Kind::kMissing,
                 .path = PathOf(name),
                 .parent = path_,
                 .field = std::string(name)};
}

Problem FieldReader::Found(Problem::Kind kind, Type expected) const {
  return Problem{.kind = kind,
                 .path = path_,
                 .parent = parent_,
                 .field = name_,
                 .expected = expected,
                 .found = value_};
}

Checked<std::monostate> FieldReader::Is(Type expected) const {
  Type type = TypeOf(*value_);
  if (type == expected || (expected == Type::kNumber && type == Type::kInteger)) {
    return std::monostate{};
  }
  return Found(Problem::Kind::kWrongType, expected);
}

template <>
Checked<bool> FieldReader::As<bool>() const {
  if (!value_->is_boolean()) return Found(Problem::Kind::kWrongType, Type::kBoolean);
  return value_->get<bool>();
}

template <>
Checked<std::string> FieldReader::As<std::string>() const {
  if (!value_->is_string()) return Found(Problem::Kind::kWrongType, Type::kString);
  return value_->get<std::string>();
}

template <>
Checked<std::int64_t> FieldReader::As<std::int64_t>() const {
  return Integer(std::numeric_limits<std::int64_t>::min(),
                 std::numeric_limits<std::int64_t>::max());
}

template <>
Checked<double> FieldReader::As<double>() const {
  if (!value_->is_number()) return Found(Problem::Kind::kWrongType, Type::kNumber);
  return value_->get<double>();
}

Checked<std::int64_t> FieldReader::Integer(std::int64_t min, std::int64_t max) const {
  if (!value_->is_number_integer()) return Found(Problem::Kind::kWrongType, Type::kInteger);
  // Non-negative integers parse as unsigned; those beyond int64 are above any maximum.
  if (value_->is_number_unsigned() &&
      value_->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Found(Problem::Kind::kTooLarge);
  }
  std::int64_t n = value_->get<std::int64_t>();
  if (n < min) return Found(Problem::Kind::kTooSmall);
  if (n > max) return Found(Problem::Kind::kTooLarge);
  return n;
}

Checked<double> FieldReader::Number(double min, double max) const {
  Checked<double> d = As<double>();
  if (!d.ok()) return d;
  if (!(d.value() >= min)) return Found(Problem::Kind::kTooSmall);  // NaN too
  if (!(d.value() <= max)) return Found(Problem::Kind::kTooLarge);
  return d;
}

Checked<std::string> FieldReader::String(std::size_t min_length, std::size_t max_length) const {
  Checked<std::string> s = As<std::string>();
  if (!s.ok()) return s;
  std::size_t length = CharCount(s.value());
  if (length < min_length) return Found(Problem::Kind::kTooShort);
  if (length > max_length) return Found(Problem::Kind::kTooLong);
  return s;
}

Checked<std::string> FieldReader::Enum(std::span<const std::string_view> values) const {
  Checked<std::string> s = As<std::string>();
  if (!s.ok()) return s;
  if (!Contains(values, s.value())) return Found(Problem::Kind::kNotAllowed);
  return s;
}

std::vector<Problem> FieldReader::UnknownFields(
    std::initializer_list<std::string_view> allowed) const {
  std::vector<Problem> problems;
  for (const FieldReader& member : Members()) {
    if (!Contains(std::span(allowed.begin(), allowed.size()), member.name())) {
      problems.push_back(member.Found(Problem::Kind::kUnknownField));
    }
  }
  return problems;
}

Checked<std::optional<std::int64_t>> FieldReader::Integer(std::string_view name, std::int64_t min,
                                                          std::int64_t max) const {
  if (!Has(name)) return std::optional<std::int64_t>();
  Checked<std::int64_t> n = Child(name).Integer(min, max);
  if (!n.ok()) return n.error();
  return std::optional<std::int64_t>(n.value());
}

Checked<std::optional<double>> FieldReader::Number(std::string_view name, double min,
                                                   double max) const {
  if (!Has(name)) return std::optional<double>();
  Checked<double> d = Child(name).Number(min, max);
  if (!d.ok()) return d.error();
  return std::optional<double>(d.value());
}

Checked<std::optional<std::string>> FieldReader::Enum(
    std::string_view name, std::initializer_list<std::string_view> values) const {
  if (!Has(name)) return std::optional<std::string>();
  Checked<std::string> s = Child(name).Enum(values);
  if (!s.ok()) return s.error();
  return std::optional<std::string>(std::move(s).value());
}

}  // namespace timeslip::json
