#include "emulator/json/parse.h"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace timeslip::json {
namespace {

using Json = nlohmann::ordered_json;

// Builds the document as nlohmann's own DOM parser does (a repeated key keeps its first position
// and takes its last value), but without its cost on wide objects: nlohmann's ordered_map finds a
// key by scanning every member before it, so an object of n members took n²/2 key comparisons to
// parse (a definition's "States", a Map's items). A large object here gets a hash index of its
// keys; order still comes only from the members' vector.
class DomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit DomBuilder(Json& root) : root_(root) {}

  bool null() { return Value(nullptr); }
  bool boolean(bool value) { return Value(value); }
  bool number_integer(number_integer_t value) { return Value(value); }
  bool number_unsigned(number_unsigned_t value) { return Value(value); }
  bool number_float(number_float_t value, const string_t&) { return Value(value); }
  // The lexer clears its buffer before it reads the next token, so the text can be taken.
  bool string(string_t& value) { return Value(std::move(value)); }
  bool binary(binary_t& value) { return Value(std::move(value)); }

  bool start_object(std::size_t) {
    open_.push_back({Place(Json::value_t::object), nullptr});
    return true;
  }
  bool key(string_t& name) {
    Open& object = open_.back();
    // The members as the vector they are, so that a position is an index.
    auto& members =
        static_cast<Json::object_t::Container&>(object.value->get_ref<Json::object_t&>());
    std::size_t at = members.size();
    if (object.index == nullptr && members.size() < kIndexFrom) {
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].first == name) {
          at = i;
          break;
        }
      }
    } else {
      if (object.index == nullptr) {
        object.index = std::make_unique<std::unordered_map<std::string, std::size_t>>();
        for (std::size_t i = 0; i < members.size(); ++i) {
          object.index->emplace(members[i].first, i);
        }
      }
      auto [it, inserted] = object.index->emplace(name, members.size());
      at = it->second;
    }
    if (at == members.size()) {
      members.emplace_back(std::move(name), nullptr);
    } else {
      members[at].second = nullptr;  // a repeated key: the later value replaces the earlier
    }
    member_ = &members[at].second;
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    open_.push_back({Place(Json::value_t::array), nullptr});
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  // As nlohmann's DOM parser with exceptions allowed: the error as it was raised.
  template <typename Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& error) {
    throw error;
  }

 private:
  // From this many members on, an object's keys are found through a hash index.
  static constexpr std::size_t kIndexFrom = 16;

  struct Open {
    Json* value;  // in its parent, which does not grow while this one is open
    std::unique_ptr<std::unordered_map<std::string, std::size_t>> index;  // key -> member
  };

  template <typename T>
  bool Value(T&& value) {
    Place(std::forward<T>(value));
    return true;
  }
  // Where the next value goes: the root, the end of the open array, or the member just keyed.
  template <typename T>
  Json* Place(T&& value) {
    if (open_.empty()) {
      root_ = Json(std::forward<T>(value));
      return &root_;
    }
    Json& parent = *open_.back().value;
    if (parent.is_array()) {
      parent.get_ref<Json::array_t&>().emplace_back(std::forward<T>(value));
      return &parent.get_ref<Json::array_t&>().back();
    }
    *member_ = Json(std::forward<T>(value));
    return member_;
  }

  Json& root_;
  std::vector<Open> open_;
  Json* member_ = nullptr;  // the member the last key() made or found
};

}  // namespace

int NestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        deepest = std::max(deepest, ++depth);
        break;
      case ']':
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

Result<nlohmann::ordered_json> Parse(std::string_view text, std::string_view error_name) {
  if (NestingDepth(text) > kMaxDepth) {
    return Error{std::string(error_name),
                 fmt::format("JSON nesting is deeper than {} levels", kMaxDepth)};
  }
  try {
    Json document;
    DomBuilder builder(document);
    Json::sax_parse(text, &builder);
    return document;
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 2:
    // ..."; people want the part after the bracketed id.
    std::string what = e.what();
    std::size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
    return Error{std::string(error_name), fmt::format("Malformed JSON: {}", what)};
  } catch (const nlohmann::ordered_json::exception& e) {
    // e.g. out_of_range for a number no double can hold (1e999).
    return Error{std::string(error_name), fmt::format("Malformed JSON: {}", e.what())};
  }
}

}  // namespace timeslip::json
