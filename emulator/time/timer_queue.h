#pragma once
// TimerQueue: callbacks due at instants, fired in (due, seq) order. Timers due together fire in
// the order they were scheduled, every run, because seq only ever goes up.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "emulator/time/clock.h"

namespace timeslip::time {

// Who a timer waits for. The virtual-time loop jumps freely to internal timers (a Wait state,
// a retry back-off, a fake's latency); a deadline for an outside actor (a task token's timeout,
// an activity worker's heartbeat) is one a client may beat, so a server never jumps past it.
enum class TimerKind { kInternal, kExternal };

class TimerQueue {
 public:
  using TimerId = std::uint64_t;
  static constexpr TimerId kNoTimer = 0;

  TimerId Schedule(Instant due, std::function<void()> fn, TimerKind kind = TimerKind::kInternal);
  // False when the timer already fired or was cancelled.
  bool Cancel(TimerId id);

  // The earliest pending timer, if any.
  std::optional<Instant> NextDue() const;
  // The earliest pending deadline of each kind, if any.
  std::optional<Instant> NextDue(TimerKind kind) const;

  // Removes and returns the earliest timer due at or before `now`, or nullptr.
  std::function<void()> PopDue(Instant now);

  std::size_t size() const { return timers_.size(); }
  bool empty() const { return timers_.empty(); }

 private:
  struct Timer {
    std::function<void()> fn;
    TimerKind kind;
  };
  using Key = std::pair<Instant, TimerId>;
  std::map<Key, Timer> timers_;
  std::unordered_map<TimerId, Instant> due_by_id_;
  std::map<Key, bool> external_;  // the external timers' keys, for NextDue(kExternal)
  TimerId next_id_ = 1;
};

}  // namespace timeslip::time
