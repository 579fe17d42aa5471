// Calling functions: lambdas (with their closures and tail calls), library and host functions,
// partial application, `~>` chaining and composition, transforms, and regexes used as functions.

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/evaluator_internal.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

// The step name when `n` is a bare name like `uppercase`, for "did you mean $uppercase?".
const std::string* BareName(const Node& n) {
  if (n.type == NodeType::kPath && n.items.size() == 1 && n.items[0]->type == NodeType::kName) {
    return &n.items[0]->value;
  }
  return nullptr;
}

std::optional<Json> ToOptionalJson(const Value& v) {
  if (v.undefined()) return std::nullopt;
  return v.ToJson();
}

}  // namespace

std::size_t Function::Arity() const {
  switch (kind) {
    case Kind::kLambda:
      return node->params.size();
    case Kind::kNative:
    case Kind::kHost: {
      // Library callbacks take only the arguments they require ($map(xs, $string)).
      if (!signature) return 1;
      std::size_t n = 0;
      for (const auto& p : signature->params) n += p.optional ? 0 : 1;
      return n;
    }
    case Kind::kPartial: {
      std::size_t n = 0;
      for (bool p : placeholder) n += p ? 1 : 0;
      return n;
    }
    default:
      return 1;
  }
}

Value Evaluator::EvalCall(const Node& n, const Value& input, const FramePtr& frame,
                          const Value* first) {
  Value proc = Eval(*n.lhs, input, frame);
  if (!proc.IsFunction()) {
    const std::string* name = BareName(*n.lhs);
    if (proc.undefined() && name != nullptr &&
        (LookupBuiltin(*name) != nullptr || frame->Find(*name) != nullptr)) {
      throw Error("T1005", "Attempted to invoke a non-function. Did you mean $" + *name + "?",
                  n.position, *name);
    }
    throw Error("T1006", "Attempted to invoke a non-function", n.position,
                name != nullptr ? *name : n.lhs->value);
  }
  std::vector<Value> args;
  args.reserve(n.items.size() + (first ? 1 : 0));
  if (first != nullptr) args.push_back(*first);
  for (const NodePtr& arg : n.items) args.push_back(Eval(*arg, input, frame));
  if (n.tail_call) {
    auto thunk = std::make_shared<Function>();
    thunk->kind = Function::Kind::kThunk;
    thunk->target = proc.function_ptr();
    thunk->bound = std::move(args);
    thunk->input = input;
    thunk->position = n.position;
    return Value::Of(std::move(thunk), Value::Kind::kThunk);
  }
  struct CallFrameGuard {
    const FramePtr*& slot;
    const FramePtr* saved;
    ~CallFrameGuard() { slot = saved; }
  } guard{call_frame_, call_frame_};
  call_frame_ = &frame;
  return Apply(proc, std::move(args), input, n.position);
}

Value Evaluator::EvalPartial(const Node& n, const Value& input, const FramePtr& frame) {
  Value proc = Eval(*n.lhs, input, frame);
  if (!proc.IsFunction()) {
    const std::string* name = BareName(*n.lhs);
    if (proc.undefined() && name != nullptr &&
        (LookupBuiltin(*name) != nullptr || frame->Find(*name) != nullptr)) {
      throw Error("T1007",
                  "Attempted to partially apply a non-function. Did you mean $" + *name + "?",
                  n.position, *name);
    }
    throw Error("T1008", "Attempted to partially apply a non-function", n.position,
                name != nullptr ? *name : n.lhs->value);
  }
  auto fn = std::make_shared<Function>();
  fn->kind = Function::Kind::kPartial;
  fn->target = proc.function_ptr();
  fn->position = n.position;
  for (const NodePtr& arg : n.items) {
    bool hole = arg->type == NodeType::kPlaceholder;
    fn->placeholder.push_back(hole);
    fn->bound.push_back(hole ? Value() : Eval(*arg, input, frame));
  }
  return Value::Of(std::move(fn));
}

Value Evaluator::EvalApply(const Node& n, const Value& input, const FramePtr& frame) {
  Value lhs = Eval(*n.lhs, input, frame);
  if (n.rhs->type == NodeType::kCall) {
    // The call is evaluated here rather than by Eval(), so its own filters and `[]` too.
    Value r = EvalCall(*n.rhs, input, frame, &lhs);
    for (const Stage& stage : n.rhs->predicates) r = EvalFilter(*stage.expr, r, frame);
    if (n.rhs->keep_array && r.sequence()) r.array()->keep_singleton = true;
    return r;
  }
  Value rhs = Eval(*n.rhs, input, frame);
  if (!rhs.IsFunction()) {
    throw Error("T2006",
                "The right side of the function application operator ~> must be a function",
                n.position, "~>");
  }
  if (lhs.IsFunction()) {
    auto fn = std::make_shared<Function>();
    fn->kind = Function::Kind::kCompose;
    fn->target = lhs.function_ptr();
    fn->second = rhs.function_ptr();
    return Value::Of(std::move(fn));
  }
  return Apply(rhs, {lhs}, input, n.position);
}

Value Evaluator::EvalTransform(const Node& n, const Value& /*input*/, const FramePtr& frame) {
  auto fn = std::make_shared<Function>();
  fn->kind = Function::Kind::kTransform;
  fn->node = n.shared_from_this();
  fn->closure = frame;
  fn->position = n.position;
  return Value::Of(std::move(fn));
}

Value Evaluator::Apply(const Value& fn, std::vector<Value> args, const Value& input,
                       std::size_t position) {
  if (!fn.IsFunction() && !fn.IsThunk()) {
    throw Error("T1006", "Attempted to invoke a non-function", position);
  }
  Value result = ApplyOnce(fn.function(), std::move(args), input, position);
  while (result.IsThunk()) {
    std::shared_ptr<const Function> thunk = result.function_ptr();
    result = ApplyOnce(*thunk->target, thunk->bound, thunk->input, thunk->position);
  }
  return result;
}

Value Evaluator::ApplyOnce(const Function& fn, std::vector<Value> args, const Value& input,
                           std::size_t position) {
  switch (fn.kind) {
    case Function::Kind::kLambda: {
      if (fn.signature) {
        args = ValidateArgs(*fn.signature, std::move(args), input, "", position);
      }
      FramePtr local = ChildFrame(fn.closure);
      const auto& params = fn.node->params;
      for (std::size_t i = 0; i < params.size(); ++i) {
        local->vars.emplace_back(params[i], i < args.size() ? std::move(args[i]) : Value());
      }
      return Eval(*fn.node->lhs, fn.input, local);
    }
    case Function::Kind::kNative: {
      if (fn.signature)
        args = ValidateArgs(*fn.signature, std::move(args), input, fn.name, position);
      return fn.native(*this, args, input);
    }
    case Function::Kind::kHost: {
      if (fn.signature)
        args = ValidateArgs(*fn.signature, std::move(args), input, fn.name, position);
      std::vector<std::optional<Json>> json_args;
      json_args.reserve(args.size());
      for (const Value& a : args) json_args.push_back(ToOptionalJson(a));
      std::optional<Json> r = fn.host(json_args);
      if (!r) return {};
      return Value::CopyOf(*r);
    }
    case Function::Kind::kPartial: {
      std::vector<Value> full;
      full.reserve(fn.bound.size());
      std::size_t next = 0;
      for (std::size_t i = 0; i < fn.bound.size(); ++i) {
        if (fn.placeholder[i]) {
          full.push_back(next < args.size() ? args[next] : Value());
          ++next;
        } else {
          full.push_back(fn.bound[i]);
        }
      }
      return ApplyOnce(*fn.target, std::move(full), input, position);
    }
    case Function::Kind::kCompose: {
      Value mid = Apply(Value::Of(fn.target), std::move(args), input, position);
      return Apply(Value::Of(fn.second), {mid}, input, position);
    }
    case Function::Kind::kTransform:
      return RunTransform(fn, args.empty() ? Value() : args[0]);
    case Function::Kind::kRegex: {
      if (fn.bound.size() == 2) {  // a match object's next()
        Value out;
        WithRegexStack(fn.bound[0].string().size(), [&] {
          out = RegexMatchAt(*this, fn, fn.bound[0].string(),
                             static_cast<std::size_t>(fn.bound[1].number()));
        });
        return out;
      }
      if (args.empty() || args[0].undefined()) return {};
      if (!args[0].IsString()) {
        throw Error("T0410", "Argument 1 of function regex does not match function signature",
                    position);
      }
      Value out;
      WithRegexStack(args[0].string().size(),
                     [&] { out = RegexMatchAt(*this, fn, args[0].string(), 0); });
      return out;
    }
    case Function::Kind::kThunk:
      return ApplyOnce(*fn.target, fn.bound, fn.input, fn.position);
  }
  return {};
}

Value Evaluator::CallbackWith(const Value& fn, const std::vector<Value>& candidates,
                              const Value& input) {
  if (!fn.IsFunction()) throw Error("T1006", "Attempted to invoke a non-function");
  std::size_t arity = fn.function().Arity();
  std::vector<Value> args;
  for (std::size_t i = 0; i < candidates.size() && i < std::max<std::size_t>(arity, 1); ++i) {
    args.push_back(candidates[i]);
  }
  return Apply(fn, std::move(args), input, fn.function().position);
}

Value Evaluator::RunTransform(const Function& fn, const Value& target) {
  if (target.undefined()) return {};
  if (!target.IsObject() && !target.IsArray()) {
    throw Error("T0410", "Argument 1 of function transform does not match function signature",
                fn.position);
  }
  const Node& n = *fn.node;
  Value copy = DeepCopy(target);
  Value matches = Eval(*n.lhs, copy, fn.closure);
  if (matches.undefined()) return copy;
  auto each = [&](const Value& match) {
    Object* obj = match.IsObject() ? match.object() : nullptr;
    if (obj == nullptr) return;
    Value update = Eval(*n.rhs, match, fn.closure);
    if (update.defined()) {
      if (!update.IsObject()) {
        throw Error(
            "T2011",
            "The insert/update clause of the transform expression must evaluate to an object",
            n.rhs->position);
      }
      update.ForEachField([&](const std::string& k, const Value& v) { obj->Set(k, v); });
    }
    if (n.third) {
      Value del = Eval(*n.third, match, fn.closure);
      if (del.undefined()) return;
      auto erase = [&](const Value& key) {
        if (!key.IsString()) {
          throw Error("T2012",
                      "The delete clause of the transform expression must evaluate to a string or "
                      "array of strings",
                      n.third->position);
        }
        obj->Erase(key.string());
      };
      if (del.IsArray()) {
        for (std::size_t i = 0; i < del.size(); ++i) erase(del.at(i));
      } else {
        erase(del);
      }
    }
  };
  if (matches.IsArray()) {
    for (std::size_t i = 0; i < matches.size(); ++i) each(matches.at(i));
  } else {
    each(matches);
  }
  return copy;
}

Value DeepCopy(const Value& v) {
  if (v.IsArray()) {
    auto out = std::make_shared<Array>();
    for (std::size_t i = 0; i < v.size(); ++i) out->items.push_back(DeepCopy(v.at(i)));
    if (const Array* a = v.array()) {
      out->sequence = a->sequence;
      out->cons = a->cons;
      out->keep_singleton = a->keep_singleton;
    }
    return Value::Of(std::move(out));
  }
  if (v.IsObject()) {
    auto out = std::make_shared<Object>();
    v.ForEachField(
        [&](const std::string& k, const Value& f) { out->fields.emplace_back(k, DeepCopy(f)); });
    return Value::Of(std::move(out));
  }
  return v;
}

}  // namespace timeslip::query::jsonata
