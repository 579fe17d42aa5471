#include "emulator/asl/state_machine.h"

namespace timeslip::asl {

std::string_view StateTypeName(StateType type) {
  switch (type) {
    case StateType::kPass:
      return "Pass";
    case StateType::kTask:
      return "Task";
    case StateType::kChoice:
      return "Choice";
    case StateType::kWait:
      return "Wait";
    case StateType::kSucceed:
      return "Succeed";
    case StateType::kFail:
      return "Fail";
    case StateType::kParallel:
      return "Parallel";
    case StateType::kMap:
      return "Map";
  }
  return "Unknown";
}

StateIndex StateMachine::FindState(std::string_view name) const {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (states_[i].name == name) return static_cast<StateIndex>(i);
  }
  return kNoState;
}

}  // namespace timeslip::asl
