#include "emulator/asl/error_names.h"

#include <array>

namespace timeslip::asl {

bool IsPredefinedError(std::string_view name) {
  static constexpr std::array kAll = {kStatesAll,
                                      kStatesBranchFailed,
                                      kStatesDataLimitExceeded,
                                      kStatesExceedToleratedFailureThreshold,
                                      kStatesHeartbeatTimeout,
                                      kStatesIntrinsicFailure,
                                      kStatesItemReaderFailed,
                                      kStatesNoChoiceMatched,
                                      kStatesParameterPathFailure,
                                      kStatesPermissions,
                                      kStatesResultPathMatchFailure,
                                      kStatesResultWriterFailed,
                                      kStatesRuntime,
                                      kStatesTaskFailed,
                                      kStatesTimeout,
                                      kStatesQueryEvaluationError};
  for (std::string_view known : kAll) {
    if (known == name) return true;
  }
  return false;
}

}  // namespace timeslip::asl
