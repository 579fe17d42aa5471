#pragma once
// PythonJsonText: JSON as Python's json.dumps writes it by default (", " and ": " between
// items, non-ASCII as \uXXXX escapes). Lambda's Python runtime writes a function's result and
// its error object so; where AWS passes that text on unchanged (the Content-Length of a
// lambda:invoke response, the cause of a function error behind a plain function ARN), a fake
// that answers as that runtime must write the same bytes.

#include <nlohmann/json.hpp>
#include <string>

namespace timeslip::fakes {

std::string PythonJsonText(const nlohmann::ordered_json& value);

}  // namespace timeslip::fakes
