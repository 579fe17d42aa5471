#pragma once
// The parsed expression: an immutable tree, built once by the parser and walked by the
// evaluator as often as asked. Nodes are shared (lambdas keep the node they were defined by),
// never changed after Parse() returns.

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "emulator/query/jsonata/signature_internal.h"
#include "emulator/query/jsonata/value.h"

namespace timeslip::query::jsonata {

enum class NodeType {
  kLiteral,     // string, number, true, false, null (in `literal`)
  kRegex,       // /pattern/flags
  kName,        // a field step
  kVariable,    // $name; "" is the context, "$" the root
  kWildcard,    // *
  kDescendant,  // **
  kParent,      // %
  kPath,        // steps joined by `.`
  kBinary,
  kNegate,
  kArray,      // [a, b]
  kObject,     // {k: v} on the context
  kCondition,  // c ? a : b
  kBlock,      // (a; b)
  kBind,       // $x := v
  kCall,       // f(args)
  kPartial,    // f(?, x)
  kPlaceholder,
  kLambda,
  kApply,  // a ~> f
  kTransform,
  kSort,  // ^(...) step
};

enum class BinaryOp {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kIn,
  kConcat,
  kRange,
  kCoalesce,  // ??
  kDefault,   // ?:
};

struct Node;
using NodePtr = std::shared_ptr<Node>;

// A filter `[expr]` or a position binding `#$i` applied to a step's results, in order.
struct Stage {
  bool is_index = false;
  NodePtr expr;
  std::string var;
};

struct SortTerm {
  bool descending = false;
  NodePtr expr;
};

// Where a `%` finds its value: the step whose input is the parent binds it under `label`.
// `level` counts the steps still to climb while the parser resolves it.
struct Slot {
  std::string label;
  int level = 1;
};

struct GroupBy {
  std::vector<std::pair<NodePtr, NodePtr>> pairs;
  std::size_t position = 0;
};

struct Node : std::enable_shared_from_this<Node> {
  NodeType type = NodeType::kLiteral;
  std::size_t position = 0;
  std::string value;  // name, variable, operator text
  Value literal;
  BinaryOp op = BinaryOp::kAdd;

  NodePtr lhs, rhs, third;          // binary operands; condition; bind; apply; transform parts
  std::vector<NodePtr> items;       // path steps, array items, block expressions, call arguments
  std::vector<std::string> params;  // lambda parameters, without `$`
  std::vector<std::pair<NodePtr, NodePtr>> pairs;  // object constructor
  std::vector<SortTerm> sort_terms;
  std::shared_ptr<const Signature> signature;
  std::shared_ptr<const std::regex> regex;

  std::vector<Stage> predicates;  // on a node that is not a path step
  std::vector<Stage> stages;      // on a path step
  std::shared_ptr<GroupBy> group;

  std::shared_ptr<Slot> slot;                  // kParent
  std::shared_ptr<Slot> ancestor;              // a step whose input some `%` refers to
  std::vector<std::shared_ptr<Slot>> seeking;  // `%`s inside, not yet tied to a step

  std::string focus;  // @$v
  std::string index;  // #$i, when the step has no stages yet
  bool tuple = false;
  bool keep_array = false;            // `[]`
  bool keep_singleton_array = false;  // a path with a `[]` step
  bool consarray = false;             // array constructor as the first or last path step
  bool tail_call = false;             // a call in tail position of a lambda body
  bool binds = false;                 // a block that assigns variables needs its own frame
};

// Parses `text`; throws Error (S0xxx) on a syntax error.
NodePtr Parse(std::string_view text);

}  // namespace timeslip::query::jsonata
