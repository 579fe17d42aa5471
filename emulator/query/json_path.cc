// JsonPath evaluation, following Jayway JsonPath (which Step Functions runs) with its default
// options. Where Jayway's behaviour is surprising it is kept, since workflows depend on it:
//  - while every step so far has been definite, a name applied to a non-object or an array step
//    applied to a non-array fails the whole path, even an indefinite one ("$.a[*]" fails when
//    "a" is a number). A missing name does not: AWS answers [] for "$.items[*]" and
//    "$.item.items[1:5]" on {} (recorded), where plain Jayway would fail;
//  - a union of names as the last step, "$['a','b']", yields one object of the names present;
//  - a filter applied to an object tests the object itself; "!=" holds when a side is absent.
// https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html

#include "emulator/query/json_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <utility>
#include <vector>

#include "emulator/json/equality.h"
#include "emulator/query/json_path_internal.h"

namespace timeslip::query {

using internal::FilterExpr;
using internal::Operand;
using internal::PathProgram;
using internal::Step;
using Json = nlohmann::ordered_json;

namespace {

constexpr std::string_view kStatesRuntime = "States.Runtime";
constexpr std::string_view kResultPathMatchFailure = "States.ResultPathMatchFailure";

std::string Abbreviate(const Json& doc) {
  constexpr std::size_t kMaxShown = 256;
  std::string text = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

// The node a definite path names, or nullptr. The hot path: no allocation, no copies.
const Json* FindDefinite(const std::vector<Step>& steps, const Json& doc) {
  const Json* node = &doc;
  for (const Step& step : steps) {
    if (step.kind == Step::Kind::kName) {
      if (!node->is_object()) return nullptr;
      auto it = node->find(step.name);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else {
      if (!node->is_array()) return nullptr;
      auto size = static_cast<std::int64_t>(node->size());
      std::int64_t index = step.index < 0 ? size + step.index : step.index;
      if (index < 0 || index >= size) return nullptr;
      node = &(*node)[static_cast<std::size_t>(index)];
    }
  }
  return node;
}

// Normalizes Python-style slice bounds; calls f(i) for each selected index in order.
template <typename F>
void ForEachSliceIndex(const Step& step, std::int64_t size, F&& f) {
  std::int64_t stride = step.slice_step;
  auto clamp = [&](std::optional<std::int64_t> bound, std::int64_t fallback, std::int64_t lo,
                   std::int64_t hi) {
    if (!bound) return fallback;
    std::int64_t v = *bound < 0 ? *bound + size : *bound;
    return std::clamp(v, lo, hi);
  };
  if (stride > 0) {
    std::int64_t start = clamp(step.slice_start, 0, 0, size);
    std::int64_t end = clamp(step.slice_end, size, 0, size);
    for (std::int64_t i = start; i < end; i += stride) f(i);
  } else {
    std::int64_t start = clamp(step.slice_start, size - 1, -1, size - 1);
    std::int64_t end = clamp(step.slice_end, -1, -1, size - 1);
    for (std::int64_t i = start; i > end; i += stride) f(i);
  }
}

class Evaluator {
 public:
  // `root` is what "$" inside a filter reads. `merge_names`: Jayway's object for a leaf union of
  // names (Select); Find wants nodes of the document instead.
  Evaluator(const Json& root, bool merge_names) : root_(root), merge_names_(merge_names) {}

  void Run(const std::vector<Step>& steps, const Json& start) {
    steps_ = &steps;
    Walk(0, start, /*upstream_definite=*/true);
  }

  bool failed() const { return failed_; }
  const std::vector<const Json*>& matches() const { return matches_; }

 private:
  bool IsLeaf(std::size_t i) const { return i + 1 == steps_->size(); }

  void Walk(std::size_t i, const Json& node, bool upstream_definite) {
    if (failed_) return;
    if (i == steps_->size()) {
      matches_.push_back(&node);
      return;
    }
    const Step& step = (*steps_)[i];
    if (step.scan) {
      Scan(i, node);
    } else {
      Apply(i, node, upstream_definite);
    }
  }

  void Apply(std::size_t i, const Json& node, bool upstream_definite) {
    const Step& step = (*steps_)[i];
    bool definite = upstream_definite && step.definite();
    switch (step.kind) {
      case Step::Kind::kName: {
        if (!node.is_object()) return Strict(upstream_definite);
        auto it = node.find(step.name);
        if (it == node.end()) return;  // no match, never a failure (see the top of the file)
        return Walk(i + 1, *it, definite);
      }
      case Step::Kind::kNames:
        if (!node.is_object()) return Strict(upstream_definite);
        return ApplyNames(i, node);
      case Step::Kind::kIndex:
      case Step::Kind::kIndices:
      case Step::Kind::kSlice:
        if (!node.is_array()) return Strict(upstream_definite);
        return ApplyIndexes(i, node, definite);
      case Step::Kind::kWildcard:
        if (!node.is_structured()) return;  // nlohmann iterates a scalar as itself
        for (const Json& child : node) Walk(i + 1, child, false);
        return;
      case Step::Kind::kFilter:
        if (node.is_object()) {
          if (Test(*step.filter, node)) Walk(i + 1, node, false);
        } else if (node.is_array()) {
          for (const Json& child : node) {
            if (Test(*step.filter, child)) Walk(i + 1, child, false);
          }
        } else {
          Strict(upstream_definite);
        }
        return;
    }
  }

  void ApplyNames(std::size_t i, const Json& node) {
    const Step& step = (*steps_)[i];
    if (IsLeaf(i) && merge_names_) {
      Json merged = Json::object();
      for (const std::string& name : step.names) {
        auto it = node.find(name);
        if (it != node.end()) merged[name] = *it;
      }
      owned_.push_back(std::make_unique<Json>(std::move(merged)));
      matches_.push_back(owned_.back().get());
      return;
    }
    for (const std::string& name : step.names) {
      auto it = node.find(name);
      if (it != node.end()) Walk(i + 1, *it, false);
    }
  }

  void ApplyIndexes(std::size_t i, const Json& array, bool definite) {
    const Step& step = (*steps_)[i];
    auto size = static_cast<std::int64_t>(array.size());
    auto at = [&](std::int64_t index, bool keep_definite) {
      std::int64_t effective = index < 0 ? size + index : index;
      if (effective < 0 || effective >= size) return;
      Walk(i + 1, array[static_cast<std::size_t>(effective)], keep_definite);
    };
    if (step.kind == Step::Kind::kIndex) {
      at(step.index, definite);
    } else if (step.kind == Step::Kind::kIndices) {
      for (std::int64_t index : step.indices) at(index, false);
    } else {
      ForEachSliceIndex(step, size, [&](std::int64_t index) { at(index, false); });
    }
  }

  // "..": the step applies to every object and array at or below `node`, in document order
  // (each container before its descendants). An explicit stack keeps deep documents off the
  // call stack.
  void Scan(std::size_t i, const Json& node) {
    if (!node.is_structured()) return;
    std::vector<const Json*> stack{&node};
    std::vector<const Json*> children;
    while (!stack.empty() && !failed_) {
      const Json* current = stack.back();
      stack.pop_back();
      ApplyScanned(i, *current);
      children.clear();
      for (const Json& child : *current) {
        if (child.is_structured()) children.push_back(&child);
      }
      stack.insert(stack.end(), children.rbegin(), children.rend());
    }
  }

  void ApplyScanned(std::size_t i, const Json& node) {
    const Step& step = (*steps_)[i];
    switch (step.kind) {
      case Step::Kind::kName: {
        if (!node.is_object()) return;
        auto it = node.find(step.name);
        if (it != node.end()) Walk(i + 1, *it, false);
        return;
      }
      case Step::Kind::kNames:
        if (!node.is_object()) return;
        for (const std::string& name : step.names) {
          if (!node.contains(name)) return;
        }
        return ApplyNames(i, node);
      case Step::Kind::kIndex:
      case Step::Kind::kIndices:
      case Step::Kind::kSlice:
        if (node.is_array()) ApplyIndexes(i, node, false);
        return;
      case Step::Kind::kWildcard:
        for (const Json& child : node) Walk(i + 1, child, false);
        return;
      case Step::Kind::kFilter:
        // Jayway tests the container itself first: objects that pass are matches; an array
        // passes only in odd cases, and then its elements are filtered.
        if (!Test(*step.filter, node)) return;
        if (node.is_object()) return Walk(i + 1, node, false);
        for (const Json& child : node) {
          if (Test(*step.filter, child)) Walk(i + 1, child, false);
        }
        return;
    }
  }

  void Strict(bool upstream_definite) {
    if (upstream_definite) failed_ = true;
  }

  // ---- filters

  // An operand's value: absent (a path that found nothing), a node, or a collected array.
  struct Value {
    const Json* node = nullptr;
    Json collected;
    bool present() const { return node != nullptr; }
  };

  Value Evaluate(const Operand& operand, const Json& current) const {
    Value value;
    if (operand.kind == Operand::Kind::kLiteral) {
      value.node = &operand.literal;
      return value;
    }
    const PathProgram& path = *operand.path;
    const Json& start = path.relative ? current : root_;
    if (path.definite) {
      value.node = FindDefinite(path.steps, start);
      return value;
    }
    Evaluator inner(root_, /*merge_names=*/true);
    inner.Run(path.steps, start);
    if (inner.failed()) return value;
    value.collected = Json::array();
    for (const Json* match : inner.matches()) value.collected.push_back(*match);
    value.node = &value.collected;
    return value;
  }

  bool Test(const FilterExpr& expr, const Json& current) const {
    switch (expr.kind) {
      case FilterExpr::Kind::kOr:
        for (const auto& child : expr.children) {
          if (Test(*child, current)) return true;
        }
        return false;
      case FilterExpr::Kind::kAnd:
        for (const auto& child : expr.children) {
          if (!Test(*child, current)) return false;
        }
        return true;
      case FilterExpr::Kind::kNot:
        return !Test(*expr.children.front(), current);
      case FilterExpr::Kind::kConstant:
        return expr.constant;
      case FilterExpr::Kind::kExists: {
        Value v = Evaluate(expr.lhs, current);
        if (!v.present()) return false;
        return v.node != &v.collected || !v.collected.empty();
      }
      case FilterExpr::Kind::kCompare: {
        Value lhs = Evaluate(expr.lhs, current);
        Value rhs = Evaluate(expr.rhs, current);
        return Compare(expr.op, lhs, rhs);
      }
    }
    return false;
  }

  static bool StringAsNumber(const Json& s, double& out) {
    const auto& text = s.get_ref<const std::string&>();
    if (text.empty() || !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }

  // Jayway's ==: numbers by value (a numeric string equals its number), strings, booleans and
  // null by value, objects and arrays structurally.
  static bool LooseEqual(const Json& a, const Json& b) {
    if (a.is_number() && b.is_string()) return LooseEqual(b, a);
    if (a.is_string() && b.is_number()) {
      double n = 0;
      return StringAsNumber(a, n) && n == timeslip::json::AsDouble(b);
    }
    return timeslip::json::Equal(a, b);
  }

  static int CompareNumbers(const Json& a, const Json& b) {
    if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() &&
        !b.is_number_unsigned()) {
      auto x = a.get<std::int64_t>();
      auto y = b.get<std::int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    double x = timeslip::json::AsDouble(a);
    double y = timeslip::json::AsDouble(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }

  static bool Compare(FilterExpr::Op op, const Value& lhs, const Value& rhs) {
    using Op = FilterExpr::Op;
    switch (op) {
      case Op::kEq:
        return lhs.present() && rhs.present() && LooseEqual(*lhs.node, *rhs.node);
      case Op::kNe:
        return !(lhs.present() && rhs.present() && LooseEqual(*lhs.node, *rhs.node));
      case Op::kIn:
      case Op::kNin: {
        bool found = false;
        if (lhs.present() && rhs.present() && rhs.node->is_array()) {
          for (const Json& item : *rhs.node) {
            if (LooseEqual(*lhs.node, item)) {
              found = true;
              break;
            }
          }
        }
        return op == Op::kIn ? found : !found;
      }
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        if (!lhs.present() || !rhs.present()) return false;
        const Json& a = *lhs.node;
        const Json& b = *rhs.node;
        int order = 0;
        if (a.is_number() && b.is_number()) {
          order = CompareNumbers(a, b);
        } else if (a.is_string() && b.is_string()) {
          order = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
        } else {
          return false;
        }
        if (op == Op::kLt) return order < 0;
        if (op == Op::kLe) return order <= 0;
        if (op == Op::kGt) return order > 0;
        return order >= 0;
      }
    }
    return false;
  }

  const Json& root_;
  bool merge_names_;
  const std::vector<Step>* steps_ = nullptr;
  bool failed_ = false;
  std::vector<const Json*> matches_;
  // Merged objects from leaf unions of names, boxed so their addresses stay put.
  std::vector<std::unique_ptr<Json>> owned_;
};

json::Error NotFound(const PathProgram& program, const Json& doc) {
  return json::Error{std::string(kStatesRuntime),
                     fmt::format("The JSONPath '{}' could not be found in the input '{}'",
                                 program.text, Abbreviate(doc))};
}

}  // namespace

JsonPath::JsonPath(std::shared_ptr<const internal::PathProgram> program)
    : program_(std::move(program)) {}

json::Result<JsonPath> JsonPath::Compile(std::string_view text) {
  json::Result<std::shared_ptr<const PathProgram>> program = internal::CompilePath(text);
  if (!program.ok()) return program.error();
  return JsonPath(std::move(program).value());
}

json::Result<JsonPath> JsonPath::CompileReference(std::string_view text) {
  json::Result<JsonPath> path = Compile(text);
  if (!path.ok() || path.value().is_reference()) return path;
  return json::Error{std::string(internal::kInvalidJsonPath),
                     fmt::format("Invalid reference path '{}': a reference path may use only "
                                 "names ('.name', \"['name']\") and non-negative indices ('[0]'); "
                                 "not '..', '*', unions, slices, filters or negative indices",
                                 text.substr(0, 120))};
}

const std::string& JsonPath::text() const { return program_->text; }
bool JsonPath::reads_context() const { return program_->context; }
bool JsonPath::reads_variable() const { return !program_->variable.empty(); }
const std::string& JsonPath::variable() const { return program_->variable; }
bool JsonPath::is_definite() const { return program_->definite; }
bool JsonPath::is_reference() const { return program_->reference; }
std::string JsonPath::normalized_text() const { return internal::NormalizedText(*program_); }

json::Result<const Json*> JsonPath::Root(const EvalContext& ctx) const {
  if (program_->context) return &ctx.context();
  if (program_->variable.empty()) return &ctx.input;
  const Json* value =
      ctx.variables == nullptr ? nullptr : ctx.variables->Find(program_->variable);
  if (value == nullptr) return UndefinedVariable(program_->variable, program_->text);
  return value;
}

json::Result<Json> JsonPath::Select(const EvalContext& ctx) const {
  json::Result<const Json*> root = Root(ctx);
  if (!root.ok()) return root.error();
  return Select(*root.value());
}

json::Result<Json> JsonPath::Select(const Json& doc) const {
  const PathProgram& program = *program_;
  if (program.definite) {
    const Json* node = FindDefinite(program.steps, doc);
    if (node == nullptr) return NotFound(program, doc);
    return *node;
  }
  Evaluator evaluator(doc, /*merge_names=*/true);
  evaluator.Run(program.steps, doc);
  if (evaluator.failed()) return NotFound(program, doc);
  Json out = Json::array();
  out.get_ref<Json::array_t&>().reserve(evaluator.matches().size());
  for (const Json* match : evaluator.matches()) out.push_back(*match);
  return out;
}

// Jayway walks the path step by step: a name missing before the last step is a "missing
// property" (named with the path up to it); anything else is "no results" for the whole path.
std::string JsonPath::Explain(const Json& doc) const {
  const PathProgram& program = *program_;
  std::string prefix = internal::RootText(program);
  const Json* node = &doc;
  for (std::size_t i = 0; i < program.steps.size() && node != nullptr; ++i) {
    const Step& step = program.steps[i];
    if (!step.definite()) break;
    prefix += internal::StepText(step);
    const Json* next = FindDefinite({step}, *node);
    if (next == nullptr && step.kind == Step::Kind::kName && node->is_object() &&
        i + 1 < program.steps.size()) {
      return "Missing property in path " + prefix;
    }
    node = next;
  }
  return "No results for path: " + internal::NormalizedText(program);
}

const Json* JsonPath::Find(const Json& doc) const {
  const PathProgram& program = *program_;
  if (program.definite) return FindDefinite(program.steps, doc);
  Evaluator evaluator(doc, /*merge_names=*/false);
  evaluator.Run(program.steps, doc);
  if (evaluator.failed() || evaluator.matches().empty()) return nullptr;
  return evaluator.matches().front();
}

json::Result<const Json*> JsonPath::Find(const EvalContext& ctx) const {
  json::Result<const Json*> root = Root(ctx);
  if (!root.ok()) return root;
  return Find(*root.value());
}

json::Result<Json> SetAtReferencePath(Json doc, const JsonPath& path, Json value) {
  auto failure = [&](std::string_view why) {
    return json::Error{std::string(kResultPathMatchFailure),
                       fmt::format("Unable to apply ResultPath '{}' to input '{}': {}", path.text(),
                                   Abbreviate(doc), why)};
  };
  if (!path.is_reference() || path.reads_context() || path.reads_variable()) {
    return failure("ResultPath must be a reference path into the state input");
  }
  const std::vector<Step>& steps = path.program_->steps;
  if (steps.empty()) return value;

  // Check first, so that a failure reports the input as it was and nothing is half-written.
  const Json* node = &doc;
  for (std::size_t i = 0; i < steps.size() && node != nullptr; ++i) {
    const Step& step = steps[i];
    if (step.kind == Step::Kind::kName) {
      if (!node->is_object()) {
        return failure(
            fmt::format("'{}' is applied to a {}, not an object", step.name, node->type_name()));
      }
      auto it = node->find(step.name);
      node = it == node->end() ? nullptr : &*it;
    } else {
      if (!node->is_array()) {
        return failure(
            fmt::format("[{}] is applied to a {}, not an array", step.index, node->type_name()));
      }
      if (step.index >= static_cast<std::int64_t>(node->size())) {
        return failure(
            fmt::format("index {} is out of range for an array of {}", step.index, node->size()));
      }
      node = &(*node)[static_cast<std::size_t>(step.index)];
    }
    if (node == nullptr) {
      // Absent from here on: names can be created, indices cannot.
      for (std::size_t j = i + 1; j < steps.size(); ++j) {
        if (steps[j].kind != Step::Kind::kName) {
          return failure(fmt::format("cannot create an array for [{}]", steps[j].index));
        }
      }
    }
  }

  Json* target = &doc;
  for (const Step& step : steps) {
    if (step.kind == Step::Kind::kName) {
      target = &(*target)[step.name];  // creates a null member when absent
      if (target->is_null() && &step != &steps.back()) *target = Json::object();
    } else {
      target = &(*target)[static_cast<std::size_t>(step.index)];
    }
  }
  *target = std::move(value);
  return doc;
}

}  // namespace timeslip::query
