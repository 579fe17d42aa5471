// Higher-order functions: $map, $filter, $single, $reduce. Callbacks get (value, index, array)
// cut to as many parameters as they declare.

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value Map(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  Value fn = Arg(args, 1);
  if (v.undefined()) return v;
  auto seq = Array::Sequence();
  for (std::size_t i = 0; i < v.size(); ++i) {
    Value r = ev.CallbackWith(fn, {v.at(i), Value::Number(static_cast<double>(i)), v}, input);
    if (r.defined()) seq->items.push_back(std::move(r));
  }
  return Value::Of(std::move(seq));
}

Value Filter(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  Value fn = Arg(args, 1);
  if (v.undefined()) return v;
  auto seq = Array::Sequence();
  for (std::size_t i = 0; i < v.size(); ++i) {
    Value item = v.at(i);
    if (ToBoolean(ev.CallbackWith(fn, {item, Value::Number(static_cast<double>(i)), v}, input))) {
      seq->items.push_back(std::move(item));
    }
  }
  return Value::Of(std::move(seq));
}

Value Single(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  Value fn = Arg(args, 1);
  if (v.undefined()) return v;
  bool found = false;
  Value result;
  for (std::size_t i = 0; i < v.size(); ++i) {
    Value item = v.at(i);
    bool keep = fn.undefined() || ToBoolean(ev.CallbackWith(
                                      fn, {item, Value::Number(static_cast<double>(i)), v}, input));
    if (!keep) continue;
    if (found) {
      throw Error(
          "D3138",
          "The $single() function expected exactly 1 matching result.  Instead it matched more.");
    }
    found = true;
    result = item;
  }
  if (!found) {
    throw Error(
        "D3139",
        "The $single() function expected exactly 1 matching result.  Instead it matched 0.");
  }
  return result;
}

Value Reduce(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  Value fn = Arg(args, 1);
  if (v.undefined()) return v;
  if (!fn.IsFunction() || fn.function().Arity() < 2) {
    throw Error(
        "D3050",
        "The second argument of reduce function must be a function with at least two arguments");
  }
  Value acc = Arg(args, 2);
  std::size_t i = 0;
  if (acc.undefined() && v.size() > 0) {
    acc = v.at(0);
    i = 1;
  }
  for (; i < v.size(); ++i) {
    acc = ev.CallbackWith(fn, {acc, v.at(i), Value::Number(static_cast<double>(i)), v}, input);
  }
  return acc;
}

}  // namespace

void AddHigherOrderFunctions(BuiltinTable& t) {
  t["map"] = MakeNative("map", "af", Map);
  t["filter"] = MakeNative("filter", "af", Filter);
  t["single"] = MakeNative("single", "af?", Single);
  t["reduce"] = MakeNative("reduce", "afj?:j", Reduce);
}

}  // namespace timeslip::query::jsonata
