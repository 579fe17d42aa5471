#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "emulator/asl/state_machine.h"
#include "emulator/cli/scenario_file.h"
#include "emulator/cli/scenario_reader_internal.h"
#include "emulator/engine/event_types.h"
#include "emulator/json/comments.h"
#include "emulator/time/rfc3339.h"
#include "fakes/latency.h"

namespace timeslip::cli::internal {
namespace {

// The loader's words for JSON types: "must be a string, got a number".
constexpr json::TypeNames kNouns{"null",     "a boolean", "an integer", "a number",
                                 "a string", "an array",  "an object"};

}  // namespace

std::string Describe(const nlohmann::ordered_json& v) {
  json::Type type = json::TypeOf(v);
  return std::string(kNouns[type == json::Type::kInteger ? json::Type::kNumber : type]);
}

json::Error Fail(const std::string& file, const std::string& where, const std::string& problem) {
  return json::Error{std::string(kScenarioError),
                     where.empty() ? fmt::format("{}: {}", file, problem)
                                   : fmt::format("{}: {}: {}", file, where, problem)};
}

ScenarioReader::ScenarioReader(std::string file, std::string base_dir)
    : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

bool ScenarioReader::Problem(const std::string& where, const std::string& problem) {
  if (!error_) error_ = Fail(file_, where, problem);
  return false;
}

bool ScenarioReader::Problem(const json::Problem& problem) {
  switch (problem.kind) {
    case json::Problem::Kind::kMissing:
      return Problem(problem.path, "is required");
    case json::Problem::Kind::kWrongType:
      return Problem(problem.path, fmt::format("must be {}, got {}", kNouns[problem.expected],
                                               Describe(*problem.found)));
    case json::Problem::Kind::kTooShort:
      return Problem(problem.path, "must not be empty");
    default:  // ranges, values and names: the caller words them, knowing what it asked for
      return Problem(problem.path, "is not allowed: " + problem.found->dump());
  }
}

bool ScenarioReader::CheckKeys(const FieldReader& v,
                               std::initializer_list<std::string_view> allowed) {
  if (json::Checked<std::monostate> object = v.Is(json::Type::kObject); !object.ok()) {
    return Problem(object.error());
  }
  std::vector<json::Problem> unknown = v.UnknownFields(allowed);
  if (unknown.empty()) return true;
  return Problem(unknown.front().path,
                 fmt::format("unknown field (expected one of: {})", fmt::join(allowed, ", ")));
}

bool ScenarioReader::String(const FieldReader& v, std::string& out) {
  json::Checked<std::string> s = v.As<std::string>();
  if (!s.ok()) return Problem(s.error());
  out = std::move(s).value();
  return true;
}

bool ScenarioReader::NonEmptyString(const FieldReader& v, std::string& out) {
  json::Checked<std::string> s = v.String(1, SIZE_MAX);
  if (!s.ok()) return Problem(s.error());
  out = std::move(s).value();
  return true;
}

bool ScenarioReader::Int(const FieldReader& v, int min, int max, int& out) {
  json::Checked<std::int64_t> n = v.Integer(min, max);
  if (!n.ok()) {
    return Problem(v.path(), fmt::format("must be an integer from {} to {}, got {}", min, max,
                                         v.value().dump()));
  }
  out = static_cast<int>(n.value());
  return true;
}

bool ScenarioReader::Duration(const FieldReader& v, time::Duration& out) {
  json::Result<time::Duration> d = fakes::ParseDuration(v.value());
  if (!d.ok()) {
    return Problem(v.path(), "bad duration " + v.value().dump() + ": " + d.error().message);
  }
  out = d.value();
  return true;
}

bool ScenarioReader::Instant(const FieldReader& v, time::Instant& out) {
  std::string text;
  if (!String(v, text)) return false;
  std::optional<time::Instant> t = time::ParseRfc3339(text);
  if (!t) {
    return Problem(v.path(),
                   "bad timestamp '" + text + "' (want RFC 3339, e.g. 2024-01-01T01:00:00Z)");
  }
  out = *t;
  return true;
}

bool ScenarioReader::StringList(const FieldReader& v, std::vector<std::string>& out) {
  if (!v.Is(json::Type::kArray).ok()) {
    return Problem(v.path(), "must be an array of strings, got " + Describe(v.value()));
  }
  for (const FieldReader& item : v.Elements()) {
    std::string s;
    if (!NonEmptyString(item, s)) return false;
    out.push_back(std::move(s));
  }
  return true;
}

bool ScenarioReader::ReadFile(const std::string& relative, const std::string& where,
                              std::string& out) {
  std::filesystem::path p(relative);
  if (p.is_relative() && !base_dir_.empty()) p = std::filesystem::path(base_dir_) / p;
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return Problem(where, "cannot read '" + p.string() + "'");
  out = text.str();
  return true;
}

bool ScenarioReader::ParseJson(std::string_view text, const std::string& what,
                               nlohmann::ordered_json& out) {
  json::Result<nlohmann::ordered_json> parsed = json::ParseWithComments(text, kScenarioError);
  if (!parsed.ok()) return Problem(what, parsed.error().message);
  out = std::move(parsed).value();
  return true;
}

void ScenarioReader::AddStates(const asl::StateMachine& machine) {
  for (const asl::State& state : machine.states()) {
    states_.insert(state.name);
    for (const auto& branch : state.branches) AddStates(*branch);
    if (state.item_processor) AddStates(*state.item_processor);
  }
}

bool ScenarioReader::KnownState(const std::string& name, const std::string& where) {
  if (states_.count(name) != 0) return true;
  return Problem(where, "no state '" + name + "' in any state machine of this scenario");
}

bool ScenarioReader::KnownEvent(const std::string& type, const std::string& where) {
  const auto& all = engine::event_type::kAllEventTypes;
  if (std::find(std::begin(all), std::end(all), type) != std::end(all)) return true;
  return Problem(where, "'" + type +
                            "' is not a history event type (e.g. TaskSubmitted, "
                            "TaskStateEntered, ActivityScheduled)");
}

}  // namespace timeslip::cli::internal
