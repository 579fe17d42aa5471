// `timeslip validate FILE...`: parses each file as an ASL definition and prints what AWS would
// say about it, one line per diagnostic, or "<file>: OK". Exit code 1 when any file has an error
// or cannot be read.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/asl/parse_definition.h"
#include "emulator/cli/commands.h"

namespace timeslip::cli {
namespace {

// Returns true when the file is valid (warnings allowed).
bool ValidateFile(const std::string& path, std::ostream& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out << fmt::format("{}: ERROR cannot read file\n", path);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    out << fmt::format("{}: ERROR cannot read file\n", path);
    return false;
  }
  asl::ParseResult result = asl::ParseDefinition(text.str());
  if (result.diagnostics.empty()) {
    out << fmt::format("{}: OK\n", path);
    return true;
  }
  for (const asl::Diagnostic& d : result.diagnostics) {
    std::string where = d.location.empty() ? "" : fmt::format(" at {}", d.location);
    out << fmt::format("{}: {} {}{}: {}\n", path, asl::SeverityName(d.severity), d.code, where,
                       d.message);
  }
  return !asl::HasErrors(result.diagnostics);
}

}  // namespace

void AddValidateCommand(CLI::App& app, RunCommand& run) {
  auto* cmd = app.add_subcommand("validate", "Validate state machine definitions (ASL)");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "ASL definition files (JSON)")->required();
  cmd->callback([&run, files] {
    run = [files] {
      bool all_valid = true;
      for (const std::string& file : *files) all_valid = ValidateFile(file, std::cout) && all_valid;
      return all_valid ? 0 : 1;
    };
  });
}

}  // namespace timeslip::cli
