#pragma once
// Value: what a JSONata expression yields while it runs. Besides JSON it holds `undefined` (no
// value at all, which is not null), sequences (arrays with the reference's flags: a sequence of
// one item collapses to that item), and functions. Arrays, objects and strings read from the
// input stay inside the input document (a shared_ptr aliasing the document's root), so a path
// that only reads never copies it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace timeslip::query::jsonata {

using Json = nlohmann::ordered_json;

struct Array;
struct Object;
struct Function;

class Value {
 public:
  enum class Kind : std::uint8_t {
    kUndefined,
    kNull,
    kBool,
    kNumber,
    kString,
    kArray,
    kObject,
    kFunction,
    kThunk,  // a pending tail call; never escapes Apply()
  };

  Value() = default;
  static Value Null();
  static Value Bool(bool b);
  static Value Number(double n);
  static Value String(std::string s);
  static Value String(std::shared_ptr<const std::string> s);
  static Value Of(std::shared_ptr<Array> a);
  static Value Of(std::shared_ptr<Object> o);
  static Value Of(std::shared_ptr<const Function> f, Kind kind = Kind::kFunction);
  // A node of a document kept alive by `node` (typically aliasing the document's owner).
  static Value FromJson(std::shared_ptr<const Json> node);
  // `node` inside the document `owner` keeps alive; scalars are read out, the rest aliased.
  static Value FromJsonNode(const std::shared_ptr<const void>& owner, const Json* node);
  // Copies `json` into a new document owned by the value.
  static Value CopyOf(const Json& json);

  Kind kind() const { return kind_; }
  bool undefined() const { return kind_ == Kind::kUndefined; }
  bool defined() const { return kind_ != Kind::kUndefined; }
  bool IsNull() const { return kind_ == Kind::kNull; }
  bool IsBool() const { return kind_ == Kind::kBool; }
  bool IsNumber() const { return kind_ == Kind::kNumber; }
  bool IsString() const { return kind_ == Kind::kString; }
  bool IsArray() const { return kind_ == Kind::kArray; }
  bool IsObject() const { return kind_ == Kind::kObject; }
  bool IsFunction() const { return kind_ == Kind::kFunction; }
  bool IsThunk() const { return kind_ == Kind::kThunk; }

  bool boolean() const { return bool_; }
  double number() const { return number_; }
  const std::string& string() const { return *static_cast<const std::string*>(ptr_.get()); }
  const Function& function() const { return *static_cast<const Function*>(ptr_.get()); }
  std::shared_ptr<const Function> function_ptr() const {
    return std::static_pointer_cast<const Function>(ptr_);
  }

  // Arrays (either kind of storage).
  std::size_t size() const;
  Value at(std::size_t i) const;
  // The built array, or null when the array lives in a JSON document.
  Array* array() const {
    return json_ ? nullptr : static_cast<Array*>(const_cast<void*>(ptr_.get()));
  }
  bool sequence() const;
  bool keep_singleton() const;
  bool tuple_stream() const;
  bool outer_wrapper() const;
  bool cons() const;

  // Objects (either kind of storage).
  Value Get(std::string_view key) const;
  Object* object() const {
    return json_ ? nullptr : static_cast<Object*>(const_cast<void*>(ptr_.get()));
  }
  std::vector<std::string> Keys() const;
  std::size_t field_count() const;
  template <typename F>
  void ForEachField(F&& f) const;

  const Json* json() const { return json_ ? static_cast<const Json*>(ptr_.get()) : nullptr; }

  // A JSON copy; functions become "" (as JSON.stringify drops them) and undefined nothing.
  Json ToJson() const;

 private:
  Kind kind_ = Kind::kUndefined;
  bool json_ = false;  // ptr_ points into a JSON document
  bool bool_ = false;
  double number_ = 0;
  std::shared_ptr<const void> ptr_;
};

struct Array {
  std::vector<Value> items;
  bool sequence = false;        // made by the evaluator; collapses when it has one item
  bool keep_singleton = false;  // `[]` asked that a one-item sequence stay an array
  bool outer_wrapper = false;   // the top-level input array wrapped for the first step
  bool tuple_stream = false;    // items are tuples {"@": value, "$var": binding, ...}
  bool cons = false;            // built by an array constructor: not flattened by a path

  static std::shared_ptr<Array> Sequence() {
    auto a = std::make_shared<Array>();
    a->sequence = true;
    return a;
  }
};

struct Object {
  std::vector<std::pair<std::string, Value>> fields;

  const Value* Find(std::string_view key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  void Set(const std::string& key, Value v) {
    for (auto& [k, old] : fields) {
      if (k == key) {
        old = std::move(v);
        return;
      }
    }
    fields.emplace_back(key, std::move(v));
  }
  void Erase(std::string_view key) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it->first == key) {
        fields.erase(it);
        return;
      }
    }
  }
};

template <typename F>
void Value::ForEachField(F&& f) const {
  if (kind_ != Kind::kObject) return;
  if (json_) {
    const Json* node = json();
    for (auto it = node->begin(); it != node->end(); ++it) {
      f(it.key(), FromJsonNode(ptr_, &it.value()));
    }
    return;
  }
  for (const auto& [k, v] : object()->fields) f(k, v);
}

// Helpers shared by the evaluator and the library.
Value MakeSequence(std::vector<Value> items);
// The reference's flattening rule: arrays are appended item by item, others pushed.
void AppendFlat(Array& out, const Value& v);
// The reference's $append: `a` then `b`, flattened; either alone when the other is undefined.
Value AppendValues(const Value& a, const Value& b);
bool DeepEqual(const Value& a, const Value& b);
// JavaScript's truthiness as JSONata defines it ($boolean).
bool ToBoolean(const Value& v);

}  // namespace timeslip::query::jsonata
