#include "emulator/query/choice_rule.h"

#include <fmt/format.h>

#include <array>
#include <compare>
#include <cstdint>
#include <string_view>
#include <utility>

#include "emulator/json/equality.h"
#include "emulator/query/choice_rule_internal.h"
#include "emulator/time/rfc3339.h"

// Choice rules (JSONPath flavour), as AWS documents them:
// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html

namespace timeslip::query {

using internal::ChoiceFamily;
using internal::ChoiceMatchToken;
using internal::ChoiceRelation;
using internal::RuleNode;

namespace {

// The query module sits below asl, so the names are spelled here rather than taken from
// asl/error_names.h.
constexpr std::string_view kSchemaValidationFailed = "SCHEMA_VALIDATION_FAILED";
constexpr std::string_view kInvalidJsonPath = "INVALID_JSON_PATH";
constexpr std::string_view kStatesRuntime = "States.Runtime";

// And/Or/Not nest at most this deep (the top-level rule is depth 0), so a hostile definition
// gets an error at compile time instead of exhausting the stack (here or in Evaluate).
constexpr int kMaxDepth = 64;

struct OperatorSpec {
  std::string_view name;
  ChoiceFamily family;
  ChoiceRelation relation;
  bool is_path;
};

constexpr std::array<OperatorSpec, 39> kOperators = {{
    {"StringEquals", ChoiceFamily::kString, ChoiceRelation::kEquals, false},
    {"StringEqualsPath", ChoiceFamily::kString, ChoiceRelation::kEquals, true},
    {"StringLessThan", ChoiceFamily::kString, ChoiceRelation::kLessThan, false},
    {"StringLessThanPath", ChoiceFamily::kString, ChoiceRelation::kLessThan, true},
    {"StringGreaterThan", ChoiceFamily::kString, ChoiceRelation::kGreaterThan, false},
    {"StringGreaterThanPath", ChoiceFamily::kString, ChoiceRelation::kGreaterThan, true},
    {"StringLessThanEquals", ChoiceFamily::kString, ChoiceRelation::kLessEquals, false},
    {"StringLessThanEqualsPath", ChoiceFamily::kString, ChoiceRelation::kLessEquals, true},
    {"StringGreaterThanEquals", ChoiceFamily::kString, ChoiceRelation::kGreaterEquals, false},
    {"StringGreaterThanEqualsPath", ChoiceFamily::kString, ChoiceRelation::kGreaterEquals, true},
    {"NumericEquals", ChoiceFamily::kNumeric, ChoiceRelation::kEquals, false},
    {"NumericEqualsPath", ChoiceFamily::kNumeric, ChoiceRelation::kEquals, true},
    {"NumericLessThan", ChoiceFamily::kNumeric, ChoiceRelation::kLessThan, false},
    {"NumericLessThanPath", ChoiceFamily::kNumeric, ChoiceRelation::kLessThan, true},
    {"NumericGreaterThan", ChoiceFamily::kNumeric, ChoiceRelation::kGreaterThan, false},
    {"NumericGreaterThanPath", ChoiceFamily::kNumeric, ChoiceRelation::kGreaterThan, true},
    {"NumericLessThanEquals", ChoiceFamily::kNumeric, ChoiceRelation::kLessEquals, false},
    {"NumericLessThanEqualsPath", ChoiceFamily::kNumeric, ChoiceRelation::kLessEquals, true},
    {"NumericGreaterThanEquals", ChoiceFamily::kNumeric, ChoiceRelation::kGreaterEquals, false},
    {"NumericGreaterThanEqualsPath", ChoiceFamily::kNumeric, ChoiceRelation::kGreaterEquals, true},
    {"BooleanEquals", ChoiceFamily::kBoolean, ChoiceRelation::kEquals, false},
    {"BooleanEqualsPath", ChoiceFamily::kBoolean, ChoiceRelation::kEquals, true},
    {"TimestampEquals", ChoiceFamily::kTimestamp, ChoiceRelation::kEquals, false},
    {"TimestampEqualsPath", ChoiceFamily::kTimestamp, ChoiceRelation::kEquals, true},
    {"TimestampLessThan", ChoiceFamily::kTimestamp, ChoiceRelation::kLessThan, false},
    {"TimestampLessThanPath", ChoiceFamily::kTimestamp, ChoiceRelation::kLessThan, true},
    {"TimestampGreaterThan", ChoiceFamily::kTimestamp, ChoiceRelation::kGreaterThan, false},
    {"TimestampGreaterThanPath", ChoiceFamily::kTimestamp, ChoiceRelation::kGreaterThan, true},
    {"TimestampLessThanEquals", ChoiceFamily::kTimestamp, ChoiceRelation::kLessEquals, false},
    {"TimestampLessThanEqualsPath", ChoiceFamily::kTimestamp, ChoiceRelation::kLessEquals, true},
    {"TimestampGreaterThanEquals", ChoiceFamily::kTimestamp, ChoiceRelation::kGreaterEquals, false},
    {"TimestampGreaterThanEqualsPath", ChoiceFamily::kTimestamp, ChoiceRelation::kGreaterEquals,
     true},
    {"StringMatches", ChoiceFamily::kStringMatches, ChoiceRelation::kEquals, false},
    {"IsNull", ChoiceFamily::kIsNull, ChoiceRelation::kEquals, false},
    {"IsPresent", ChoiceFamily::kIsPresent, ChoiceRelation::kEquals, false},
    {"IsNumeric", ChoiceFamily::kIsNumeric, ChoiceRelation::kEquals, false},
    {"IsString", ChoiceFamily::kIsString, ChoiceRelation::kEquals, false},
    {"IsBoolean", ChoiceFamily::kIsBoolean, ChoiceRelation::kEquals, false},
    {"IsTimestamp", ChoiceFamily::kIsTimestamp, ChoiceRelation::kEquals, false},
}};

const OperatorSpec* FindOperator(std::string_view name) {
  for (const OperatorSpec& op : kOperators) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

bool IsCombinator(std::string_view name) { return name == "And" || name == "Or" || name == "Not"; }

// Where a nested rule sits, for messages: "" at top level, else " (in And[1].Not)".
std::string Where(const std::string& location) {
  return location.empty() ? std::string() : fmt::format(" (in {})", location);
}

json::Error SchemaError(std::string message, const std::string& location) {
  return json::Error{std::string(kSchemaValidationFailed), message + Where(location)};
}

std::string_view OperandTypeName(ChoiceFamily family) {
  switch (family) {
    case ChoiceFamily::kString:
    case ChoiceFamily::kTimestamp:
    case ChoiceFamily::kStringMatches:
      return "a string";
    case ChoiceFamily::kNumeric:
      return "a number";
    default:
      return "a boolean";
  }
}

bool OperandHasType(ChoiceFamily family, const nlohmann::ordered_json& value) {
  switch (family) {
    case ChoiceFamily::kString:
    case ChoiceFamily::kTimestamp:
    case ChoiceFamily::kStringMatches:
      return value.is_string();
    case ChoiceFamily::kNumeric:
      return value.is_number();
    default:
      return value.is_boolean();
  }
}

json::Result<JsonPath> CompilePathField(std::string_view field, const nlohmann::ordered_json& value,
                                        const std::string& location) {
  if (!value.is_string()) {
    return SchemaError(fmt::format("Field '{}' must be a string holding a reference path", field),
                       location);
  }
  json::Result<JsonPath> path = JsonPath::CompileReference(value.get_ref<const std::string&>());
  if (!path.ok()) {
    return json::Error{std::string(kInvalidJsonPath),
                       fmt::format("Field '{}' is not a valid reference path: {}{}", field,
                                   path.error().message, Where(location))};
  }
  return path;
}

// StringMatches: `*` matches any run of characters; in the pattern text (after JSON decoding)
// `\*` is a literal star and `\\` a literal backslash. No other character is special, so a
// backslash before anything else is itself literal.
std::vector<ChoiceMatchToken> CompilePattern(std::string_view text) {
  std::vector<ChoiceMatchToken> tokens;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '\\')) {
      tokens.push_back(ChoiceMatchToken{false, text[++i]});
    } else if (c == '*') {
      if (tokens.empty() || !tokens.back().star) tokens.push_back(ChoiceMatchToken{true, 0});
    } else {
      tokens.push_back(ChoiceMatchToken{false, c});
    }
  }
  return tokens;
}

// Greedy match with backtracking to the last star: O(|pattern| * |text|) at worst, no recursion.
bool Matches(const std::vector<ChoiceMatchToken>& pattern, std::string_view text) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t p = 0, s = 0, star_p = kNone, star_s = 0;
  while (s < text.size()) {
    if (p < pattern.size() && !pattern[p].star && pattern[p].byte == text[s]) {
      ++p;
      ++s;
    } else if (p < pattern.size() && pattern[p].star) {
      star_p = p++;
      star_s = s;
    } else if (star_p != kNone) {
      p = star_p + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p].star) ++p;
  return p == pattern.size();
}

json::Result<RuleNode> CompileNode(const nlohmann::ordered_json& rule, bool top_level, int depth,
                                   const std::string& location);

json::Result<RuleNode> CompileCombinator(const nlohmann::ordered_json& rule, std::string_view op, int depth,
                                         const std::string& location) {
  RuleNode node;
  const nlohmann::ordered_json& body = rule.at(std::string(op));
  std::string prefix = location.empty() ? std::string(op) : fmt::format("{}.{}", location, op);
  if (op == "Not") {
    node.kind = RuleNode::Kind::kNot;
    if (!body.is_object()) {
      return SchemaError("Field 'Not' must be an object holding one Choice rule", location);
    }
    json::Result<RuleNode> child = CompileNode(body, /*top_level=*/false, depth + 1, prefix);
    if (!child.ok()) return child.error();
    node.children.push_back(std::move(child).value());
    return node;
  }
  node.kind = op == "And" ? RuleNode::Kind::kAnd : RuleNode::Kind::kOr;
  if (!body.is_array() || body.empty()) {
    return SchemaError(fmt::format("Field '{}' must be a non-empty array of Choice rules", op),
                       location);
  }
  for (std::size_t i = 0; i < body.size(); ++i) {
    json::Result<RuleNode> child =
        CompileNode(body[i], /*top_level=*/false, depth + 1, fmt::format("{}[{}]", prefix, i));
    if (!child.ok()) return child.error();
    node.children.push_back(std::move(child).value());
  }
  return node;
}

json::Result<RuleNode> CompileComparison(const nlohmann::ordered_json& rule, const OperatorSpec& op,
                                         const std::string& location) {
  RuleNode node;
  node.kind = RuleNode::Kind::kCompare;
  node.family = op.family;
  node.relation = op.relation;

  auto variable = rule.find("Variable");
  if (variable == rule.end()) {
    return SchemaError(fmt::format("Field 'Variable' is required with '{}'", op.name), location);
  }
  json::Result<JsonPath> variable_path = CompilePathField("Variable", *variable, location);
  if (!variable_path.ok()) return variable_path.error();
  node.variable = std::move(variable_path).value();

  const nlohmann::ordered_json& operand = rule.at(std::string(op.name));
  if (op.is_path) {
    json::Result<JsonPath> operand_path = CompilePathField(op.name, operand, location);
    if (!operand_path.ok()) return operand_path.error();
    node.operand_path = std::move(operand_path).value();
    return node;
  }
  if (!OperandHasType(op.family, operand)) {
    return SchemaError(fmt::format("Field '{}' must be {}", op.name, OperandTypeName(op.family)),
                       location);
  }
  if (op.family == ChoiceFamily::kTimestamp) {
    node.literal_time = time::ParseRfc3339(operand.get_ref<const std::string&>());
    if (!node.literal_time) {
      return SchemaError(fmt::format("Field '{}' must be an RFC 3339 timestamp, got '{}'", op.name,
                                     operand.get_ref<const std::string&>()),
                         location);
    }
  } else if (op.family == ChoiceFamily::kStringMatches) {
    node.pattern = CompilePattern(operand.get_ref<const std::string&>());
  }
  node.literal = operand;
  return node;
}

json::Result<RuleNode> CompileNode(const nlohmann::ordered_json& rule, bool top_level, int depth,
                                   const std::string& location) {
  if (depth > kMaxDepth) {
    return SchemaError(fmt::format("Choice rules nest deeper than {} levels", kMaxDepth), location);
  }
  if (!rule.is_object()) return SchemaError("A Choice rule must be an object", location);

  std::vector<std::string_view> operators;
  for (auto it = rule.begin(); it != rule.end(); ++it) {
    std::string_view key = it.key();
    if (FindOperator(key) != nullptr || IsCombinator(key)) {
      operators.push_back(key);
    } else if (key == "Comment") {
      if (!it->is_string()) return SchemaError("Field 'Comment' must be a string", location);
    } else if (key != "Variable" && key != "Next") {
      return SchemaError(fmt::format("Field '{}' is not supported in a Choice rule", key),
                         location);
    }
  }
  if (operators.empty()) {
    return SchemaError("A Choice rule needs one comparison operator, or And, Or or Not", location);
  }
  if (operators.size() > 1) {
    return SchemaError(fmt::format("A Choice rule takes exactly one operator, got '{}' and '{}'",
                                   operators[0], operators[1]),
                       location);
  }

  auto next = rule.find("Next");
  if (top_level) {
    if (next == rule.end()) return SchemaError("Field 'Next' is required", location);
    if (!next->is_string()) return SchemaError("Field 'Next' must be a string", location);
  } else if (next != rule.end()) {
    return SchemaError("Field 'Next' is not allowed in a nested Choice rule", location);
  }

  std::string_view op = operators.front();
  if (IsCombinator(op)) {
    if (rule.contains("Variable")) {
      return SchemaError(fmt::format("Field 'Variable' is not allowed with '{}'", op), location);
    }
    return CompileCombinator(rule, op, depth, location);
  }
  return CompileComparison(rule, *FindOperator(op), location);
}

json::Error InvalidPath(const JsonPath& path) {
  return json::Error{
      std::string(kStatesRuntime),
      fmt::format(
          "Invalid path '{}': The choice state's condition path references an invalid value.",
          path.text())};
}

// The node `path` names, nullptr when absent; an error only for an undefined variable.
json::Result<const nlohmann::ordered_json*> Lookup(const JsonPath& path, const EvalContext& ctx) {
  return path.Find(ctx);
}

bool Holds(ChoiceRelation relation, std::partial_ordering order) {
  switch (relation) {
    case ChoiceRelation::kEquals:
      return order == 0;
    case ChoiceRelation::kLessThan:
      return order < 0;
    case ChoiceRelation::kGreaterThan:
      return order > 0;
    case ChoiceRelation::kLessEquals:
      return order <= 0;
    case ChoiceRelation::kGreaterEquals:
      return order >= 0;
  }
  return false;
}

// By value: integers exactly (whatever their storage), anything else as doubles.
std::partial_ordering CompareNumbers(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    bool a_unsigned = a.is_number_unsigned(), b_unsigned = b.is_number_unsigned();
    if (a_unsigned && b_unsigned) return a.get<std::uint64_t>() <=> b.get<std::uint64_t>();
    if (!a_unsigned && !b_unsigned) return a.get<std::int64_t>() <=> b.get<std::int64_t>();
    if (a_unsigned) {
      std::int64_t sb = b.get<std::int64_t>();
      if (sb < 0) return std::partial_ordering::greater;
      return a.get<std::uint64_t>() <=> static_cast<std::uint64_t>(sb);
    }
    std::int64_t sa = a.get<std::int64_t>();
    if (sa < 0) return std::partial_ordering::less;
    return static_cast<std::uint64_t>(sa) <=> b.get<std::uint64_t>();
  }
  return json::AsDouble(a) <=> json::AsDouble(b);
}

bool Compare(const RuleNode& node, const nlohmann::ordered_json& value, const nlohmann::ordered_json& operand) {
  switch (node.family) {
    case ChoiceFamily::kString:
      if (!value.is_string() || !operand.is_string()) return false;
      // std::string compares as unsigned bytes, and UTF-8 byte order is code point order.
      return Holds(node.relation, value.get_ref<const std::string&>().compare(
                                      operand.get_ref<const std::string&>()) <=> 0);
    case ChoiceFamily::kNumeric:
      if (!value.is_number() || !operand.is_number()) return false;
      return Holds(node.relation, CompareNumbers(value, operand));
    case ChoiceFamily::kBoolean:
      return value.is_boolean() && operand.is_boolean() && value == operand;
    case ChoiceFamily::kTimestamp: {
      if (!value.is_string()) return false;
      std::optional<time::Instant> t = time::ParseRfc3339(value.get_ref<const std::string&>());
      std::optional<time::Instant> other = node.literal_time;
      if (node.operand_path) {
        if (!operand.is_string()) return false;
        other = time::ParseRfc3339(operand.get_ref<const std::string&>());
      }
      if (!t || !other) return false;
      return Holds(node.relation, *t <=> *other);
    }
    case ChoiceFamily::kStringMatches:
      return value.is_string() && Matches(node.pattern, value.get_ref<const std::string&>());
    default:
      return false;  // the Is* family is answered before operands are read
  }
}

json::Result<bool> EvaluateComparison(const RuleNode& node, const EvalContext& ctx) {
  json::Result<const nlohmann::ordered_json*> found = Lookup(*node.variable, ctx);
  if (!found.ok()) return found.error();
  const nlohmann::ordered_json* value = found.value();
  bool expected = node.literal.is_boolean() && node.literal.get<bool>();
  if (node.family == ChoiceFamily::kIsPresent) return (value != nullptr) == expected;
  if (value == nullptr) return InvalidPath(*node.variable);

  switch (node.family) {
    case ChoiceFamily::kIsNull:
      return value->is_null() == expected;
    case ChoiceFamily::kIsNumeric:
      return value->is_number() == expected;
    case ChoiceFamily::kIsString:
      return value->is_string() == expected;
    case ChoiceFamily::kIsBoolean:
      return value->is_boolean() == expected;
    case ChoiceFamily::kIsTimestamp: {
      bool is_timestamp =
          value->is_string() && time::ParseRfc3339(value->get_ref<const std::string&>());
      return is_timestamp == expected;
    }
    default:
      break;
  }

  if (node.operand_path) {
    json::Result<const nlohmann::ordered_json*> operand_found = Lookup(*node.operand_path, ctx);
    if (!operand_found.ok()) return operand_found.error();
    const nlohmann::ordered_json* operand = operand_found.value();
    if (operand == nullptr) return InvalidPath(*node.operand_path);
    return Compare(node, *value, *operand);
  }
  return Compare(node, *value, node.literal);
}

json::Result<bool> EvaluateNode(const RuleNode& node, const EvalContext& ctx) {
  switch (node.kind) {
    case RuleNode::Kind::kAnd:
    case RuleNode::Kind::kOr: {
      // Short-circuits, so an IsPresent guard protects the comparisons after it.
      bool is_and = node.kind == RuleNode::Kind::kAnd;
      for (const RuleNode& child : node.children) {
        json::Result<bool> got = EvaluateNode(child, ctx);
        if (!got.ok()) return got;
        if (got.value() != is_and) return !is_and;
      }
      return is_and;
    }
    case RuleNode::Kind::kNot: {
      json::Result<bool> got = EvaluateNode(node.children.front(), ctx);
      if (!got.ok()) return got;
      return !got.value();
    }
    case RuleNode::Kind::kCompare:
      return EvaluateComparison(node, ctx);
  }
  return false;
}

}  // namespace

ChoiceRule::ChoiceRule(std::shared_ptr<const internal::RuleNode> root) : root_(std::move(root)) {}

json::Result<ChoiceRule> ChoiceRule::Compile(const nlohmann::ordered_json& rule, bool top_level) {
  json::Result<RuleNode> root = CompileNode(rule, top_level, /*depth=*/0, /*location=*/"");
  if (!root.ok()) return root.error();
  return ChoiceRule(std::make_shared<const RuleNode>(std::move(root).value()));
}

json::Result<bool> ChoiceRule::Evaluate(const EvalContext& ctx) const {
  return EvaluateNode(*root_, ctx);
}

}  // namespace timeslip::query
