#pragma once
// Error and Result<T>: failures as values, named as AWS names them.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace timeslip::json {

// A failure as AWS names it. Clients match on `name` ("ExecutionDoesNotExist",
// "States.ParameterPathFailure"); `message` tells people what was wrong, and where.
struct Error {
  std::string name;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

// A T or an Error (or another failure type E: json::Checked<T> carries a json::Problem). Call
// sites stay flat: check ok(), return the error early, carry on.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }

  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

using Status = Result<std::monostate>;
inline Status Ok() { return std::monostate{}; }

}  // namespace timeslip::json
