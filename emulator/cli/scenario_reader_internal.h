#pragma once
// ScenarioReader: the field checks every part of a scenario file is read with, over
// json::FieldReader (whose paths read "scenarios[1].expect.status"). Each check returns false
// after recording the first problem, as Error{kScenarioError, "<file>: <where>: <problem>"}.
// Private to the scenario loader.

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/field_reader.h"
#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace timeslip::asl {
class StateMachine;
}

namespace timeslip::cli::internal {

using json::FieldReader;

// "an object", "an array", "a string", "a boolean", "null" or "a number".
std::string Describe(const nlohmann::ordered_json& v);
// Error{kScenarioError, "<file>: <where>: <problem>"}; without `where` when it is empty.
json::Error Fail(const std::string& file, const std::string& where, const std::string& problem);

class ScenarioReader {
 public:
  // `file` names the file in messages; `base_dir` resolves the relative paths it names.
  ScenarioReader(std::string file, std::string base_dir);

  // The first problem recorded. REQUIRES: a check has returned false.
  const json::Error& error() const { return *error_; }
  const std::string& file() const { return file_; }
  // Records `problem` at `where` (unless one is recorded already) and returns false.
  bool Problem(const std::string& where, const std::string& problem);
  // Records a FieldReader problem in the loader's words: "is required", "must be a string, got
  // a number", "must not be empty".
  bool Problem(const json::Problem& problem);

  // `v` is an object whose keys are all in `allowed`.
  bool CheckKeys(const FieldReader& v, std::initializer_list<std::string_view> allowed);
  bool String(const FieldReader& v, std::string& out);
  bool NonEmptyString(const FieldReader& v, std::string& out);
  bool Int(const FieldReader& v, int min, int max, int& out);
  // "90s", "1h30m", ... or a number of seconds (fakes::ParseDuration).
  bool Duration(const FieldReader& v, time::Duration& out);
  // An RFC 3339 string.
  bool Instant(const FieldReader& v, time::Instant& out);
  // An array of non-empty strings, appended to `out`.
  bool StringList(const FieldReader& v, std::vector<std::string>& out);

  // Reads the file `relative` names (relative to the scenario file's directory).
  bool ReadFile(const std::string& relative, const std::string& where, std::string& out);
  // JSON with comments (json::ParseWithComments); `what` is the field that holds or names it.
  bool ParseJson(std::string_view text, const std::string& what, nlohmann::ordered_json& out);

  // The states of the scenario being read, for the fields that name one.
  void ForgetStates() { states_.clear(); }
  void AddStates(const asl::StateMachine& machine);  // every depth
  bool KnownState(const std::string& name, const std::string& where);
  // One of AWS's history event types (engine::event_type::kAllEventTypes).
  bool KnownEvent(const std::string& type, const std::string& where);

 private:
  std::string file_;
  std::string base_dir_;
  std::optional<json::Error> error_;
  std::set<std::string> states_;  // every state name of the current scenario's machines
};

}  // namespace timeslip::cli::internal
