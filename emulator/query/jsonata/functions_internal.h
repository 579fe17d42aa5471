#pragma once
// The standard library, one file per family (functions_string.cc, functions_numeric.cc, ...).
// Each family adds its functions to the table LookupBuiltin() reads.

#include <functional>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/query/jsonata/evaluator_internal.h"

namespace timeslip::query::jsonata {

using BuiltinTable = std::map<std::string, Value, std::less<>>;

void AddStringFunctions(BuiltinTable& table);
void AddNumericFunctions(BuiltinTable& table);
void AddArrayFunctions(BuiltinTable& table);
void AddObjectFunctions(BuiltinTable& table);
void AddHigherOrderFunctions(BuiltinTable& table);
void AddRegexFunctions(BuiltinTable& table);
void AddEncodingFunctions(BuiltinTable& table);
void AddFormatFunctions(BuiltinTable& table);

// A regex applied at byte offset `from`: the reference's match object
// {match, index, groups, next()}, or undefined when nothing matches.
Value RegexMatchAt(Evaluator& ev, const Function& regex, const std::string& text, std::size_t from);

// Runs `body` (regex work on a text of `length` bytes) on a large stack when the text is long:
// see regex_search.cc.
void WithRegexStack(std::size_t length, const std::function<void()>& body);

// A regex library function, run by WithRegexStack on its first argument's length.
template <NativeImpl F>
Value OnRegexStack(Evaluator& ev, std::vector<Value>& args, const Value& input) {
  std::size_t length = !args.empty() && args[0].IsString() ? args[0].string().size() : 0;
  Value out;
  WithRegexStack(length, [&] { out = F(ev, args, input); });
  return out;
}

// std::regex_search from byte offset `from`.
inline bool RegexSearch(const std::regex& re, const std::string& text, std::size_t from,
                        std::smatch& match) {
  return std::regex_search(text.cbegin() + static_cast<std::ptrdiff_t>(from), text.cend(), match,
                           re);
}

// Small helpers for the library.
inline Value Arg(const std::vector<Value>& args, std::size_t i) {
  return i < args.size() ? args[i] : Value();
}
inline Value ArrayOf(std::vector<Value> items) {
  auto a = std::make_shared<Array>();
  a->items = std::move(items);
  return Value::Of(std::move(a));
}
std::vector<Value> Items(const Value& v);  // an array's members; a single value as one
// $string's conversion.
std::string CastString(const Value& v);

}  // namespace timeslip::query::jsonata
