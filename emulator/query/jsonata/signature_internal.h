#pragma once
// Signature: a function's declared parameter types, `<s-n?:s>`, parsed once. Validate() checks
// (and coerces) the arguments of a call as the reference does: `-` takes the context when the
// argument is missing, `a<n>` wraps a single value in an array and checks its members.

#include <string>
#include <string_view>
#include <vector>

#include "emulator/query/jsonata/value.h"

namespace timeslip::query::jsonata {

struct SignatureParam {
  std::string types;  // symbols accepted: s n b l a o f j x u, expanded (e.g. "j" -> "snblao")
  char symbol = 'x';  // as written ('(' for a choice)
  bool optional = false;
  bool variadic = false;
  bool context = false;
  std::string subtype;  // a<s>: the member types
};

struct Signature {
  std::string text;
  std::vector<SignatureParam> params;
};

// Throws S0401/S0402 on a malformed signature.
Signature ParseSignature(std::string_view text, std::size_t position);

// Checks `args` against `sig`, inserting `context` where `-` allows; throws T0410/T0411/T0412.
std::vector<Value> ValidateArgs(const Signature& sig, std::vector<Value> args, const Value& context,
                                const std::string& name, std::size_t position);

}  // namespace timeslip::query::jsonata
