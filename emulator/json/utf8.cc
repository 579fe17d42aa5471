#include "emulator/json/utf8.h"

namespace timeslip::json {

std::vector<char32_t> CodePoints(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    int extra = lead < 0x80 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? lead : lead & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += 1 + extra;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  auto in = [&](std::size_t at, unsigned char lo, unsigned char hi) {
    if (at >= text.size()) return false;
    auto c = static_cast<unsigned char>(text[at]);
    return c >= lo && c <= hi;
  };
  auto lead = static_cast<unsigned char>(text[i]);
  auto tail = [&](std::size_t from, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
      if (!in(i + from + k, 0x80, 0xBF)) return false;
    }
    return true;
  };
  if (lead >= 0xC2 && lead <= 0xDF) return tail(1, 1) ? 2 : 0;
  if (lead == 0xE0) return in(i + 1, 0xA0, 0xBF) && tail(2, 1) ? 3 : 0;
  if (lead == 0xED) return in(i + 1, 0x80, 0x9F) && tail(2, 1) ? 3 : 0;
  if (lead >= 0xE1 && lead <= 0xEF) return tail(1, 2) ? 3 : 0;
  if (lead == 0xF0) return in(i + 1, 0x90, 0xBF) && tail(2, 2) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3) return tail(1, 3) ? 4 : 0;
  if (lead == 0xF4) return in(i + 1, 0x80, 0x8F) && tail(2, 2) ? 4 : 0;
  return 0;
}

}  // namespace timeslip::json
