// How JSONata writes values as text: numbers as JavaScript prints them, fractions first rounded
// to 15 significant digits (so 0.1 + 0.2 is "0.3"), and JSON.stringify's layout for the rest.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/evaluator_internal.h"

namespace timeslip::query::jsonata {
namespace {

// JavaScript's Number.prototype.toString for a finite double.
std::string JsNumber(double v) {
  if (v == 0) return "0";
  char buf[64];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s(buf);
  bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  std::size_t e = s.find('e');
  int exponent = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (std::size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits += s[i];
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += "e";
    out += (n - 1 >= 0 ? "+" : "-");
    out += std::to_string(std::abs(n - 1));
  }
  return negative ? "-" + out : out;
}

void Escape(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void Write(std::string& out, const Value& v, bool pretty, int indent) {
  auto newline = [&](int level) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  switch (v.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.boolean() ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      if (!std::isfinite(v.number())) {
        throw Error("D1001", "Number out of range");
      }
      out += NumberText(v.number());
      return;
    case Value::Kind::kString:
      Escape(out, v.string());
      return;
    case Value::Kind::kFunction:
    case Value::Kind::kThunk:
      out += "\"\"";
      return;
    case Value::Kind::kArray: {
      if (v.size() == 0) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        newline(indent + 1);
        Write(out, v.at(i), pretty, indent + 1);
      }
      newline(indent);
      out += ']';
      return;
    }
    case Value::Kind::kObject: {
      bool first = true;
      out += '{';
      v.ForEachField([&](const std::string& k, const Value& f) {
        if (f.undefined()) return;
        if (!first) out += ',';
        first = false;
        newline(indent + 1);
        Escape(out, k);
        out += pretty ? ": " : ":";
        Write(out, f, pretty, indent + 1);
      });
      if (!first) newline(indent);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string NumberText(double n) {
  // Integers print in full; only fractions are cut to 15 significant digits.
  if (std::trunc(n) == n) return JsNumber(n);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.14e", n);
  return JsNumber(std::strtod(buf, nullptr));
}

std::string Stringify(const Value& v, bool pretty) {
  std::string out;
  Write(out, v, pretty, 0);
  return out;
}

std::string TypeName(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "boolean";
    case Value::Kind::kNumber:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kArray:
      return "array";
    case Value::Kind::kObject:
      return "object";
    case Value::Kind::kFunction:
    case Value::Kind::kThunk:
      return "function";
    case Value::Kind::kUndefined:
      return "";
  }
  return "";
}

}  // namespace timeslip::query::jsonata
