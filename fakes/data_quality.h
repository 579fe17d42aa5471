#pragma once
// DataQualityFake: Glue Data Quality ruleset evaluation through the aws-sdk integrations
//   arn:aws:states:::aws-sdk:glue:startDataQualityRulesetEvaluationRun  -> {"RunId"}
//   arn:aws:states:::aws-sdk:glue:getDataQualityRulesetEvaluationRun    -> the run (Status,
//                                                                          ResultIds, ...)
//   arn:aws:states:::aws-sdk:glue:getDataQualityResult                  -> Score, RuleResults
// shaped as the Glue API (botocore's glue 2017-03-31 model); errors are "Glue.<Exception>".
//
// StartDataQualityRulesetEvaluationRun plays one behaviour step per ruleset in RulesetNames:
// an error or a throttle refuses the start (after the latency); otherwise the run is RUNNING
// until the longest latency has passed, then SUCCEEDED with one result per ruleset (its
// scripted score and rule outcomes); a timeout step ends it TIMEOUT; a hang keeps it RUNNING.
// The Get operations answer at once, from the run's state at that virtual instant. A Timeout
// (minutes) shorter than the run ends it TIMEOUT then.
//
// The Glue API (services/glue) starts runs here too (StartRunForApi), so a run started either
// way is visible to both, plays the same "dataQuality" script (by ruleset name) on the same
// clock. Rulesets it created are defined here: a result then names and describes their rules
// ("Rule_1", the rule's DQDL text), each PASS unless the script gives that rule's outcome (by
// its name or its text).

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/engine/integration.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kDqStartRun =
    "arn:aws:states:::aws-sdk:glue:startDataQualityRulesetEvaluationRun";
inline constexpr std::string_view kDqGetRun =
    "arn:aws:states:::aws-sdk:glue:getDataQualityRulesetEvaluationRun";
inline constexpr std::string_view kDqGetResult =
    "arn:aws:states:::aws-sdk:glue:getDataQualityResult";

// A rule of a ruleset the Glue API created: its result's Name and Description.
struct DqRule {
  std::string name;         // "Rule_1"
  std::string description;  // the rule's DQDL text: "IsComplete \"id\""
};

struct DqRuleResult {
  std::string name;
  std::string description;  // empty: unknown (the ruleset was never created)
  std::string result;       // PASS, FAIL or ERROR
  std::string message;
};

struct DqResult {
  std::string result_id;  // "dqresult-" + hex
  std::string ruleset_name;
  std::string run_id;
  double score = 1;
  std::vector<DqRuleResult> rules;
};

struct DqRun {
  std::string run_id;  // "dqrun-" + hex
  nlohmann::ordered_json data_source = nlohmann::ordered_json::object();
  std::string role;
  nlohmann::ordered_json options = nlohmann::ordered_json::object();  // NumberOfWorkers, Timeout,
                                                                      // AdditionalRunOptions
  std::vector<std::string> ruleset_names;
  time::Instant started_on;
  std::optional<time::Instant> ends_at;    // none: hangs
  std::string final_status = "SUCCEEDED";  // from ends_at on
  std::vector<std::string> result_ids;
};

class DataQualityFake final : public engine::Integration {
 public:
  explicit DataQualityFake(FakeContext& context) : ctx_(context) {}  // Not owned.
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { ctx_.Cancel(task_id); }

  // For the Glue API. Errors: Glue's EntityNotFoundException / InvalidInputException.
  json::Result<nlohmann::ordered_json> GetRun(const std::string& run_id) const;
  json::Result<nlohmann::ordered_json> GetResult(const std::string& result_id) const;
  const std::map<std::string, DqRun>& runs() const { return runs_; }

  // Starts a run as the Glue API's StartDataQualityRulesetEvaluationRun: the same run, script
  // and call log as the Step Functions task, answered at once. Errors: a scripted refusal, by
  // its Glue name without the "Glue." prefix.
  json::Result<nlohmann::ordered_json> StartRunForApi(const nlohmann::ordered_json& params);

  // The rules of ruleset `name`, as the Glue API created or updated it; replaces any before.
  void DefineRuleset(const std::string& name, std::vector<DqRule> rules);
  void UndefineRuleset(const std::string& name) { rulesets_.erase(name); }

 private:
  // Starts a run; `answer_after` is how long the answer takes.
  json::Result<nlohmann::ordered_json> StartRun(const engine::TaskRequest& request,
                                        time::Duration& answer_after);

  FakeContext& ctx_;
  std::map<std::string, DqRun> runs_;
  std::map<std::string, DqResult> results_;
  std::map<std::string, std::vector<DqRule>> rulesets_;
};

}  // namespace timeslip::fakes
