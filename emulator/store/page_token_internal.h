#pragma once
// The ListExecutions cursor both stores give, so they page alike: the last row's start (ms) and
// start order, "START.SEQ".

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

namespace timeslip::store::internal {

inline std::string ExecutionToken(std::int64_t start_ms, std::int64_t seq) {
  return fmt::format("{}.{}", start_ms, seq);
}

// Only what ExecutionToken writes: two decimal integers around one dot.
inline bool ParseExecutionToken(const std::string& token, std::int64_t& start_ms,
                                std::int64_t& seq) {
  const char* begin = token.data();
  const char* end = begin + token.size();
  auto [dot, ec] = std::from_chars(begin, end, start_ms);
  if (ec != std::errc() || dot == begin || dot == end || *dot != '.' || dot + 1 == end ||
      dot[1] == '-') {
    return false;
  }
  auto [last, ec2] = std::from_chars(dot + 1, end, seq);
  return ec2 == std::errc() && last == end;
}

}  // namespace timeslip::store::internal
