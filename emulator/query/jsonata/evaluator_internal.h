#pragma once
// Evaluator: walks the immutable tree for one evaluation. It owns what one evaluation needs:
// the root input ($$), the depth and step counters, and the host's Environment.

#include <cstddef>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/query/jsonata/ast_internal.h"
#include "emulator/query/jsonata/jsonata.h"
#include "emulator/query/jsonata/value.h"

namespace timeslip::query::jsonata {

class Evaluator;

struct Frame;

// Every frame one evaluation made. A lambda bound in a frame closes over that frame, a cycle
// that shared_ptr never frees; nothing of an evaluation outlives it (its result is JSON), so
// at its end every frame it made is emptied, which breaks the cycles.
class FrameSweeper {
 public:
  FrameSweeper() = default;
  FrameSweeper(const FrameSweeper&) = delete;
  FrameSweeper& operator=(const FrameSweeper&) = delete;
  ~FrameSweeper();
  void Add(const std::shared_ptr<Frame>& frame) { frames_.push_back(frame); }

 private:
  std::vector<std::weak_ptr<Frame>> frames_;
};

// Variables in scope: a block, a lambda call, a tuple's bindings.
struct Frame {
  std::shared_ptr<Frame> parent;
  std::vector<std::pair<std::string, Value>> vars;
  FrameSweeper* sweeper = nullptr;  // the evaluation's; children inherit it

  const Value* Find(std::string_view name) const {
    for (const Frame* f = this; f != nullptr; f = f->parent.get()) {
      for (auto it = f->vars.rbegin(); it != f->vars.rend(); ++it) {
        if (it->first == name) return &it->second;
      }
    }
    return nullptr;
  }
  void Bind(const std::string& name, Value v) {
    for (auto& [k, old] : vars) {
      if (k == name) {
        old = std::move(v);
        return;
      }
    }
    vars.emplace_back(name, std::move(v));
  }
};
using FramePtr = std::shared_ptr<Frame>;

// Not make_shared: the sweeper's weak_ptr would keep a dead frame's memory until the end.
inline FramePtr ChildFrame(const FramePtr& parent) {
  FramePtr f(new Frame);
  f->parent = parent;
  if (parent && parent->sweeper != nullptr) {
    f->sweeper = parent->sweeper;
    f->sweeper->Add(f);
  }
  return f;
}

inline FrameSweeper::~FrameSweeper() {
  for (const std::weak_ptr<Frame>& weak : frames_) {
    if (FramePtr frame = weak.lock()) {
      frame->sweeper = nullptr;
      frame->parent.reset();
      frame->vars.clear();
    }
  }
}

// A library function: arguments already checked against its signature.
using NativeImpl = Value (*)(Evaluator& ev, std::vector<Value>& args, const Value& input);

struct Function {
  enum class Kind { kLambda, kNative, kHost, kPartial, kRegex, kTransform, kCompose, kThunk };
  Kind kind = Kind::kNative;
  std::string name;                  // a native's name, for messages
  std::shared_ptr<const Node> node;  // lambda or transform
  FramePtr closure;
  Value input;  // the context where a lambda was defined
  NativeImpl native = nullptr;
  NativeFunction host;  // a host function (Bindings::SetFunction)
  std::shared_ptr<const Signature> signature;
  std::shared_ptr<const Function> target, second;  // partial, compose, thunk
  std::vector<Value> bound;                        // partial: args; thunk: args
  std::vector<bool> placeholder;                   // partial: which args are `?`
  std::shared_ptr<const std::regex> regex;
  std::size_t position = 0;

  // How many arguments the function wants (callbacks get at most this many).
  std::size_t Arity() const;
};

// The standard library: a builtin function value by name, or null.
const Value* LookupBuiltin(std::string_view name);

class Evaluator {
 public:
  Evaluator(Environment& env, Value root) : env_(env), root_(std::move(root)) {}

  Value Eval(const Node& n, const Value& input, const FramePtr& frame);
  // Calls `fn` and runs any tail calls it returns.
  Value Apply(const Value& fn, std::vector<Value> args, const Value& input, std::size_t position);

  Environment& env() { return env_; }
  // The frame holding the caller's bindings ($eval evaluates there).
  void set_global(FramePtr frame) { global_ = std::move(frame); }
  const FramePtr& global() const { return global_; }
  // The frame of the call being made, for library functions that evaluate in it ($eval).
  const FramePtr& call_frame() const { return call_frame_ ? *call_frame_ : global_; }
  const Value& root() const { return root_; }
  std::int64_t now_millis() const { return env_.now.time_since_epoch().count(); }

  // Made public for the library ($sort, $each and friends).
  Value CallbackWith(const Value& fn, const std::vector<Value>& candidates, const Value& input);

 private:
  Value EvalNode(const Node& n, const Value& input, const FramePtr& frame);
  Value EvalPath(const Node& n, const Value& input, const FramePtr& frame);
  Value EvalStep(const Node& step, const Value& inputs, const FramePtr& frame, bool last);
  Value EvalTupleStep(const Node& step, const Value& inputs, const Value* tuples,
                      const FramePtr& frame);
  Value EvalStages(const std::vector<Stage>& stages, Value input, const FramePtr& frame);
  Value EvalFilter(const Node& predicate, const Value& input, const FramePtr& frame);
  Value EvalSort(const Node& sort, const Value& input, const FramePtr& frame);
  Value EvalGroup(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, const Value& input,
                  const FramePtr& frame);
  Value EvalBinary(const Node& n, const Value& input, const FramePtr& frame);
  Value EvalCall(const Node& n, const Value& input, const FramePtr& frame, const Value* first);
  Value EvalPartial(const Node& n, const Value& input, const FramePtr& frame);
  Value EvalApply(const Node& n, const Value& input, const FramePtr& frame);
  Value EvalTransform(const Node& n, const Value& input, const FramePtr& frame);
  Value ApplyOnce(const Function& fn, std::vector<Value> args, const Value& input,
                  std::size_t position);
  Value RunTransform(const Function& fn, const Value& target);

  Environment& env_;
  Value root_;
  FramePtr global_;
  const FramePtr* call_frame_ = nullptr;  // Not owned; set only during a call
  int depth_ = 0;
  std::uint64_t steps_ = 0;
};

// Shared by the library and the evaluator.
FramePtr FrameFromTuple(const FramePtr& parent, const Value& tuple);
std::string TypeName(const Value& v);  // $type
// $string's rendering of a number (JavaScript's, after 15 significant digits).
std::string NumberText(double n);
// JSON.stringify as $string does it: functions become "", numbers as NumberText.
std::string Stringify(const Value& v, bool pretty);
// Deep copy into built arrays and objects (transform mutates its copy).
Value DeepCopy(const Value& v);
// Builtin function values.
Value MakeNative(const char* name, const char* signature, NativeImpl impl);

}  // namespace timeslip::query::jsonata
