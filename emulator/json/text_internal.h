#pragma once
// What Text() (text.h) and SerializedSize() (size.h) share: which bytes of a string are written
// as themselves, and how long the others come out.

#include <cstddef>

namespace timeslip::json::internal {

// Per byte, its written length in a JSON string as Text() writes it: 1 for printable ASCII but
// `"` and `\`, 2 for those two and the short escapes (\b \f \n \r \t), 6 for other control
// characters (\u00XX), and 0 for bytes of 0x80 and up, which are UTF-8 to be checked.
struct EscapedLengths {
  unsigned char length[256] = {};
  constexpr EscapedLengths() {
    for (int c = 0; c < 0x20; ++c) length[c] = 6;
    for (int c = 0x20; c < 0x80; ++c) length[c] = 1;
    for (unsigned char c : {'"', '\\', '\b', '\f', '\n', '\r', '\t'}) length[c] = 2;
  }
};
inline constexpr EscapedLengths kEscapedLengths;

}  // namespace timeslip::json::internal
