#pragma once
// Error: a JSONata failure as the reference implementation (jsonata-js) names it, so the suite's
// expected codes (S0201, T2001, D3030, ...) can be checked and Step Functions can quote it in a
// States.QueryEvaluationError cause.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace timeslip::query::jsonata {

class Error : public std::runtime_error {
 public:
  // `position` is the character offset in the expression (0 when unknown); `token` the offending
  // token or value text, when the reference implementation names one.
  Error(std::string code, const std::string& message, std::size_t position = 0,
        std::string token = {})
      : std::runtime_error(message),
        code_(std::move(code)),
        position_(position),
        token_(std::move(token)) {}

  const std::string& code() const { return code_; }
  std::size_t position() const { return position_; }
  const std::string& token() const { return token_; }

 private:
  std::string code_;
  std::size_t position_;
  std::string token_;
};

}  // namespace timeslip::query::jsonata
