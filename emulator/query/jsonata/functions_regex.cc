// Regular expressions: match objects, $match and $replace. std::regex's ECMAScript grammar
// stands in for JavaScript's (no lookbehind, no named groups).

#include <cmath>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"
#include "emulator/query/jsonata/utf8_internal.h"

namespace timeslip::query::jsonata {
namespace {

double CodePoints(const std::string& s, std::size_t bytes) {
  return static_cast<double>(DecodeUtf8(std::string_view(s).substr(0, bytes)).size());
}

struct Found {
  bool ok = false;
  std::size_t start = 0, length = 0;
  std::vector<Value> groups;  // undefined for a group that did not take part... as ""
};

Found Search(const std::regex& re, const std::string& text, std::size_t from) {
  Found f;
  if (from > text.size()) return f;
  std::smatch m;
  if (!RegexSearch(re, text, from, m)) return f;
  f.ok = true;
  f.start = from + static_cast<std::size_t>(m.position(0));
  f.length = static_cast<std::size_t>(m.length(0));
  for (std::size_t g = 1; g < m.size(); ++g) {
    f.groups.push_back(Value::String(m[g].matched ? m[g].str() : ""));
  }
  return f;
}

Value MatchObject(const std::string& text, const Found& f, bool with_index) {
  auto o = std::make_shared<Object>();
  o->fields.emplace_back("match", Value::String(text.substr(f.start, f.length)));
  if (with_index) {
    o->fields.emplace_back("index", Value::Number(CodePoints(text, f.start)));
  } else {
    o->fields.emplace_back("start", Value::Number(CodePoints(text, f.start)));
    o->fields.emplace_back("end", Value::Number(CodePoints(text, f.start + f.length)));
  }
  o->fields.emplace_back("groups", ArrayOf(f.groups));
  return Value::Of(std::move(o));
}

void CheckNotEmpty(const Found& f) {
  if (f.ok && f.length == 0) {
    throw Error("D1004", "Regular expression matches zero length string");
  }
}

Value Match(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value pattern = Arg(args, 1);
  Value limit = Arg(args, 2);
  if (limit.defined() && limit.number() < 0) {
    throw Error("D3040", "Third argument of match function must evaluate to a positive number");
  }
  if (!pattern.IsFunction()) return {};
  const Function& fn = pattern.function();
  double max = limit.defined() ? std::floor(limit.number()) : 1e18;
  std::vector<Value> out;
  const std::string& s = v.string();
  if (fn.kind != Function::Kind::kRegex) {
    // A custom matcher: called with the string, it answers {match, start, end, groups, next}.
    Value m = ev.Apply(pattern, {v}, input, 0);
    while (m.IsObject() && static_cast<double>(out.size()) < max) {
      auto o = std::make_shared<Object>();
      o->fields.emplace_back("match", m.Get("match"));
      o->fields.emplace_back("index", m.Get("start"));
      o->fields.emplace_back("groups", m.Get("groups"));
      out.push_back(Value::Of(std::move(o)));
      Value next = m.Get("next");
      if (!next.IsFunction()) break;
      m = ev.Apply(next, {}, input, 0);
    }
    return ArrayOf(std::move(out));
  }
  std::size_t from = 0;
  while (static_cast<double>(out.size()) < max) {
    Found f = Search(*fn.regex, s, from);
    if (!f.ok) break;
    CheckNotEmpty(f);
    out.push_back(MatchObject(s, f, true));
    from = f.start + f.length;
  }
  auto seq = Array::Sequence();
  seq->items = std::move(out);
  return Value::Of(std::move(seq));
}

std::string Substitute(const std::string& repl, const std::string& text, const Found& f) {
  std::string out;
  std::size_t groups = f.groups.size();
  std::size_t max_digits = groups == 0 ? 1 : std::to_string(groups).size();
  for (std::size_t i = 0; i < repl.size();) {
    char c = repl[i];
    if (c != '$' || i + 1 >= repl.size()) {
      out += c;
      ++i;
      continue;
    }
    char next = repl[i + 1];
    if (next == '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(next))) {
      out += c;
      ++i;
      continue;
    }
    std::size_t digits = 0;
    while (digits < max_digits && i + 1 + digits < repl.size() &&
           std::isdigit(static_cast<unsigned char>(repl[i + 1 + digits]))) {
      ++digits;
    }
    std::size_t n = std::stoul(repl.substr(i + 1, digits));
    while (digits > 1 && n > groups) {
      --digits;
      n = std::stoul(repl.substr(i + 1, digits));
    }
    if (n == 0) {
      out += text.substr(f.start, f.length);
    } else if (n <= groups) {
      out += f.groups[n - 1].string();
    }
    i += 1 + digits;
  }
  return out;
}

Value Replace(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  Value pattern = Arg(args, 1);
  Value replacement = Arg(args, 2);
  Value limit = Arg(args, 3);
  if (!(pattern.IsString() || (pattern.IsFunction() && pattern.function().regex)) ||
      !(replacement.IsString() || replacement.IsFunction())) {
    return v;
  }
  if (pattern.IsString() && pattern.string().empty()) {
    throw Error("D3010", "Second argument of replace function cannot be an empty string");
  }
  if (limit.defined() && limit.number() < 0) {
    throw Error("D3011", "Fourth argument of replace function must evaluate to a positive number");
  }
  double max = limit.defined() ? std::floor(limit.number()) : 1e18;
  const std::string& s = v.string();
  std::string out;
  std::size_t from = 0;
  double count = 0;
  while (count < max) {
    Found f;
    if (pattern.IsString()) {
      std::size_t at = s.find(pattern.string(), from);
      if (at == std::string::npos) break;
      f.ok = true;
      f.start = at;
      f.length = pattern.string().size();
    } else {
      f = Search(*pattern.function().regex, s, from);
      if (!f.ok) break;
      CheckNotEmpty(f);
    }
    out += s.substr(from, f.start - from);
    if (replacement.IsString()) {
      out += pattern.IsString() ? replacement.string() : Substitute(replacement.string(), s, f);
    } else {
      Value r = ev.Apply(replacement, {MatchObject(s, f, true)}, input, 0);
      if (!r.IsString()) {
        throw Error("D3012", "Attempted to replace a matched string with a non-string value");
      }
      out += r.string();
    }
    from = f.start + f.length;
    ++count;
  }
  out += s.substr(std::min(from, s.size()));
  return Value::String(std::move(out));
}

}  // namespace

Value RegexMatchAt(Evaluator&, const Function& regex, const std::string& text, std::size_t from) {
  Found f = Search(*regex.regex, text, from);
  if (!f.ok) return {};
  Value m = MatchObject(text, f, false);
  auto next = std::make_shared<Function>();
  next->kind = Function::Kind::kRegex;
  next->regex = regex.regex;
  next->bound = {Value::String(text),
                 Value::Number(static_cast<double>(f.start + std::max<std::size_t>(f.length, 1)))};
  m.object()->fields.emplace_back("next", Value::Of(std::move(next)));
  return m;
}

void AddRegexFunctions(BuiltinTable& t) {
  t["match"] = MakeNative("match", "s-f<s:o>n?:a<o>", OnRegexStack<Match>);
  t["replace"] = MakeNative("replace", "s-(sf)(sf)n?:s", OnRegexStack<Replace>);
}

}  // namespace timeslip::query::jsonata
