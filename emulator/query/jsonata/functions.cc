// The library's table, and the functions too small for a family of their own: $boolean,
// $not, $exists, $type, $error, $assert, $now, $millis, $eval.

#include <chrono>
#include <cstdio>

#include "emulator/query/jsonata/datetime_format.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value Boolean(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::Bool(ToBoolean(v));
}

Value Not(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::Bool(!ToBoolean(v));
}

Value Exists(Evaluator&, std::vector<Value>& args, const Value&) {
  return Value::Bool(Arg(args, 0).defined());
}

Value Type(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::String(TypeName(v));
}

Value ErrorFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value m = Arg(args, 0);
  throw Error("D3137", m.IsString() ? m.string() : "$error() function evaluated");
}

Value Assert(Evaluator&, std::vector<Value>& args, const Value&) {
  Value cond = Arg(args, 0);
  if (cond.undefined() || !cond.IsBool()) {
    throw Error("T0410", "Argument 1 of function $assert does not match function signature");
  }
  if (!cond.boolean()) {
    Value m = Arg(args, 1);
    throw Error("D3141", m.IsString() ? m.string() : "$assert() statement failed");
  }
  return {};
}

std::string IsoMillis(std::int64_t ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds(ms)};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()),
                static_cast<long>(hms.subseconds().count()));
  return buf;
}

Value NowFn(Evaluator& ev, std::vector<Value>& args, const Value&) {
  Value picture = Arg(args, 0);
  Value zone = Arg(args, 1);
  if (!picture.IsString()) return Value::String(IsoMillis(ev.now_millis()));
  // With a picture, $now() is $fromMillis(now, picture, timezone).
  std::optional<std::string_view> tz;
  if (zone.IsString()) tz = zone.string();
  return Value::String(FromMillis(ev.now_millis(), picture.string(), tz));
}

Value Millis(Evaluator& ev, std::vector<Value>&, const Value&) {
  return Value::Number(static_cast<double>(ev.now_millis()));
}

Value Eval(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value text = Arg(args, 0);
  if (text.undefined()) return {};
  NodePtr node;
  try {
    node = Parse(text.string());
  } catch (const Error& e) {
    throw Error("D3120",
                std::string("Syntax error in expression passed to function eval: ") + e.what());
  }
  Value context = args.size() > 1 ? args[1] : input;
  try {
    return ev.Eval(*node, context, ChildFrame(ev.call_frame()));
  } catch (const Error& e) {
    if (e.code() == "U1001") throw;
    throw Error("D3121",
                std::string("Dynamic error evaluating the expression passed to function eval: ") +
                    e.what());
  }
}

const BuiltinTable& Table() {
  static const BuiltinTable table = [] {
    BuiltinTable t;
    t["boolean"] = MakeNative("boolean", "x-:b", Boolean);
    t["not"] = MakeNative("not", "x-:b", Not);
    t["exists"] = MakeNative("exists", "x:b", Exists);
    t["type"] = MakeNative("type", "x:s", Type);
    t["error"] = MakeNative("error", "s?:x", ErrorFn);
    t["assert"] = MakeNative("assert", "bs?:x", Assert);
    t["now"] = MakeNative("now", "s?s?:s", NowFn);
    t["millis"] = MakeNative("millis", ":n", Millis);
    t["eval"] = MakeNative("eval", "sx?:x", Eval);
    AddStringFunctions(t);
    AddNumericFunctions(t);
    AddArrayFunctions(t);
    AddObjectFunctions(t);
    AddHigherOrderFunctions(t);
    AddRegexFunctions(t);
    AddEncodingFunctions(t);
    AddFormatFunctions(t);
    return t;
  }();
  return table;
}

}  // namespace

const Value* LookupBuiltin(std::string_view name) {
  const BuiltinTable& t = Table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

Value MakeNative(const char* name, const char* signature, NativeImpl impl) {
  auto fn = std::make_shared<Function>();
  fn->kind = Function::Kind::kNative;
  fn->name = std::string("$") + name;
  fn->native = impl;
  fn->signature = std::make_shared<const Signature>(ParseSignature(signature, 0));
  return Value::Of(std::move(fn));
}

std::vector<Value> Items(const Value& v) {
  std::vector<Value> out;
  if (v.IsArray()) {
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(v.at(i));
  } else if (v.defined()) {
    out.push_back(v);
  }
  return out;
}

std::string CastString(const Value& v) {
  if (v.IsString()) return v.string();
  return Stringify(v, false);
}

}  // namespace timeslip::query::jsonata
