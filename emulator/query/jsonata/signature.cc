#include <functional>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/signature_internal.h"

namespace timeslip::query::jsonata {
namespace {

std::string Expand(char symbol) {
  switch (symbol) {
    case 'x':
    case 'a':  // a single value is wrapped into an array
      return "snblaof";
    case 'j':
      return "snblao";
    case 'u':
      return "snbl";
    default:
      return std::string(1, symbol);
  }
}

char SymbolOf(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return 'm';
    case Value::Kind::kNull:
      return 'l';
    case Value::Kind::kBool:
      return 'b';
    case Value::Kind::kNumber:
      return 'n';
    case Value::Kind::kString:
      return 's';
    case Value::Kind::kArray:
      return 'a';
    case Value::Kind::kObject:
      return 'o';
    default:
      return 'f';
  }
}

bool Accepts(const SignatureParam& p, const Value& v) {
  char s = SymbolOf(v);
  return s == 'm' || p.types.find(s) != std::string::npos;
}

}  // namespace

Signature ParseSignature(std::string_view text, std::size_t position) {
  Signature sig;
  sig.text = std::string(text);
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ':') {
      // The return type is not checked against results, only spelled right.
      for (std::size_t k = i + 1; k < text.size(); ++k) {
        if (std::string_view("bnsloafjxu()<>?+-:").find(text[k]) == std::string_view::npos) {
          throw Error("S0401", std::string("Invalid function signature: unknown type ") + text[k],
                      position + k, std::string(1, text[k]));
        }
      }
      break;
    }
    if (c == '?' || c == '+' || c == '-') {
      if (sig.params.empty()) throw Error("S0401", "Invalid function signature", position + i);
      SignatureParam& last = sig.params.back();
      if (c == '?') last.optional = true;
      if (c == '+') last.variadic = true;
      if (c == '-') last.context = true;
      ++i;
      continue;
    }
    if (c == '<') {
      if (sig.params.empty() ||
          (sig.params.back().symbol != 'a' && sig.params.back().symbol != 'f')) {
        throw Error("S0401", "Type parameters can only be applied to functions and arrays",
                    position + i);
      }
      std::size_t depth = 1, j = i + 1;
      while (j < text.size() && depth > 0) {
        if (text[j] == '<') ++depth;
        if (text[j] == '>') --depth;
        ++j;
      }
      if (depth != 0) throw Error("S0401", "Invalid function signature", position + i);
      if (sig.params.back().symbol == 'a') {
        std::string sub(text.substr(i + 1, j - i - 2));
        std::string expanded;
        for (char s : sub) expanded += Expand(s);
        sig.params.back().subtype = expanded;
      }
      i = j;
      continue;
    }
    SignatureParam p;
    if (c == '(') {
      std::size_t end = text.find(')', i);
      if (end == std::string_view::npos)
        throw Error("S0401", "Invalid function signature", position + i);
      p.symbol = '(';
      for (char s : text.substr(i + 1, end - i - 1)) {
        if (s == '<') {
          throw Error("S0402", "Choice groups containing parameterized types are not supported",
                      position + i);
        }
        p.types += Expand(s);
      }
      i = end + 1;
    } else if (std::string_view("bnsloafjxu").find(c) != std::string_view::npos) {
      p.symbol = c;
      p.types = Expand(c);
      ++i;
    } else {
      throw Error("S0401", std::string("Invalid function signature: unknown type ") + c,
                  position + i, std::string(1, c));
    }
    sig.params.push_back(std::move(p));
  }
  return sig;
}

namespace {

// Backtracking match of args[a..] against params[p..]; `owner` records which param took each arg.
bool Match(const Signature& sig, const std::vector<Value>& args, std::size_t p, std::size_t a,
           std::vector<std::size_t>& owner) {
  if (p == sig.params.size()) return a == args.size();
  const SignatureParam& param = sig.params[p];
  if (param.variadic) {
    std::size_t n = 0;
    while (a + n < args.size() && Accepts(param, args[a + n])) ++n;
    for (std::size_t k = n; k >= 1; --k) {
      for (std::size_t i = 0; i < k; ++i) owner[a + i] = p;
      if (Match(sig, args, p + 1, a + k, owner)) return true;
    }
    return param.optional && Match(sig, args, p + 1, a, owner);
  }
  if (a < args.size() && Accepts(param, args[a])) {
    owner[a] = p;
    if (Match(sig, args, p + 1, a + 1, owner)) return true;
  }
  return param.optional && Match(sig, args, p + 1, a, owner);
}

}  // namespace

std::vector<Value> ValidateArgs(const Signature& sig, std::vector<Value> args, const Value& context,
                                const std::string& name, std::size_t position) {
  std::vector<std::size_t> owner(args.size() + 1, 0);
  bool matched = Match(sig, args, 0, 0, owner);
  bool has_context = false;
  for (const auto& p : sig.params) has_context = has_context || p.context;
  if (!matched && has_context) {
    // The context fills a `-` parameter whose argument is missing.
    for (std::size_t at = 0; at <= args.size() && !matched; ++at) {
      std::vector<Value> with_context = args;
      with_context.insert(with_context.begin() + static_cast<long>(at), context);
      owner.assign(with_context.size() + 1, 0);
      if (Match(sig, with_context, 0, 0, owner) && sig.params[owner[at]].context) {
        args = std::move(with_context);
        matched = true;
      }
    }
    std::size_t required = 0;
    for (const auto& p : sig.params) required += p.optional ? 0 : 1;
    if (!matched && args.size() < required && sig.params[0].context &&
        !Accepts(sig.params[0], context)) {
      throw Error("T0411",
                  "Context value is not a compatible type with argument 1 of function " + name,
                  position, name);
    }
  }
  if (!matched) {
    // Name the first argument that no parameter accepts in order.
    std::size_t bad = 0;
    for (std::size_t i = 0; i < args.size() && i < sig.params.size(); ++i) {
      if (!Accepts(sig.params[i], args[i])) {
        bad = i;
        break;
      }
      bad = i + 1;
    }
    throw Error("T0410",
                "Argument " + std::to_string(bad + 1) + " of function " + name +
                    " does not match function signature",
                position, name);
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const SignatureParam& param = sig.params[owner[i]];
    Value& arg = args[i];
    if (arg.undefined()) continue;
    bool array_param = param.symbol == 'a';
    if (array_param && !arg.IsArray()) {
      auto wrapped = std::make_shared<Array>();
      wrapped->items.push_back(arg);
      arg = Value::Of(std::move(wrapped));
    }
    if (!param.subtype.empty() && arg.IsArray()) {
      for (std::size_t k = 0; k < arg.size(); ++k) {
        char s = SymbolOf(arg.at(k));
        if (param.subtype.find(s) == std::string::npos) {
          throw Error("T0412",
                      "Argument " + std::to_string(i + 1) + " of function " + name +
                          " must be an array of " + param.subtype,
                      position, name);
        }
      }
    }
  }
  return args;
}

}  // namespace timeslip::query::jsonata
