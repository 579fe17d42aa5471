#pragma once
// Instant and the Clock interface. Only WallClock reads the system clock.

#include <chrono>
#include <optional>

namespace timeslip::time {

// Milliseconds since the epoch: AWS timestamps carry ms; integers never drift.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

class Clock {  // where "now" comes from
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// Moves only when told to: by the engine when nothing can run, or by the control API.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(Instant start) : now_(start) {}
  Instant Now() const override { return now_; }
  // REQUIRES: to >= Now(). Time never runs backwards; an earlier `to` is ignored.
  void AdvanceTo(Instant to) {
    if (to > now_) now_ = to;
  }

 private:
  Instant now_;
};

// Real time, optionally scaled: with scale 60 one wall second is one virtual minute. Virtual time
// starts at `start` and runs from the moment of construction.
class WallClock final : public Clock {
 public:
  explicit WallClock(Instant start, double scale = 1.0);
  // The system clock's current instant, for the one place that needs a default start time.
  static Instant SystemNow();
  Instant Now() const override;
  double scale() const { return scale_; }

  // Recovery: while pinned, Now() is `at` (a journal entry's instant being replayed).
  void Pin(Instant at) { pinned_ = at; }
  // Unpins, and runs on from `from`, as if constructed now with start `from`.
  void ResumeAt(Instant from);

 private:
  std::optional<Instant> pinned_;
  Instant start_;
  std::chrono::steady_clock::time_point origin_;
  double scale_;
};

}  // namespace timeslip::time
