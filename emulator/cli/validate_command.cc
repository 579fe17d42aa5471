// STUB: replaced by the ASL validator's command.
#include "emulator/cli/commands.h"

namespace timeslip::cli {

void AddValidateCommand(CLI::App& app, RunCommand& run) {
  auto* cmd = app.add_subcommand("validate", "Validate state machine definitions (ASL)");
  cmd->callback([&run] { run = [] { return 1; }; });
}

}  // namespace timeslip::cli
