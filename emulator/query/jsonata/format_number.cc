#include "emulator/query/jsonata/format_number.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_text_internal.h"

namespace timeslip::query::jsonata {
namespace {

using format_internal::DecimalForm;
using format_internal::ToCodePoints;
using format_internal::ToUtf8;

// The decimal format: F&O's properties, defaults as JSONata has them.
struct Symbols {
  char32_t decimal = U'.';
  char32_t grouping = U',';
  char32_t exponent = U'e';
  char32_t zero = U'0';
  char32_t digit = U'#';
  char32_t pattern = U';';
  std::u32string minus = U"-";
  std::u32string percent = U"%";
  std::u32string per_mille = U"\u2030";
  std::u32string infinity = U"Infinity";
  std::u32string nan = U"NaN";
};

Symbols ReadSymbols(const nlohmann::ordered_json& options) {
  Symbols symbols;
  if (!options.is_object()) return symbols;
  auto text = [&options](const char* name, std::u32string& into) {
    auto it = options.find(name);
    if (it != options.end() && it->is_string()) into = ToCodePoints(it->get<std::string>());
  };
  auto single = [&](const char* name, char32_t& into) {
    std::u32string value;
    text(name, value);
    if (!value.empty()) into = value.front();
  };
  single("decimal-separator", symbols.decimal);
  single("grouping-separator", symbols.grouping);
  single("exponent-separator", symbols.exponent);
  single("zero-digit", symbols.zero);
  single("digit", symbols.digit);
  single("pattern-separator", symbols.pattern);
  text("minus-sign", symbols.minus);
  text("percent", symbols.percent);
  text("per-mille", symbols.per_mille);
  text("infinity", symbols.infinity);
  text("NaN", symbols.nan);
  return symbols;
}

// A sub-picture, analysed as F&O 4.7.4 describes.
struct SubPicture {
  std::u32string prefix;
  std::u32string suffix;
  std::vector<int> integer_groups;  // positions counted leftwards from the decimal separator
  int regular_interval = 0;
  std::vector<int> fraction_groups;  // positions counted rightwards from it
  int min_integer = 0;
  int scaling = 0;
  int min_fraction = 0;
  int max_fraction = 0;
  bool has_exponent = false;
  int min_exponent = 0;
  bool percent = false;
  bool per_mille = false;
};

[[noreturn]] void Fail(const char* code, const std::string& message) { throw Error(code, message); }

std::size_t CountOf(std::u32string_view text, std::u32string_view needle) {
  if (needle.empty()) return 0;
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::u32string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

class Analyser {
 public:
  Analyser(std::u32string_view picture, const Symbols& symbols) : p_(picture), s_(symbols) {}

  SubPicture Run() {
    Classify();
    if (CountOf(p_, std::u32string(1, s_.decimal)) > 1) {
      Fail("D3081",
           "A sub-picture must not contain more than one instance of the "
           "'decimal-separator' character");
    }
    if (first_active_ == kNone) {
      Fail("D3086", "A sub-picture must contain at least one active character");
    }
    SubPicture out;
    const std::size_t percents = CountOf(p_, s_.percent);
    const std::size_t per_milles = CountOf(p_, s_.per_mille);
    if (percents > 1) {
      Fail("D3082",
           "A sub-picture must not contain more than one instance of the 'percent' "
           "character");
    }
    if (per_milles > 1) {
      Fail("D3083",
           "A sub-picture must not contain more than one instance of the 'per-mille' "
           "character");
    }
    if (percents > 0 && per_milles > 0) {
      Fail("D3084",
           "A sub-picture must not contain both a 'percent' and a 'per-mille' "
           "character");
    }
    out.percent = percents > 0;
    out.per_mille = per_milles > 0;

    const std::size_t mantissa_end = exponent_at_ == kNone ? p_.size() : exponent_at_;
    bool mantissa_has_digit = false;
    for (std::size_t i = 0; i < mantissa_end; ++i) mantissa_has_digit |= IsDigitSign(p_[i]);
    if (!mantissa_has_digit) {
      Fail("D3085",
           "The mantissa part of a sub-picture must contain at least one character "
           "that is either an 'optional digit character' or a member of the 'decimal "
           "digit family'");
    }
    for (std::size_t i = first_active_; i <= last_active_; ++i) {
      if (!active_[i]) {
        Fail("D3086",
             "A sub-picture must not contain a passive character that is preceded by "
             "an active character and that is followed by another active character");
      }
    }
    const std::size_t decimal_at = p_.find(s_.decimal);
    const bool has_decimal = decimal_at != std::u32string_view::npos && decimal_at < mantissa_end;
    if (has_decimal && ((decimal_at > 0 && p_[decimal_at - 1] == s_.grouping) ||
                        (decimal_at + 1 < p_.size() && p_[decimal_at + 1] == s_.grouping))) {
      Fail("D3087",
           "A sub-picture must not contain a 'grouping-separator' character that "
           "appears adjacent to a 'decimal-separator' character");
    }
    const std::size_t integer_end = has_decimal ? decimal_at : mantissa_end;
    std::size_t last_integer_active = kNone;
    for (std::size_t i = first_active_; i < integer_end; ++i) {
      if (active_[i]) last_integer_active = i;
    }
    if (!has_decimal && last_integer_active != kNone && p_[last_integer_active] == s_.grouping) {
      Fail("D3088",
           "A sub-picture must not contain a 'grouping-separator' at the end of the "
           "integer part");
    }
    for (std::size_t i = 0; i + 1 < p_.size(); ++i) {
      if (p_[i] == s_.grouping && p_[i + 1] == s_.grouping) {
        Fail("D3089",
             "A sub-picture must not contain two adjacent instances of the "
             "'grouping-separator' character");
      }
    }
    bool seen_mandatory = false;
    for (std::size_t i = 0; i < integer_end; ++i) {
      if (IsFamily(p_[i])) seen_mandatory = true;
      if (p_[i] == s_.digit && seen_mandatory) {
        Fail("D3090",
             "The integer part of a sub-picture must not contain a member of the "
             "'decimal digit family' that is followed by an instance of the 'optional "
             "digit character'");
      }
    }
    if (has_decimal) {
      bool seen_optional = false;
      for (std::size_t i = decimal_at + 1; i < mantissa_end; ++i) {
        if (p_[i] == s_.digit) seen_optional = true;
        if (IsFamily(p_[i]) && seen_optional) {
          Fail("D3091",
               "The fractional part of a sub-picture must not contain an instance of "
               "the 'optional digit character' that is followed by a member of the "
               "'decimal digit family'");
        }
      }
    }
    if (exponent_at_ != kNone) {
      if (out.percent || out.per_mille) {
        Fail("D3092",
             "A sub-picture that contains a 'percent' or 'per-mille' character must "
             "not contain a character treated as an 'exponent-separator'");
      }
      for (std::size_t i = exponent_at_ + 1; i <= last_active_; ++i) {
        if (!IsFamily(p_[i])) {
          Fail("D3093",
               "The exponent part of a sub-picture that contains an "
               "'exponent-separator' character must contain only digits of the "
               "'decimal digit family'");
        }
        ++out.min_exponent;
      }
      out.has_exponent = true;
    }

    out.prefix = std::u32string(p_.substr(0, first_active_));
    out.suffix = std::u32string(p_.substr(last_active_ + 1));
    int digits = 0;
    bool integer_optional = false;
    for (std::size_t i = integer_end; i-- > first_active_;) {
      if (IsDigitSign(p_[i])) {
        ++digits;
        if (IsFamily(p_[i])) ++out.min_integer;
        if (p_[i] == s_.digit) integer_optional = true;
      } else if (p_[i] == s_.grouping) {
        out.integer_groups.push_back(digits);
      }
    }
    out.regular_interval = RegularInterval(out.integer_groups);
    out.scaling = out.min_integer;
    if (has_decimal) {
      int fraction_digits = 0;
      for (std::size_t i = decimal_at + 1; i < mantissa_end; ++i) {
        if (IsDigitSign(p_[i])) {
          ++fraction_digits;
          if (IsFamily(p_[i])) ++out.min_fraction;
          ++out.max_fraction;
        } else if (p_[i] == s_.grouping) {
          out.fraction_groups.push_back(fraction_digits);
        }
      }
    }
    if (out.min_integer == 0 && out.max_fraction == 0) {
      if (out.has_exponent) {
        out.min_fraction = 1;
        out.max_fraction = 1;
      } else {
        out.min_integer = 1;
      }
    }
    // "#.0e9" writes 0.1e0, where ".0e9" writes .1e0.
    if (out.has_exponent && out.min_integer == 0 && integer_optional) out.min_integer = 1;
    return out;
  }

 private:
  static constexpr std::size_t kNone = std::u32string_view::npos;

  bool IsFamily(char32_t c) const { return c >= s_.zero && c <= s_.zero + 9; }
  bool IsDigitSign(char32_t c) const { return IsFamily(c) || c == s_.digit; }

  // Marks the active characters. The exponent separator is one only between active characters.
  void Classify() {
    active_.assign(p_.size(), false);
    for (std::size_t i = 0; i < p_.size(); ++i) {
      const char32_t c = p_[i];
      active_[i] = IsDigitSign(c) || c == s_.decimal || c == s_.grouping;
    }
    std::size_t first = kNone;
    std::size_t last = kNone;
    for (std::size_t i = 0; i < p_.size(); ++i) {
      if (!active_[i]) continue;
      if (first == kNone) first = i;
      last = i;
    }
    if (first != kNone) {
      for (std::size_t i = first + 1; i < last; ++i) {
        if (p_[i] == s_.exponent && !active_[i]) {
          active_[i] = true;
          exponent_at_ = i;
          break;
        }
      }
    }
    first_active_ = first;
    last_active_ = last;
  }

  // F&O: separators at N, 2N, 3N, ... (and nowhere else) repeat every N digits.
  static int RegularInterval(const std::vector<int>& groups) {
    if (groups.empty()) return 0;
    const int interval = groups.front();
    if (interval <= 0) return 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (groups[i] != interval * static_cast<int>(i + 1)) return 0;
    }
    return interval;
  }

  std::u32string_view p_;
  const Symbols& s_;
  std::vector<bool> active_;
  std::size_t first_active_ = kNone;
  std::size_t last_active_ = kNone;
  std::size_t exponent_at_ = kNone;
};

// Rounds `form` (value = d.ddd x 10^exponent) to `keep` significant digits, half to even.
DecimalForm RoundSignificant(DecimalForm form, int keep) {
  if (keep >= static_cast<int>(form.digits.size())) return form;
  if (keep < 0) return DecimalForm{"0", 0};
  const std::string rest = form.digits.substr(keep);
  std::string kept = form.digits.substr(0, keep);
  bool up = false;
  if (rest[0] > '5') {
    up = true;
  } else if (rest[0] == '5') {
    const bool beyond = rest.find_first_not_of('0', 1) != std::string::npos;
    const bool odd = !kept.empty() && (kept.back() - '0') % 2 == 1;
    up = beyond || odd;
  }
  if (!up) {
    if (kept.empty()) return DecimalForm{"0", 0};
    while (kept.size() > 1 && kept.back() == '0') kept.pop_back();
    return DecimalForm{kept, form.exponent};
  }
  int i = static_cast<int>(kept.size()) - 1;
  while (i >= 0 && kept[i] == '9') kept[i--] = '0';
  if (i < 0) return DecimalForm{"1", form.exponent + 1};
  ++kept[i];
  while (kept.size() > 1 && kept.back() == '0') kept.pop_back();
  return DecimalForm{kept, form.exponent};
}

std::u32string InDigitFamily(std::string_view ascii_digits, char32_t zero) {
  std::u32string out;
  for (char c : ascii_digits) out.push_back(zero + (c - '0'));
  return out;
}

std::u32string FormatFinite(double magnitude, const SubPicture& sub, const Symbols& symbols) {
  DecimalForm form = format_internal::ShortestDecimal(magnitude);
  const bool zero = form.digits == "0";
  int exponent = 0;
  // `point`: how many digits of `form.digits` stand left of the decimal separator.
  int point = 0;
  if (sub.has_exponent) {
    if (!zero) {
      form = RoundSignificant(form, sub.scaling + sub.max_fraction);
      exponent = form.exponent - (sub.scaling - 1);
    }
    point = sub.scaling;
  } else {
    if (!zero) form = RoundSignificant(form, form.exponent + 1 + sub.max_fraction);
    point = form.digits == "0" ? 1 : form.exponent + 1;
  }
  std::string integer;
  std::string fraction;
  if (form.digits != "0") {
    if (point <= 0) {
      fraction = std::string(-point, '0') + form.digits;
    } else if (point >= static_cast<int>(form.digits.size())) {
      integer = form.digits + std::string(point - form.digits.size(), '0');
    } else {
      integer = form.digits.substr(0, point);
      fraction = form.digits.substr(point);
    }
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (static_cast<int>(fraction.size()) < sub.min_fraction) {
    fraction.append(sub.min_fraction - fraction.size(), '0');
  }
  if (static_cast<int>(integer.size()) < sub.min_integer) {
    integer.insert(0, sub.min_integer - integer.size(), '0');
  }
  if (integer.empty() && fraction.empty()) integer = "0";

  std::u32string out;
  const int length = static_cast<int>(integer.size());
  for (int i = 0; i < length; ++i) {
    const int right = length - i;  // digits from here to the decimal separator
    if (i > 0) {
      const bool group = sub.regular_interval > 0
                             ? right % sub.regular_interval == 0
                             : std::find(sub.integer_groups.begin(), sub.integer_groups.end(),
                                         right) != sub.integer_groups.end();
      if (group) out.push_back(symbols.grouping);
    }
    out.push_back(symbols.zero + (integer[i] - '0'));
  }
  if (!fraction.empty()) {
    out.push_back(symbols.decimal);
    for (std::size_t i = 0; i < fraction.size(); ++i) {
      if (i > 0 && std::find(sub.fraction_groups.begin(), sub.fraction_groups.end(),
                             static_cast<int>(i)) != sub.fraction_groups.end()) {
        out.push_back(symbols.grouping);
      }
      out.push_back(symbols.zero + (fraction[i] - '0'));
    }
  }
  if (sub.has_exponent) {
    out.push_back(symbols.exponent);
    if (exponent < 0) out += symbols.minus;
    std::string digits = std::to_string(std::abs(exponent));
    if (static_cast<int>(digits.size()) < sub.min_exponent) {
      digits.insert(0, sub.min_exponent - digits.size(), '0');
    }
    out += InDigitFamily(digits, symbols.zero);
  }
  return out;
}

}  // namespace

std::string FormatNumber(double value, std::string_view picture,
                         const nlohmann::ordered_json& options) {
  const Symbols symbols = ReadSymbols(options);
  const std::u32string text = ToCodePoints(picture);
  std::vector<std::u32string_view> parts;
  std::u32string_view rest = text;
  for (std::size_t at = rest.find(symbols.pattern); at != std::u32string_view::npos;
       at = rest.find(symbols.pattern)) {
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + 1);
  }
  parts.push_back(rest);
  if (parts.size() > 2) {
    Fail("D3080",
         "The picture string must not contain more than one instance of the "
         "'pattern-separator' character");
  }
  std::vector<SubPicture> subs;
  for (std::u32string_view part : parts) subs.push_back(Analyser(part, symbols).Run());

  if (std::isnan(value)) return ToUtf8(symbols.nan);
  const bool negative = value < 0;
  SubPicture sub = negative && subs.size() == 2 ? subs[1] : subs[0];
  if (negative && subs.size() == 1) sub.prefix = symbols.minus + sub.prefix;
  double magnitude = std::fabs(value);
  if (sub.percent) magnitude *= 100;
  if (sub.per_mille) magnitude *= 1000;
  std::u32string body =
      std::isinf(magnitude) ? symbols.infinity : FormatFinite(magnitude, sub, symbols);
  return ToUtf8(sub.prefix + body + sub.suffix);
}

}  // namespace timeslip::query::jsonata
