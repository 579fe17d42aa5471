#include <exception>
#include <nlohmann/json.hpp>

#include "emulator/asl/states_key_order_internal.h"

namespace timeslip::asl::internal {
namespace {

using Json = nlohmann::ordered_json;

// A SAX pass that tracks the location of every container and records the keys of "States"
// objects as they stream by.
class Recorder final : public nlohmann::json_sax<Json> {
 public:
  explicit Recorder(StatesKeyOrder* out) : out_(out) {}

  bool null() override { return Scalar(); }
  bool boolean(bool) override { return Scalar(); }
  bool number_integer(number_integer_t) override { return Scalar(); }
  bool number_unsigned(number_unsigned_t) override { return Scalar(); }
  bool number_float(number_float_t, const string_t&) override { return Scalar(); }
  bool string(string_t&) override { return Scalar(); }
  bool binary(binary_t&) override { return Scalar(); }

  bool start_object(std::size_t) override { return Open(/*is_object=*/true); }
  bool key(string_t& name) override {
    Frame& top = frames_.back();
    top.key = name;
    if (top.is_states) (*out_)[top.pointer].push_back(name);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(/*is_object=*/false); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Frame {
    bool is_object = false;
    bool is_states = false;
    std::string pointer;
    std::string key;        // objects: the key whose value comes next
    std::size_t index = 0;  // arrays: the index of the value that comes next
  };

  bool Scalar() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
    return true;
  }
  bool Open(bool is_object) {
    Frame frame;
    frame.is_object = is_object;
    if (!frames_.empty()) {
      Frame& parent = frames_.back();
      if (parent.is_object) {
        frame.pointer = parent.pointer + "/" + parent.key;
        frame.is_states = is_object && parent.key == "States";
      } else {
        frame.pointer = parent.pointer + "/" + std::to_string(parent.index++);
      }
    }
    frames_.push_back(std::move(frame));
    return true;
  }
  bool Close() {
    if (!frames_.empty()) frames_.pop_back();
    return true;
  }

  StatesKeyOrder* out_;  // Not owned.
  std::vector<Frame> frames_;
};

}  // namespace

StatesKeyOrder RecordStatesKeyOrder(std::string_view json_text) {
  StatesKeyOrder order;
  Recorder recorder(&order);
  try {
    Json::sax_parse(json_text.begin(), json_text.end(), &recorder);
  } catch (const std::exception&) {
    // The text parsed once already; whatever was recorded stays usable.
  }
  return order;
}

}  // namespace timeslip::asl::internal
