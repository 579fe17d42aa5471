#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_text_internal.h"
#include "emulator/query/jsonata/integer_picture_internal.h"
#include "emulator/query/jsonata/letter_numerals_internal.h"
#include "emulator/query/jsonata/number_words_internal.h"

namespace timeslip::query::jsonata::format_internal {
namespace {

[[noreturn]] void Unsupported(std::u32string_view token) {
  throw Error("D3130", "Formatting or parsing an integer as a sequence starting with " +
                           ToUtf8(token.substr(0, 1)) + " is not supported by this implementation");
}

// Separators all equal and at N, 2N, 3N, ... digits: the pattern repeats to the left.
int RegularInterval(const std::vector<IntegerPicture::Separator>& separators) {
  if (separators.empty()) return 0;
  const int interval = separators.front().position;
  for (std::size_t i = 0; i < separators.size(); ++i) {
    if (separators[i].text != separators.front().text) return 0;
    if (separators[i].position != interval * static_cast<int>(i + 1)) return 0;
  }
  return interval;
}

IntegerPicture ParseDecimalPattern(std::u32string_view token) {
  IntegerPicture picture;
  picture.min_digits = 0;
  char32_t zero = 0;
  int digits_seen = 0;
  for (auto it = token.rbegin(); it != token.rend(); ++it) {
    const char32_t c = *it;
    if (c == U'#') {
      ++picture.optional_digits;
      ++digits_seen;
    } else if (char32_t family = DigitFamilyZero(c); family != 0) {
      if (zero != 0 && family != zero) {
        throw Error("D3131",
                    "In a decimal digit pattern, all digits must be from the same "
                    "decimal group");
      }
      zero = family;
      ++picture.min_digits;
      ++digits_seen;
    } else if (IsLetter(c)) {
      Unsupported(token);
    } else {
      picture.separators.push_back({digits_seen, c});
    }
  }
  if (zero == 0) Unsupported(token);
  picture.zero = zero;
  picture.regular_interval = RegularInterval(picture.separators);
  return picture;
}

// "Five Hundred and Fifty-Five": every word and hyphenated part capitalised, but "and".
std::string TitleCase(std::string words) {
  bool start = true;
  for (std::size_t i = 0; i < words.size(); ++i) {
    char& c = words[i];
    if (c == ' ' || c == '-') {
      start = true;
      continue;
    }
    if (start && words.compare(i, 4, "and ") != 0 && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    start = false;
  }
  return words;
}

// Roman numerals and letters grow with the value (a million is a thousand Ms); beyond this
// the digits are written instead, so that no picture can ask for gigabytes of text.
constexpr std::uint64_t kMaxLetterValue = 1'000'000;

std::optional<std::uint64_t> LetterValue(const std::string& digits) {
  if (digits.size() > 7) return std::nullopt;
  const std::uint64_t value = std::strtoull(digits.c_str(), nullptr, 10);
  if (value > kMaxLetterValue) return std::nullopt;
  return value;
}

std::u32string Ascii(std::string_view text) { return std::u32string(text.begin(), text.end()); }

std::string_view OrdinalSuffix(const std::string& digits) {
  const int last_two = std::atoi(digits.substr(digits.size() < 2 ? 0 : digits.size() - 2).c_str());
  if (last_two / 10 == 1) return "th";
  switch (last_two % 10) {
    case 1:
      return "st";
    case 2:
      return "nd";
    case 3:
      return "rd";
    default:
      return "th";
  }
}

}  // namespace

IntegerPicture ParseIntegerToken(std::u32string_view token) {
  IntegerPicture picture;
  if (token == U"A") {
    picture.style = IntegerStyle::kUpperAlpha;
  } else if (token == U"a") {
    picture.style = IntegerStyle::kLowerAlpha;
  } else if (token == U"I") {
    picture.style = IntegerStyle::kUpperRoman;
  } else if (token == U"i") {
    picture.style = IntegerStyle::kLowerRoman;
  } else if (token == U"W") {
    picture.style = IntegerStyle::kUpperWords;
  } else if (token == U"w") {
    picture.style = IntegerStyle::kLowerWords;
  } else if (token == U"Ww") {
    picture.style = IntegerStyle::kTitleWords;
  } else if (token.empty()) {
    Unsupported(token);
  } else {
    picture = ParseDecimalPattern(token);
  }
  return picture;
}

IntegerPicture ParseIntegerPicture(std::u32string_view picture) {
  std::u32string_view token = picture;
  bool ordinal = false;
  if (std::size_t semicolon = picture.rfind(U';'); semicolon != std::u32string_view::npos) {
    token = picture.substr(0, semicolon);
    std::u32string_view modifier = picture.substr(semicolon + 1);
    ordinal = !modifier.empty() && modifier.front() == U'o';
  }
  IntegerPicture parsed = ParseIntegerToken(token);
  parsed.ordinal = ordinal;
  return parsed;
}

std::u32string FormatIntegerDigits(const std::string& digits, const IntegerPicture& picture) {
  const bool letters =
      picture.style == IntegerStyle::kUpperAlpha || picture.style == IntegerStyle::kLowerAlpha ||
      picture.style == IntegerStyle::kUpperRoman || picture.style == IntegerStyle::kLowerRoman;
  const std::optional<std::uint64_t> letter_value = letters ? LetterValue(digits) : std::nullopt;
  if (letters && !letter_value) return Ascii(digits);
  switch (picture.style) {
    case IntegerStyle::kUpperAlpha:
      return Ascii(ToAlphabetic(*letter_value));
    case IntegerStyle::kLowerAlpha:
      return Ascii(AsciiLower(ToAlphabetic(*letter_value)));
    case IntegerStyle::kUpperRoman:
      return Ascii(ToRoman(*letter_value));
    case IntegerStyle::kLowerRoman:
      return Ascii(AsciiLower(ToRoman(*letter_value)));
    case IntegerStyle::kLowerWords:
      return Ascii(NumberToWords(digits, picture.ordinal));
    case IntegerStyle::kUpperWords: {
      std::string words = NumberToWords(digits, picture.ordinal);
      for (char& c : words) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      return Ascii(words);
    }
    case IntegerStyle::kTitleWords:
      return Ascii(TitleCase(NumberToWords(digits, picture.ordinal)));
    case IntegerStyle::kDecimal:
      break;
  }
  std::string padded = digits;
  if (padded.size() < static_cast<std::size_t>(picture.min_digits)) {
    padded.insert(0, picture.min_digits - padded.size(), '0');
  }
  // Built right to left, then reversed.
  std::u32string out;
  std::size_t next_separator = 0;
  const int length = static_cast<int>(padded.size());
  for (int written = 0; written < length; ++written) {
    if (written > 0) {
      if (picture.regular_interval > 0) {
        if (written % picture.regular_interval == 0) {
          out.push_back(picture.separators.front().text);
        }
      } else if (next_separator < picture.separators.size() &&
                 picture.separators[next_separator].position == written) {
        out.push_back(picture.separators[next_separator].text);
        ++next_separator;
      }
    }
    out.push_back(picture.zero + (padded[length - 1 - written] - '0'));
  }
  std::reverse(out.begin(), out.end());
  if (picture.ordinal) out += Ascii(OrdinalSuffix(digits));
  return out;
}

std::optional<std::string> ParseIntegerDigits(std::u32string_view text,
                                              const IntegerPicture& picture) {
  const std::string ascii = ToUtf8(text);
  auto to_digits = [](std::optional<std::uint64_t> value) -> std::optional<std::string> {
    if (!value) return std::nullopt;
    return std::to_string(*value);
  };
  switch (picture.style) {
    case IntegerStyle::kUpperAlpha:
    case IntegerStyle::kLowerAlpha:
      return to_digits(FromAlphabetic(ascii));
    case IntegerStyle::kUpperRoman:
    case IntegerStyle::kLowerRoman:
      return to_digits(FromRoman(ascii));
    case IntegerStyle::kLowerWords:
    case IntegerStyle::kUpperWords:
    case IntegerStyle::kTitleWords:
      return WordsToNumber(ascii);
    case IntegerStyle::kDecimal:
      break;
  }
  std::u32string_view body = text;
  if (picture.ordinal) {
    while (!body.empty() && IsLetter(body.back())) body.remove_suffix(1);
  }
  std::string digits;
  for (char32_t c : body) {
    if (c >= picture.zero && c <= picture.zero + 9) {
      digits.push_back(static_cast<char>('0' + (c - picture.zero)));
    } else if (std::none_of(picture.separators.begin(), picture.separators.end(),
                            [c](const IntegerPicture::Separator& s) { return s.text == c; })) {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  return digits;
}

}  // namespace timeslip::query::jsonata::format_internal
