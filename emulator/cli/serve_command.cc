// `timeslip serve`: a world (world/world.h) served on one port (api::Endpoint): the Step
// Functions API, SNS, Lambda, the Scheduler, the fake backends and the /_timeslip/ control API.
// State lives in --db (a SQLite file; ":memory:" for a throwaway run): a file that exists is
// resumed (host/recovery.h) under the options it was created with; one that cannot be used
// (corrupt, locked by another server, a newer schema, a journal that does not replay) exits 1,
// contradicting options exit 2. --mock-config and --fakes are then loaded as commands of the
// timeslip service, journaled like any call; a bad file exits 2. Prints "listening on
// http://HOST:PORT" as its first line on stdout; SIGINT or SIGTERM stop it gracefully (exit 0).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/api/endpoint.h"
#include "emulator/api/protocols.h"
#include "emulator/cli/commands.h"
#include "emulator/engine/emulator.h"
#include "emulator/host/recovery.h"
#include "emulator/json/parse.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::cli {
namespace {

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8083;
  std::string db = "./timeslip.db";
  std::string synchronous = "normal";
  std::string clock = "virtual";
  double time_scale = 1.0;
  std::string start_time;  // empty: the wall-clock second at start-up
  std::uint64_t seed = 0;
  std::string fakes;
  std::string mock_config;
  // Which of the emulator's options the command line set (a resumed database keeps its own).
  bool clock_given = false;
  bool time_scale_given = false;
  bool seed_given = false;
};

json::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return json::Error{"ValidationException", "cannot read the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return json::Error{"ValidationException", "cannot read the file"};
  return text.str();
}

// Loads a start-up document as a command of the timeslip service, journaled like any other.
json::Status LoadFile(host::EngineHost& host, std::string operation, const std::string& file) {
  json::Result<std::string> text = ReadFile(file);
  if (!text.ok()) return text.error();
  json::Result<nlohmann::ordered_json> document = json::Parse(text.value(), "ValidationException");
  if (!document.ok()) return document.error();
  if (!document.value().is_object()) {
    return json::Error{"ValidationException", "the file must hold a JSON object"};
  }
  host::Outcome loaded = host.Call(
      {.service = "timeslip", .operation = std::move(operation), .input = document.value()});
  if (!loaded.ok()) return loaded.error();
  return json::Ok();
}

// The emulator's options as a database keeps them: a journal replays only under the options it
// was written with.
constexpr std::string_view kOptionsKey = "options";

nlohmann::ordered_json OptionsJson(const engine::EmulatorOptions& options, time::Instant wall_origin) {
  return {{"clock", engine::ClockModeName(options.clock)},
          {"startMillis", options.start_time.time_since_epoch().count()},
          {"timeScale", options.time_scale},
          {"seed", std::to_string(options.seed)},
          {"wallOriginMillis", wall_origin.time_since_epoch().count()}};
}

struct StoredOptions {
  engine::EmulatorOptions options;
  time::Instant wall_origin;
};

std::optional<StoredOptions> ParseStoredOptions(const std::string& text) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!j.is_object() || !j["clock"].is_string() || !j["startMillis"].is_number_integer() ||
      !j["timeScale"].is_number() || !j["seed"].is_string() ||
      !j["wallOriginMillis"].is_number_integer()) {
    return std::nullopt;
  }
  StoredOptions stored;
  const std::string clock = j["clock"].get<std::string>();
  stored.options.clock = engine::ParseClockMode(clock).value_or(engine::ClockMode::kVirtual);
  stored.options.start_time = time::Instant(time::Duration(j["startMillis"].get<std::int64_t>()));
  stored.options.time_scale = j["timeScale"].get<double>();
  stored.options.seed = std::stoull(j["seed"].get<std::string>());
  stored.wall_origin = time::Instant(time::Duration(j["wallOriginMillis"].get<std::int64_t>()));
  return stored;
}

// Opens --db: ":memory:" keeps state in this process only; a file is created, or resumed.
json::Result<std::unique_ptr<host::Store>> OpenStore(const ServeFlags& flags) {
  if (flags.db == ":memory:") return std::unique_ptr<host::Store>(new store::MemoryStore());
  store::DbOptions options;
  options.durable = flags.synchronous == "full";
  options.exclusive = true;
  options.busy_timeout_ms = 1000;
  json::Result<std::unique_ptr<store::SqliteStore>> opened =
      store::SqliteStore::Open(flags.db, options);
  if (!opened.ok()) return opened.error();
  if (json::Status intact = opened.value()->CheckIntegrity(); !intact.ok()) return intact.error();
  return std::unique_ptr<host::Store>(std::move(opened).value());
}

// The options to run with: the database's own when it has some (a flag that contradicts them
// is an error: the journal replays only under its options), else the flags'.
json::Result<StoredOptions> ResolveOptions(const ServeFlags& flags, host::Store& store) {
  json::Result<std::optional<std::string>> saved = store.GetMeta(std::string(kOptionsKey));
  if (!saved.ok()) return saved.error();
  if (saved.value()) {
    std::optional<StoredOptions> stored = ParseStoredOptions(*saved.value());
    if (!stored) return json::Error{"StoreError", "the stored options are corrupt"};
    const engine::EmulatorOptions& o = stored->options;
    std::vector<std::string> conflicts;
    if (flags.clock_given && flags.clock != engine::ClockModeName(o.clock)) {
      conflicts.push_back(
          fmt::format("--clock {} (it has {})", flags.clock, engine::ClockModeName(o.clock)));
    }
    if (flags.time_scale_given && flags.time_scale != o.time_scale) {
      conflicts.push_back(
          fmt::format("--time-scale {} (it has {})", flags.time_scale, o.time_scale));
    }
    if (flags.seed_given && flags.seed != o.seed) {
      conflicts.push_back(fmt::format("--seed {} (it has {})", flags.seed, o.seed));
    }
    if (!flags.start_time.empty()) {
      std::optional<time::Instant> start = time::ParseRfc3339(flags.start_time);
      if (start && *start != o.start_time) {
        conflicts.push_back(fmt::format("--start-time {} (it has {})", flags.start_time,
                                        time::FormatRfc3339(o.start_time)));
      }
    }
    if (!conflicts.empty()) {
      return json::Error{"ValidationException",
                         fmt::format("the database was started with other options: {}; drop "
                                     "them to resume it, or use another --db",
                                     fmt::join(conflicts, ", "))};
    }
    return *stored;
  }
  StoredOptions fresh;
  engine::EmulatorOptions& options = fresh.options;
  options.clock = engine::ParseClockMode(flags.clock).value_or(engine::ClockMode::kVirtual);
  options.time_scale = flags.time_scale;
  options.seed = flags.seed;
  fresh.wall_origin = time::WallClock::SystemNow();
  if (flags.start_time.empty()) {
    options.start_time = std::chrono::floor<std::chrono::seconds>(fresh.wall_origin);
  } else {
    std::optional<time::Instant> start = time::ParseRfc3339(flags.start_time);
    if (!start) {
      return json::Error{"ValidationException",
                         fmt::format("--start-time '{}' is not an ISO-8601 (RFC 3339) timestamp, "
                                     "e.g. 2024-01-01T00:00:00Z",
                                     flags.start_time)};
    }
    options.start_time = *start;
  }
  store.SetMeta(std::string(kOptionsKey), OptionsJson(options, fresh.wall_origin).dump());
  if (json::Status written = store.Flush(); !written.ok()) return written.error();
  return fresh;
}

int Serve(const ServeFlags& flags) {
  json::Result<std::unique_ptr<host::Store>> opened = OpenStore(flags);
  if (!opened.ok()) {
    std::cerr << fmt::format("timeslip serve: --db {}: {}\n", flags.db, opened.error().message);
    return 1;
  }
  host::Store& store = *opened.value();
  json::Result<StoredOptions> resolved = ResolveOptions(flags, store);
  if (!resolved.ok()) {
    std::cerr << fmt::format("timeslip serve: --db {}: {}\n", flags.db, resolved.error().message);
    return resolved.error().name == "StoreError" ? 1 : 2;
  }
  const engine::EmulatorOptions& options = resolved.value().options;

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // sigwait below is the one place that receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  world::World world({.emulator = options, .store = &store});
  engine::Emulator& emulator = world.emulator();
  api::EndpointOptions endpoint_options;
  endpoint_options.server.host = flags.host;
  endpoint_options.server.port = static_cast<std::uint16_t>(flags.port);
  api::Endpoint endpoint(world.host(), endpoint_options);

  // Journals of the first durable release recorded HTTP requests: the wire reads them.
  host::RequestDecoder requests = api::RequestDecoderFor(world.host().registry());
  json::Result<host::RecoveryReport> recovered = host::Recover(world.host(), &requests);
  if (!recovered.ok()) {
    std::cerr << fmt::format("timeslip serve: --db {}: cannot resume: {}\n", flags.db,
                             recovered.error().message);
    return 1;
  }
  if (recovered.value().entries > 0) {
    if (time::WallClock* wall = emulator.wall_clock()) {
      // Wall time went on while the server was down.
      auto since = std::chrono::duration<double, std::milli>(time::WallClock::SystemNow() -
                                                             resolved.value().wall_origin) *
                   options.time_scale;
      time::Instant mapped = options.start_time + std::chrono::duration_cast<time::Duration>(since);
      wall->ResumeAt(std::max(mapped, emulator.clock().Now()));
    }
    std::cerr << fmt::format(
        "timeslip serve: resumed {}: {} executions ({} running), {} journal entries replayed\n",
        flags.db, recovered.value().executions, recovered.value().running,
        recovered.value().entries);
  }
  if (!flags.mock_config.empty()) {
    json::Status loaded = LoadFile(world.host(), "SetMockConfig", flags.mock_config);
    if (!loaded.ok()) {
      std::cerr << fmt::format("timeslip serve: --mock-config {}: {}\n", flags.mock_config,
                               loaded.error().message);
      return 2;
    }
  }
  if (!flags.fakes.empty()) {
    json::Status loaded = LoadFile(world.host(), "LoadFakes", flags.fakes);
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
      "State lives in --db: started again on the same file, the server resumes where it stopped\n"
      "(paused tasks, timers, fake runs in flight), after a crash too.");
  cmd->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", flags->port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--db", flags->db,
                  "SQLite file to keep state in (created, or resumed), or :memory: for a "
                  "throwaway run")
      ->capture_default_str();
  cmd->add_option("--synchronous", flags->synchronous,
                  "normal: a commit survives a crash of the process; full: a power loss too "
                  "(slower)")
      ->check(CLI::IsMember({"normal", "full"}))
      ->capture_default_str();
  auto* clock = cmd->add_option("--clock", flags->clock, "virtual, manual or wall")
                    ->check(CLI::IsMember({"virtual", "manual", "wall"}))
                    ->capture_default_str();
  auto* time_scale = cmd->add_option("--time-scale", flags->time_scale,
                                     "Wall mode: virtual seconds per wall second")
                         ->check(CLI::PositiveNumber)
                         ->capture_default_str();
  cmd->add_option("--start-time", flags->start_time,
                  "Where virtual and manual clocks start (default: now, to the second)");
  auto* seed = cmd->add_option("--seed", flags->seed, "Seed of the generator (tokens, UUIDs)")
                   ->capture_default_str();
  cmd->add_option("--mock-config", flags->mock_config,
                  "Step Functions Local mock configuration (MockConfigFile.json); start "
                  "executions on STATE_MACHINE_ARN#TestCase to use a test case");
  cmd->add_option("--fakes", flags->fakes,
                  "Behaviours of the fakes (JSON, as POST /_timeslip/fakes takes)");
  cmd->callback([&run, flags, clock, time_scale, seed] {
    flags->clock_given = clock->count() > 0;
    flags->time_scale_given = time_scale->count() > 0;
    flags->seed_given = seed->count() > 0;
    run = [flags] { return Serve(*flags); };
  });
}

}  // namespace timeslip::cli
