#pragma once
// FieldReader: reading the fields of a parsed JSON document, with the path in every problem.
// A reader is a value and the path it sits at ("glue.job[0].latency", "/States/Extract/Next",
// "tags.1.member.key"). It looks members up, checks their types, presence, ranges, lengths and
// enumerations, and reports what was wrong as a Problem: what kind of thing was expected, what
// was found, and where. It writes no messages: each module words a Problem its own way (AWS's
// ValidationException, ASL diagnostics, "path: what").
//
//   json::FieldReader step(document, "glue.job[0]");
//   json::Checked<std::optional<std::int64_t>> repeat = step.Integer("repeat", 1, 1000);
//   if (!repeat.ok()) return Fail(repeat.error());  // kTooSmall at "glue.job[0].repeat"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "emulator/json/result.h"

namespace timeslip::json {

// JSON's types, as a field asks for them. kInteger: a number without a fraction part; kNumber:
// any number.
enum class Type { kNull, kBoolean, kInteger, kNumber, kString, kArray, kObject };

// The type of `value`: kInteger for an integer, kNumber for any other number.
Type TypeOf(const nlohmann::ordered_json& value);

// A module's words for each type, in Type's order, for its messages ("a string", "a STRING",
// "a structure").
struct TypeNames {
  std::string_view null, boolean, integer, number, string, array, object;

  std::string_view operator[](Type type) const;
};

// How paths are spelled: each module keeps the spelling its users already read.
enum class PathStyle {
  kDotted,   // "glue.job[0].latency"; a member of the root is "name"
  kPointer,  // "/States/Extract/Next": a JSON pointer (unescaped); the root is ""
  kMember,   // "tags.1.member.key": AWS's validation paths, list items counted from 1
};

// The path of member `name`, or of element `index`, of the value at `parent`.
std::string MemberPath(PathStyle style, std::string_view parent, std::string_view name);
std::string ElementPath(PathStyle style, std::string_view parent, std::size_t index);

// Member `name` of `object`: nullptr when it is absent or `object` is no object.
const nlohmann::ordered_json* Find(const nlohmann::ordered_json& object, std::string_view name);

// What was wrong with a value, for its module to put in words.
struct Problem {
  enum class Kind {
    kMissing,       // a required member is absent
    kWrongType,     // the value is not of type `expected`
    kTooSmall,      // a number below the minimum asked for
    kTooLarge,      // a number above the maximum asked for
    kTooShort,      // a string of fewer characters than asked for
    kTooLong,       // a string of more characters than asked for
    kNotAllowed,    // a string that is none of the values asked for
    kUnknownField,  // a member whose name is none of the names asked for
  };
  Kind kind;
  std::string path;             // the value's path; kMissing: where it would be
  std::string parent;           // the path of the object or array that holds it
  std::string field;            // the member's name; an array element's index, in digits
  Type expected = Type::kNull;  // kWrongType: the type asked for
  // The value found; nullptr for kMissing. Points into the document read, like the reader.
  const nlohmann::ordered_json* found = nullptr;

  friend bool operator==(const Problem&, const Problem&) = default;
};

// A T, or the Problem that stopped the reader.
template <typename T>
using Checked = Result<T, Problem>;

class FieldReader {
 public:
  // Reads `value`, which sits at `path` (spelled in `style`) in its document. Not owned: the
  // document must outlive the reader, its children and the Problems they report.
  explicit FieldReader(const nlohmann::ordered_json& value, std::string path = "",
                       PathStyle style = PathStyle::kDotted);

  const nlohmann::ordered_json& value() const { return *value_; }
  const std::string& path() const { return path_; }
  // The member name (or element index, in digits) this value sits at; "" for the root.
  const std::string& name() const { return name_; }
  PathStyle style() const { return style_; }
  // Members of an object, elements of an array; 0 for anything else.
  std::size_t size() const;

  // ---- Finding members and elements ----

  // The path member `name` has, or would have.
  std::string PathOf(std::string_view name) const { return MemberPath(style_, path_, name); }

  // Member `name`: nullptr when it is absent or this value is no object. JSON null is present.
  const nlohmann::ordered_json* Find(std::string_view name) const { return json::Find(*value_, name); }
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // A reader for member `name` / element `index`. REQUIRES: Has(name) / index < size().
  FieldReader Child(std::string_view name) const;
  FieldReader Index(std::size_t index) const;
  // Readers for every member of an object (in the document's key order) or every element of an
  // array; none for anything else.
  std::vector<FieldReader> Members() const;
  std::vector<FieldReader> Elements() const;
  // A kMissing problem for member `name`, for modules that decide themselves what is required.
  Problem Missing(std::string_view name) const;

  // ---- This value ----

  // OK if this value is of type `expected` (kNumber takes integers too); else kWrongType.
  Checked<std::monostate> Is(Type expected) const;
  // This value as a T: bool, std::string, std::int64_t (kTooSmall, kTooLarge beyond its range)
  // or double (any number).
  template <typename T>
  Checked<T> As() const;
  // An integer in [min, max]: kWrongType, kTooSmall or kTooLarge otherwise.
  Checked<std::int64_t> Integer(std::int64_t min, std::int64_t max) const;
  // A number in [min, max]: kWrongType, kTooSmall or kTooLarge otherwise.
  Checked<double> Number(double min, double max) const;
  // A string of `min_length` to `max_length` characters (UTF-8 code points): kWrongType,
  // kTooShort or kTooLong otherwise.
  Checked<std::string> String(std::size_t min_length, std::size_t max_length) const;
  // A string spelled exactly as one of `values`: kWrongType or kNotAllowed otherwise.
  Checked<std::string> Enum(std::span<const std::string_view> values) const;
  Checked<std::string> Enum(std::initializer_list<std::string_view> values) const {
    return Enum(std::span<const std::string_view>(values.begin(), values.size()));
  }
  // A kUnknownField problem per member whose name is not in `allowed`, in the document's key
  // order; none when this value is no object.
  std::vector<Problem> UnknownFields(std::initializer_list<std::string_view> allowed) const;

  // ---- A member: absent gives nullopt (Optional) or kMissing (Required) ----

  template <typename T>
  Checked<std::optional<T>> Optional(std::string_view name) const {
    if (!Has(name)) return std::optional<T>();
    Checked<T> got = Child(name).As<T>();
    if (!got.ok()) return got.error();
    return std::optional<T>(std::move(got).value());
  }
  template <typename T>
  Checked<T> Required(std::string_view name) const {
    if (!Has(name)) return Missing(name);
    return Child(name).As<T>();
  }
  Checked<std::optional<std::int64_t>> Integer(std::string_view name, std::int64_t min,
                                               std::int64_t max) const;
  Checked<std::optional<double>> Number(std::string_view name, double min, double max) const;
  Checked<std::optional<std::string>> Enum(std::string_view name,
                                           std::initializer_list<std::string_view> values) const;

 private:
  FieldReader(const nlohmann::ordered_json& value, std::string path, std::string parent, std::string name,
              PathStyle style);
  Problem Found(Problem::Kind kind, Type expected = Type::kNull) const;

  const nlohmann::ordered_json* value_;  // Not owned; must outlive this.
  std::string path_;
  std::string parent_;
  std::string name_;
  PathStyle style_;
};

template <>
Checked<bool> FieldReader::As<bool>() const;
template <>
Checked<std::string> FieldReader::As<std::string>() const;
template <>
Checked<std::int64_t> FieldReader::As<std::int64_t>() const;
template <>
Checked<double> FieldReader::As<double>() const;

}  // namespace timeslip::json
