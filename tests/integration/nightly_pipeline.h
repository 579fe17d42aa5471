#pragma once
// NightlyPipeline: the nightly warehouse build of scenarios/nightly/ on a World (the Emulator with
// the real fakes), driven from C++: the state machine from nightly.asl.json, the behaviours from
// fakes/nightly.json (plus an optional override document merged over it per target), one
// execution started at 01:00 UTC, and the approver played by the test.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/engine/emulator.h"
#include "emulator/world/world.h"
#include "fakes/fake_backends.h"

namespace timeslip::integration {

// scenarios/nightly/ in the source tree.
std::string NightlyDir();
// The whole text of `path`; fails the test (and returns "") when it cannot be read.
std::string ReadText(const std::string& path);

class NightlyPipeline {
 public:
  static constexpr std::string_view kStart = "2024-01-01T01:00:00Z";

  // `overrides`: a behaviour document whose scripts replace the file's, target by target.
  explicit NightlyPipeline(std::uint64_t seed = 1, std::string_view overrides = "{}");
  NightlyPipeline(const NightlyPipeline&) = delete;
  NightlyPipeline& operator=(const NightlyPipeline&) = delete;

  // Starts the night of `date` at 01:00 UTC.
  engine::Execution& Start(std::string_view date = "2024-01-01");

  // Runs until the execution waits for an outside actor (or ends); true when ManualApproval is
  // waiting for its token.
  bool RunUntilApprovalWaits();
  // The token ManualApproval handed to send-approval-request, and when the Lambda returned.
  std::string ApprovalToken() const;
  time::Instant ApprovalSubmittedAt() const;
  // Advances the virtual clock by `by`, firing whatever comes due.
  void RunFor(time::Duration by);
  void RunToCompletion() { emulator_.RunToCompletion(); }

  // Seconds since 01:00 UTC.
  std::int64_t Offset(time::Instant at) const;

  Emulator& emulator() { return emulator_; }
  fakes::FakeBackends& fakes() { return fakes_; }
  const fakes::FakeBackends& fakes() const { return fakes_; }
  engine::Execution& execution() { return *execution_; }

 private:
  world::World world_;  // run on this thread, in virtual time: its host never starts
  Emulator& emulator_;
  fakes::FakeBackends& fakes_;
  engine::Execution* execution_ = nullptr;
};

// Every state entered, any depth, in order: "ExtractAndTransform ExtractOrders ...".
std::string EnteredStates(const engine::Execution& execution);

}  // namespace timeslip::integration
