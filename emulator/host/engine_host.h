#pragma once
// EngineHost: runs an Emulator on one thread of its own, the engine's strand, and serves the
// operations of a Registry there. Callers on any thread Submit() commands; each runs as one turn
// of the engine thread, after which the host drives the engine's loop as the clock mode says:
//   virtual: Engine::RunUntilBlocked: the clock jumps to internal timers (a Wait, a back-off),
//            never past a deadline an outside actor (a token holder, an activity worker) may beat;
//   manual:  Engine::RunReady only: time moves only through Advance (the control API);
//   wall:    Engine::RunReady, and a steady_timer wakes the loop when the next timer is due.
// With a Journal attached, every turn that changed something is journaled (host/journal.h) and
// the replies it produced wait for the group commit that carries its effects.
//
//   engine::Emulator emulator(options);
//   host::EngineHost host(emulator);
//   services::stepfunctions::Register(host);      // or world::World, which does all of this
//   host.Start();
//   host.Submit({.service = "states", .operation = "ListStateMachines"}, reply);
//   host.Stop();

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "emulator/engine/emulator.h"
#include "emulator/host/command.h"
#include "emulator/host/registry.h"

namespace timeslip::host {

class Journal;

class EngineHost {
 public:
  using WallTimerId = std::uint64_t;

  // `emulator`: Not owned; must outlive this. After Start() only the host thread touches it.
  explicit EngineHost(engine::Emulator& emulator);
  ~EngineHost();  // Stop()s first.
  EngineHost(const EngineHost&) = delete;
  EngineHost& operator=(const EngineHost&) = delete;

  // The operations Submit() runs. Register before Start().
  Registry& registry() { return registry_; }
  const Registry& registry() const { return registry_; }

  // Makes every turn durable (host/journal.h): commands, timers firing, wall-clock wake-ups and
  // releases are journaled, and the replies they produce wait for the group commit that
  // follows. `journal`: Not owned; must outlive this. Before Start().
  void AttachJournal(Journal* journal);
  Journal* journal();

  // Starts the engine thread. REQUIRES: called at most once.
  void Start();

  // Runs `command` on the engine thread as one turn: the operation the registry has for it
  // (UnknownOperationException when none), then the loop. `reply` is called once, on the engine
  // thread, after the commit that carries the turn's effects when a journal is attached. Any
  // thread; before Start() the command waits for Start() or RunPending().
  void Submit(Command command, CommandReply reply);
  // Before Start(), on the thread that owns the emulator: Submit, run, and return the answer
  // (start-up loads such as `serve --fakes`; tests). A command that did not answer in its turn
  // (a long poll) answers InternalFailure.
  Outcome Call(Command command);

  // ---- Before Start(), on the one thread that then owns the emulator (recovery) ----
  // Runs the work posted so far, turns and commits, on the calling thread.
  void RunPending();
  // Replays one journaled turn: a timer by its id (false if no such timer is pending), a
  // wall-clock wake-up, a release of the waiting clients. While the journal replays, RunAfter
  // only records its timers, for FireTimer; EndReplay() arms those still pending.
  bool FireTimer(WallTimerId id);
  void Tick();
  void Release();
  void EndReplay();

  // Runs `work` on the engine thread, then drives the loop. Not journaled: for set-up and
  // for tests that read the engine. Any thread; work posted before Start() runs once it starts.
  // Work posted after Stop() is dropped (destroyed unrun).
  void Post(std::function<void()> work);

  // Engine thread only. Runs `fn` on the engine thread after `delay` of wall time (the long
  // poll's limit), then drives the loop; journaled as a timer. CancelAfter forgets a timer that
  // has not fired.
  WallTimerId RunAfter(std::chrono::milliseconds delay, std::function<void()> fn);
  void CancelAfter(WallTimerId id);

  // Registers `hook`, run on the engine thread when shutdown begins (and by Release()), to let go
  // of whatever still waits (long polls, synchronous executions). Any thread, before Stop().
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
  Registry registry_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timeslip::host
