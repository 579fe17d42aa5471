#include "emulator/services/glue/dqdl.h"

#include <fmt/format.h>

#include <cctype>
#include <cstddef>
#include <optional>

#include "emulator/services/glue/fields.h"

namespace timeslip::services::glue {
namespace {

enum class Tok { kEnd, kIdent, kString, kNumber, kSymbol, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;  // as written; a string with its quotes
  std::size_t begin = 0;  // byte offsets in the ruleset
  std::size_t end = 0;
};

// What follows a rule type's parameters.
enum class ExprKind {
  kNone,            // IsComplete "c"
  kNumber,          // Mean "c" > 3
  kOptionalNumber,  // CustomSql "select ..." [between 1 and 9]
  kValue,           // ColumnValues "c" in ["a", "b"]
};

struct RuleSpec {
  std::string_view type;
  int min_params;
  int max_params;  // -1: any number
  ExprKind expr;
  bool threshold;  // takes `with threshold <op> N`
};

// https://docs.aws.amazon.com/glue/latest/dg/dqdl.html#dqdl-rule-types
constexpr RuleSpec kRuleSpecs[] = {
    {"RowCount", 0, 0, ExprKind::kNumber, false},
    {"ColumnCount", 0, 0, ExprKind::kNumber, false},
    {"IsComplete", 1, 1, ExprKind::kNone, false},
    {"IsUnique", 1, 1, ExprKind::kNone, false},
    {"ColumnExists", 1, 1, ExprKind::kNone, false},
    {"IsPrimaryKey", 1, -1, ExprKind::kNone, false},
    {"Completeness", 1, 1, ExprKind::kNumber, false},
    {"Uniqueness", 1, 1, ExprKind::kNumber, false},
    {"ColumnLength", 1, 1, ExprKind::kNumber, true},
    {"Mean", 1, 1, ExprKind::kNumber, false},
    {"Sum", 1, 1, ExprKind::kNumber, false},
    {"StandardDeviation", 1, 1, ExprKind::kNumber, false},
    {"DistinctValuesCount", 1, 1, ExprKind::kNumber, false},
    {"ColumnValues", 1, 1, ExprKind::kValue, true},
    {"CustomSql", 1, 1, ExprKind::kOptionalNumber, true},
};

const RuleSpec* FindSpec(std::string_view type) {
  for (const RuleSpec& spec : kRuleSpecs) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { Advance(); }

  json::Result<std::vector<DqdlRule>> Ruleset() {
    if (!Word("Rules")) return Expected("\"Rules\"");
    if (!Symbol("=")) return Expected("\"=\"");
    if (!Symbol("[")) return Expected("\"[\"");
    std::vector<DqdlRule> rules;
    for (;;) {
      const std::size_t begin = token_.begin;
      std::string type;
      if (json::Status rule = Rule(type); !rule.ok()) return rule.error();
      rules.push_back({type, std::string(text_.substr(begin, last_end_ - begin))});
      if (Symbol(",")) continue;
      if (Symbol("]")) break;
      return Expected("\",\" or \"]\" after a rule");
    }
    if (token_.kind != Tok::kEnd) return Expected("the end of the ruleset after \"]\"");
    return rules;
  }

 private:
  // A rule, or rules in parentheses joined by `and` / `or`. Sets `type`.
  json::Status Rule(std::string& type) {
    if (token_.kind != Tok::kSymbol || token_.text != "(") return Simple(type);
    for (;;) {
      Symbol("(");
      std::string inner;
      if (json::Status rule = Rule(inner); !rule.ok()) return rule;
      if (!Symbol(")")) return Expected("\")\" closing the rule");
      type = "Composite";
      if (!Word("and") && !Word("or")) return json::Ok();
      if (token_.kind != Tok::kSymbol || token_.text != "(") {
        return Expected("\"(\": rules joined by and/or are each in parentheses");
      }
    }
  }

  json::Status Simple(std::string& type) {
    if (token_.kind != Tok::kIdent) return Expected("a rule type");
    const RuleSpec* spec = FindSpec(token_.text);
    if (spec == nullptr) {
      return Fail(fmt::format("timeslip does not evaluate rule type {} yet (it knows {})",
                              token_.text, KnownTypes()));
    }
    type = std::string(spec->type);
    Advance();
    int params = 0;
    while (token_.kind == Tok::kString && (spec->max_params < 0 || params < spec->max_params)) {
      ++params;
      Advance();
    }
    if (params < spec->min_params) {
      return Expected(spec->type == "CustomSql" ? "a quoted SQL statement"
                                                : "a quoted column name");
    }
    if (token_.kind == Tok::kString) {
      return Fail(fmt::format("{} takes {} quoted parameter{}; found another, {}", spec->type,
                              spec->max_params, spec->max_params == 1 ? "" : "s", Found()));
    }
    switch (spec->expr) {
      case ExprKind::kNone:
        break;
      case ExprKind::kOptionalNumber:
        if (!StartsExpression()) break;
        [[fallthrough]];
      case ExprKind::kNumber:
      case ExprKind::kValue:
        if (json::Status e = Expression(spec->expr == ExprKind::kValue); !e.ok()) return e;
    }
    if (token_.kind == Tok::kIdent && token_.text == "with") {
      if (!spec->threshold) return Fail(fmt::format("{} takes no \"with threshold\"", spec->type));
      Advance();
      if (!Word("threshold")) return Expected("\"threshold\" after \"with\"");
      if (!Comparison()) return Expected("a comparison (=, !=, >, >=, <, <=) after \"threshold\"");
      if (!Number()) return Expected("a number");
    }
    if (Word("where")) {
      if (token_.kind != Tok::kString) return Expected("a quoted SQL condition after \"where\"");
      Advance();
    }
    return json::Ok();
  }

  bool StartsExpression() const {
    if (token_.kind == Tok::kSymbol) {
      return token_.text == "=" || token_.text == "!=" || token_.text == ">" ||
             token_.text == ">=" || token_.text == "<" || token_.text == "<=";
    }
    return token_.kind == Tok::kIdent &&
           (token_.text == "between" || token_.text == "in" || token_.text == "not");
  }

  // <op> V | [not] between A and B | [not] in [V, ...] | [not] matches "re" (values only)
  json::Status Expression(bool values) {
    const bool negated = Word("not");
    if (!negated && Comparison()) return Value(values);
    if (Word("between")) {
      if (json::Status low = Value(values); !low.ok()) return low;
      if (!Word("and")) return Expected("\"and\" in \"between X and Y\"");
      return Value(values);
    }
    if (Word("in")) {
      if (!Symbol("[")) return Expected("\"[\" opening the list after \"in\"");
      for (;;) {
        if (json::Status v = Value(values); !v.ok()) return v;
        if (Symbol(",")) continue;
        if (Symbol("]")) return json::Ok();
        return Expected("\",\" or \"]\" in the list");
      }
    }
    if (values && Word("matches")) {
      if (token_.kind != Tok::kString) return Expected("a quoted regular expression");
      Advance();
      return json::Ok();
    }
    if (negated) {
      return Expected(values ? "\"between\", \"in\" or \"matches\" after \"not\""
                             : "\"between\" or \"in\" after \"not\"");
    }
    return Expected(values ? "a comparison (=, !=, >, >=, <, <=, between, in, matches)"
                           : "a comparison (=, !=, >, >=, <, <=, between, in)");
  }

  json::Status Value(bool values) {
    if (Number()) return json::Ok();
    if (!values) return Expected("a number");
    if (token_.kind == Tok::kString ||
        (token_.kind == Tok::kIdent &&
         (token_.text == "NULL" || token_.text == "EMPTY" || token_.text == "WHITESPACES_ONLY"))) {
      Advance();
      return json::Ok();
    }
    return Expected("a number, a quoted string, NULL, EMPTY or WHITESPACES_ONLY");
  }

  bool Comparison() {
    if (!StartsExpression() || token_.kind != Tok::kSymbol) return false;
    Advance();
    return true;
  }
  bool Number() {
    if (token_.kind != Tok::kNumber) return false;
    Advance();
    return true;
  }
  bool Word(std::string_view word) {
    if (token_.kind != Tok::kIdent || token_.text != word) return false;
    Advance();
    return true;
  }
  bool Symbol(std::string_view symbol) {
    if (token_.kind != Tok::kSymbol || token_.text != symbol) return false;
    Advance();
    return true;
  }

  static std::string KnownTypes() {
    std::string known;
    for (const RuleSpec& spec : kRuleSpecs) {
      if (!known.empty()) known += ", ";
      known += spec.type;
    }
    return known;
  }

  std::string Found() const {
    switch (token_.kind) {
      case Tok::kEnd:
        return "the end of the ruleset";
      case Tok::kBad:
        return token_.text.empty() || token_.text[0] != '"' ? fmt::format("'{}'", token_.text)
                                                            : "a string with no closing quote";
      default:
        return fmt::format("'{}'", token_.text);
    }
  }

  json::Error Expected(std::string_view what) const {
    return Fail(fmt::format("expected {}, found {}", what, Found()));
  }

  // Where the current token starts, as Glue's console shows it: line and column, from 1.
  json::Error Fail(std::string message) const {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < token_.begin && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return InvalidInput(
        fmt::format("Ruleset: line {}, column {}: {}", line, column, std::move(message)));
  }

  void Advance() {
    last_end_ = token_.end;
    std::size_t i = token_.end;
    for (;;) {  // blanks and # comments
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i])) != 0) ++i;
      if (i >= text_.size() || text_[i] != '#') break;
      while (i < text_.size() && text_[i] != '\n') ++i;
    }
    token_ = Token{.kind = Tok::kEnd, .begin = i, .end = i};
    if (i >= text_.size()) return;
    const char c = text_[i];
    std::size_t j = i + 1;
    if (c == '"') {
      while (j < text_.size() && text_[j] != '"') j += text_[j] == '\\' ? 2 : 1;
      if (j >= text_.size()) {
        token_ = {Tok::kBad, text_.substr(i), i, text_.size()};
        return;
      }
      token_ = {Tok::kString, text_.substr(i, j + 1 - i), i, j + 1};
      return;
    }
    if (IsDigit(c) || ((c == '-' || c == '.') && j < text_.size() && IsDigit(text_[j]))) {
      while (j < text_.size() && IsDigit(text_[j])) ++j;
      if (j + 1 < text_.size() && text_[j] == '.' && IsDigit(text_[j + 1])) {
        j += 1;
        while (j < text_.size() && IsDigit(text_[j])) ++j;
      }
      token_ = {Tok::kNumber, text_.substr(i, j - i), i, j};
      return;
    }
    if (IsIdentChar(c)) {
      while (j < text_.size() && IsIdentChar(text_[j])) ++j;
      token_ = {Tok::kIdent, text_.substr(i, j - i), i, j};
      return;
    }
    if ((c == '!' || c == '>' || c == '<') && j < text_.size() && text_[j] == '=') {
      token_ = {Tok::kSymbol, text_.substr(i, 2), i, i + 2};
      return;
    }
    if (std::string_view("[](),=<>").find(c) != std::string_view::npos) {
      token_ = {Tok::kSymbol, text_.substr(i, 1), i, i + 1};
      return;
    }
    token_ = {Tok::kBad, text_.substr(i, 1), i, i + 1};
  }

  std::string_view text_;
  Token token_;
  std::size_t last_end_ = 0;  // where the token before this one ended
};

}  // namespace

json::Result<std::vector<DqdlRule>> ParseDqdl(std::string_view text) {
  return Parser(text).Ruleset();
}

}  // namespace timeslip::services::glue
