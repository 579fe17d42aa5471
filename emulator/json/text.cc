#include "emulator/json/text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "emulator/json/text_internal.h"
#include "emulator/json/utf8.h"

namespace timeslip::json {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann's own writer, for what this one leaves to it: binary values and strings with invalid
// UTF-8 (replaced by U+FFFD its way).
std::string Library(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Whether `c` is written as itself: printable ASCII other than `"` and `\`.
bool Plain(unsigned char c) { return internal::kEscapedLengths.length[c] == 1; }

// Appends `s` quoted and escaped exactly as nlohmann's dump(-1, ' ', false, replace) does: the
// short escapes, \u00xx (lower-case hex) for other control characters, UTF-8 as it is. False,
// with nothing appended, for invalid UTF-8.
bool AppendString(const std::string& s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    // Runs of plain characters are copied at once: most text is nothing else.
    std::size_t run = i;
    const char* data = s.data();
    while (run < s.size() && Plain(static_cast<unsigned char>(data[run]))) ++run;
    out.append(data + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out.resize(start);
        return false;
      }
      out.append(s, i, n);
      i += n;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    ++i;
  }
  out += '"';
  return true;
}

template <typename Int>
void AppendInteger(Int n, std::string& out) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.append(buffer, end);
}

// A double as nlohmann writes it: its own shortest round-trip conversion (Grisu2), "null" for
// NaN and the infinities.
void AppendDouble(double x, std::string& out) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  char buffer[64];
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, x);
  out.append(buffer, end);
}

void Append(const Json& value, std::string& out) {
  using Type = Json::value_t;
  switch (value.type()) {
    case Type::null: out += "null"; return;
    case Type::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Type::number_integer: AppendInteger(value.get<std::int64_t>(), out); return;
    case Type::number_unsigned: AppendInteger(value.get<std::uint64_t>(), out); return;
    case Type::number_float: AppendDouble(value.get<double>(), out); return;
    case Type::string: {
      if (!AppendString(value.get_ref<const std::string&>(), out)) out += Library(value);
      return;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const Json& element : value) {
        if (!first) out += ',';
        first = false;
        Append(element, out);
      }
      out += ']';
      return;
    }
    case Type::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        if (!AppendString(it.key(), out)) out += Library(Json(it.key()));
        out += ':';
        Append(it.value(), out);
      }
      out += '}';
      return;
    }
    default:
      out += Library(value);
  }
}

}  // namespace

// Written here rather than by nlohmann's dump, whose per-character UTF-8 decoding was the
// largest single cost of a state transition: every state's input and output is written into
// the history as text. The output is the same, byte for byte (tests/json/text_test.cc).
std::string Text(const nlohmann::ordered_json& value, std::size_t expected_size) {
  std::string out;  // counting its size first (SerializedSize) was measured to cost more
  if (expected_size != 0) out.reserve(expected_size + expected_size / 8);
  Append(value, out);
  return out;
}

}  // namespace timeslip::json
