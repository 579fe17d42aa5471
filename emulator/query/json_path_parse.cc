// CompilePath: JSONPath text to a PathProgram, in Jayway's dialect as Step Functions accepts it.
// A hand-written recursive-descent parser with a depth bound: every malformed text, however long
// or deeply nested, ends in an INVALID_JSON_PATH error, never in an abort.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "emulator/json/utf8.h"
#include "emulator/query/json_path_internal.h"
#include "emulator/query/variables.h"

namespace timeslip::query::internal {
namespace {

// Nested filters and parentheses recurse; deeper than this is refused.
constexpr int kMaxFilterDepth = 64;
// Indices beyond this are nonsense in a 256 KiB payload; refusing them keeps arithmetic exact.
constexpr std::int64_t kMaxIndex = std::int64_t{1} << 53;
constexpr std::size_t kMaxQuotedTextInMessage = 120;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Characters that end a dot-notation name inside a filter, where the name is followed by an
// operator, a closing parenthesis or whitespace.
bool EndsNameInFilter(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case ')':
    case '=':
    case '!':
    case '<':
    case '>':
    case '&':
    case '|':
    case ',':
    case ']':
      return true;
    default:
      return false;
  }
}

struct DepthGuard {
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  int& depth_;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  json::Result<std::shared_ptr<const PathProgram>> ParseWhole() {
    auto program = std::make_shared<PathProgram>();
    program->text = std::string(text_);
    if (!Consume('$')) return Fail("a path must start with '$'");
    if (Consume('$')) {
      program->context = true;
    } else if (!AtEnd() && Peek() != '.' && Peek() != '[') {
      if (!ParseVariableName(*program)) return *error_;
    }
    if (!ParseSteps(*program, /*in_filter=*/false)) return *error_;
    if (!AtEnd()) return Fail("unexpected character");
    Finish(*program);
    return std::shared_ptr<const PathProgram>(std::move(program));
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool Consume(char c) {
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }
  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }

  json::Error Fail(std::string_view what) {
    std::string shown(text_.substr(0, kMaxQuotedTextInMessage));
    if (text_.size() > kMaxQuotedTextInMessage) shown += "...";
    error_ = json::Error{std::string(kInvalidJsonPath),
                         fmt::format("Invalid JSONPath '{}': {} at offset {}", shown, what, pos_)};
    return *error_;
  }
  // For the bool-returning parts: record the error, report failure.
  bool Failed(std::string_view what) {
    Fail(what);
    return false;
  }

  static void Finish(PathProgram& program) {
    for (const Step& step : program.steps) {
      if (!step.definite()) program.definite = false;
      bool reference_step = !step.scan && (step.kind == Step::Kind::kName ||
                                           (step.kind == Step::Kind::kIndex && step.index >= 0));
      if (!reference_step) program.reference = false;
    }
    if (program.relative) program.reference = false;
  }

  // "$name": a workflow variable, its name running to the first '.' or '['.
  bool ParseVariableName(PathProgram& program) {
    std::size_t start = pos_;
    while (!AtEnd() && Peek() != '.' && Peek() != '[') ++pos_;
    std::string_view name = text_.substr(start, pos_ - start);
    if (std::optional<std::string> problem = VariableNameProblem(name)) {
      pos_ = start;
      return Failed(*problem);
    }
    program.variable = std::string(name);
    return true;
  }

  // steps := ( '..' target | '.' target | '[' bracket )*
  bool ParseSteps(PathProgram& program, bool in_filter) {
    while (!AtEnd()) {
      char c = Peek();
      if (in_filter && EndsNameInFilter(c)) return true;
      Step step;
      if (c == '.' && Peek(1) == '.') {
        pos_ += 2;
        step.scan = true;
        if (AtEnd() || (in_filter && EndsNameInFilter(Peek()))) {
          return Failed("a path must not end with '..'");
        }
      } else if (c == '.') {
        ++pos_;
        if (AtEnd() || (in_filter && EndsNameInFilter(Peek()))) {
          return Failed("a path must not end with '.'");
        }
        if (Peek() == '.') return Failed("unexpected '.'");
      } else if (c == '[') {
        if (!ParseBracket(step)) return false;
        program.steps.push_back(std::move(step));
        continue;
      } else {
        return Failed(fmt::format("expected '.' or '[' but found '{}'", c));
      }
      // After '.' or '..': '*', a bracket (Jayway accepts "$.['a b']"), or a name.
      if (Consume('*')) {
        step.kind = Step::Kind::kWildcard;
      } else if (Peek() == '[') {
        if (!ParseBracket(step)) return false;
      } else if (!ParseDotName(step, in_filter)) {
        return false;
      }
      program.steps.push_back(std::move(step));
    }
    return true;
  }

  bool ParseDotName(Step& step, bool in_filter) {
    std::size_t start = pos_;
    while (!AtEnd()) {
      char c = Peek();
      if (c == '.' || c == '[') break;
      if (in_filter && EndsNameInFilter(c)) break;
      if (IsSpace(c)) return Failed("use bracket notation ['my name'] for names with whitespace");
      if (c == '(' || c == ')') return Failed("path functions are not supported");
      if (c == ']') return Failed("unbalanced ']'");
      ++pos_;
    }
    if (pos_ == start) return Failed("empty name");
    step.kind = Step::Kind::kName;
    step.name = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  // bracket := '[' ( '*' | '?(' filter ')' | names | indices | slice ) ']'
  bool ParseBracket(Step& step) {
    ++pos_;  // '['
    SkipSpaces();
    char c = Peek();
    if (AtEnd()) return Failed("unclosed '['");
    if (c == '*') {
      ++pos_;
      step.kind = Step::Kind::kWildcard;
    } else if (c == '?') {
      ++pos_;
      SkipSpaces();
      if (!Consume('(')) return Failed("expected '(' after '?'");
      std::shared_ptr<const FilterExpr> filter;
      if (!ParseOr(filter)) return false;
      SkipSpaces();
      if (!Consume(')')) return Failed("expected ')' to close the filter");
      step.kind = Step::Kind::kFilter;
      step.filter = std::move(filter);
    } else if (c == '\'' || c == '"') {
      if (!ParseNames(step)) return false;
    } else if (IsDigit(c) || c == '-' || c == ':') {
      if (!ParseIndexes(step)) return false;
    } else {
      return Failed("expected a quoted name, an index, '*' or '?(' after '['");
    }
    SkipSpaces();
    if (!Consume(']')) return Failed(AtEnd() ? "unclosed '['" : "expected ']'");
    return true;
  }

  bool ParseNames(Step& step) {
    std::vector<std::string> names;
    for (;;) {
      std::string name;
      if (!ParseQuoted(name)) return false;
      names.push_back(std::move(name));
      SkipSpaces();
      if (!Consume(',')) break;
      SkipSpaces();
      if (Peek() != '\'' && Peek() != '"') return Failed("expected a quoted name after ','");
    }
    if (names.size() == 1) {
      step.kind = Step::Kind::kName;
      step.name = std::move(names.front());
    } else {
      step.kind = Step::Kind::kNames;
      step.names = std::move(names);
    }
    return true;
  }

  // A '...' or "..." string with JSON's escapes plus \'. pos_ is at the opening quote. An
  // escaped quote of the other kind keeps its backslash, as AWS reads it: the name in
  // $['Test\""Name"'] is Test\""Name" (recorded), not Test""Name".
  bool ParseQuoted(std::string& out) {
    char quote = Peek();
    ++pos_;
    while (!AtEnd()) {
      char c = text_[pos_++];
      if (c == quote) return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEnd()) break;
      char e = text_[pos_++];
      switch (e) {
        case '\'':
        case '"':
          if (e != quote) out += '\\';
          out += e;
          break;
        case '\\':
        case '/':
          out += e;
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
          std::uint32_t cp = 0;
          if (!ParseHex4(cp)) return Failed("bad \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF && Peek() == '\\' && Peek(1) == 'u') {
            pos_ += 2;
            std::uint32_t low = 0;
            if (!ParseHex4(low) || low < 0xDC00 || low > 0xDFFF) {
              return Failed("bad surrogate pair");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          json::AppendUtf8(static_cast<char32_t>(cp), out);
          break;
        }
        default:
          --pos_;
          return Failed("unknown escape");
      }
    }
    return Failed("unterminated string");
  }

  bool ParseHex4(std::uint32_t& cp) {
    if (pos_ + 4 > text_.size()) return false;
    for (int i = 0; i < 4; ++i) {
      char h = text_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  // An optional signed integer; `present` says whether one was there.
  bool ParseInt(std::int64_t& value, bool& present) {
    std::size_t start = pos_;
    bool negative = Consume('-');
    if (!IsDigit(Peek())) {
      if (negative) return Failed("expected a digit after '-'");
      present = false;
      pos_ = start;
      return true;
    }
    std::int64_t v = 0;
    while (IsDigit(Peek())) {
      v = v * 10 + (text_[pos_++] - '0');
      if (v > kMaxIndex) return Failed("index out of range");
    }
    value = negative ? -v : v;
    present = true;
    return true;
  }

  // indices := int (',' int)* | [int] ':' [int] [':' [int]]
  bool ParseIndexes(Step& step) {
    std::int64_t first = 0;
    bool has_first = false;
    if (!ParseInt(first, has_first)) return false;
    SkipSpaces();
    if (Peek() == ':') {
      ++pos_;
      step.kind = Step::Kind::kSlice;
      if (has_first) step.slice_start = first;
      SkipSpaces();
      std::int64_t v = 0;
      bool present = false;
      if (!ParseInt(v, present)) return false;
      if (present) step.slice_end = v;
      SkipSpaces();
      if (Consume(':')) {
        SkipSpaces();
        if (!ParseInt(v, present)) return false;
        if (present) {
          if (v == 0) return Failed("slice step must not be zero");
          step.slice_step = v;
        }
      }
      return true;
    }
    if (!has_first) return Failed("expected an index");
    std::vector<std::int64_t> indices{first};
    while (Consume(',')) {
      SkipSpaces();
      std::int64_t v = 0;
      bool present = false;
      if (!ParseInt(v, present)) return false;
      if (!present) return Failed("expected an index after ','");
      indices.push_back(v);
      SkipSpaces();
    }
    if (indices.size() == 1) {
      step.kind = Step::Kind::kIndex;
      step.index = first;
    } else {
      step.kind = Step::Kind::kIndices;
      step.indices = std::move(indices);
    }
    return true;
  }

  // ---- filters: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | '('
  // or ')' | comparison; comparison := operand [op operand].

  bool ParseOr(std::shared_ptr<const FilterExpr>& out) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxFilterDepth) return Failed("filter nested too deeply");
    std::shared_ptr<const FilterExpr> left;
    if (!ParseAnd(left)) return false;
    SkipSpaces();
    if (Peek() != '|' || Peek(1) != '|') {
      out = std::move(left);
      return true;
    }
    auto node = std::make_shared<FilterExpr>();
    node->kind = FilterExpr::Kind::kOr;
    node->children.push_back(std::move(left));
    while (Peek() == '|' && Peek(1) == '|') {
      pos_ += 2;
      std::shared_ptr<const FilterExpr> right;
      if (!ParseAnd(right)) return false;
      node->children.push_back(std::move(right));
      SkipSpaces();
    }
    out = std::move(node);
    return true;
  }

  bool ParseAnd(std::shared_ptr<const FilterExpr>& out) {
    std::shared_ptr<const FilterExpr> left;
    if (!ParseUnary(left)) return false;
    SkipSpaces();
    if (Peek() != '&' || Peek(1) != '&') {
      out = std::move(left);
      return true;
    }
    auto node = std::make_shared<FilterExpr>();
    node->kind = FilterExpr::Kind::kAnd;
    node->children.push_back(std::move(left));
    while (Peek() == '&' && Peek(1) == '&') {
      pos_ += 2;
      std::shared_ptr<const FilterExpr> right;
      if (!ParseUnary(right)) return false;
      node->children.push_back(std::move(right));
      SkipSpaces();
    }
    out = std::move(node);
    return true;
  }

  bool ParseUnary(std::shared_ptr<const FilterExpr>& out) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxFilterDepth) return Failed("filter nested too deeply");
    SkipSpaces();
    if (Peek() == '!' && Peek(1) != '=') {
      ++pos_;
      std::shared_ptr<const FilterExpr> child;
      if (!ParseUnary(child)) return false;
      auto node = std::make_shared<FilterExpr>();
      node->kind = FilterExpr::Kind::kNot;
      node->children.push_back(std::move(child));
      out = std::move(node);
      return true;
    }
    if (Consume('(')) {
      if (!ParseOr(out)) return false;
      SkipSpaces();
      if (!Consume(')')) return Failed("expected ')'");
      return true;
    }
    return ParseComparison(out);
  }

  bool ParseComparison(std::shared_ptr<const FilterExpr>& out) {
    auto node = std::make_shared<FilterExpr>();
    if (!ParseOperand(node->lhs)) return false;
    SkipSpaces();
    bool has_op = true;
    if (ConsumeWord("==")) {
      node->op = FilterExpr::Op::kEq;
    } else if (ConsumeWord("!=")) {
      node->op = FilterExpr::Op::kNe;
    } else if (ConsumeWord("<=")) {
      node->op = FilterExpr::Op::kLe;
    } else if (ConsumeWord(">=")) {
      node->op = FilterExpr::Op::kGe;
    } else if (ConsumeWord("<")) {
      node->op = FilterExpr::Op::kLt;
    } else if (ConsumeWord(">")) {
      node->op = FilterExpr::Op::kGt;
    } else if (Peek() == '=' && Peek(1) == '~') {
      return Failed("regular expression filters (=~) are not supported");
    } else if (Peek() == '=') {
      return Failed("use '==' to compare");
    } else if (ConsumeKeyword("nin")) {
      node->op = FilterExpr::Op::kNin;
    } else if (ConsumeKeyword("in")) {
      node->op = FilterExpr::Op::kIn;
    } else {
      has_op = false;
    }
    if (!has_op) {
      if (node->lhs.kind == Operand::Kind::kPath) {
        node->kind = FilterExpr::Kind::kExists;
      } else if (node->lhs.literal.is_boolean()) {
        node->kind = FilterExpr::Kind::kConstant;
        node->constant = node->lhs.literal.get<bool>();
      } else {
        return Failed("expected a comparison operator");
      }
      out = std::move(node);
      return true;
    }
    node->kind = FilterExpr::Kind::kCompare;
    SkipSpaces();
    if (!ParseOperand(node->rhs)) return false;
    out = std::move(node);
    return true;
  }

  // A word operator ("in", "nin") must stand alone: followed by whitespace or '['.
  bool ConsumeKeyword(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    char after = pos_ + word.size() < text_.size() ? text_[pos_ + word.size()] : '\0';
    if (!IsSpace(after) && after != '[' && after != '@' && after != '$') return false;
    pos_ += word.size();
    return true;
  }

  bool ParseOperand(Operand& operand) {
    SkipSpaces();
    char c = Peek();
    if (AtEnd()) return Failed("expected an operand");
    if (c == '@' || c == '$') {
      ++pos_;
      auto path = std::make_shared<PathProgram>();
      path->relative = c == '@';
      std::size_t start = pos_ - 1;
      if (!ParseSteps(*path, /*in_filter=*/true)) return false;
      path->text = std::string(text_.substr(start, pos_ - start));
      Finish(*path);
      operand.kind = Operand::Kind::kPath;
      operand.path = std::move(path);
      return true;
    }
    operand.kind = Operand::Kind::kLiteral;
    return ParseLiteral(operand.literal, /*allow_array=*/true);
  }

  bool ParseLiteral(nlohmann::ordered_json& out, bool allow_array) {
    char c = Peek();
    if (c == '\'' || c == '"') {
      std::string s;
      if (!ParseQuoted(s)) return false;
      out = std::move(s);
      return true;
    }
    if (c == '-' || IsDigit(c)) return ParseNumber(out);
    if (ConsumeLiteralWord("true")) {
      out = true;
      return true;
    }
    if (ConsumeLiteralWord("false")) {
      out = false;
      return true;
    }
    if (ConsumeLiteralWord("null")) {
      out = nullptr;
      return true;
    }
    if (c == '[' && allow_array) {
      ++pos_;
      out = nlohmann::ordered_json::array();
      SkipSpaces();
      if (Consume(']')) return true;
      for (;;) {
        SkipSpaces();
        nlohmann::ordered_json item;
        if (!ParseLiteral(item, /*allow_array=*/false)) return false;
        out.push_back(std::move(item));
        SkipSpaces();
        if (Consume(']')) return true;
        if (!Consume(',')) return Failed("expected ',' or ']' in a list");
      }
    }
    return Failed("expected a path, a string, a number, true, false, null or a list");
  }

  bool ConsumeLiteralWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    char after = pos_ + word.size() < text_.size() ? text_[pos_ + word.size()] : '\0';
    if (std::isalnum(static_cast<unsigned char>(after)) || after == '_') return false;
    pos_ += word.size();
    return true;
  }

  // JSON's number grammar: -?digits[.digits][(e|E)[+-]digits].
  bool ParseNumber(nlohmann::ordered_json& out) {
    std::size_t start = pos_;
    Consume('-');
    if (!IsDigit(Peek())) return Failed("expected a digit");
    while (IsDigit(Peek())) ++pos_;
    bool integral = true;
    if (Peek() == '.') {
      integral = false;
      ++pos_;
      if (!IsDigit(Peek())) return Failed("expected a digit after '.'");
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      integral = false;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return Failed("expected a digit in the exponent");
      while (IsDigit(Peek())) ++pos_;
    }
    std::string_view digits = text_.substr(start, pos_ - start);
    if (integral) {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc() && end == digits.data() + digits.size()) {
        out = v;
        return true;
      }
    }
    // std::from_chars for double is in GCC 12's libstdc++; strtod needs a terminated copy.
    double d = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (ec != std::errc() || !std::isfinite(d)) return Failed("number out of range");
    out = d;
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;  // active filter recursion, bounded by kMaxFilterDepth
  std::optional<json::Error> error_;
};

}  // namespace

json::Result<std::shared_ptr<const PathProgram>> CompilePath(std::string_view text) {
  return Parser(text).ParseWhole();
}

std::string StepText(const Step& step) {
  std::string out = step.scan ? ".." : "";
  switch (step.kind) {
    case Step::Kind::kName:
      return out + fmt::format("['{}']", step.name);
    case Step::Kind::kNames:
      return out + fmt::format("['{}']", fmt::join(step.names, "','"));
    case Step::Kind::kIndex:
      return out + fmt::format("[{}]", step.index);
    case Step::Kind::kIndices:
      return out + fmt::format("[{}]", fmt::join(step.indices, ","));
    case Step::Kind::kSlice:
      out += "[";
      if (step.slice_start) out += std::to_string(*step.slice_start);
      out += ":";
      if (step.slice_end) out += std::to_string(*step.slice_end);
      if (step.slice_step != 1) out += fmt::format(":{}", step.slice_step);
      return out + "]";
    case Step::Kind::kWildcard:
      return out + "[*]";
    case Step::Kind::kFilter:
      return out + "[?]";
  }
  return out;
}

std::string RootText(const PathProgram& program) {
  return program.relative ? "@" : "$" + program.variable;
}

std::string NormalizedText(const PathProgram& program) {
  std::string out = RootText(program);
  for (const Step& step : program.steps) out += StepText(step);
  return out;
}

}  // namespace timeslip::query::internal
