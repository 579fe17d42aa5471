// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "emulator/services/stepfunctions/service_internal.h"

namespace timeslip::services::stepfunctions {
namespace {

OpResult SendTaskSuccess(State& s, const Json& in, const std::string&) {
  Field output = kInputField;
  output.name = "output";
  output.required = true;
  if (auto st = CheckFields(in, {kTaskToken, output}); !st.ok()) return st.error();
  if (auto st = s.emulator().SendTaskSuccess(GetString(in, "taskToken"), GetString(in, "output"));
      !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

OpResult SendTaskFailure(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kTaskToken, kErrorField, kCauseField}); !st.ok()) {
    return st.error();
  }
  if (auto st = s.emulator().SendTaskFailure(GetString(in, "taskToken"), GetString(in, "error"),
                                             GetString(in, "cause"));
      !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

OpResult SendTaskHeartbeat(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kTaskToken}); !st.ok()) return st.error();
  if (auto st = s.emulator().SendTaskHeartbeat(GetString(in, "taskToken")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

}  // namespace

void RegisterTaskTokenOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  AddSync(registry, state, "SendTaskSuccess", host::Access::kWrites, &SendTaskSuccess);
  AddSync(registry, state, "SendTaskFailure", host::Access::kWrites, &SendTaskFailure);
  AddSync(registry, state, "SendTaskHeartbeat", host::Access::kWrites, &SendTaskHeartbeat);
}

}  // namespace timeslip::services::stepfunctions
