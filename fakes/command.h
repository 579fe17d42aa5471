#pragma once
// RunCommand: runs a local program synchronously, feeding `input` on stdin and collecting its
// stdout and stderr (each bounded), for Lambda behaviours that run real logic.

#include <cstddef>
#include <string>
#include <vector>

#include "emulator/json/result.h"

namespace timeslip::fakes {

struct CommandOutput {
  int exit_code = 0;  // the exit status, or 128 + signal number
  std::string out;    // stdout, at most max_output bytes
  std::string err;    // stderr, at most max_output bytes
  bool out_truncated = false;
};

// Errors (the command never ran): Error{"Lambda.Unknown", why} when argv is empty, the program
// is not found or cannot be started, or `cwd` does not exist. Blocks until the program exits;
// never throws. Does not search PATH when argv[0] contains a slash.
json::Result<CommandOutput> RunCommand(const std::vector<std::string>& argv, const std::string& cwd,
                                       const std::string& input, std::size_t max_output);

}  // namespace timeslip::fakes
