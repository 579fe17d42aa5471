#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "emulator/query/jsonata/format_text_internal.h"
#include "emulator/query/jsonata/number_words_internal.h"

namespace timeslip::query::jsonata::format_internal {
namespace {

constexpr std::array<std::string_view, 20> kSmall = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
// Scale words by their power of ten; beyond 10^12 they are combined ("thousand trillion").
struct Scale {
  std::string_view word;
  int exponent;
};
constexpr std::array<Scale, 4> kScales = {
    {{"trillion", 12}, {"billion", 9}, {"million", 6}, {"thousand", 3}}};
constexpr std::size_t kMaxPlainDigits = 15;  // up to 999 trillion without repeating a scale word

int ValueOf(std::string_view three_digits) {
  int value = 0;
  for (char c : three_digits) value = value * 10 + (c - '0');
  return value;
}

std::string BelowHundred(int n) {
  if (n < 20) return std::string(kSmall[n]);
  std::string out(kTens[n / 10]);
  if (n % 10 != 0) out.append("-").append(kSmall[n % 10]);
  return out;
}

std::string BelowThousand(int n) {
  if (n < 100) return BelowHundred(n);
  std::string out = std::string(kSmall[n / 100]) + " hundred";
  if (n % 100 != 0) out += " and " + BelowHundred(n % 100);
  return out;
}

std::string_view StripLeadingZeros(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return digits;
}

bool IsZero(std::string_view digits) { return digits.find_first_not_of('0') == std::string::npos; }

// Joins the next, lower part: "and" before a last part below one hundred, a comma otherwise.
std::string JoinLower(std::string high, std::string_view low_digits, std::string low_words) {
  low_digits = StripLeadingZeros(low_digits);
  const bool small = low_digits.size() < 3;
  return high + (small ? " and " : ", ") + low_words;
}

std::string CardinalWords(std::string_view digits) {
  digits = StripLeadingZeros(digits);
  if (digits.size() > kMaxPlainDigits) {
    std::string_view high = digits.substr(0, digits.size() - 12);
    std::string_view low = digits.substr(digits.size() - 12);
    std::string out = CardinalWords(high) + " trillion";
    if (IsZero(low)) return out;
    return JoinLower(out, low, CardinalWords(low));
  }
  if (digits.size() <= 3) return BelowThousand(ValueOf(digits));
  std::string out;
  std::string_view rest = digits;
  for (const Scale& scale : kScales) {
    if (rest.size() <= static_cast<std::size_t>(scale.exponent)) continue;
    std::string_view head = rest.substr(0, rest.size() - scale.exponent);
    rest.remove_prefix(head.size());
    const int value = ValueOf(head);
    if (value == 0) continue;
    std::string part = BelowThousand(value) + " " + std::string(scale.word);
    out = out.empty() ? part : out + ", " + part;
  }
  const int units = ValueOf(rest);
  if (units == 0) return out;
  if (out.empty()) return BelowThousand(units);
  return JoinLower(out, rest, BelowThousand(units));
}

std::string OrdinalOfWord(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kIrregular = {
      {{"one", "first"},
       {"two", "second"},
       {"three", "third"},
       {"five", "fifth"},
       {"eight", "eighth"},
       {"nine", "ninth"}}};
  for (const auto& [cardinal, ordinal] : kIrregular) {
    if (word == cardinal) return std::string(ordinal);
  }
  if (word == "twelve") return "twelfth";
  if (!word.empty() && word.back() == 'y') {
    return std::string(word.substr(0, word.size() - 1)) + "ieth";
  }
  return std::string(word) + "th";
}

// Every number word, cardinal and ordinal, with its value as digits.
struct NumberWord {
  std::string word;
  int small = -1;    // 0..99, or -1 for a scale word
  int exponent = 0;  // 2 for hundred, 3 for thousand, ...
};

const std::vector<NumberWord>& NumberWords() {
  static const std::vector<NumberWord> words = [] {
    std::vector<NumberWord> all;
    auto add = [&all](std::string_view word, int small, int exponent) {
      all.push_back({std::string(word), small, exponent});
      all.push_back({OrdinalOfWord(word), small, exponent});
    };
    for (int i = 0; i < 20; ++i) add(kSmall[i], i, 0);
    for (int i = 2; i < 10; ++i) add(kTens[i], i * 10, 0);
    add("hundred", -1, 2);
    for (const Scale& scale : kScales) add(scale.word, -1, scale.exponent);
    return all;
  }();
  return words;
}

const NumberWord* FindWord(std::string_view word) {
  for (const NumberWord& candidate : NumberWords()) {
    if (candidate.word == word) return &candidate;
  }
  return nullptr;
}

}  // namespace

std::string NumberToWords(std::string_view digits, bool ordinal) {
  std::string words = CardinalWords(digits);
  if (!ordinal) return words;
  const std::size_t last = words.find_last_of(" -");
  const std::size_t start = last == std::string::npos ? 0 : last + 1;
  return words.substr(0, start) + OrdinalOfWord(std::string_view(words).substr(start));
}

const std::string& NumberWordsPattern() {
  static const std::string pattern = [] {
    std::vector<std::string> words;
    for (const NumberWord& word : NumberWords()) words.push_back(word.word);
    // Longest first, so "seventeenth" is tried before "seventeen" and "seven".
    std::sort(words.begin(), words.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    std::string word = "(?:";
    for (std::size_t i = 0; i < words.size(); ++i) word += (i == 0 ? "" : "|") + words[i];
    word += ")";
    return word + "(?:(?:[ ,-]+|[ ,]+and[ ,]+)" + word + ")*";
  }();
  return pattern;
}

std::optional<std::string> WordsToNumber(std::string_view text) {
  // Scaled groups so far, highest first. A scale word multiplies what was said since the last
  // larger scale ("one thousand, two hundred and thirty-four trillion"), or, straight after
  // another scale word, that whole group again ("ten billion trillion").
  struct Group {
    std::string digits;
    int exponent;
  };
  std::vector<Group> groups;
  std::string current = "0";
  bool after_scale = false;
  bool any = false;
  std::string lower = AsciiLower(text);
  std::size_t i = 0;
  while (i < lower.size()) {
    const std::size_t end = lower.find_first_of(" ,-", i);
    std::string_view token =
        std::string_view(lower).substr(i, end == std::string::npos ? std::string::npos : end - i);
    i = end == std::string::npos ? lower.size() : end + 1;
    if (token.empty() || token == "and") continue;
    const NumberWord* word = FindWord(token);
    if (word == nullptr) return std::nullopt;
    any = true;
    if (word->small >= 0) {
      current = AddDigits(current, std::to_string(word->small));
      after_scale = false;
    } else if (word->exponent == 2) {
      if (current == "0") current = "1";
      current.append(2, '0');
      after_scale = false;
    } else if (after_scale && current == "0" && !groups.empty()) {
      groups.back().digits.append(word->exponent, '0');
      groups.back().exponent += word->exponent;
    } else {
      std::string sum = current == "0" ? "1" : current;
      while (!groups.empty() && groups.back().exponent < word->exponent) {
        sum = AddDigits(sum, groups.back().digits);
        groups.pop_back();
      }
      sum.append(word->exponent, '0');
      groups.push_back({sum, word->exponent});
      current = "0";
      after_scale = true;
    }
  }
  if (!any) return std::nullopt;
  for (const Group& group : groups) current = AddDigits(current, group.digits);
  return current;
}

}  // namespace timeslip::query::jsonata::format_internal
