#pragma once
// The `timeslip` subcommands. Each Add*Command registers its CLI11 subcommand and sets `run`
// to the function that executes it once parsing succeeds; that function returns the exit code.

#include <functional>

#include <CLI/CLI.hpp>

namespace timeslip::cli {

using RunCommand = std::function<int()>;

void AddValidateCommand(CLI::App& app, RunCommand& run);
void AddServeCommand(CLI::App& app, RunCommand& run);
void AddScenarioCommand(CLI::App& app, RunCommand& run);

}  // namespace timeslip::cli
