#pragma once
// English number words, as $formatInteger's 'w' picture writes them and $parseInteger reads them:
// "three thousand, seven hundred and thirty", "one trillion and first".

#include <optional>
#include <string>
#include <string_view>

namespace timeslip::query::jsonata::format_internal {

// `digits`: ASCII decimal digits of a non-negative integer. Lower case; beyond the trillions the
// scale words repeat ("one thousand trillion", "ten billion trillion trillion trillion").
std::string NumberToWords(std::string_view digits, bool ordinal);

// The digits of the number `text` spells (any case, cardinal or ordinal, "nineteen hundred and
// eighty-four" too); nullopt when a word is not a number word.
std::optional<std::string> WordsToNumber(std::string_view text);

// An ECMAScript regular expression (no groups; match it case-insensitively) for a run of number
// words joined by spaces, commas, hyphens and "and": what WordsToNumber may read, and no more,
// so that a date picture's words stop where the month name starts.
const std::string& NumberWordsPattern();

}  // namespace timeslip::query::jsonata::format_internal
