#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "emulator/query/jsonata/format_text_internal.h"

namespace timeslip::query::jsonata::format_internal {
namespace {

// Zeros of the decimal digit families (Unicode category Nd) a picture string may plausibly use.
constexpr std::array<char32_t, 42> kDigitZeros = {
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966,  0x09E6,  0x0A66,  0x0AE6,  0x0B66, 0x0BE6, 0x0C66,
    0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0,  0x0F20,  0x1040,  0x1090,  0x17E0, 0x1810, 0x1946,
    0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0, 0xA900, 0xA9D0,
    0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6};

}  // namespace

std::u32string ToCodePoints(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    int extra = lead < 0x80 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
    if (extra < 0 || i + extra >= utf8.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = extra == 0 ? lead : lead & (0x3F >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      if ((next & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (next & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(c);
    i += extra + 1;
  }
  return out;
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

char32_t DigitFamilyZero(char32_t c) {
  for (char32_t zero : kDigitZeros) {
    if (c >= zero && c <= zero + 9) return zero;
  }
  return 0;
}

bool IsLetter(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  // Outside ASCII: letters of the Latin, Greek, Cyrillic, ... blocks, less the digits and the
  // general punctuation, symbol and number blocks a grouping separator is drawn from.
  if (c < 0xC0 || DigitFamilyZero(c) != 0) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, enclosed numbers
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFF00 && c <= 0xFF20) return false;  // fullwidth punctuation and digits
  return c != 0xD7 && c != 0xF7;
}

DecimalForm ShortestDecimal(double value) {
  DecimalForm form;
  if (value == 0 || !std::isfinite(value)) {  // callers write NaN and Infinity themselves
    form.digits = "0";
    return form;
  }
  std::array<char, 64> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::fabs(value),
                                 std::chars_format::scientific);
  std::string_view text(buffer.data(), end - buffer.data());
  std::size_t e = text.find('e');
  for (char c : text.substr(0, e)) {
    if (c != '.') form.digits.push_back(c);
  }
  while (form.digits.size() > 1 && form.digits.back() == '0') form.digits.pop_back();
  form.exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  return form;
}

std::string IntegerDigits(double value) {
  if (!(std::fabs(value) >= 1)) return "0";
  DecimalForm form = ShortestDecimal(std::floor(std::fabs(value)));
  std::string digits = form.digits;
  const auto length = static_cast<std::size_t>(form.exponent) + 1;
  if (digits.size() < length) digits.append(length - digits.size(), '0');
  digits.resize(length);
  return digits;
}

std::string AddDigits(std::string_view a, std::string_view b) {
  std::string out;
  int carry = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry != 0; ++i) {
    int sum = carry;
    if (i < a.size()) sum += a[a.size() - 1 - i] - '0';
    if (i < b.size()) sum += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + sum % 10));
    carry = sum / 10;
  }
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  std::reverse(out.begin(), out.end());
  return out.empty() ? "0" : out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace timeslip::query::jsonata::format_internal
