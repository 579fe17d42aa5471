#pragma once
// Rng: the one seeded generator. Every random choice the emulator makes (jitter, task tokens,
// UUIDs, States.MathRandom, sampled latencies) comes from here, so a seed fixes a history.

#include <array>
#include <cstdint>
#include <string>

namespace timeslip::time {

// xoshiro256** seeded through splitmix64. The mappings below are ours, not <random>'s, whose
// distributions differ between standard libraries.
class Rng {
 public:
  using State = std::array<std::uint64_t, 4>;

  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t NextU64();
  // Uniform in [0, 1), 53 bits of precision.
  double Uniform01();
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  std::int64_t UniformInt(std::int64_t lo, std::int64_t hi);
  // A random (version 4) UUID in its canonical lowercase 8-4-4-4-12 text form.
  std::string Uuid();
  // `n` lowercase hex digits.
  std::string Hex(int n);

  // For persistence: the full generator state, and resuming from it.
  const State& state() const { return s_; }
  void set_state(const State& s) { s_ = s; }

 private:
  State s_;
};

}  // namespace timeslip::time
