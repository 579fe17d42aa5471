#pragma once
// Roman numerals ('I', 'i') and alphabetic numbering ('A', 'a': a..z, aa, ab, ...) for
// $formatInteger, $parseInteger and the date pictures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace timeslip::query::jsonata::format_internal {

// Upper case; "" for zero. Thousands beyond MMM repeat the M.
std::string ToRoman(std::uint64_t value);
// Either case; nullopt when `text` holds a character that is not a roman digit.
std::optional<std::uint64_t> FromRoman(std::string_view text);

// Upper case, bijective base 26: 1 is A, 26 is Z, 27 is AA; "" for zero.
std::string ToAlphabetic(std::uint64_t value);
// Either case; nullopt when `text` holds a character that is not a letter.
std::optional<std::uint64_t> FromAlphabetic(std::string_view text);

}  // namespace timeslip::query::jsonata::format_internal
