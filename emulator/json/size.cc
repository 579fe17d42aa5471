#include "emulator/json/size.h"

#include <string>

namespace timeslip::json {

std::size_t SerializedSize(const nlohmann::json& value) {
  // Replace invalid UTF-8 rather than throw: a size must always be answerable.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
}

}  // namespace timeslip::json
