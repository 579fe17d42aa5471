// Parser: top-down operator precedence (Pratt), building the final tree directly. Where the
// reference parses into a raw tree and then restructures it, each infix rule here does that
// restructuring as it combines its already-final operands: `a.b[0]` becomes one path whose step
// `b` carries the filter, `x^(k)` a path ending in a sort step, `$x := ...` a bind node.

#include <map>
#include <optional>

#include "emulator/query/jsonata/ast_internal.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/lexer_internal.h"

namespace timeslip::query::jsonata {
namespace {

int BindingPower(const Token& t) {
  if (t.type != TokenType::kOperator) return 0;
  static const std::map<std::string, int> kPowers = {
      {".", 75},  {"[", 80},  {"]", 0},   {"{", 70},  {"}", 0},    {"(", 80},  {")", 0},
      {",", 0},   {"@", 80},  {"#", 80},  {";", 0},   {":", 0},    {"?", 20},  {"+", 50},
      {"-", 50},  {"*", 60},  {"/", 60},  {"%", 60},  {"|", 0},    {"=", 40},  {"<", 40},
      {">", 40},  {"^", 40},  {"**", 0},  {"..", 20}, {":=", 10},  {"!=", 40}, {"<=", 40},
      {">=", 40}, {"~>", 40}, {"?:", 40}, {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40},
      {"&", 50},  {"!", 0},   {"~", 0}};
  auto it = kPowers.find(t.value);
  return it == kPowers.end() ? 0 : it->second;
}

NodePtr MakeNode(NodeType type, std::size_t position) {
  auto n = std::make_shared<Node>();
  n->type = type;
  n->position = position;
  return n;
}

NodePtr AsPath(NodePtr n) {
  if (n->type == NodeType::kPath) return n;
  auto path = MakeNode(NodeType::kPath, n->position);
  if (!n->predicates.empty()) {
    n->stages = std::move(n->predicates);
    n->predicates.clear();
  }
  path->items.push_back(std::move(n));
  return path;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) { Advance(true); }

  NodePtr ParseAll() {
    NodePtr n = Expression(0);
    if (current_.type != TokenType::kEnd) {
      throw Error("S0201", "Syntax error: " + Describe(current_), current_.position,
                  current_.value);
    }
    // Found while combining steps, reported only once the whole text parsed (as the reference
    // restructures after parsing).
    if (pending_) throw *pending_;
    if (n->type == NodeType::kParent || !n->seeking.empty()) {
      throw Error("S0217",
                  "The object representing the 'parent' cannot be derived from this expression",
                  n->position, "parent");
    }
    return n;
  }

 private:
  static std::string Describe(const Token& t) {
    return t.type == TokenType::kEnd ? "(end)" : "\"" + t.value + "\"";
  }

  // `prefix`: the next token starts an operand (so `/` begins a regex).
  void Advance(bool prefix) { current_ = lexer_.Next(prefix); }

  bool AtOperator(const char* op) const {
    return current_.type == TokenType::kOperator && current_.value == op;
  }

  void Expect(const char* op, bool prefix_after = false) {
    if (!AtOperator(op)) {
      if (current_.type == TokenType::kEnd) {
        throw Error("S0203", std::string("Expected \"") + op + "\" before end of expression",
                    current_.position, op);
      }
      throw Error("S0202", std::string("Expected \"") + op + "\", got " + Describe(current_),
                  current_.position, current_.value);
    }
    Advance(prefix_after);
  }

  NodePtr Expression(int rbp) {
    // Deeply nested text would exhaust the stack before it exhausted anything else.
    struct NestingGuard {
      int& depth;
      ~NestingGuard() { --depth; }
    } guard{++nesting_};
    if (nesting_ > kMaxNesting) {
      throw Error("S0201", "Syntax error: expression nested too deeply", current_.position);
    }
    Token t = current_;
    Advance(t.type == TokenType::kOperator && t.value != ")" && t.value != "]" && t.value != "}");
    NodePtr left = Nud(t);
    while (rbp < BindingPower(current_)) {
      t = current_;
      Advance(true);
      left = Led(t, std::move(left));
    }
    return left;
  }

  NodePtr Nud(const Token& t) {
    switch (t.type) {
      case TokenType::kEnd:
        throw Error("S0207", "Unexpected end of expression", t.position);
      case TokenType::kNumber: {
        auto n = MakeNode(NodeType::kLiteral, t.position);
        n->literal = Value::Number(t.number);
        return n;
      }
      case TokenType::kString: {
        auto n = MakeNode(NodeType::kLiteral, t.position);
        n->literal = Value::String(t.value);
        n->value = t.value;
        return n;
      }
      case TokenType::kValue: {
        auto n = MakeNode(NodeType::kLiteral, t.position);
        n->literal = t.value == "null" ? Value::Null() : Value::Bool(t.value == "true");
        return n;
      }
      case TokenType::kRegex: {
        auto n = MakeNode(NodeType::kRegex, t.position);
        n->value = t.value;
        auto flags = std::regex::ECMAScript;
        if (t.flags.find('i') != std::string::npos) flags |= std::regex::icase;
        if (t.flags.find('m') != std::string::npos) flags |= std::regex::multiline;
        try {
          n->regex = std::make_shared<const std::regex>(t.value, flags);
        } catch (const std::regex_error&) {
          throw Error("S0303", "Invalid regular expression: " + t.value, t.position, t.value);
        }
        return n;
      }
      case TokenType::kName: {
        auto n = MakeNode(NodeType::kName, t.position);
        n->value = t.value;
        return AsPath(n);
      }
      case TokenType::kVariable: {
        auto n = MakeNode(NodeType::kVariable, t.position);
        n->value = t.value;
        return n;
      }
      case TokenType::kOperator:
        return NudOperator(t);
    }
    throw Error("S0201", "Syntax error", t.position);
  }

  NodePtr NudOperator(const Token& t) {
    const std::string& op = t.value;
    if (op == "and" || op == "or" || op == "in") {
      auto n = MakeNode(NodeType::kName, t.position);
      n->value = op;
      return AsPath(n);
    }
    if (op == "-") {
      NodePtr operand = Expression(70);
      if (operand->type == NodeType::kLiteral && operand->literal.IsNumber()) {
        operand->literal = Value::Number(-operand->literal.number());
        return operand;
      }
      auto n = MakeNode(NodeType::kNegate, t.position);
      PushAncestry(*n, *operand);
      n->lhs = std::move(operand);
      return n;
    }
    if (op == "*") return MakeNode(NodeType::kWildcard, t.position);
    if (op == "**") return MakeNode(NodeType::kDescendant, t.position);
    if (op == "%") {
      auto n = MakeNode(NodeType::kParent, t.position);
      n->slot = std::make_shared<Slot>();
      n->slot->label = "!" + std::to_string(next_label_++);
      return n;
    }
    if (op == "?") return MakeNode(NodeType::kPlaceholder, t.position);
    if (op == "(") {
      auto n = MakeNode(NodeType::kBlock, t.position);
      while (!AtOperator(")")) {
        n->items.push_back(Expression(0));
        PushAncestry(*n, *n->items.back());
        if (!AtOperator(";")) break;
        Advance(true);
      }
      Expect(")");
      for (const auto& item : n->items) n->binds = n->binds || ContainsBind(*item);
      return n;
    }
    if (op == "[") {
      auto n = MakeNode(NodeType::kArray, t.position);
      if (!AtOperator("]")) {
        for (;;) {
          n->items.push_back(Expression(0));
          PushAncestry(*n, *n->items.back());
          if (!AtOperator(",")) break;
          Advance(true);
        }
      }
      Expect("]");
      return n;
    }
    if (op == "{") {
      auto n = MakeNode(NodeType::kObject, t.position);
      n->pairs = ParsePairs();
      for (const auto& [key, value] : n->pairs) {
        PushAncestry(*n, *key);
        PushAncestry(*n, *value);
      }
      return n;
    }
    if (op == "|") {
      auto n = MakeNode(NodeType::kTransform, t.position);
      n->lhs = Expression(0);
      Expect("|", true);
      n->rhs = Expression(0);
      if (AtOperator(",")) {
        Advance(true);
        n->third = Expression(0);
      }
      Expect("|");
      return n;
    }
    throw Error("S0211", "The symbol " + op + " cannot be used as a unary operator", t.position,
                op);
  }

  std::vector<std::pair<NodePtr, NodePtr>> ParsePairs() {
    std::vector<std::pair<NodePtr, NodePtr>> pairs;
    if (!AtOperator("}")) {
      for (;;) {
        NodePtr key = Expression(0);
        Expect(":", true);
        NodePtr value = Expression(0);
        pairs.emplace_back(std::move(key), std::move(value));
        if (!AtOperator(",")) break;
        Advance(true);
      }
    }
    Expect("}");
    return pairs;
  }

  NodePtr Led(const Token& t, NodePtr left) {
    const std::string& op = t.value;
    if (op == ".") return LedPath(std::move(left), Expression(75));
    if (op == "[") return LedPredicate(t, std::move(left));
    if (op == "(") return LedCall(t, std::move(left));
    if (op == "{") {
      if (left->group)
        throw Error("S0210", "Each step can only have one grouping expression", t.position);
      auto group = std::make_shared<GroupBy>();
      group->position = t.position;
      group->pairs = ParsePairs();
      left->group = std::move(group);
      return left;
    }
    if (op == "^") return LedSort(t, std::move(left));
    if (op == "@" || op == "#") {
      NodePtr rhs = Expression(80);
      if (rhs->type != NodeType::kVariable) {
        throw Error("S0214", "The right side of " + op + " must be a variable name (start with $)",
                    rhs->position, op);
      }
      return op == "@" ? LedFocus(t, std::move(left), rhs->value)
                       : LedIndex(std::move(left), rhs->value);
    }
    if (op == "?") {
      auto n = MakeNode(NodeType::kCondition, t.position);
      n->lhs = std::move(left);
      n->rhs = Expression(0);
      if (AtOperator(":")) {
        Advance(true);
        n->third = Expression(0);
      }
      PushAncestry(*n, *n->lhs);
      PushAncestry(*n, *n->rhs);
      if (n->third) PushAncestry(*n, *n->third);
      return n;
    }
    if (op == ":=") {
      if (left->type != NodeType::kVariable || !left->predicates.empty() || left->keep_array) {
        throw Error("S0212", "The left side of := must be a variable name (start with $)",
                    left->position, left->value);
      }
      auto n = MakeNode(NodeType::kBind, t.position);
      n->value = left->value;
      n->lhs = std::move(left);
      n->rhs = Expression(BindingPower(t) - 1);
      PushAncestry(*n, *n->rhs);
      return n;
    }
    if (op == "~>") {
      auto n = MakeNode(NodeType::kApply, t.position);
      n->lhs = std::move(left);
      n->rhs = Expression(40);
      PushAncestry(*n, *n->lhs);
      PushAncestry(*n, *n->rhs);
      return n;
    }
    static const std::map<std::string, BinaryOp> kOps = {
        {"+", BinaryOp::kAdd},       {"-", BinaryOp::kSubtract},      {"*", BinaryOp::kMultiply},
        {"/", BinaryOp::kDivide},    {"%", BinaryOp::kModulo},        {"=", BinaryOp::kEqual},
        {"!=", BinaryOp::kNotEqual}, {"<", BinaryOp::kLess},          {"<=", BinaryOp::kLessEqual},
        {">", BinaryOp::kGreater},   {">=", BinaryOp::kGreaterEqual}, {"and", BinaryOp::kAnd},
        {"or", BinaryOp::kOr},       {"in", BinaryOp::kIn},           {"&", BinaryOp::kConcat},
        {"..", BinaryOp::kRange},    {"??", BinaryOp::kCoalesce},     {"?:", BinaryOp::kDefault}};
    auto it = kOps.find(op);
    if (it == kOps.end()) {
      throw Error("S0201", "Syntax error: \"" + op + "\"", t.position, op);
    }
    auto n = MakeNode(NodeType::kBinary, t.position);
    n->op = it->second;
    n->value = op;
    n->lhs = std::move(left);
    n->rhs = Expression(BindingPower(t));
    PushAncestry(*n, *n->lhs);
    PushAncestry(*n, *n->rhs);
    return n;
  }

  NodePtr LedPath(NodePtr left, NodePtr rest) {
    bool from_parent = left->type == NodeType::kParent;
    NodePtr path = AsPath(std::move(left));
    if (from_parent) path->seeking.push_back(path->items.front()->slot);
    if (rest->type == NodeType::kPath && !rest->group) {
      for (auto& step : rest->items) path->items.push_back(step);
    } else {
      if (!rest->predicates.empty()) {
        rest->stages = std::move(rest->predicates);
        rest->predicates.clear();
      }
      path->items.push_back(std::move(rest));
    }
    for (auto& step : path->items) {
      if (step->type == NodeType::kLiteral) {
        if (!step->literal.IsString()) {
          if (!pending_) {
            pending_ = Error("S0213",
                             "The literal value cannot be used as a step within a path expression",
                             step->position, step->value);
          }
          continue;
        }
        step->type = NodeType::kName;
      }
      if (step->keep_array) path->keep_singleton_array = true;
    }
    if (path->items.front()->type == NodeType::kArray) path->items.front()->consarray = true;
    if (path->items.back()->type == NodeType::kArray) path->items.back()->consarray = true;
    ResolveAncestry(*path);
    return path;
  }

  NodePtr LedPredicate(const Token& t, NodePtr left) {
    if (AtOperator("]")) {
      // `[]`: keep a singleton result as an array.
      Advance(false);
      if (left->type == NodeType::kPath) {
        left->items.back()->keep_array = true;
        left->keep_singleton_array = true;
      } else {
        left->keep_array = true;
      }
      return left;
    }
    NodePtr predicate = Expression(0);
    Expect("]");
    Node* step = left->type == NodeType::kPath ? left->items.back().get() : left.get();
    if (step->group || left->group) {
      throw Error("S0209", "A predicate cannot follow a grouping expression in a step", t.position);
    }
    if (!predicate->seeking.empty()) {
      // A `%` in a filter is the parent of the items filtered: the step's input.
      for (const auto& slot : predicate->seeking) {
        if (slot->level == 1) {
          SeekParent(step, slot);
        } else {
          --slot->level;
        }
      }
      PushAncestry(*step, *predicate);
    }
    Stage stage;
    stage.expr = std::move(predicate);
    if (left->type == NodeType::kPath) {
      step->stages.push_back(std::move(stage));
    } else {
      step->predicates.push_back(std::move(stage));
    }
    return left;
  }

  NodePtr LedFocus(const Token& t, NodePtr left, const std::string& var) {
    Node* step = left->type == NodeType::kPath ? left->items.back().get() : left.get();
    if (!step->stages.empty() || !step->predicates.empty()) {
      throw Error("S0215", "A context variable binding must precede any predicates on a step",
                  t.position);
    }
    if (step->type == NodeType::kSort) {
      throw Error("S0216",
                  "A context variable binding must precede the 'order-by' clause on a step",
                  t.position);
    }
    step->focus = var;
    step->tuple = true;
    return left;
  }

  NodePtr LedIndex(NodePtr left, const std::string& var) {
    NodePtr path = AsPath(std::move(left));
    Node* step = path->items.back().get();
    if (step->stages.empty()) {
      step->index = var;
    } else {
      Stage stage;
      stage.is_index = true;
      stage.var = var;
      step->stages.push_back(std::move(stage));
    }
    step->tuple = true;
    return path;
  }

  NodePtr LedSort(const Token& t, NodePtr left) {
    Expect("(", true);
    auto sort = MakeNode(NodeType::kSort, t.position);
    for (;;) {
      SortTerm term;
      if (AtOperator("<")) {
        Advance(true);
      } else if (AtOperator(">")) {
        term.descending = true;
        Advance(true);
      }
      term.expr = Expression(0);
      PushAncestry(*sort, *term.expr);
      sort->sort_terms.push_back(std::move(term));
      if (!AtOperator(",")) break;
      Advance(true);
    }
    Expect(")");
    NodePtr path = AsPath(std::move(left));
    path->items.push_back(std::move(sort));
    ResolveAncestry(*path);
    return path;
  }

  NodePtr LedCall(const Token& t, NodePtr left) {
    std::vector<NodePtr> args;
    bool partial = false;
    if (!AtOperator(")")) {
      for (;;) {
        if (AtOperator("?")) {
          args.push_back(MakeNode(NodeType::kPlaceholder, current_.position));
          partial = true;
          Advance(false);
        } else {
          args.push_back(Expression(0));
        }
        if (!AtOperator(",")) break;
        Advance(true);
      }
    }
    Expect(")", false);
    bool is_lambda = left->type == NodeType::kPath && left->items.size() == 1 &&
                     left->items[0]->type == NodeType::kName &&
                     (left->items[0]->value == "function" || left->items[0]->value == "\xCE\xBB");
    if (!is_lambda) {
      auto n = MakeNode(partial ? NodeType::kPartial : NodeType::kCall, t.position);
      n->lhs = std::move(left);
      n->items = std::move(args);
      for (const auto& arg : n->items) PushAncestry(*n, *arg);
      return n;
    }
    auto n = MakeNode(NodeType::kLambda, t.position);
    for (const auto& arg : args) {
      if (arg->type != NodeType::kVariable) {
        throw Error("S0208",
                    "Parameter of function definition must be a variable name (start with $)",
                    arg->position, arg->value);
      }
      n->params.push_back(arg->value);
    }
    if (AtOperator("<")) {
      std::size_t at = lexer_.offset();
      std::string text = lexer_.ReadSignature();
      n->signature = std::make_shared<const Signature>(ParseSignature(text, at));
      Advance(false);
    }
    Expect("{", true);
    n->lhs = Expression(0);
    Expect("}");
    MarkTailCalls(n->lhs.get());
    return n;
  }

  // Whether evaluating `n` may bind a variable in the frame it is given.
  static bool ContainsBind(const Node& n) {
    if (n.type == NodeType::kBind) return true;
    if (n.type == NodeType::kLambda) return false;  // its body runs in a frame of its own
    auto any = [](const NodePtr& p) { return p && ContainsBind(*p); };
    if (any(n.lhs) || any(n.rhs) || any(n.third)) return true;
    for (const auto& item : n.items) {
      if (any(item)) return true;
    }
    for (const auto& [k, v] : n.pairs) {
      if (any(k) || any(v)) return true;
    }
    for (const auto* stages : {&n.predicates, &n.stages}) {
      for (const Stage& s : *stages) {
        if (any(s.expr)) return true;
      }
    }
    for (const SortTerm& t : n.sort_terms) {
      if (any(t.expr)) return true;
    }
    if (n.group) {
      for (const auto& [k, v] : n.group->pairs) {
        if (any(k) || any(v)) return true;
      }
    }
    return false;
  }

  // The `%`s inside `value` now belong to `result` too.
  static void PushAncestry(Node& result, const Node& value) {
    for (const auto& slot : value.seeking) result.seeking.push_back(slot);
    if (value.type == NodeType::kParent) result.seeking.push_back(value.slot);
  }

  // Climbs from `node` (a step before the `%`) towards the step whose input is the parent.
  static void SeekParent(Node* node, const std::shared_ptr<Slot>& slot) {
    switch (node->type) {
      case NodeType::kName:
      case NodeType::kWildcard:
        if (--slot->level == 0) {
          // A step already binding a parent keeps one label for both.
          if (node->ancestor) slot->label = node->ancestor->label;
          node->ancestor = slot;
          node->tuple = true;
        }
        return;
      case NodeType::kParent:
        ++slot->level;
        return;
      case NodeType::kBlock:
        if (!node->items.empty()) {
          node->tuple = true;
          SeekParent(node->items.back().get(), slot);
        }
        return;
      case NodeType::kPath: {
        node->tuple = true;
        std::size_t i = node->items.size();
        while (i > 0 && (i == node->items.size() || slot->level > 0)) {
          SeekParent(node->items[--i].get(), slot);
        }
        return;
      }
      default:
        throw Error("S0217",
                    "The object representing the 'parent' cannot be derived from this expression",
                    node->position, node->value);
    }
  }

  // Ties the `%`s of a path's last step to the earlier steps they refer to; those that climb
  // past the first step stay on the path for an enclosing one.
  static void ResolveAncestry(Node& path) {
    Node& last = *path.items.back();
    std::vector<std::shared_ptr<Slot>> slots = last.seeking;
    if (last.type == NodeType::kParent) slots.push_back(last.slot);
    for (const auto& slot : slots) {
      std::ptrdiff_t index = static_cast<std::ptrdiff_t>(path.items.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          path.seeking.push_back(slot);
          break;
        }
        Node* step = path.items[static_cast<std::size_t>(index--)].get();
        // Contiguous steps that bind the focus count as one.
        while (index >= 0 && !step->focus.empty() &&
               !path.items[static_cast<std::size_t>(index)]->focus.empty()) {
          step = path.items[static_cast<std::size_t>(index--)].get();
        }
        SeekParent(step, slot);
      }
    }
  }

  // A call whose value is the lambda's value need not keep the caller's frame: it is
  // returned as a thunk and run by the caller's loop, so deep tail recursion stays flat.
  static void MarkTailCalls(Node* n) {
    if (n == nullptr) return;
    if (n->type == NodeType::kCall && n->predicates.empty() && !n->group && !n->keep_array) {
      n->tail_call = true;
    } else if (n->type == NodeType::kCondition && n->predicates.empty() && !n->group) {
      MarkTailCalls(n->rhs.get());
      MarkTailCalls(n->third.get());
    } else if (n->type == NodeType::kBlock && !n->items.empty() && n->predicates.empty() &&
               !n->group) {
      MarkTailCalls(n->items.back().get());
    }
  }

  Lexer lexer_;
  Token current_;
  std::optional<Error> pending_;
  int next_label_ = 0;
  int nesting_ = 0;
  static constexpr int kMaxNesting = 2000;
};

}  // namespace

NodePtr Parse(std::string_view text) { return Parser(text).ParseAll(); }

}  // namespace timeslip::query::jsonata
