#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/lexer_internal.h"
#include "emulator/query/jsonata/utf8_internal.h"

namespace timeslip::query::jsonata {
namespace {

constexpr const char* kSingleOperators = ".[]{}(),@#;:?+-*/%|=<>^&!~";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

bool EndsName(char c) {
  return IsSpace(c) || std::strchr(kSingleOperators, c) != nullptr || c == '"' || c == '\'' ||
         c == '`';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Token Lexer::Next(bool prefix) {
  // Whitespace and /* comments */.
  for (;;) {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    if (pos_ + 1 < text_.size() && text_[pos_] == '/' && text_[pos_ + 1] == '*') {
      std::size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) throw Error("S0106", "Comment has no closing tag", pos_);
      pos_ = end + 2;
      continue;
    }
    break;
  }
  Token t;
  t.start = pos_;
  if (pos_ >= text_.size()) {
    t.type = TokenType::kEnd;
    t.position = pos_;
    return t;
  }
  char c = text_[pos_];
  if (prefix && c == '/') {
    ++pos_;
    return ReadRegex();
  }
  static constexpr const char* kDouble[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
  for (const char* op : kDouble) {
    if (text_.substr(pos_, 2) == op) {
      pos_ += 2;
      t.type = TokenType::kOperator;
      t.value = op;
      t.position = pos_;
      return t;
    }
  }
  if (c == '!' || c == '~') {
    throw Error("S0204", std::string("Unknown operator: \"") + c + "\"", pos_ + 1,
                std::string(1, c));
  }
  if (std::strchr(kSingleOperators, c) != nullptr) {
    ++pos_;
    t.type = TokenType::kOperator;
    t.value = std::string(1, c);
    t.position = pos_;
    return t;
  }
  if (c == '"' || c == '\'') {
    ++pos_;
    return ReadString(c);
  }
  if (c >= '0' && c <= '9') {
    std::size_t end = pos_;
    if (text_[end] == '0') {
      ++end;
    } else {
      while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) ++end;
    }
    if (end + 1 < text_.size() && text_[end] == '.' &&
        std::isdigit(static_cast<unsigned char>(text_[end + 1]))) {
      ++end;
      while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) ++end;
    }
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      std::size_t e = end + 1;
      if (e < text_.size() && (text_[e] == '+' || text_[e] == '-')) ++e;
      if (e < text_.size() && std::isdigit(static_cast<unsigned char>(text_[e]))) {
        while (e < text_.size() && std::isdigit(static_cast<unsigned char>(text_[e]))) ++e;
        end = e;
      }
    }
    std::string digits(text_.substr(pos_, end - pos_));
    double n = std::strtod(digits.c_str(), nullptr);
    pos_ = end;
    if (!std::isfinite(n)) throw Error("S0102", "Number out of range: " + digits, pos_, digits);
    t.type = TokenType::kNumber;
    t.number = n;
    t.value = digits;
    t.position = pos_;
    return t;
  }
  if (c == '`') {
    std::size_t end = text_.find('`', pos_ + 1);
    if (end == std::string_view::npos)
      throw Error("S0105", "Quoted property name must be terminated with a backquote (`) character",
                  pos_);
    t.type = TokenType::kName;
    t.value = std::string(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    t.position = pos_;
    return t;
  }
  // Names and variables run to the next operator or space.
  std::size_t end = pos_;
  bool variable = c == '$';
  if (variable) ++end;
  while (end < text_.size() && !EndsName(text_[end])) ++end;
  std::string name(text_.substr(pos_ + (variable ? 1 : 0), end - pos_ - (variable ? 1 : 0)));
  pos_ = end;
  t.position = pos_;
  t.value = name;
  if (variable) {
    t.type = TokenType::kVariable;
    return t;
  }
  if (name == "and" || name == "or" || name == "in") {
    t.type = TokenType::kOperator;
    return t;
  }
  if (name == "true" || name == "false" || name == "null") {
    t.type = TokenType::kValue;
    return t;
  }
  t.type = TokenType::kName;
  return t;
}

Token Lexer::ReadString(char quote) {
  std::string out;
  std::size_t start = pos_ - 1;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      Token t;
      t.type = TokenType::kString;
      t.value = std::move(out);
      t.position = pos_;
      t.start = start;
      return t;
    }
    if (c != '\\') {
      out += c;
      ++pos_;
      continue;
    }
    ++pos_;
    if (pos_ >= text_.size()) break;
    char e = text_[pos_++];
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        auto read4 = [&](std::size_t at) -> int {
          if (at + 4 > text_.size()) return -1;
          int v = 0;
          for (std::size_t i = 0; i < 4; ++i) {
            int h = HexValue(text_[at + i]);
            if (h < 0) return -1;
            v = v * 16 + h;
          }
          return v;
        };
        int cp = read4(pos_);
        if (cp < 0)
          throw Error("S0104", "The escape sequence \\u must be followed by 4 hex digits", pos_);
        pos_ += 4;
        // A surrogate pair spelled as two escapes is one character.
        if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
          int low = read4(pos_ + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            pos_ += 6;
          }
        }
        json::AppendUtf8(static_cast<char32_t>(cp), out);
        break;
      }
      default:
        throw Error("S0103", std::string("Unsupported escape sequence: \\") + e, pos_,
                    std::string(1, e));
    }
  }
  throw Error("S0101", "String literal must be terminated by a matching quote", pos_);
}

Token Lexer::ReadRegex() {
  std::size_t start = pos_;
  int depth = 0;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '/' && depth == 0 && (pos_ == start || text_[pos_ - 1] != '\\')) {
      std::string pattern(text_.substr(start, pos_ - start));
      if (pattern.empty()) throw Error("S0301", "Empty regular expressions are not allowed", pos_);
      ++pos_;
      std::size_t f = pos_;
      while (pos_ < text_.size() &&
             (text_[pos_] == 'i' || text_[pos_] == 'm' || text_[pos_] == 'g' || text_[pos_] == 's'))
        ++pos_;
      Token t;
      t.type = TokenType::kRegex;
      t.value = std::move(pattern);
      t.flags = std::string(text_.substr(f, pos_ - f));
      t.position = pos_;
      t.start = start - 1;
      return t;
    }
    if ((c == '(' || c == '[' || c == '{') && (pos_ == start || text_[pos_ - 1] != '\\')) ++depth;
    if ((c == ')' || c == ']' || c == '}') && (pos_ == start || text_[pos_ - 1] != '\\')) --depth;
    ++pos_;
  }
  throw Error("S0302", "No terminating / in regular expression", pos_);
}

std::string Lexer::ReadSignature() {
  std::size_t start = pos_;
  int depth = 1;
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (c == '<') ++depth;
    if (c == '>' && --depth == 0) return std::string(text_.substr(start, pos_ - 1 - start));
  }
  throw Error("S0401", "Function signature has no closing >", pos_);
}

}  // namespace timeslip::query::jsonata
