#pragma once
// The AWS Step Functions API (AWS JSON 1.0, X-Amz-Target "AWSStepFunctions.<Operation>") on a
// Router, every operation running on the EngineHost's thread and answering in the shapes of the
// service model (botocore's stepfunctions/2016-11-23): CreateStateMachine ... ListTagsForResource.
//
//   api::EngineHost host(emulator);
//   api::StepFunctionsOps ops(host);
//   api::Router router;
//   ops.Register(router);
//   host.Start();

#include <chrono>
#include <memory>

#include "emulator/api/engine_host.h"
#include "emulator/api/router.h"

namespace timeslip::api {

struct StepFunctionsOptions {
  // How long GetActivityTask waits for a task before answering without one. AWS: 60 s.
  std::chrono::milliseconds activity_poll_timeout{60'000};
};

class StepFunctionsOps {
 public:
  // `host`: Not owned; must outlive this and every Router it is registered on. Registers a
  // shutdown hook on the host that answers pending long polls (empty) and synchronous
  // executions (ServiceUnavailable).
  explicit StepFunctionsOps(EngineHost& host, StepFunctionsOptions options = {});
  ~StepFunctionsOps();
  StepFunctionsOps(const StepFunctionsOps&) = delete;
  StepFunctionsOps& operator=(const StepFunctionsOps&) = delete;

  // Adds every operation to `router`. Call before serving.
  void Register(Router& router);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace timeslip::api
