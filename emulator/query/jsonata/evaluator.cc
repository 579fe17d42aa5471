// The evaluator's dispatch and operators. Paths live in evaluator_path.cc, calls in
// evaluator_call.cc.

#include <cmath>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/evaluator_internal.h"

namespace timeslip::query::jsonata {
namespace {

// The reference's field lookup: over an array it maps and flattens one level.
Value Lookup(const Value& input, const std::string& key) {
  if (input.IsArray()) {
    auto out = Array::Sequence();
    std::size_t n = input.size();
    for (std::size_t i = 0; i < n; ++i) {
      Value r = Lookup(input.at(i), key);
      if (r.undefined()) continue;
      if (r.IsArray()) {
        AppendFlat(*out, r);
      } else {
        out->items.push_back(std::move(r));
      }
    }
    return Value::Of(std::move(out));
  }
  if (input.IsObject()) return input.Get(key);
  return {};
}

void FlattenInto(Array& out, const Value& v) {
  if (v.IsArray()) {
    for (std::size_t i = 0; i < v.size(); ++i) FlattenInto(out, v.at(i));
  } else if (v.defined()) {
    out.items.push_back(v);
  }
}

Value Wildcard(Value input) {
  auto out = Array::Sequence();
  if (input.outer_wrapper() && input.size() > 0) input = input.at(0);
  auto add = [&](const Value& v) {
    if (v.IsArray()) {
      FlattenInto(*out, v);
    } else if (v.defined()) {
      out->items.push_back(v);
    }
  };
  if (input.IsObject()) {
    input.ForEachField([&](const std::string&, const Value& v) { add(v); });
  } else if (input.IsArray()) {
    for (std::size_t i = 0; i < input.size(); ++i) add(input.at(i));
  }
  return Value::Of(std::move(out));
}

void Descend(const Value& v, Array& out) {
  if (!v.IsArray() && v.defined()) out.items.push_back(v);
  if (v.IsArray()) {
    for (std::size_t i = 0; i < v.size(); ++i) Descend(v.at(i), out);
  } else if (v.IsObject()) {
    v.ForEachField([&](const std::string&, const Value& child) { Descend(child, out); });
  }
}

Value Descendants(const Value& input) {
  if (input.undefined()) return {};
  auto out = Array::Sequence();
  Descend(input, *out);
  if (out->items.size() == 1) return out->items[0];
  return Value::Of(std::move(out));
}

std::string Show(const Value& v) { return v.undefined() ? "undefined" : Stringify(v, false); }

}  // namespace

Value Evaluator::Eval(const Node& n, const Value& input, const FramePtr& frame) {
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  } guard{++depth_};
  if (depth_ > env_.max_depth) {
    throw Error("U1001",
                "Stack overflow error: Check for non-terminating recursive function.  Consider "
                "rewriting as tail-recursive.",
                n.position);
  }
  if (env_.max_steps != 0 && ++steps_ > env_.max_steps) {
    throw Error("U1001", "Expression evaluation timeout: Check for infinite loop", n.position);
  }
  Value result = EvalNode(n, input, frame);
  for (const Stage& stage : n.predicates) result = EvalFilter(*stage.expr, result, frame);
  if (n.type != NodeType::kPath && n.group) result = EvalGroup(n.group->pairs, result, frame);
  if (result.sequence() && !result.tuple_stream()) {
    if (n.keep_array) result.array()->keep_singleton = true;
    std::size_t size = result.size();
    if (size == 0) return {};
    if (size == 1 && !result.keep_singleton()) return result.at(0);
  }
  return result;
}

Value Evaluator::EvalNode(const Node& n, const Value& input, const FramePtr& frame) {
  switch (n.type) {
    case NodeType::kLiteral:
      return n.literal;
    case NodeType::kRegex: {
      auto fn = std::make_shared<Function>();
      fn->kind = Function::Kind::kRegex;
      fn->regex = n.regex;
      fn->name = n.value;
      return Value::Of(std::move(fn));
    }
    case NodeType::kName:
      return Lookup(input, n.value);
    case NodeType::kVariable: {
      if (n.value.empty()) return input.outer_wrapper() ? input.at(0) : input;
      if (n.value == "$") return root_;
      if (const Value* v = frame->Find(n.value)) return *v;
      if (const Value* v = LookupBuiltin(n.value)) return *v;
      return {};
    }
    case NodeType::kWildcard:
      return Wildcard(input);
    case NodeType::kDescendant:
      return Descendants(input);
    case NodeType::kParent: {
      const Value* v = frame->Find(n.slot->label);
      return v ? *v : Value();
    }
    case NodeType::kPath:
      return EvalPath(n, input, frame);
    case NodeType::kBinary:
      return EvalBinary(n, input, frame);
    case NodeType::kNegate: {
      Value v = Eval(*n.lhs, input, frame);
      if (v.undefined()) return {};
      if (!v.IsNumber()) {
        throw Error("D1002", "Cannot negate a non-numeric value: " + Show(v), n.position, "-");
      }
      return Value::Number(-v.number());
    }
    case NodeType::kArray: {
      auto out = std::make_shared<Array>();
      for (const NodePtr& item : n.items) {
        Value v = Eval(*item, input, frame);
        if (v.undefined()) continue;
        if (item->type == NodeType::kArray) {
          out->items.push_back(std::move(v));
        } else {
          AppendFlat(*out, v);
        }
      }
      out->cons = n.consarray;
      return Value::Of(std::move(out));
    }
    case NodeType::kObject: {
      return EvalGroup(n.pairs, input, frame);
    }
    case NodeType::kCondition: {
      Value test = Eval(*n.lhs, input, frame);
      if (ToBoolean(test)) return Eval(*n.rhs, input, frame);
      if (n.third) return Eval(*n.third, input, frame);
      return {};
    }
    case NodeType::kBlock: {
      FramePtr local = n.binds ? ChildFrame(frame) : frame;
      Value result;
      for (const NodePtr& item : n.items) result = Eval(*item, input, local);
      return result;
    }
    case NodeType::kBind: {
      Value v = Eval(*n.rhs, input, frame);
      frame->Bind(n.value, v);
      return v;
    }
    case NodeType::kCall:
      return EvalCall(n, input, frame, nullptr);
    case NodeType::kPartial:
      return EvalPartial(n, input, frame);
    case NodeType::kPlaceholder:
      throw Error("S0201", "Syntax error: \"?\"", n.position, "?");
    case NodeType::kLambda: {
      auto fn = std::make_shared<Function>();
      fn->kind = Function::Kind::kLambda;
      fn->node = n.shared_from_this();
      fn->closure = frame;
      fn->input = input;
      fn->signature = n.signature;
      fn->position = n.position;
      return Value::Of(std::move(fn));
    }
    case NodeType::kApply:
      return EvalApply(n, input, frame);
    case NodeType::kTransform:
      return EvalTransform(n, input, frame);
    case NodeType::kSort:
      return EvalSort(n, input, frame);
  }
  return {};
}

Value Evaluator::EvalBinary(const Node& n, const Value& input, const FramePtr& frame) {
  switch (n.op) {
    case BinaryOp::kAnd: {
      Value l = Eval(*n.lhs, input, frame);
      if (!ToBoolean(l)) return Value::Bool(false);
      return Value::Bool(ToBoolean(Eval(*n.rhs, input, frame)));
    }
    case BinaryOp::kOr: {
      Value l = Eval(*n.lhs, input, frame);
      if (ToBoolean(l)) return Value::Bool(true);
      return Value::Bool(ToBoolean(Eval(*n.rhs, input, frame)));
    }
    case BinaryOp::kCoalesce: {
      Value l = Eval(*n.lhs, input, frame);
      if (l.defined()) return l;
      return Eval(*n.rhs, input, frame);
    }
    case BinaryOp::kDefault: {
      Value l = Eval(*n.lhs, input, frame);
      if (ToBoolean(l)) return l;
      return Eval(*n.rhs, input, frame);
    }
    default:
      break;
  }
  Value l = Eval(*n.lhs, input, frame);
  Value r = Eval(*n.rhs, input, frame);
  switch (n.op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
    case BinaryOp::kMultiply:
    case BinaryOp::kDivide:
    case BinaryOp::kModulo: {
      if (l.defined() && !l.IsNumber()) {
        throw Error("T2001",
                    "The left side of the " + n.value + " operator must evaluate to a number",
                    n.position, n.value);
      }
      if (r.defined() && !r.IsNumber()) {
        throw Error("T2002",
                    "The right side of the " + n.value + " operator must evaluate to a number",
                    n.position, n.value);
      }
      if ((l.IsNumber() && !std::isfinite(l.number())) ||
          (r.IsNumber() && !std::isfinite(r.number()))) {
        throw Error("D1001", "Number out of range", n.position, n.value);
      }
      if (l.undefined() || r.undefined()) return {};
      double a = l.number(), b = r.number(), v = 0;
      switch (n.op) {
        case BinaryOp::kAdd:
          v = a + b;
          break;
        case BinaryOp::kSubtract:
          v = a - b;
          break;
        case BinaryOp::kMultiply:
          v = a * b;
          break;
        case BinaryOp::kDivide:
          v = a / b;
          break;
        default:
          v = std::fmod(a, b);
          break;
      }
      return Value::Number(v);
    }
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual: {
      if (l.undefined() || r.undefined()) return Value::Bool(false);
      bool eq = DeepEqual(l, r);
      return Value::Bool(n.op == BinaryOp::kEqual ? eq : !eq);
    }
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual: {
      auto comparable = [](const Value& v) {
        return v.undefined() || v.IsString() || v.IsNumber();
      };
      if (!comparable(l) || !comparable(r)) {
        throw Error("T2010",
                    "The expressions either side of operator " + n.value +
                        " must evaluate to numeric or string values",
                    n.position, n.value);
      }
      if (l.undefined() || r.undefined()) return {};
      if (l.kind() != r.kind()) {
        throw Error("T2009",
                    "The values " + Show(l) + " and " + Show(r) + " either side of operator " +
                        n.value + " must be of the same data type",
                    n.position, n.value);
      }
      int cmp = 0;
      if (l.IsNumber()) {
        cmp = l.number() < r.number() ? -1 : l.number() > r.number() ? 1 : 0;
      } else {
        cmp = l.string().compare(r.string());
        cmp = cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
      }
      switch (n.op) {
        case BinaryOp::kLess:
          return Value::Bool(cmp < 0);
        case BinaryOp::kLessEqual:
          return Value::Bool(cmp <= 0);
        case BinaryOp::kGreater:
          return Value::Bool(cmp > 0);
        default:
          return Value::Bool(cmp >= 0);
      }
    }
    case BinaryOp::kConcat: {
      auto text = [](const Value& v) -> std::string {
        if (v.undefined()) return "";
        if (v.IsString()) return v.string();
        return Stringify(v, false);
      };
      return Value::String(text(l) + text(r));
    }
    case BinaryOp::kIn: {
      if (l.undefined()) return Value::Bool(false);
      if (!r.IsArray()) return Value::Bool(DeepEqual(l, r));
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (DeepEqual(l, r.at(i))) return Value::Bool(true);
      }
      return Value::Bool(false);
    }
    case BinaryOp::kRange: {
      auto integer = [](const Value& v) {
        return v.IsNumber() && std::floor(v.number()) == v.number();
      };
      if (l.defined() && !integer(l)) {
        throw Error("T2003", "The left side of the range operator (..) must evaluate to an integer",
                    n.position, "..");
      }
      if (r.defined() && !integer(r)) {
        throw Error("T2004",
                    "The right side of the range operator (..) must evaluate to an integer",
                    n.position, "..");
      }
      if (l.undefined() || r.undefined()) return {};
      double lo = l.number(), hi = r.number();
      if (lo > hi) return {};
      if (hi - lo + 1 > 1e7) {
        throw Error("D2014",
                    "The size of the sequence allocated by the range operator (..) must not "
                    "exceed 1e7",
                    n.position, "..");
      }
      auto out = std::make_shared<Array>();
      out->items.reserve(static_cast<std::size_t>(hi - lo + 1));
      for (double v = lo; v <= hi; v += 1) out->items.push_back(Value::Number(v));
      return Value::Of(std::move(out));
    }
    default:
      return {};
  }
}

FramePtr FrameFromTuple(const FramePtr& parent, const Value& tuple) {
  FramePtr f = ChildFrame(parent);
  tuple.ForEachField([&](const std::string& k, const Value& v) {
    if (k != "@") f->vars.emplace_back(k, v);
  });
  return f;
}

}  // namespace timeslip::query::jsonata
