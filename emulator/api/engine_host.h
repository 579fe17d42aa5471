#pragma once
// EngineHost: runs an Emulator on one thread of its own, the engine's strand. I/O threads Post()
// work; after each piece of work the host drives the engine's loop as the clock mode says:
//   virtual: Engine::RunUntilBlocked: the clock jumps to internal timers (a Wait, a back-off),
//            never past a deadline an outside actor (a token holder, an activity worker) may beat;
//   manual:  Engine::RunReady only: time moves only through Advance (the control API);
//   wall:    Engine::RunReady, and a steady_timer wakes the loop when the next timer is due.
//
//   engine::Emulator emulator(options);
//   api::EngineHost host(emulator);
//   host.Start();
//   host.Post([&] { emulator.StartExecution(...); });
//   host.Stop();

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "emulator/engine/emulator.h"

namespace timeslip::api {

class EngineHost {
 public:
  // `emulator`: Not owned; must outlive this. After Start() only the host thread touches it.
  explicit EngineHost(engine::Emulator& emulator);
  ~EngineHost();  // Stop()s first.
  EngineHost(const EngineHost&) = delete;
  EngineHost& operator=(const EngineHost&) = delete;

  // Starts the engine thread. REQUIRES: called at most once.
  void Start();

  // Runs `work` on the engine thread, then drives the loop. Any thread; work posted before
  // Start() runs once it starts. Work posted after Stop() is dropped (destroyed unrun).
  void Post(std::function<void()> work);

  // Engine thread only. Runs `fn` on the engine thread after `delay` of wall time (the long
  // poll's limit), then drives the loop. CancelAfter forgets a timer that has not fired.
  using WallTimerId = std::uint64_t;
  WallTimerId RunAfter(std::chrono::milliseconds delay, std::function<void()> fn);
  void CancelAfter(WallTimerId id);

  // Registers `hook`, run once on the engine thread when shutdown begins, to answer whatever
  // still waits (long polls, synchronous executions). Any thread, before Stop().
  void AddShutdownHook(std::function<void()> hook);
  // Engine thread only: true once shutdown began; operations answer at once from then on.
  bool shutting_down() const;

  // Runs the shutdown hooks and refuses to wait any more; the thread keeps running Post()ed
  // work. Blocks until the hooks ran. Idempotent; any thread but the engine's.
  void BeginShutdown();
  // BeginShutdown(), then stops the thread once the work already posted has run; joins it.
  // Idempotent; any thread but the engine's.
  void Stop();

  engine::Emulator& emulator() { return emulator_; }

 private:
  class Impl;
  engine::Emulator& emulator_;  // Not owned; must outlive this.
  std::unique_ptr<Impl> impl_;
};

}  // namespace timeslip::api
