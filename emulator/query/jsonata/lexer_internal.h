#pragma once
// Lexer: JSONata text to tokens, one at a time. A `/` starts a regex only where an operand is
// expected, so the parser says which (`prefix`).

#include <cstddef>
#include <string>
#include <string_view>

namespace timeslip::query::jsonata {

enum class TokenType { kEnd, kOperator, kString, kNumber, kName, kVariable, kValue, kRegex };

struct Token {
  TokenType type = TokenType::kEnd;
  std::string value;  // operator text, string contents, name, variable (without $), regex
  std::string flags;  // regex flags
  double number = 0;
  std::size_t position = 0;  // offset just past the token, as the reference reports it
  std::size_t start = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  Token Next(bool prefix);
  // Raw text from the current offset up to the `>` closing a function signature whose `<` was
  // just read; the offset moves past it.
  std::string ReadSignature();
  std::size_t offset() const { return pos_; }

 private:
  Token ReadString(char quote);
  Token ReadRegex();
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace timeslip::query::jsonata
