// Numeric and aggregation functions. $round rounds half to even, on the decimal digits (as the
// reference does by shifting the exponent in text), so $round(2.675, 2) is 2.68 not 2.67.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value Number(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  if (v.IsNumber()) return v;
  if (v.IsBool()) return Value::Number(v.boolean() ? 1 : 0);
  if (v.IsString()) {
    static const std::regex kDecimal(R"(^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$)");
    static const std::regex kRadix(R"(^0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)$)");
    const std::string& s = v.string();
    if (std::regex_match(s, kDecimal)) {
      double n = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(n)) return Value::Number(n);
    } else if (std::regex_match(s, kRadix)) {
      int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
      return Value::Number(static_cast<double>(std::strtoull(s.c_str() + 2, nullptr, base)));
    }
  }
  throw Error("D3030", "Unable to cast value to a number: " + Stringify(v, false), 0,
              Stringify(v, false));
}

Value Abs(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Number(std::fabs(v.number()));
}

Value Floor(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Number(std::floor(v.number()));
}

Value Ceil(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Number(std::ceil(v.number()));
}

// `v` times 10^shift, exactly as the decimal text would have it.
double Shift(double v, int shift) {
  char buf[64];
  for (int p = 1; p <= 17; ++p) {  // the shortest text that reads back as v
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s(buf);
  std::size_t e = s.find('e');
  int exponent = 0;
  if (e != std::string::npos) {
    exponent = std::atoi(s.c_str() + e + 1);
    s.erase(e);
  }
  s += "e" + std::to_string(exponent + shift);
  return std::strtod(s.c_str(), nullptr);
}

Value Round(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  int precision = args.size() > 1 && args[1].defined() ? static_cast<int>(args[1].number()) : 0;
  double x = Shift(v.number(), precision);
  double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5) {
    r = 2 * std::round(x / 2);  // half to even
  }
  double out = Shift(r, -precision);
  if (out == 0) out = 0;  // no negative zero
  return Value::Number(out);
}

Value Power(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  double r = std::pow(v.number(), Arg(args, 1).number());
  if (!std::isfinite(r)) {
    throw Error(
        "D3061",
        "The power function has resulted in a value that cannot be represented as a JSON number");
  }
  return Value::Number(r);
}

Value Sqrt(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  if (v.number() < 0) {
    throw Error("D3060", "The sqrt function cannot be applied to a negative number: " +
                             NumberText(v.number()));
  }
  return Value::Number(std::sqrt(v.number()));
}

Value Random(Evaluator& ev, std::vector<Value>&, const Value&) {
  if (ev.env().rng == nullptr) throw Error("D3000", "$random() needs a random source");
  return Value::Number(ev.env().rng->Uniform01());
}

Value Sum(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  double total = 0;
  for (std::size_t i = 0; i < v.size(); ++i) total += v.at(i).number();
  return Value::Number(total);
}

Value Count(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  return Value::Number(v.undefined() ? 0 : static_cast<double>(v.size()));
}

Value Max(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || v.size() == 0) return {};
  double m = v.at(0).number();
  for (std::size_t i = 1; i < v.size(); ++i) m = std::max(m, v.at(i).number());
  return Value::Number(m);
}

Value Min(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || v.size() == 0) return {};
  double m = v.at(0).number();
  for (std::size_t i = 1; i < v.size(); ++i) m = std::min(m, v.at(i).number());
  return Value::Number(m);
}

Value Average(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || v.size() == 0) return {};
  double total = 0;
  for (std::size_t i = 0; i < v.size(); ++i) total += v.at(i).number();
  return Value::Number(total / static_cast<double>(v.size()));
}

}  // namespace

void AddNumericFunctions(BuiltinTable& t) {
  t["number"] = MakeNative("number", "(nsb)-:n", Number);
  t["abs"] = MakeNative("abs", "n-:n", Abs);
  t["floor"] = MakeNative("floor", "n-:n", Floor);
  t["ceil"] = MakeNative("ceil", "n-:n", Ceil);
  t["round"] = MakeNative("round", "n-n?:n", Round);
  t["power"] = MakeNative("power", "n-n:n", Power);
  t["sqrt"] = MakeNative("sqrt", "n-:n", Sqrt);
  t["random"] = MakeNative("random", ":n", Random);
  t["sum"] = MakeNative("sum", "a<n>:n", Sum);
  t["count"] = MakeNative("count", "a:n", Count);
  t["max"] = MakeNative("max", "a<n>:n", Max);
  t["min"] = MakeNative("min", "a<n>:n", Min);
  t["average"] = MakeNative("average", "a<n>:n", Average);
}

}  // namespace timeslip::query::jsonata
