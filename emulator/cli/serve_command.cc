// `timeslip serve`: the AWS Step Functions endpoint (with the SNS API, the fake backends and the
// /_timeslip/ control API) on one port, running one Emulator on the engine's thread (an
// api::Endpoint). State lives in --db (a SQLite file; ":memory:" for a throwaway run): a file
// that exists is resumed (api/recovery.h) under the options it was created with; one that cannot
// be used (corrupt, locked by another server, a newer schema, a journal that does not replay)
// exits 1, contradicting options exit 2. --mock-config and --fakes are then loaded through the
// control API, journaled like any call; a bad file exits 2. Prints "listening on
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
#include "emulator/api/recovery.h"
#include "emulator/cli/commands.h"
#include "emulator/engine/emulator.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"
#include "emulator/time/rfc3339.h"

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

// Loads a start-up document through the control API, so it is journaled like any other call.
json::Status PostControl(api::Endpoint& endpoint, std::string path, const std::string& file) {
  json::Result<std::string> text = ReadFile(file);
  if (!text.ok()) return text.error();
  api::Request request;
  request.method = "POST";
  request.target = std::move(path);
  request.content_type = "application/json";
  request.body = std::move(text).value();
  api::Response response = endpoint.Call(std::move(request));
  if (response.status == 200) return json::Ok();
  nlohmann::json error = nlohmann::json::parse(response.body, nullptr, false);
  std::string message =
      error.is_object() && error.contains("message") && error["message"].is_string()
          ? error["message"].get<std::string>()
          : response.body;
  return json::Error{"ValidationException", message};
}

std::string_view ClockName(engine::ClockMode mode) {
  switch (mode) {
    case engine::ClockMode::kManual:
      return "manual";
    case engine::ClockMode::kWall:
      return "wall";
    case engine::ClockMode::kVirtual:
      break;
  }
  return "virtual";
}

// The emulator's options as a database keeps them: a journal replays only under the options it
// was written with.
constexpr std::string_view kOptionsKey = "options";

nlohmann::json OptionsJson(const engine::EmulatorOptions& options, time::Instant wall_origin) {
  return {{"clock", ClockName(options.clock)},
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
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j["clock"].is_string() || !j["startMillis"].is_number_integer() ||
      !j["timeScale"].is_number() || !j["seed"].is_string() ||
      !j["wallOriginMillis"].is_number_integer()) {
    return std::nullopt;
  }
  StoredOptions stored;
  const std::string clock = j["clock"].get<std::string>();
  stored.options.clock = clock == "manual" ? engine::ClockMode::kManual
                         : clock == "wall" ? engine::ClockMode::kWall
                                           : engine::ClockMode::kVirtual;
  stored.options.start_time = time::Instant(time::Duration(j["startMillis"].get<std::int64_t>()));
  stored.options.time_scale = j["timeScale"].get<double>();
  stored.options.seed = std::stoull(j["seed"].get<std::string>());
  stored.wall_origin = time::Instant(time::Duration(j["wallOriginMillis"].get<std::int64_t>()));
  return stored;
}

// Opens --db: ":memory:" keeps state in this process only; a file is created, or resumed.
json::Result<std::unique_ptr<store::Store>> OpenStore(const ServeFlags& flags) {
  if (flags.db == ":memory:") return std::unique_ptr<store::Store>(new store::MemoryStore());
  store::DbOptions options;
  options.durable = flags.synchronous == "full";
  options.exclusive = true;
  options.busy_timeout_ms = 1000;
  json::Result<std::unique_ptr<store::SqliteStore>> opened =
      store::SqliteStore::Open(flags.db, options);
  if (!opened.ok()) return opened.error();
  if (json::Status intact = opened.value()->CheckIntegrity(); !intact.ok()) return intact.error();
  return std::unique_ptr<store::Store>(std::move(opened).value());
}

// The options to run with: the database's own when it has some (a flag that contradicts them
// is an error: the journal replays only under its options), else the flags'.
json::Result<StoredOptions> ResolveOptions(const ServeFlags& flags, store::Store& store) {
  json::Result<std::optional<std::string>> saved = store.GetMeta(std::string(kOptionsKey));
  if (!saved.ok()) return saved.error();
  if (saved.value()) {
    std::optional<StoredOptions> stored = ParseStoredOptions(*saved.value());
    if (!stored) return json::Error{"StoreError", "the stored options are corrupt"};
    const engine::EmulatorOptions& o = stored->options;
    std::vector<std::string> conflicts;
    if (flags.clock_given && flags.clock != ClockName(o.clock)) {
      conflicts.push_back(fmt::format("--clock {} (it has {})", flags.clock, ClockName(o.clock)));
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
  options.clock = flags.clock == "manual" ? engine::ClockMode::kManual
                  : flags.clock == "wall" ? engine::ClockMode::kWall
                                          : engine::ClockMode::kVirtual;
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
  json::Result<std::unique_ptr<store::Store>> opened = OpenStore(flags);
  if (!opened.ok()) {
    std::cerr << fmt::format("timeslip serve: --db {}: {}\n", flags.db, opened.error().message);
    return 1;
  }
  store::Store& store = *opened.value();
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

  engine::Emulator emulator(options);
  api::EndpointOptions endpoint_options;
  endpoint_options.server.host = flags.host;
  endpoint_options.server.port = static_cast<std::uint16_t>(flags.port);
  endpoint_options.store = &store;
  api::Endpoint endpoint(emulator, endpoint_options);

  json::Result<api::RecoveryReport> recovered = api::Recover(endpoint);
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
    json::Status loaded = PostControl(endpoint, "/_timeslip/mock-config", flags.mock_config);
    if (!loaded.ok()) {
      std::cerr << fmt::format("timeslip serve: --mock-config {}: {}\n", flags.mock_config,
                               loaded.error().message);
      return 2;
    }
  }
  if (!flags.fakes.empty()) {
    json::Status loaded = PostControl(endpoint, "/_timeslip/fakes", flags.fakes);
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
