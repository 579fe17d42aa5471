#pragma once
// DefaultIntegrations: what `timeslip serve` answers Task states with until the fakes are
// scripted. Lambda (arn:aws:states:::lambda:invoke, its .waitForTaskToken form, and plain
// arn:aws:lambda:... function ARNs) records the call and answers at once with an empty payload:
//   lambda:invoke:  {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {...},
//                    "SdkResponseMetadata": {"RequestId": ...}, "StatusCode": 200}
//   a function ARN: {} (the payload itself, as the legacy integration returns it).
// Any other resource has no integration: the engine fails the task (TaskStartFailed).

#include <cstdint>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/engine/integration.h"

namespace timeslip::api {

class DefaultLambda final : public engine::Integration {
 public:
  // `engine`: Not owned; must outlive this.
  explicit DefaultLambda(engine::Engine& engine) : engine_(engine) {}
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;

  // Every call received, in order. Engine thread only.
  const std::vector<engine::TaskRequest>& calls() const { return calls_; }

 private:
  engine::Engine& engine_;  // Not owned.
  std::vector<engine::TaskRequest> calls_;
  std::uint64_t invocations_ = 0;
};

// Owns the default integrations and registers them on an Emulator.
class DefaultIntegrations {
 public:
  // `emulator`: Not owned; must outlive this. Call before the engine runs.
  explicit DefaultIntegrations(engine::Emulator& emulator);
  DefaultLambda& lambda() { return lambda_; }

 private:
  DefaultLambda lambda_;
};

}  // namespace timeslip::api
