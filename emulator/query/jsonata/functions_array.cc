// Array functions: $append, $reverse, $sort, $shuffle, $distinct, $zip.

#include <algorithm>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value Append(Evaluator&, std::vector<Value>& args, const Value&) {
  return AppendValues(Arg(args, 0), Arg(args, 1));
}

Value Reverse(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::vector<Value> items = Items(v);
  std::reverse(items.begin(), items.end());
  return ArrayOf(std::move(items));
}

Value Sort(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::vector<Value> items = Items(v);
  if (items.size() <= 1) return ArrayOf(std::move(items));
  Value fn = Arg(args, 1);
  if (fn.undefined()) {
    bool numbers =
        std::all_of(items.begin(), items.end(), [](const Value& x) { return x.IsNumber(); });
    bool strings =
        std::all_of(items.begin(), items.end(), [](const Value& x) { return x.IsString(); });
    if (!numbers && !strings) {
      throw Error("D3070",
                  "The single argument form of the sort function can only be applied to an array "
                  "of strings or an array of numbers.  Use the second argument to specify a "
                  "comparison function");
    }
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
      return numbers ? a.number() < b.number() : a.string() < b.string();
    });
    return ArrayOf(std::move(items));
  }
  // The comparator answers "should a come after b?"; a merge keeps equal items in order.
  std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
    return ToBoolean(ev.Apply(fn, {b, a}, input, 0));
  });
  return ArrayOf(std::move(items));
}

Value Shuffle(Evaluator& ev, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::vector<Value> items = Items(v);
  if (ev.env().rng == nullptr) throw Error("D3000", "$shuffle() needs a random source");
  for (std::size_t i = items.size(); i > 1; --i) {
    auto j =
        static_cast<std::size_t>(ev.env().rng->UniformInt(0, static_cast<std::int64_t>(i - 1)));
    std::swap(items[i - 1], items[j]);
  }
  return ArrayOf(std::move(items));
}

Value Distinct(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || !v.IsArray()) return v;
  std::vector<Value> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    Value item = v.at(i);
    bool seen =
        std::any_of(out.begin(), out.end(), [&](const Value& o) { return DeepEqual(o, item); });
    if (!seen) out.push_back(std::move(item));
  }
  return ArrayOf(std::move(out));
}

Value Zip(Evaluator&, std::vector<Value>& args, const Value&) {
  std::size_t length = args.empty() ? 0 : static_cast<std::size_t>(-1);
  for (const Value& a : args) length = std::min(length, a.undefined() ? 0 : a.size());
  std::vector<Value> out;
  for (std::size_t i = 0; i < length; ++i) {
    std::vector<Value> tuple;
    for (const Value& a : args) tuple.push_back(a.at(i));
    out.push_back(ArrayOf(std::move(tuple)));
  }
  return ArrayOf(std::move(out));
}

}  // namespace

void AddArrayFunctions(BuiltinTable& t) {
  t["append"] = MakeNative("append", "xx:a", Append);
  t["reverse"] = MakeNative("reverse", "a:a", Reverse);
  t["sort"] = MakeNative("sort", "af?:a", Sort);
  t["shuffle"] = MakeNative("shuffle", "a:a", Shuffle);
  t["distinct"] = MakeNative("distinct", "x:x", Distinct);
  t["zip"] = MakeNative("zip", "a+", Zip);
}

}  // namespace timeslip::query::jsonata
