// ParseIntrinsic: the text of an intrinsic call to its call tree, with the checks that need no
// input (function names, argument counts, literal argument types, nesting depth).
//
//   call    := "States." name ws "(" ws [ arg ws ( "," ws arg ws )* ] ")"
//   arg     := string | number | "true" | "false" | "null" | path | call
//   string  := "'" ( char | "\'" | "\{" | "\}" | "\\" )* "'"
//   number  := "-"? digits ( "." digits )? ( ("e"|"E") ("+"|"-")? digits )?
//   path    := "$" ...   (up to a "," or ")" or whitespace outside brackets and parentheses)
//
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html

#include <fmt/format.h>

#include <cctype>

#include "emulator/query/intrinsic_internal.h"

namespace timeslip::query::internal {
namespace {

constexpr std::string_view kStatesPrefix = "States.";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  json::Result<std::unique_ptr<IntrinsicCall>> Parse() {
    SkipSpace();
    json::Result<std::unique_ptr<IntrinsicCall>> call = ParseCall(1);
    if (!call.ok()) return call;
    SkipSpace();
    if (pos_ != text_.size()) {
      return Fail(fmt::format("unexpected text '{}' after the call at offset {}",
                              Snippet(text_.substr(pos_)), pos_));
    }
    return call;
  }

 private:
  json::Error Fail(std::string_view problem) const {
    return json::Error{std::string(kSchemaValidationFailed),
                       fmt::format("Invalid intrinsic function '{}': {}", Snippet(text_), problem)};
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  bool StartsWith(std::string_view s) const { return text_.substr(pos_).substr(0, s.size()) == s; }
  // True when the next character ends an argument.
  bool AtArgEnd() const { return AtEnd() || IsSpace(Peek()) || Peek() == ',' || Peek() == ')'; }

  json::Result<std::unique_ptr<IntrinsicCall>> ParseCall(int depth) {
    if (depth > kMaxIntrinsicNesting) {
      return Fail(fmt::format("intrinsic functions nest deeper than {} levels at offset {}",
                              kMaxIntrinsicNesting, pos_));
    }
    const std::size_t start = pos_;
    if (!StartsWith(kStatesPrefix)) {
      return Fail(fmt::format("expected 'States.' at offset {}", pos_));
    }
    pos_ += kStatesPrefix.size();
    while (!AtEnd() && IsNameChar(Peek())) ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    auto call = std::make_unique<IntrinsicCall>();
    call->fn = FindFunction(name);
    if (call->fn == nullptr) {
      return Fail(fmt::format("unknown intrinsic function '{}'", Snippet(name)));
    }
    SkipSpace();
    if (Peek() != '(') {
      return Fail(fmt::format("expected '(' after {} at offset {}", name, pos_));
    }
    ++pos_;
    SkipSpace();
    if (Peek() == ')') {
      ++pos_;
    } else {
      for (;;) {
        json::Result<IntrinsicArg> arg = ParseArg(*call->fn, call->args.size() + 1, depth);
        if (!arg.ok()) return arg.error();
        call->args.push_back(std::move(arg).value());
        SkipSpace();
        if (AtEnd()) return Fail(fmt::format("missing ')' to close {}", name));
        if (Peek() == ')') {
          ++pos_;
          break;
        }
        if (Peek() != ',') {
          return Fail(fmt::format("expected ',' or ')' after argument {} of {} at offset {}",
                                  call->args.size(), name, pos_));
        }
        ++pos_;
        SkipSpace();
      }
    }
    call->text = std::string(text_.substr(start, pos_ - start));
    if (json::Status checked = CheckCall(*call); !checked.ok()) return checked.error();
    return call;
  }

  // Argument count, and the types of literal arguments.
  json::Status CheckCall(const IntrinsicCall& call) const {
    const FunctionSpec& fn = *call.fn;
    const int n = static_cast<int>(call.args.size());
    if (n < fn.min_args || (fn.max_args != kVariadic && n > fn.max_args)) {
      std::string want;
      const bool plural = !(fn.min_args == 1 && (fn.max_args == 1 || fn.max_args == kVariadic));
      if (fn.max_args == kVariadic) {
        want = fmt::format("at least {}", fn.min_args);
      } else if (fn.min_args == fn.max_args) {
        want = fmt::format("{}", fn.min_args);
      } else {
        want = fmt::format("{} to {}", fn.min_args, fn.max_args);
      }
      return Fail(
          fmt::format("{} takes {} argument{}, got {}", fn.name, want, plural ? "s" : "", n));
    }
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const IntrinsicArg& arg = call.args[i];
      if (arg.kind != IntrinsicArg::Kind::kLiteral) continue;
      const ArgSpec& spec = fn.arg(i);
      if (spec.type == ArgType::kPathOnly) {
        return Fail(fmt::format("argument {} ({}) of {} must be a path, not a literal", i + 1,
                                spec.name, fn.name));
      }
      std::string problem = CheckArgType(fn, i, arg.literal);
      if (!problem.empty()) return Fail(problem);
    }
    return json::Ok();
  }

  json::Result<IntrinsicArg> ParseArg(const FunctionSpec& fn, std::size_t index, int depth) {
    if (AtEnd()) {
      return Fail(fmt::format("missing argument {} of {} at the end of the text", index, fn.name));
    }
    const char c = Peek();
    if (c == '\'') return ParseString();
    if (c == '$') return ParsePath();
    if (c == '-' || IsDigit(c)) return ParseNumber();
    if (StartsWith(kStatesPrefix)) {
      json::Result<std::unique_ptr<IntrinsicCall>> nested = ParseCall(depth + 1);
      if (!nested.ok()) return nested.error();
      IntrinsicArg arg;
      arg.kind = IntrinsicArg::Kind::kCall;
      arg.call = std::move(nested).value();
      return arg;
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (!StartsWith(word)) continue;
      pos_ += word.size();
      if (!AtArgEnd()) {
        pos_ -= word.size();
        break;
      }
      IntrinsicArg arg;
      arg.literal = word == "null" ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(word == "true");
      return arg;
    }
    if (c == ',' || c == ')') {
      return Fail(fmt::format("missing argument {} of {} at offset {}", index, fn.name, pos_));
    }
    return Fail(fmt::format("unexpected character '{}' at offset {}",
                            Snippet(text_.substr(pos_, 1)), pos_));
  }

  // '...' with the escapes \' \{ \} \\. An unescaped "{}" splits format_pieces.
  json::Result<IntrinsicArg> ParseString() {
    const std::size_t start = pos_;
    ++pos_;  // the opening quote
    IntrinsicArg arg;
    std::string value;
    arg.format_pieces.emplace_back();
    for (;;) {
      if (AtEnd()) return Fail(fmt::format("unterminated string starting at offset {}", start));
      const char c = text_[pos_];
      if (c == '\'') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        if (next != '\'' && next != '{' && next != '}' && next != '\\') {
          // "If an open escape backslash \ is found in the intrinsic invocation string, the
          // interpreter will return a runtime error." We can tell before any input arrives.
          return Fail(
              fmt::format("invalid escape '\\{}' at offset {}; only \\' \\{{ \\}} \\\\ are "
                          "allowed",
                          next == '\0' ? std::string() : std::string(1, next), pos_));
        }
        value.push_back(next);
        arg.format_pieces.back().push_back(next);
        pos_ += 2;
        continue;
      }
      if (c == '{' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '}') {
        value += "{}";
        arg.format_pieces.emplace_back();
        pos_ += 2;
        continue;
      }
      value.push_back(c);
      arg.format_pieces.back().push_back(c);
      ++pos_;
    }
    arg.literal = std::move(value);
    return arg;
  }

  json::Result<IntrinsicArg> ParseNumber() {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
      return pos_ > from;
    };
    if (Peek() == '-') ++pos_;
    bool ok = digits();
    if (ok && Peek() == '.') {
      ++pos_;
      ok = digits();
    }
    if (ok && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      ok = digits();
    }
    const std::string_view token = text_.substr(start, pos_ - start);
    if (!ok || !AtArgEnd()) {
      while (!AtArgEnd()) ++pos_;
      return Fail(fmt::format("malformed number '{}' at offset {}",
                              Snippet(text_.substr(start, pos_ - start)), start));
    }
    IntrinsicArg arg;
    try {
      arg.literal = nlohmann::ordered_json::parse(token);
    } catch (const nlohmann::ordered_json::exception&) {
      return Fail(fmt::format("number '{}' at offset {} is out of range", Snippet(token), start));
    }
    // Keep integers signed: 5 and -5 then compare, add and print alike.
    if (arg.literal.is_number_unsigned() &&
        arg.literal.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
      arg.literal = arg.literal.get<std::int64_t>();
    }
    return arg;
  }

  // A path runs to the first ',' or ')' or whitespace outside brackets and parentheses; inside
  // brackets, quoted names may hold any of those ("$['a b, c']").
  json::Result<IntrinsicArg> ParsePath() {
    const std::size_t start = pos_;
    int brackets = 0;
    int parens = 0;
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (brackets > 0 && (c == '\'' || c == '"')) {
        const std::size_t quote_at = pos_;
        ++pos_;
        while (!AtEnd() && text_[pos_] != c) pos_ += text_[pos_] == '\\' ? 2 : 1;
        if (AtEnd()) {
          return Fail(fmt::format("unterminated quoted name in the path at offset {}", quote_at));
        }
        ++pos_;
        continue;
      }
      if (brackets == 0 && parens == 0 && (c == ',' || c == ')' || IsSpace(c))) break;
      if (c == '[') ++brackets;
      if (c == ']' && brackets > 0) --brackets;
      if (c == '(') ++parens;
      if (c == ')' && parens > 0) --parens;
      ++pos_;
    }
    pos_ = std::min(pos_, text_.size());
    const std::string_view path_text = text_.substr(start, pos_ - start);
    json::Result<JsonPath> path = JsonPath::Compile(path_text);
    if (!path.ok()) {
      return Fail(fmt::format("invalid path '{}' at offset {}: {}", Snippet(path_text), start,
                              path.error().message));
    }
    IntrinsicArg arg;
    arg.kind = IntrinsicArg::Kind::kPath;
    arg.path = std::move(path).value();
    return arg;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

json::Result<std::unique_ptr<IntrinsicCall>> ParseIntrinsic(std::string_view text) {
  if (!IsValidUtf8(text)) {
    return json::Error{std::string(kSchemaValidationFailed),
                       "Invalid intrinsic function: the text is not valid UTF-8"};
  }
  return Parser(text).Parse();
}

}  // namespace timeslip::query::internal
