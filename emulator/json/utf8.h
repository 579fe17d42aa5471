#pragma once
// UTF-8 text as code points and back: labels and JSONPath names are checked and rebuilt a
// character at a time, as AWS's (Java) validators see them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace timeslip::json {

// The code points of `text`. REQUIRES: valid UTF-8 (the JSON parser has checked it).
std::vector<char32_t> CodePoints(std::string_view text);

// Appends `cp` to `out` as UTF-8.
void AppendUtf8(char32_t cp, std::string& out);

// The length (2 to 4) of the well-formed UTF-8 sequence of a non-ASCII character starting at
// text[i], or 0 when the bytes there are not one: no overlong forms, no surrogates, nothing past
// U+10FFFF, as the JSON serializer's decoder judges.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);

}  // namespace timeslip::json
