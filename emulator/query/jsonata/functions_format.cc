// The picture-string functions ($formatNumber, $formatInteger, $parseInteger, $formatBase,
// $fromMillis, $toMillis) are plain C++ (format_*.h, datetime_format.h); this file adapts them
// to the library: signatures, undefined in and out.

#include <cmath>

#include "emulator/query/jsonata/datetime_format.h"
#include "emulator/query/jsonata/format_integer.h"
#include "emulator/query/jsonata/format_number.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

std::optional<std::string_view> OptionalText(const std::vector<Value>& args, std::size_t i) {
  if (i < args.size() && args[i].IsString()) return std::string_view(args[i].string());
  return std::nullopt;
}

Value FormatNumberFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || !Arg(args, 1).IsString()) return {};
  Json options = Arg(args, 2).IsObject() ? Arg(args, 2).ToJson() : Json();
  return Value::String(FormatNumber(v.number(), Arg(args, 1).string(), options));
}

Value FormatIntegerFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || !Arg(args, 1).IsString()) return {};
  return Value::String(FormatInteger(v.number(), Arg(args, 1).string()));
}

Value ParseIntegerFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined() || !Arg(args, 1).IsString()) return {};
  std::optional<double> n = ParseInteger(v.string(), Arg(args, 1).string());
  if (!n) return {};
  return Value::Number(*n);
}

Value FormatBaseFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::optional<double> radix;
  if (Arg(args, 1).IsNumber()) radix = Arg(args, 1).number();
  return Value::String(FormatBase(v.number(), radix));
}

Value FromMillisFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  auto ms = static_cast<std::int64_t>(std::floor(v.number()));
  return Value::String(FromMillis(ms, OptionalText(args, 1), OptionalText(args, 2)));
}

Value ToMillisFn(Evaluator& ev, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::optional<std::int64_t> ms = ToMillis(v.string(), OptionalText(args, 1), ev.now_millis());
  if (!ms) return {};
  return Value::Number(static_cast<double>(*ms));
}

}  // namespace

void AddFormatFunctions(BuiltinTable& t) {
  t["formatNumber"] = MakeNative("formatNumber", "n-so?:s", FormatNumberFn);
  t["formatInteger"] = MakeNative("formatInteger", "n-s:s", FormatIntegerFn);
  t["parseInteger"] = MakeNative("parseInteger", "s-s:n", ParseIntegerFn);
  t["formatBase"] = MakeNative("formatBase", "n-n?:s", FormatBaseFn);
  t["fromMillis"] = MakeNative("fromMillis", "n-s?s?:s", FromMillisFn);
  t["toMillis"] = MakeNative("toMillis", "s-s?:n", ToMillisFn);
}

}  // namespace timeslip::query::jsonata
