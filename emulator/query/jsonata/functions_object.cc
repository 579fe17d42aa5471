// Object functions: $keys, $lookup, $spread, $merge, $sift, $each.

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value Keys(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  std::vector<std::string> keys;
  auto add = [&](const Value& o) {
    o.ForEachField([&](const std::string& k, const Value&) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    });
  };
  if (v.IsArray()) {
    for (std::size_t i = 0; i < v.size(); ++i) add(v.at(i));
  } else if (v.IsObject()) {
    add(v);
  } else {
    return {};
  }
  auto seq = Array::Sequence();
  for (auto& k : keys) seq->items.push_back(Value::String(k));
  return Value::Of(std::move(seq));
}

Value LookupIn(const Value& v, const std::string& key) {
  if (v.IsArray()) {
    auto seq = Array::Sequence();
    for (std::size_t i = 0; i < v.size(); ++i) AppendFlat(*seq, LookupIn(v.at(i), key));
    return Value::Of(std::move(seq));
  }
  return v.Get(key);
}

Value LookupFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || !Arg(args, 1).IsString()) return {};
  Value result = LookupIn(v, Arg(args, 1).string());
  if (result.sequence() && result.size() == 0) return {};
  if (result.sequence() && result.size() == 1) return result.at(0);
  return result;
}

Value Spread(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  if (v.IsArray()) {
    auto seq = Array::Sequence();
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::vector<Value> one{v.at(i)};
      AppendFlat(*seq, Spread(ev, one, input));
    }
    return Value::Of(std::move(seq));
  }
  if (!v.IsObject()) return v;
  auto seq = Array::Sequence();
  v.ForEachField([&](const std::string& k, const Value& f) {
    auto o = std::make_shared<Object>();
    o->fields.emplace_back(k, f);
    seq->items.push_back(Value::Of(std::move(o)));
  });
  return Value::Of(std::move(seq));
}

Value Merge(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  auto out = std::make_shared<Object>();
  for (std::size_t i = 0; i < v.size(); ++i) {
    v.at(i).ForEachField([&](const std::string& k, const Value& f) { out->Set(k, f); });
  }
  return Value::Of(std::move(out));
}

Value Sift(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  Value fn = Arg(args, 1);
  if (v.undefined()) return v;
  auto out = std::make_shared<Object>();
  v.ForEachField([&](const std::string& k, const Value& f) {
    if (ToBoolean(ev.CallbackWith(fn, {f, Value::String(k), v}, input)))
      out->fields.emplace_back(k, f);
  });
  if (out->fields.empty()) return {};
  return Value::Of(std::move(out));
}

Value Each(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  Value fn = Arg(args, 1);
  if (v.undefined()) return v;
  auto seq = Array::Sequence();
  v.ForEachField([&](const std::string& k, const Value& f) {
    Value r = ev.CallbackWith(fn, {f, Value::String(k), v}, input);
    if (r.defined()) seq->items.push_back(std::move(r));
  });
  return Value::Of(std::move(seq));
}

}  // namespace

void AddObjectFunctions(BuiltinTable& t) {
  t["keys"] = MakeNative("keys", "x-:a<s>", Keys);
  t["lookup"] = MakeNative("lookup", "x-s:x", LookupFn);
  t["spread"] = MakeNative("spread", "x-:a<o>", Spread);
  t["merge"] = MakeNative("merge", "a<o>:o", Merge);
  t["sift"] = MakeNative("sift", "o-f?:o", Sift);
  t["each"] = MakeNative("each", "o-f:a", Each);
}

}  // namespace timeslip::query::jsonata
