#include "emulator/time/clock.h"

namespace timeslip::time {

WallClock::WallClock(Instant start, double scale)
    : start_(start), origin_(std::chrono::steady_clock::now()), scale_(scale) {}

Instant WallClock::SystemNow() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

void WallClock::ResumeAt(Instant from) {
  pinned_.reset();
  start_ = from;
  origin_ = std::chrono::steady_clock::now();
}

Instant WallClock::Now() const {
  if (pinned_) return *pinned_;
  // Steady time since construction, scaled: immune to the system clock being stepped.
  auto elapsed = std::chrono::steady_clock::now() - origin_;
  auto scaled = std::chrono::duration<double, std::milli>(elapsed) * scale_;
  return start_ + std::chrono::duration_cast<Duration>(scaled);
}

}  // namespace timeslip::time
