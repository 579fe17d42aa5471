#pragma once
// UTF-8 text as code points and back: labels and JSONPath names are checked and rebuilt a
// character at a time, as AWS's (Java) validators see them.

#include <string>
#include <string_view>
#include <vector>

namespace timeslip::json {

// The code points of `text`. REQUIRES: valid UTF-8 (the JSON parser has checked it).
std::vector<char32_t> CodePoints(std::string_view text);

// Appends `cp` to `out` as UTF-8.
void AppendUtf8(char32_t cp, std::string& out);

}  // namespace timeslip::json
