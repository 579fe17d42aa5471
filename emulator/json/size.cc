#include "emulator/json/size.h"

#include <string>

#include "emulator/json/text.h"

namespace timeslip::json {

std::size_t SerializedSize(const nlohmann::ordered_json& value) { return Text(value).size(); }

}  // namespace timeslip::json
