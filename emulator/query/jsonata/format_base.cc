// FormatBase: JavaScript's Number.prototype.toString(radix) of the rounded value, for the
// integers a double holds exactly.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_integer.h"
#include "emulator/query/jsonata/format_text_internal.h"

namespace timeslip::query::jsonata {
namespace {

constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";

double RoundHalfEven(double value) {
  const double floor = std::floor(value);
  const double diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return std::fmod(floor, 2) == 0 ? floor : floor + 1;
}

// Digits of an integral, non-negative double in `radix`, exactly: the double is split into
// 32-bit limbs (least significant first) and divided down.
std::string ExactDigits(double value, int radix) {
  int exponent = 0;
  const double fraction = std::frexp(value, &exponent);  // value = fraction * 2^exponent
  auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  int shift = exponent - 53;
  std::vector<std::uint32_t> limbs = {static_cast<std::uint32_t>(mantissa),
                                      static_cast<std::uint32_t>(mantissa >> 32)};
  if (shift < 0) {
    mantissa >>= -shift;
    limbs = {static_cast<std::uint32_t>(mantissa), static_cast<std::uint32_t>(mantissa >> 32)};
    shift = 0;
  }
  limbs.insert(limbs.begin(), shift / 32, 0);
  if (shift % 32 != 0) {
    std::uint32_t carry = 0;
    for (std::uint32_t& limb : limbs) {
      const std::uint64_t wide = (static_cast<std::uint64_t>(limb) << (shift % 32)) | carry;
      limb = static_cast<std::uint32_t>(wide);
      carry = static_cast<std::uint32_t>(wide >> 32);
    }
    if (carry != 0) limbs.push_back(carry);
  }
  std::string out;
  auto is_zero = [&limbs] {
    return std::all_of(limbs.begin(), limbs.end(), [](std::uint32_t l) { return l == 0; });
  };
  do {
    std::uint64_t remainder = 0;
    for (auto it = limbs.rbegin(); it != limbs.rend(); ++it) {
      const std::uint64_t current = (remainder << 32) | *it;
      *it = static_cast<std::uint32_t>(current / radix);
      remainder = current % radix;
    }
    out.push_back(kDigits[remainder]);
  } while (!is_zero());
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

std::string FormatBase(double value, std::optional<double> radix) {
  const double base = radix ? std::trunc(*radix) : 10;
  if (!(base >= 2 && base <= 36)) {
    throw Error("D3100", "The radix of the formatBase function must be between 2 and 36");
  }
  const double rounded = RoundHalfEven(value);
  const std::string sign = rounded < 0 ? "-" : "";
  const double magnitude = std::fabs(rounded);
  if (!std::isfinite(magnitude)) return sign + "Infinity";
  // In base 10 JavaScript writes the shortest form, so 1e21 stays 1e21's digits.
  if (base == 10) return sign + format_internal::IntegerDigits(magnitude);
  return sign + ExactDigits(magnitude, static_cast<int>(base));
}

}  // namespace timeslip::query::jsonata
