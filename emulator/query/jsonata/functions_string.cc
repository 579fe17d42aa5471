// String functions. Lengths and offsets count characters (code points), as the reference does.

#include <algorithm>
#include <cmath>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"
#include "emulator/query/jsonata/utf8_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value StringFn(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  if (v.IsString()) return v;
  if (v.IsFunction()) return Value::String("");
  if (v.IsNumber() && !std::isfinite(v.number())) {
    throw Error("D3001", "Attempting to invoke string function on Infinity or NaN");
  }
  if (v.outer_wrapper() && v.size() > 0) v = v.at(0);
  return Value::String(Stringify(v, ToBoolean(Arg(args, 1))));
}

Value Length(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::Number(static_cast<double>(DecodeUtf8(v.string()).size()));
}

Value Substring(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::u32string s = DecodeUtf8(v.string());
  double len = static_cast<double>(s.size());
  double start = std::trunc(Arg(args, 1).number());
  if (len + start < 0) start = 0;
  if (start < 0) start += len;
  start = std::min(start, len);
  double end = len;
  if (args.size() > 2 && args[2].defined()) {
    double count = std::trunc(args[2].number());
    if (count <= 0) return Value::String("");
    end = std::min(len, start + count);
  }
  if (end <= start) return Value::String("");
  return Value::String(
      EncodeUtf8(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start))));
}

Value SubstringBefore(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value chars = Arg(args, 1);
  if (chars.undefined()) return v;
  std::size_t at = v.string().find(chars.string());
  if (at == std::string::npos) return v;
  return Value::String(v.string().substr(0, at));
}

Value SubstringAfter(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value chars = Arg(args, 1);
  if (chars.undefined()) return v;
  std::size_t at = v.string().find(chars.string());
  if (at == std::string::npos) return v;
  return Value::String(v.string().substr(at + chars.string().size()));
}

Value Uppercase(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::string s = v.string();
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Value::String(std::move(s));
}

Value Lowercase(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::string s = v.string();
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Value::String(std::move(s));
}

Value Trim(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::string out;
  bool space = false;
  for (char c : v.string()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return Value::String(std::move(out));
}

Value Pad(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  double width = std::trunc(Arg(args, 1).number());
  Value ch = Arg(args, 2);
  std::u32string fill = ch.IsString() && !ch.string().empty() ? DecodeUtf8(ch.string()) : U" ";
  std::u32string s = DecodeUtf8(v.string());
  double missing = std::fabs(width) - static_cast<double>(s.size());
  if (missing <= 0) return v;
  std::u32string padding;
  while (padding.size() < static_cast<std::size_t>(missing)) padding += fill;
  padding.resize(static_cast<std::size_t>(missing));
  return Value::String(EncodeUtf8(width < 0 ? padding + s : s + padding));
}

Value Contains(Evaluator& ev, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value token = Arg(args, 1);
  if (token.IsString()) return Value::Bool(v.string().find(token.string()) != std::string::npos);
  if (!token.IsFunction() || !token.function().regex) return {};
  return Value::Bool(RegexMatchAt(ev, token.function(), v.string(), 0).defined());
}

Value Split(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value sep = Arg(args, 1);
  Value limit = Arg(args, 2);
  double max = 1e18;
  if (limit.defined()) {
    if (limit.number() < 0)
      throw Error("D3020", "Third argument of split function must evaluate to a positive number");
    max = std::floor(limit.number());
  }
  std::vector<Value> parts;
  const std::string& s = v.string();
  if (sep.IsString()) {
    const std::string& d = sep.string();
    if (d.empty()) {
      for (char32_t c : DecodeUtf8(s))
        parts.push_back(Value::String(EncodeUtf8(std::u32string(1, c))));
    } else {
      std::size_t from = 0;
      for (;;) {
        std::size_t at = s.find(d, from);
        if (at == std::string::npos) {
          parts.push_back(Value::String(s.substr(from)));
          break;
        }
        parts.push_back(Value::String(s.substr(from, at - from)));
        from = at + d.size();
      }
    }
  } else if (sep.IsFunction() && !sep.function().regex) {
    throw Error("T1010",
                "The matcher function argument passed to function split does not return the "
                "correct object structure");
  } else if (sep.IsFunction() && sep.function().regex) {
    const std::regex& re = *sep.function().regex;
    std::size_t from = 0;
    std::smatch m;
    while (from <= s.size() && RegexSearch(re, s, from, m)) {
      std::size_t at = from + static_cast<std::size_t>(m.position(0));
      if (m.length(0) == 0) {
        if (at >= s.size()) break;
        parts.push_back(Value::String(s.substr(from, at + 1 - from)));
        from = at + 1;
        continue;
      }
      parts.push_back(Value::String(s.substr(from, at - from)));
      from = at + static_cast<std::size_t>(m.length(0));
    }
    parts.push_back(Value::String(from <= s.size() ? s.substr(from) : ""));
  }
  if (static_cast<double>(parts.size()) > max) parts.resize(static_cast<std::size_t>(max));
  return ArrayOf(std::move(parts));
}

Value Join(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value sep = Arg(args, 1);
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0 && sep.IsString()) out += sep.string();
    out += v.at(i).string();
  }
  return Value::String(std::move(out));
}

}  // namespace

void AddStringFunctions(BuiltinTable& t) {
  t["string"] = MakeNative("string", "x-b?:s", StringFn);
  t["length"] = MakeNative("length", "s-:n", Length);
  t["substring"] = MakeNative("substring", "s-nn?:s", Substring);
  t["substringBefore"] = MakeNative("substringBefore", "s-s:s", SubstringBefore);
  t["substringAfter"] = MakeNative("substringAfter", "s-s:s", SubstringAfter);
  t["uppercase"] = MakeNative("uppercase", "s-:s", Uppercase);
  t["lowercase"] = MakeNative("lowercase", "s-:s", Lowercase);
  t["trim"] = MakeNative("trim", "s-:s", Trim);
  t["pad"] = MakeNative("pad", "s-nx?:s", Pad);
  t["contains"] = MakeNative("contains", "s-(sf):b", OnRegexStack<Contains>);
  t["split"] = MakeNative("split", "s-(sf)n?:a<s>", OnRegexStack<Split>);
  t["join"] = MakeNative("join", "a<s>s?:s", Join);
}

}  // namespace timeslip::query::jsonata
