// `timeslip serve`: the AWS Step Functions endpoint (with the SNS API, the fake backends and the
// /_timeslip/ control API) on one port, running one Emulator on the engine's thread (an
// api::Endpoint). --fakes FILE loads the fakes' behaviours first; a bad file exits 2. Prints
// "listening on http://HOST:PORT" as its first line on stdout; SIGINT or SIGTERM stop it gracefully
// (exit 0).
#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "emulator/api/endpoint.h"
#include "emulator/cli/commands.h"
#include "emulator/engine/emulator.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::cli {
namespace {

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8083;
  std::string db = "./timeslip.db";
  std::string clock = "virtual";
  double time_scale = 1.0;
  std::string start_time;  // empty: the wall-clock second at start-up
  std::uint64_t seed = 0;
  std::string fakes;
  std::string mock_config;
};

// Reads a behaviour document (fakes/behaviour.h) into `fakes`; an Error saying why not.
json::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return json::Error{"ValidationException", "cannot read the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return json::Error{"ValidationException", "cannot read the file"};
  return text.str();
}

json::Status LoadFakes(fakes::FakeBackends& fakes, const std::string& path) {
  json::Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  return fakes.LoadJson(text.value());
}

// Step Functions Local's MockConfigFile.json (emulator/engine/mock_config.h).
json::Status LoadMockConfig(engine::Emulator& emulator, const std::string& path) {
  json::Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  json::Result<engine::MockConfig> config = engine::MockConfig::Parse(text.value());
  if (!config.ok()) return config.error();
  emulator.SetMockConfig(std::move(config).value());
  return json::Ok();
}

int Serve(const ServeFlags& flags) {
  engine::EmulatorOptions options;
  options.clock = flags.clock == "manual" ? engine::ClockMode::kManual
                  : flags.clock == "wall" ? engine::ClockMode::kWall
                                          : engine::ClockMode::kVirtual;
  options.time_scale = flags.time_scale;
  options.seed = flags.seed;
  if (flags.start_time.empty()) {
    options.start_time = std::chrono::floor<std::chrono::seconds>(time::WallClock::SystemNow());
  } else {
    std::optional<time::Instant> start = time::ParseRfc3339(flags.start_time);
    if (!start) {
      std::cerr << fmt::format(
          "timeslip serve: --start-time '{}' is not an ISO-8601 (RFC 3339) timestamp, e.g. "
          "2024-01-01T00:00:00Z\n",
          flags.start_time);
      return 2;
    }
    options.start_time = *start;
  }
  std::cerr << fmt::format(
      "timeslip serve: state is kept in memory for now (--db {} is not used yet)\n", flags.db);

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // sigwait below is the one place that receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  engine::Emulator emulator(options);
  if (!flags.mock_config.empty()) {
    json::Status loaded = LoadMockConfig(emulator, flags.mock_config);
    if (!loaded.ok()) {
      std::cerr << fmt::format("timeslip serve: --mock-config {}: {}\n", flags.mock_config,
                               loaded.error().message);
      return 2;
    }
  }
  api::EndpointOptions endpoint_options;
  endpoint_options.server.host = flags.host;
  endpoint_options.server.port = static_cast<std::uint16_t>(flags.port);
  api::Endpoint endpoint(emulator, endpoint_options);
  if (!flags.fakes.empty()) {
    json::Status loaded = LoadFakes(endpoint.fakes(), flags.fakes);
    if (!loaded.ok()) {
      std::cerr << fmt::format("timeslip serve: --fakes {}: {}\n", flags.fakes,
                               loaded.error().message);
      return 2;
    }
  }
  json::Result<std::uint16_t> port = endpoint.Start();
  if (!port.ok()) {
    std::cerr << fmt::format("timeslip serve: {}\n", port.error().message);
    return 1;
  }
  std::cout << "listening on " << endpoint.url() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << fmt::format("timeslip serve: {}, shutting down\n",
                           signal == SIGINT ? "SIGINT" : "SIGTERM");
  endpoint.Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, RunCommand& run) {
  auto flags = std::make_shared<ServeFlags>();
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve the AWS Step Functions API, the SNS API, the fakes and the /_timeslip/ control API\n"
      "on one port.\n"
      "State is kept in memory for now: --db is accepted, persistence comes later.");
  cmd->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", flags->port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--db", flags->db,
                  "SQLite file or :memory: (accepted; state is kept in memory for now)")
      ->capture_default_str();
  cmd->add_option("--clock", flags->clock, "virtual, manual or wall")
      ->check(CLI::IsMember({"virtual", "manual", "wall"}))
      ->capture_default_str();
  cmd->add_option("--time-scale", flags->time_scale, "Wall mode: virtual seconds per wall second")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--start-time", flags->start_time,
                  "Where virtual and manual clocks start (default: now, to the second)");
  cmd->add_option("--seed", flags->seed, "Seed of the generator (tokens, UUIDs)")
      ->capture_default_str();
  cmd->add_option("--mock-config", flags->mock_config,
                  "Step Functions Local mock configuration (MockConfigFile.json); start "
                  "executions on STATE_MACHINE_ARN#TestCase to use a test case");
  cmd->add_option("--fakes", flags->fakes,
                  "Behaviours of the fakes (JSON, as POST /_timeslip/fakes takes)");
  cmd->callback([&run, flags] { run = [flags] { return Serve(*flags); }; });
}

}  // namespace timeslip::cli
