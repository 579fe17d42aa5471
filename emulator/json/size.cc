#include "emulator/json/size.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "emulator/json/text.h"
#include "emulator/json/text_internal.h"
#include "emulator/json/utf8.h"

namespace timeslip::json {
namespace {

// A string's quoted, escaped size, as Text() writes it (text_internal.h).
std::size_t StringSize(const std::string& s) {
  std::size_t size = 2;
  const char* data = s.data();
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(data[i]);
    if (std::size_t n = internal::kEscapedLengths.length[c]; n != 0) {
      size += n;
      ++i;
      continue;
    }
    std::size_t n = Utf8SequenceLength(s, i);
    // Invalid UTF-8 is replaced as Text() replaces it: let it say how long that comes out.
    if (n == 0) return Text(nlohmann::ordered_json(s)).size();
    size += n;
    i += n;
  }
  return size;
}

// At least SerializedSize(value): every string byte as if written \u00XX, every number as long
// as any can be written.
std::size_t SizeBound(const nlohmann::ordered_json& value) {
  using Type = nlohmann::ordered_json::value_t;
  constexpr std::size_t kWorstEscape = 6;
  constexpr std::size_t kLongestNumber = 32;  // "-1.7976931348623157e+308" is 24
  switch (value.type()) {
    case Type::null:
    case Type::boolean: return 5;
    case Type::number_integer:
    case Type::number_unsigned:
    case Type::number_float: return kLongestNumber;
    case Type::string: return 2 + kWorstEscape * value.get_ref<const std::string&>().size();
    case Type::array: {
      std::size_t size = 2 + value.size();
      for (const auto& element : value) size += SizeBound(element);
      return size;
    }
    case Type::object: {
      std::size_t size = 2 + 2 * value.size();
      for (auto it = value.begin(); it != value.end(); ++it) {
        size += 2 + kWorstEscape * it.key().size() + SizeBound(it.value());
      }
      return size;
    }
    default: return SerializedSize(value);
  }
}

}  // namespace

bool FitsWithin(const nlohmann::ordered_json& value, std::size_t limit) {
  return SizeBound(value) <= limit || SerializedSize(value) <= limit;
}

// Counted, not written: the engine checks every state's output against the limit, and an
// execution that keeps no history has no other use for its text.
std::size_t SerializedSize(const nlohmann::ordered_json& value) {
  using Type = nlohmann::ordered_json::value_t;
  switch (value.type()) {
    case Type::null: return 4;
    case Type::boolean: return value.get<bool>() ? 4 : 5;
    case Type::string: return StringSize(value.get_ref<const std::string&>());
    case Type::number_unsigned: {
      std::size_t digits = 1;
      for (std::uint64_t n = value.get<std::uint64_t>(); n >= 10; n /= 10) ++digits;
      return digits;
    }
    case Type::number_integer: {
      std::int64_t n = value.get<std::int64_t>();
      std::size_t digits = n < 0 ? 2 : 1;
      // Divide as negatives: -INT64_MIN does not exist.
      for (std::int64_t m = n < 0 ? n : -n; m <= -10; m /= 10) ++digits;
      return digits;
    }
    case Type::array: {
      std::size_t size = value.empty() ? 2 : 1 + value.size();  // brackets and commas
      for (const auto& element : value) size += SerializedSize(element);
      return size;
    }
    case Type::object: {
      std::size_t size = value.empty() ? 2 : 1 + 2 * value.size();  // braces, colons, commas
      for (auto it = value.begin(); it != value.end(); ++it) {
        size += StringSize(it.key()) + SerializedSize(it.value());
      }
      return size;
    }
    case Type::number_float: {
      const double x = value.get<double>();
      if (!std::isfinite(x)) return 4;  // null
      char buffer[64];  // nlohmann's own conversion, as Text() writes it
      const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, x);
      return static_cast<std::size_t>(end - buffer);
    }
    default:  // binary and the rest: as written
      return Text(value).size();
  }
}

}  // namespace timeslip::json
