#include <algorithm>
#include <array>

#include "emulator/query/jsonata/letter_numerals_internal.h"

namespace timeslip::query::jsonata::format_internal {
namespace {

struct RomanDigit {
  std::uint64_t value;
  std::string_view text;
};
constexpr std::array<RomanDigit, 13> kRomanDigits = {{{1000, "M"},
                                                      {900, "CM"},
                                                      {500, "D"},
                                                      {400, "CD"},
                                                      {100, "C"},
                                                      {90, "XC"},
                                                      {50, "L"},
                                                      {40, "XL"},
                                                      {10, "X"},
                                                      {9, "IX"},
                                                      {5, "V"},
                                                      {4, "IV"},
                                                      {1, "I"}}};

int RomanValue(char c) {
  switch (c) {
    case 'I':
    case 'i':
      return 1;
    case 'V':
    case 'v':
      return 5;
    case 'X':
    case 'x':
      return 10;
    case 'L':
    case 'l':
      return 50;
    case 'C':
    case 'c':
      return 100;
    case 'D':
    case 'd':
      return 500;
    case 'M':
    case 'm':
      return 1000;
    default:
      return 0;
  }
}

}  // namespace

std::string ToRoman(std::uint64_t value) {
  std::string out;
  for (const RomanDigit& digit : kRomanDigits) {
    while (value >= digit.value) {
      out.append(digit.text);
      value -= digit.value;
    }
  }
  return out;
}

std::optional<std::uint64_t> FromRoman(std::string_view text) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int value = RomanValue(text[i]);
    if (value == 0) return std::nullopt;
    // A digit smaller than the next one subtracts: the I of IV, the C of CM.
    if (i + 1 < text.size() && value < RomanValue(text[i + 1])) {
      total -= value;
    } else {
      total += value;
    }
  }
  return total;
}

std::string ToAlphabetic(std::uint64_t value) {
  std::string out;
  while (value > 0) {
    --value;
    out.push_back(static_cast<char>('A' + value % 26));
    value /= 26;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<std::uint64_t> FromAlphabetic(std::string_view text) {
  std::uint64_t total = 0;
  for (char c : text) {
    int digit = 0;
    if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 1;
    } else if (c >= 'A' && c <= 'Z') {
      digit = c - 'A' + 1;
    } else {
      return std::nullopt;
    }
    total = total * 26 + digit;
  }
  return total;
}

}  // namespace timeslip::query::jsonata::format_internal
