#include "emulator/json/text.h"

namespace timeslip::json {

std::string Text(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace timeslip::json
