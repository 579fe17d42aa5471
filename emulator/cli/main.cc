// timeslip: a local emulator for AWS Step Functions and AWS Glue Workflows, on virtual time.
#include <CLI/CLI.hpp>

#include "emulator/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"timeslip: AWS Step Functions and Glue Workflows on virtual time"};
  app.require_subcommand(1);
  timeslip::cli::RunCommand run;
  timeslip::cli::AddValidateCommand(app, run);
  timeslip::cli::AddServeCommand(app, run);
  timeslip::cli::AddScenarioCommand(app, run);
  CLI11_PARSE(app, argc, argv);
  return run ? run() : 2;
}
