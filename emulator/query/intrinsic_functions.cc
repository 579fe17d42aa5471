// The intrinsic functions: their table (names, arity, argument types) and their bodies.
// Semantics, argument checks and limits follow AWS:
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "emulator/json/equality.h"
#include "emulator/json/parse.h"
#include "emulator/query/array_functions.h"
#include "emulator/query/digest.h"
#include "emulator/query/intrinsic_internal.h"
#include "emulator/time/rng.h"

namespace timeslip::query::internal {
namespace {

using Json = nlohmann::ordered_json;
using Args = std::vector<Json>;

// "The new array can contain up to 1000 elements."
// Base64Encode, Base64Decode and Hash take strings "of up to 10,000 characters".
constexpr std::size_t kMaxEncodeChars = 10000;
// MathAdd: "integer values in the range of -2147483648 and 2147483647".
constexpr std::int64_t kInt32Min = INT32_MIN;
constexpr std::int64_t kInt32Max = INT32_MAX;
// Elsewhere an integer argument must be exact in a double: |n| <= 2^53.
constexpr std::int64_t kMaxSafeInteger = std::int64_t{1} << 53;

json::Error Failure(const IntrinsicCall& call, std::string_view problem) {
  return json::Error{std::string(kIntrinsicFailure), fmt::format("{}: {}", call.fn->name, problem)};
}

std::string ArgLabel(const FunctionSpec& fn, std::size_t i) {
  return fmt::format("argument {} ({})", i + 1, fn.arg(i).name);
}

std::string_view TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "number";
  }
}

// Non-integers: MathAdd, MathRandom, ArrayRange and ArrayPartition "round it off to the nearest
// integer"; ArrayGetItem's index must be an integer.
enum class Fraction { kRound, kReject };

// The nearest integer, a half rounded up towards +infinity (Java's Math.round), each argument on
// its own. It is the one rule that fits all of AWS's recorded MathAdd answers: 2.5 is 3 but -2.5
// is -2, -0.5 is 0, and MathAdd(-1.49, -1.5) is -2 (each rounded first, not the sum).
double RoundHalfUp(double d) {
  const double floor = std::floor(d);
  return d - floor >= 0.5 ? floor + 1 : floor;
}

// The integer that number argument `i` stands for, within [lo, hi].
json::Result<std::int64_t> IntegerArg(const IntrinsicCall& call, std::size_t i, const Json& v,
                                      Fraction fraction, std::int64_t lo = -kMaxSafeInteger,
                                      std::int64_t hi = kMaxSafeInteger) {
  const std::string label = ArgLabel(*call.fn, i);
  auto out_of_range = [&] {
    return Failure(call, fmt::format("{} must be an integer between {} and {}, got {}", label, lo,
                                     hi, ValueSnippet(v)));
  };
  std::int64_t n = 0;
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    n = v.get<std::int64_t>();
  } else if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) return out_of_range();
    n = static_cast<std::int64_t>(v.get<std::uint64_t>());
  } else {
    const double d = v.get<double>();
    if (fraction == Fraction::kReject && d != std::trunc(d)) {
      return Failure(call, fmt::format("{} must be an integer, got {}", label, ValueSnippet(v)));
    }
    const double rounded = RoundHalfUp(d);
    if (!(rounded >= static_cast<double>(lo) && rounded <= static_cast<double>(hi))) {
      return out_of_range();
    }
    n = static_cast<std::int64_t>(rounded);
  }
  if (n < lo || n > hi) return out_of_range();
  return n;
}

json::Result<std::size_t> CheckLength(const IntrinsicCall& call, std::size_t i,
                                      std::string_view s) {
  const std::size_t chars = CountCodePoints(s);
  if (chars > kMaxEncodeChars) {
    return Failure(call, fmt::format("{} has {} characters; at most {} are allowed",
                                     ArgLabel(*call.fn, i), chars, kMaxEncodeChars));
  }
  return chars;
}

// ---- the functions -----------------------------------------------------------------------------

json::Result<Json> Format(const IntrinsicCall& call, Args& args, const EvalContext&) {
  // A literal template knows which braces were escaped; a template read from a path or made by a
  // nested call has no escapes, so every "{}" in it is a placeholder.
  std::vector<std::string> split;
  const std::vector<std::string>* pieces = &split;
  if (call.args[0].kind == IntrinsicArg::Kind::kLiteral) {
    pieces = &call.args[0].format_pieces;
  } else {
    const std::string& tmpl = args[0].get_ref<const std::string&>();
    std::size_t from = 0;
    for (std::size_t at; (at = tmpl.find("{}", from)) != std::string::npos; from = at + 2) {
      split.push_back(tmpl.substr(from, at - from));
    }
    split.push_back(tmpl.substr(from));
  }
  const std::size_t placeholders = pieces->size() - 1;
  const std::size_t values = args.size() - 1;
  if (placeholders != values) {
    return Failure(call, fmt::format("the template has {} placeholder{} '{{}}' but {} value{} "
                                     "given",
                                     placeholders, placeholders == 1 ? "" : "s", values,
                                     values == 1 ? " was" : "s were"));
  }
  // "string values are not accompanied by enclosing '\"' characters"; numbers, booleans and null
  // appear as their JSON text.
  std::string out = (*pieces)[0];
  for (std::size_t i = 0; i < values; ++i) {
    const Json& v = args[i + 1];
    out += v.is_string() ? v.get_ref<const std::string&>() : v.dump();
    out += (*pieces)[i + 1];
  }
  return Json(std::move(out));
}

json::Result<Json> StringToJson(const IntrinsicCall& call, Args& args, const EvalContext&) {
  json::Result<Json> parsed = json::Error{};
  try {
    parsed = json::Parse(args[0].get_ref<const std::string&>(), kIntrinsicFailure);
  } catch (const Json::exception& e) {  // out_of_range: a number too large for a double
    return Failure(call, fmt::format("{} is not valid JSON: {}", ArgLabel(*call.fn, 0), e.what()));
  }
  if (!parsed.ok()) {
    return Failure(call, fmt::format("{} is not valid JSON: {}", ArgLabel(*call.fn, 0),
                                     parsed.error().message));
  }
  return parsed;
}

json::Result<Json> JsonToString(const IntrinsicCall&, Args& args, const EvalContext&) {
  return Json(args[0].dump(-1, ' ', false, Json::error_handler_t::replace));
}

json::Result<Json> Array(const IntrinsicCall&, Args& args, const EvalContext&) {
  Json out = Json::array();
  for (Json& v : args) out.push_back(std::move(v));
  return out;
}

json::Result<Json> ArrayPartition(const IntrinsicCall& call, Args& args, const EvalContext&) {
  json::Result<std::int64_t> size = IntegerArg(call, 1, args[1], Fraction::kRound);
  if (!size.ok()) return size.error();
  if (size.value() <= 0) {
    return Failure(call, fmt::format("{} must be a positive integer, got {}", ArgLabel(*call.fn, 1),
                                     ValueSnippet(args[1])));
  }
  return PartitionArray(std::move(args[0]), static_cast<std::size_t>(size.value()));
}

json::Result<Json> ArrayContains(const IntrinsicCall&, Args& args, const EvalContext&) {
  const Json& needle = args[1];
  return Json(std::any_of(args[0].begin(), args[0].end(),
                          [&](const Json& v) { return json::Equal(v, needle); }));
}

json::Result<Json> ArrayRange(const IntrinsicCall& call, Args& args, const EvalContext&) {
  std::int64_t n[3];
  for (std::size_t i = 0; i < 3; ++i) {
    json::Result<std::int64_t> v = IntegerArg(call, i, args[i], Fraction::kRound);
    if (!v.ok()) return v.error();
    n[i] = v.value();
  }
  const auto [start, end, step] = n;
  if (step == 0) return Failure(call, fmt::format("{} must not be 0", ArgLabel(*call.fn, 2)));
  // Inclusive of `end`; a step pointing away from `end` gives just nothing.
  const std::int64_t count = RangeLength(start, end, step);
  if (count > kMaxRangeElements) {
    return Failure(call, fmt::format("the range would have {} elements; at most {} are allowed",
                                     count, kMaxRangeElements));
  }
  return RangeArray(start, step, count);
}

json::Result<Json> ArrayGetItem(const IntrinsicCall& call, Args& args, const EvalContext&) {
  json::Result<std::int64_t> index = IntegerArg(call, 1, args[1], Fraction::kReject);
  if (!index.ok()) return index.error();
  const std::size_t size = args[0].size();
  if (index.value() < 0 || static_cast<std::size_t>(index.value()) >= size) {
    return Failure(call, fmt::format("{} {} is out of range for an array of length {}",
                                     ArgLabel(*call.fn, 1), index.value(), size));
  }
  return std::move(args[0][static_cast<std::size_t>(index.value())]);
}

json::Result<Json> ArrayLength(const IntrinsicCall&, Args& args, const EvalContext&) {
  return Json(static_cast<std::int64_t>(args[0].size()));
}

json::Result<Json> ArrayUnique(const IntrinsicCall&, Args& args, const EvalContext&) {
  // nlohmann orders numbers by value across storage types, so 1 and 1.0 are one element, as
  // json::Equal has it. The first of equal elements stays, in place.
  std::set<Json> seen;
  Json out = Json::array();
  for (Json& v : args[0]) {
    if (seen.insert(v).second) out.push_back(std::move(v));
  }
  return out;
}

json::Result<Json> Base64Encode(const IntrinsicCall& call, Args& args, const EvalContext&) {
  const std::string& s = args[0].get_ref<const std::string&>();
  if (json::Result<std::size_t> n = CheckLength(call, 0, s); !n.ok()) return n.error();
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return Json(std::move(out));
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

json::Result<Json> Base64Decode(const IntrinsicCall& call, Args& args, const EvalContext&) {
  std::string s = args[0].get_ref<const std::string&>();
  if (json::Result<std::size_t> n = CheckLength(call, 0, s); !n.ok()) return n.error();
  auto invalid = [&] {
    return Failure(call, fmt::format("{} is not valid base64: {}", ArgLabel(*call.fn, 0),
                                     ValueSnippet(args[0])));
  };
  // EVP_DecodeBlock skips whitespace and does not check padding: validate first. Padding may be
  // left off.
  std::size_t padding = 0;
  while (padding < 2 && padding < s.size() && s[s.size() - 1 - padding] == '=') ++padding;
  const std::size_t data_chars = s.size() - padding;
  for (std::size_t i = 0; i < data_chars; ++i) {
    if (!IsBase64Char(s[i])) return invalid();
  }
  if (data_chars % 4 == 1 || (padding > 0 && s.size() % 4 != 0)) return invalid();
  while (s.size() % 4 != 0) {
    s.push_back('=');
    ++padding;
  }
  std::string out(s.size() / 4 * 3, '\0');
  const int written =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (written < 0 || static_cast<std::size_t>(written) < padding) return invalid();
  out.resize(static_cast<std::size_t>(written) - padding);
  // The bytes become a JSON string, which must be UTF-8; others become U+FFFD, as a Java
  // String built from UTF-8 bytes has them.
  return Json(SanitizeUtf8(out));
}

json::Result<Json> Hash(const IntrinsicCall& call, Args& args, const EvalContext&) {
  // "The data you provide must be an object string": strings are hashed as they are, any other
  // value as its compact JSON text.
  const std::string data = args[0].is_string()
                               ? args[0].get<std::string>()
                               : args[0].dump(-1, ' ', false, Json::error_handler_t::replace);
  if (json::Result<std::size_t> n = CheckLength(call, 0, data); !n.ok()) return n.error();
  const std::string& algorithm = args[1].get_ref<const std::string&>();
  std::optional<std::string> hex = HexDigest(algorithm, data);
  if (!hex) {
    return Failure(call, fmt::format("{} '{}' is not a supported hash algorithm; use MD5, SHA-1, "
                                     "SHA-256, SHA-384 or SHA-512",
                                     ArgLabel(*call.fn, 1), Snippet(algorithm)));
  }
  return Json(std::move(*hex));
}

json::Result<Json> JsonMerge(const IntrinsicCall&, Args& args, const EvalContext&) {
  // Shallow: a key of the second object replaces the same key of the first, whole.
  Json out = std::move(args[0]);
  for (auto& [key, value] : args[1].items()) out[key] = std::move(value);
  return out;
}

json::Result<Json> MathRandom(const IntrinsicCall& call, Args& args, const EvalContext& ctx) {
  json::Result<std::int64_t> start = IntegerArg(call, 0, args[0], Fraction::kRound);
  if (!start.ok()) return start.error();
  json::Result<std::int64_t> end = IntegerArg(call, 1, args[1], Fraction::kRound);
  if (!end.ok()) return end.error();
  // Start inclusive, end exclusive.
  if (start.value() >= end.value()) {
    return Failure(call, fmt::format("{} ({}) must be less than {} ({})", ArgLabel(*call.fn, 0),
                                     start.value(), ArgLabel(*call.fn, 1), end.value()));
  }
  if (args.size() == 3) {
    // "If you use this function with the same seed value, it will return identical numbers":
    // a seeded draw comes from its own generator, not the execution's.
    json::Result<std::int64_t> seed =
        IntegerArg(call, 2, args[2], Fraction::kRound, INT64_MIN, INT64_MAX);
    if (!seed.ok()) return seed.error();
    time::Rng seeded(static_cast<std::uint64_t>(seed.value()));
    return Json(seeded.UniformInt(start.value(), end.value() - 1));
  }
  if (ctx.rng == nullptr) return Failure(call, "no random number generator was provided");
  return Json(ctx.rng->UniformInt(start.value(), end.value() - 1));
}

json::Result<Json> MathAdd(const IntrinsicCall& call, Args& args, const EvalContext&) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    json::Result<std::int64_t> v =
        IntegerArg(call, i, args[i], Fraction::kRound, kInt32Min, kInt32Max);
    if (!v.ok()) return v.error();
    sum += v.value();
  }
  return Json(sum);
}

// The length of the UTF-8 sequence that starts with `lead`. REQUIRES: valid UTF-8.
std::size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

json::Result<Json> StringSplit(const IntrinsicCall&, Args& args, const EvalContext&) {
  // Every character of the second argument is a delimiter ("This.is+a,test=string" split by
  // ".+,=" gives five words). Empty strings between adjacent delimiters are dropped.
  const std::string& s = args[0].get_ref<const std::string&>();
  const std::string& delimiters = args[1].get_ref<const std::string&>();
  std::vector<std::string_view> delims;
  for (std::size_t i = 0; i < delimiters.size();) {
    const std::size_t n = SequenceLength(static_cast<unsigned char>(delimiters[i]));
    delims.push_back(std::string_view(delimiters).substr(i, n));
    i += n;
  }
  Json out = Json::array();
  std::string token;
  for (std::size_t i = 0; i < s.size();) {
    const std::string_view ch =
        std::string_view(s).substr(i, SequenceLength(static_cast<unsigned char>(s[i])));
    i += ch.size();
    if (std::find(delims.begin(), delims.end(), ch) == delims.end()) {
      token += ch;
    } else if (!token.empty()) {
      out.push_back(std::move(token));
      token.clear();
    }
  }
  if (!token.empty()) out.push_back(std::move(token));
  return out;
}

json::Result<Json> Uuid(const IntrinsicCall& call, Args&, const EvalContext& ctx) {
  if (ctx.rng == nullptr) return Failure(call, "no random number generator was provided");
  return Json(ctx.rng->Uuid());
}

const std::vector<FunctionSpec>& Functions() {
  using T = ArgType;
  static const std::vector<FunctionSpec> kFunctions = {
      {"States.Format", 1, kVariadic, {{"template", T::kString}, {"value", T::kScalar}}, &Format},
      {"States.StringToJson", 1, 1, {{"JSON text", T::kString}}, &StringToJson},
      {"States.JsonToString", 1, 1, {{"value", T::kPathOnly}}, &JsonToString},
      {"States.Array", 0, kVariadic, {{"value", T::kAny}}, &Array},
      {"States.ArrayPartition",
       2,
       2,
       {{"array", T::kArray}, {"chunk size", T::kNumber}},
       &ArrayPartition},
      {"States.ArrayContains", 2, 2, {{"array", T::kArray}, {"value", T::kAny}}, &ArrayContains},
      {"States.ArrayRange",
       3,
       3,
       {{"first", T::kNumber}, {"last", T::kNumber}, {"step", T::kNumber}},
       &ArrayRange},
      {"States.ArrayGetItem", 2, 2, {{"array", T::kArray}, {"index", T::kNumber}}, &ArrayGetItem},
      {"States.ArrayLength", 1, 1, {{"array", T::kArray}}, &ArrayLength},
      {"States.ArrayUnique", 1, 1, {{"array", T::kArray}}, &ArrayUnique},
      {"States.Base64Encode", 1, 1, {{"data", T::kString}}, &Base64Encode},
      {"States.Base64Decode", 1, 1, {{"base64", T::kString}}, &Base64Decode},
      {"States.Hash", 2, 2, {{"data", T::kAny}, {"algorithm", T::kString}}, &Hash},
      {"States.JsonMerge",
       3,
       3,
       {{"first object", T::kObject}, {"second object", T::kObject}, {"deep merge", T::kFalse}},
       &JsonMerge},
      {"States.MathRandom",
       2,
       3,
       {{"start", T::kNumber}, {"end", T::kNumber}, {"seed", T::kNumber}},
       &MathRandom},
      {"States.MathAdd", 2, 2, {{"first", T::kNumber}, {"second", T::kNumber}}, &MathAdd},
      {"States.StringSplit",
       2,
       2,
       {{"string", T::kString}, {"delimiters", T::kString}},
       &StringSplit},
      {"States.UUID", 0, 0, {}, &Uuid},
  };
  return kFunctions;
}

}  // namespace

const FunctionSpec* FindFunction(std::string_view name) {
  for (const FunctionSpec& fn : Functions()) {
    if (fn.name == name) return &fn;
  }
  return nullptr;
}

std::string CheckArgType(const FunctionSpec& fn, std::size_t index, const Json& value) {
  std::string_view want;
  switch (fn.arg(index).type) {
    case ArgType::kAny:
    case ArgType::kPathOnly:
      return "";
    case ArgType::kString:
      if (value.is_string()) return "";
      want = "a string";
      break;
    case ArgType::kNumber:
      if (value.is_number()) return "";
      want = "a number";
      break;
    case ArgType::kArray:
      if (value.is_array()) return "";
      want = "an array";
      break;
    case ArgType::kObject:
      if (value.is_object()) return "";
      want = "an object";
      break;
    case ArgType::kFalse:
      // "Step Functions only supports the shallow merging mode; therefore, you must specify the
      // boolean value as false."
      if (value.is_boolean() && !value.get<bool>()) return "";
      return fmt::format("{} {} must be false (only shallow merging is supported), got {}", fn.name,
                         ArgLabel(fn, index), ValueSnippet(value));
    case ArgType::kScalar:
      // "The Value MUST NOT be a JSON array or object."
      if (!value.is_array() && !value.is_object()) return "";
      want = "a string, number, boolean or null";
      break;
  }
  return fmt::format("{} {} must be {}, got {}", fn.name, ArgLabel(fn, index), want,
                     TypeName(value));
}

}  // namespace timeslip::query::internal
