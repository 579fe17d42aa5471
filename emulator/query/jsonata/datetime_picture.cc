#include <array>
#include <cstdlib>

#include "emulator/query/jsonata/datetime_picture_internal.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_text_internal.h"

namespace timeslip::query::jsonata::format_internal {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                   "Friday", "Saturday", "Sunday"};

// F&O's default presentation of each component.
std::u32string_view DefaultModifier(char32_t component) {
  switch (component) {
    case U'F':
    case U'P':
    case U'C':
    case U'E':
      return U"n";
    case U'm':
    case U's':
      return U"01";
    case U'Z':
    case U'z':
      return U"01:01";
    default:
      return U"1";
  }
}

bool IsComponent(char32_t c) {
  return std::u32string_view(U"YMDdFWwXxHhPmsfZzCE").find(c) != std::u32string_view::npos;
}

// Components with names: months, days of the week, the month of a week, am/pm, calendar, era.
bool HasNames(char32_t c) {
  return std::u32string_view(U"MFxPCE").find(c) != std::u32string_view::npos;
}

std::optional<int> WidthNumber(std::u32string_view text) {
  if (text.empty() || text == U"*") return std::nullopt;
  int value = 0;
  for (char32_t c : text) {
    if (c < U'0' || c > U'9') return std::nullopt;
    value = value * 10 + static_cast<int>(c - U'0');
  }
  return value;
}

bool IsWidth(std::u32string_view text) {
  if (text.empty()) return false;
  for (char32_t c : text) {
    if (!(c == U'*' || c == U'-' || (c >= U'0' && c <= U'9'))) return false;
  }
  return true;
}

DateMarker ParseMarker(std::u32string_view body) {
  DateMarker marker;
  marker.component = body.front();
  if (!IsComponent(marker.component)) {
    throw Error("D3132", "Unknown component specifier " + ToUtf8(body.substr(0, 1)) +
                             " in date/time picture string");
  }
  std::u32string_view rest = body.substr(1);
  if (std::size_t comma = rest.rfind(U',');
      comma != std::u32string_view::npos && IsWidth(rest.substr(comma + 1))) {
    std::u32string_view width = rest.substr(comma + 1);
    rest = rest.substr(0, comma);
    marker.has_width = true;
    const std::size_t dash = width.find(U'-');
    marker.min_width = WidthNumber(width.substr(0, dash));
    if (dash != std::u32string_view::npos) marker.max_width = WidthNumber(width.substr(dash + 1));
  }
  // A second modifier: 'o' (ordinal), 't' (traditional), 'c' (cardinal).
  if (rest.size() > 1 && (rest.back() == U'o' || rest.back() == U't' || rest.back() == U'c')) {
    marker.ordinal = rest.back() == U'o';
    marker.traditional = rest.back() == U't';
    rest.remove_suffix(1);
  }
  marker.explicit_modifier = !rest.empty();
  marker.modifier =
      rest.empty() ? std::u32string(DefaultModifier(marker.component)) : std::u32string(rest);
  if (marker.modifier == U"N" || marker.modifier == U"n" || marker.modifier == U"Nn") {
    if (!HasNames(marker.component)) {
      throw Error("D3133", "The '" + ToUtf8(std::u32string(1, marker.component)) +
                               "' component cannot be represented as a name");
    }
    marker.presentation = DatePresentation::kName;
    return marker;
  }
  if (marker.component == U'Z' || marker.component == U'z') {
    int digits = 0;
    for (char32_t c : marker.modifier) digits += DigitFamilyZero(c) != 0 ? 1 : 0;
    if (digits > 4) {
      throw Error("D3134",
                  "The timezone integer format specifier cannot have more than four "
                  "digits");
    }
    marker.presentation = DatePresentation::kTimezone;
    return marker;
  }
  if (HasNames(marker.component) && marker.component != U'M' && marker.component != U'x' &&
      marker.component != U'F') {
    marker.presentation = DatePresentation::kName;  // P, C, E take no numbers
    return marker;
  }
  marker.integer = ParseIntegerToken(marker.modifier);
  marker.integer.ordinal = marker.ordinal;
  return marker;
}

}  // namespace

std::vector<DatePictureItem> ParseDatePicture(std::string_view picture) {
  const std::u32string text = ToCodePoints(picture);
  // The brackets are checked over the whole picture before any marker is read, so an
  // unclosed '[' is reported whatever precedes it.
  struct Piece {
    std::u32string text;
    bool marker;
  };
  std::vector<Piece> pieces;
  std::u32string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if ((c == U'[' || c == U']') && i + 1 < text.size() && text[i + 1] == c) {
      literal.push_back(c);  // "[[" and "]]" stand for themselves
      ++i;
      continue;
    }
    if (c != U'[') {
      literal.push_back(c);
      continue;
    }
    const std::size_t close = text.find(U']', i + 1);
    if (close == std::u32string::npos) {
      throw Error("D3135", "No matching closing bracket ']' in date/time picture string");
    }
    std::u32string body;
    for (std::size_t k = i + 1; k < close; ++k) {
      const char32_t b = text[k];
      if (b != U' ' && b != U'\t' && b != U'\n' && b != U'\r') body.push_back(b);
    }
    i = close;
    if (body.empty()) continue;
    if (!literal.empty()) pieces.push_back({literal, false});
    literal.clear();
    pieces.push_back({body, true});
  }
  if (!literal.empty()) pieces.push_back({literal, false});
  std::vector<DatePictureItem> items;
  for (const Piece& piece : pieces) {
    if (piece.marker) {
      items.push_back({{}, ParseMarker(piece.text)});
    } else {
      items.push_back({ToUtf8(piece.text), std::nullopt});
    }
  }
  return items;
}

std::string_view MonthName(int index) { return kMonths.at(index); }
std::string_view DayName(int index) { return kDays.at(index); }

}  // namespace timeslip::query::jsonata::format_internal
