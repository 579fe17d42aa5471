#pragma once
// JSONata: compile an expression once, evaluate it many times.
//
//   auto expr = jsonata::Expression::Compile("Account.Order.Product.Price");  // throws Error
//   jsonata::Environment env{now, rng};
//   std::optional<Json> out = expr.Evaluate(&input, {}, env);  // nullopt: undefined
//
// Time and randomness are handed in (`Environment`): $now()/$millis() read `now`, $random and
// $shuffle draw from `rng`. Failures throw jsonata::Error with the reference's code (T2001, ...).

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/json/result.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/time/clock.h"
#include "emulator/time/rng.h"

namespace timeslip::query::jsonata {

struct Node;

// A function the host adds ($partition, $uuid, ...). Arguments arrive after the signature's
// checks; nullopt stands for undefined both ways. Throw Error to fail the evaluation.
using NativeFunction = std::function<std::optional<nlohmann::ordered_json>(
    const std::vector<std::optional<nlohmann::ordered_json>>& args)>;

// Variables visible to an evaluation ($name), and extra functions.
class Bindings {
 public:
  void Set(std::string name, nlohmann::ordered_json value) {
    values_.emplace_back(std::move(name),
                         std::make_shared<const nlohmann::ordered_json>(std::move(value)));
  }
  // Shared rather than copied: large values ($states.input) are read in place.
  void SetShared(std::string name, std::shared_ptr<const nlohmann::ordered_json> value) {
    values_.emplace_back(std::move(name), std::move(value));
  }
  // `signature` as JSONata writes it, e.g. "<s-n?:s>".
  void SetFunction(std::string name, NativeFunction fn, std::string signature) {
    functions_.push_back({std::move(name), std::move(fn), std::move(signature)});
  }

  struct FunctionBinding {
    std::string name;
    NativeFunction fn;
    std::string signature;
  };
  const std::vector<std::pair<std::string, std::shared_ptr<const nlohmann::ordered_json>>>& values()
      const {
    return values_;
  }
  const std::vector<FunctionBinding>& functions() const { return functions_; }

 private:
  std::vector<std::pair<std::string, std::shared_ptr<const nlohmann::ordered_json>>> values_;
  std::vector<FunctionBinding> functions_;
};

struct Environment {
  time::Instant now{};          // $now() and $millis(): one instant per evaluation
  time::Rng* rng = nullptr;     // $random() and $shuffle(); Not owned; must outlive evaluation
  int max_depth = 1000;         // nested evaluation depth; deeper fails with U1001
  std::uint64_t max_steps = 0;  // node evaluations allowed; 0 = no limit; beyond fails U1001
};

class Expression {
 public:
  // Throws Error (S0xxx) when `text` is not JSONata.
  static Expression Compile(std::string_view text);
  // The same, as a value: Error{code, message}.
  static json::Result<Expression> TryCompile(std::string_view text);

  // `input` null means undefined. Throws Error.
  std::optional<nlohmann::ordered_json> Evaluate(const nlohmann::ordered_json* input,
                                                 const Bindings& bindings, Environment& env) const;
  // The input shared instead of copied, for callers that keep it alive anyway.
  std::optional<nlohmann::ordered_json> Evaluate(
      std::shared_ptr<const nlohmann::ordered_json> input, const Bindings& bindings,
      Environment& env) const;

  const std::string& text() const { return text_; }

 private:
  Expression(std::string text, std::shared_ptr<const Node> root)
      : text_(std::move(text)), root_(std::move(root)) {}
  std::string text_;
  std::shared_ptr<const Node> root_;
};

}  // namespace timeslip::query::jsonata
