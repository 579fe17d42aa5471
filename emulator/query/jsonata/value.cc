#include "emulator/query/jsonata/value.h"

#include <cmath>

namespace timeslip::query::jsonata {

Value Value::Null() {
  Value v;
  v.kind_ = Kind::kNull;
  return v;
}

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Number(double n) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.number_ = n;
  return v;
}

Value Value::String(std::string s) {
  return String(std::make_shared<const std::string>(std::move(s)));
}

Value Value::String(std::shared_ptr<const std::string> s) {
  Value v;
  v.kind_ = Kind::kString;
  v.ptr_ = std::move(s);
  return v;
}

Value Value::Of(std::shared_ptr<Array> a) {
  Value v;
  v.kind_ = Kind::kArray;
  v.ptr_ = std::move(a);
  return v;
}

Value Value::Of(std::shared_ptr<Object> o) {
  Value v;
  v.kind_ = Kind::kObject;
  v.ptr_ = std::move(o);
  return v;
}

Value Value::Of(std::shared_ptr<const Function> f, Kind kind) {
  Value v;
  v.kind_ = kind;
  v.ptr_ = std::move(f);
  return v;
}

// A whole document is its own owner: the same as a node of it.
Value Value::FromJson(std::shared_ptr<const Json> node) {
  const Json* root = node.get();
  return FromJsonNode(node, root);
}

Value Value::FromJsonNode(const std::shared_ptr<const void>& owner, const Json* node) {
  Value v;
  switch (node->type()) {
    case Json::value_t::null:
      v.kind_ = Kind::kNull;
      return v;
    case Json::value_t::boolean:
      v.kind_ = Kind::kBool;
      v.bool_ = node->get<bool>();
      return v;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      v.kind_ = Kind::kNumber;
      v.number_ = node->get<double>();
      return v;
    case Json::value_t::string:
      v.kind_ = Kind::kString;
      v.ptr_ = std::shared_ptr<const void>(owner, node->get_ptr<const std::string*>());
      return v;
    case Json::value_t::array:
    case Json::value_t::object:
      v.kind_ = node->is_array() ? Kind::kArray : Kind::kObject;
      v.json_ = true;
      v.ptr_ = std::shared_ptr<const void>(owner, node);
      return v;
    default:
      return v;
  }
}

Value Value::CopyOf(const Json& json) { return FromJson(std::make_shared<const Json>(json)); }

std::size_t Value::size() const {
  if (kind_ != Kind::kArray) return 0;
  if (json_) return json()->size();
  return array()->items.size();
}

Value Value::at(std::size_t i) const {
  if (json_) {
    return FromJsonNode(ptr_, &(*json())[i]);
  }
  return array()->items[i];
}

bool Value::sequence() const { return kind_ == Kind::kArray && !json_ && array()->sequence; }
bool Value::keep_singleton() const {
  return kind_ == Kind::kArray && !json_ && array()->keep_singleton;
}
bool Value::tuple_stream() const {
  return kind_ == Kind::kArray && !json_ && array()->tuple_stream;
}
bool Value::outer_wrapper() const {
  return kind_ == Kind::kArray && !json_ && array()->outer_wrapper;
}
bool Value::cons() const { return kind_ == Kind::kArray && !json_ && array()->cons; }

Value Value::Get(std::string_view key) const {
  if (kind_ != Kind::kObject) return {};
  if (json_) {
    const Json* node = json();
    auto it = node->find(key);
    if (it == node->end()) return {};
    return FromJsonNode(ptr_, &*it);
  }
  const Value* v = object()->Find(key);
  return v ? *v : Value();
}

std::vector<std::string> Value::Keys() const {
  std::vector<std::string> keys;
  ForEachField([&](const std::string& k, const Value&) { keys.push_back(k); });
  return keys;
}

std::size_t Value::field_count() const {
  if (kind_ != Kind::kObject) return 0;
  return json_ ? json()->size() : object()->fields.size();
}

namespace {

Json NumberToJson(double n) {
  if (std::nearbyint(n) == n && std::fabs(n) < 9007199254740992.0) {
    return Json(static_cast<std::int64_t>(n));
  }
  return Json(n);
}

}  // namespace

Json Value::ToJson() const {
  switch (kind_) {
    case Kind::kUndefined:
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return bool_;
    case Kind::kNumber:
      return NumberToJson(number_);
    case Kind::kString:
      return string();
    case Kind::kFunction:
    case Kind::kThunk:
      return "";
    case Kind::kArray: {
      if (json_) return *json();
      Json out = Json::array();
      for (const Value& item : array()->items) {
        if (item.defined()) out.push_back(item.ToJson());
      }
      return out;
    }
    case Kind::kObject: {
      if (json_) return *json();
      Json out = Json::object();
      for (const auto& [k, v] : object()->fields) {
        if (v.defined()) out[k] = v.ToJson();
      }
      return out;
    }
  }
  return nullptr;
}

Value MakeSequence(std::vector<Value> items) {
  auto a = Array::Sequence();
  a->items = std::move(items);
  return Value::Of(std::move(a));
}

Value AppendValues(const Value& a, const Value& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  auto out = std::make_shared<Array>();
  AppendFlat(*out, a);
  AppendFlat(*out, b);
  return Value::Of(std::move(out));
}

void AppendFlat(Array& out, const Value& v) {
  if (v.undefined()) return;
  if (!v.IsArray()) {
    out.items.push_back(v);
    return;
  }
  std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) out.items.push_back(v.at(i));
}

bool DeepEqual(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.boolean() == b.boolean();
    case Value::Kind::kNumber:
      return a.number() == b.number();
    case Value::Kind::kString:
      return a.string() == b.string();
    case Value::Kind::kArray: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!DeepEqual(a.at(i), b.at(i))) return false;
      }
      return true;
    }
    case Value::Kind::kObject: {
      if (a.field_count() != b.field_count()) return false;
      bool equal = true;
      a.ForEachField([&](const std::string& k, const Value& v) {
        if (equal && !DeepEqual(v, b.Get(k))) equal = false;
      });
      return equal;
    }
    case Value::Kind::kFunction:
    case Value::Kind::kThunk:
      return &a.function() == &b.function();
  }
  return false;
}

bool ToBoolean(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      return false;
    case Value::Kind::kBool:
      return v.boolean();
    case Value::Kind::kNumber:
      return v.number() != 0 && !std::isnan(v.number());
    case Value::Kind::kString:
      return !v.string().empty();
    case Value::Kind::kArray: {
      // An array is true when any member is (so [false, 0] is false).
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (ToBoolean(v.at(i))) return true;
      }
      return false;
    }
    case Value::Kind::kObject:
      return v.field_count() > 0;
    case Value::Kind::kFunction:
    case Value::Kind::kThunk:
      return false;
  }
  return false;
}

}  // namespace timeslip::query::jsonata
