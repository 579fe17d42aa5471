#include "fakes/data_quality.h"

#include <fmt/format.h>

#include <algorithm>

namespace timeslip::fakes {
namespace {

// The Glue API's timestamps over Step Functions' aws-sdk integrations: epoch milliseconds.
std::int64_t Millis(time::Instant t) { return t.time_since_epoch().count(); }

json::Error GlueError(const std::string& name, std::string message) {
  return {"Glue." + name, std::move(message)};
}

// The rule results of one ruleset's evaluation. A ruleset the Glue API created gives every one
// of its rules, passing unless the script's outcome of that name (or DQDL text) says otherwise;
// scripted rules it does not have follow. Without one, the script's outcomes alone.
std::vector<DqRuleResult> RuleResults(const Step& step, const std::vector<DqRule>* ruleset) {
  std::vector<DqRuleResult> out;
  if (ruleset != nullptr) {
    for (const DqRule& rule : *ruleset) {
      out.push_back({.name = rule.name, .description = rule.description, .result = "PASS"});
    }
  }
  for (const RuleOutcome& r : step.rules) {
    auto same = std::find_if(out.begin(), out.end(), [&](const DqRuleResult& known) {
      return known.name == r.name || known.description == r.name;
    });
    if (same == out.end()) {
      out.push_back({.name = r.name, .result = r.result, .message = r.message});
    } else {
      same->result = r.result;
      same->message = r.message;
    }
  }
  return out;
}

}  // namespace

void DataQualityFake::DefineRuleset(const std::string& name, std::vector<DqRule> rules) {
  rulesets_[name] = std::move(rules);
}

json::Result<nlohmann::ordered_json> DataQualityFake::StartRunForApi(
    const nlohmann::ordered_json& params) {
  engine::TaskRequest request;
  request.parameters = params;
  time::Duration after{0};
  json::Result<nlohmann::ordered_json> answer = StartRun(request, after);
  if (answer.ok() || answer.error().name.rfind("Glue.", 0) != 0) return answer;
  return json::Error{answer.error().name.substr(5), answer.error().message};
}

void DataQualityFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const std::string& resource = request.service_resource;
  const nlohmann::ordered_json& params = request.parameters;
  if (resource == kDqStartRun) {
    time::Duration after{0};
    // StartRun logs one call per ruleset and their outcomes; 0 is no call.
    json::Result<nlohmann::ordered_json> answer = StartRun(request, after);
    ctx_.AnswerAfter(request.task_id, 0, after, std::move(callbacks.done), std::move(answer));
    return;
  }
  const bool get_run = resource == kDqGetRun;
  const std::string key = get_run ? "RunId" : "ResultId";
  const std::string id = StringParam(params, key.c_str());
  const std::int64_t call_id = ctx_.Record(
      Service::kDataQuality,
      get_run ? "getDataQualityRulesetEvaluationRun" : "getDataQualityResult", id, request, 0);
  json::Result<nlohmann::ordered_json> answer = get_run ? GetRun(id) : GetResult(id);
  if (!answer.ok()) answer = GlueError(answer.error().name, answer.error().message);
  ctx_.AnswerAfter(request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
                   std::move(answer));
}

json::Result<nlohmann::ordered_json> DataQualityFake::StartRun(const engine::TaskRequest& request,
                                                       time::Duration& after) {
  const nlohmann::ordered_json& params = request.parameters;
  std::vector<std::string> rulesets;
  if (params.is_object() && params.contains("RulesetNames") && params["RulesetNames"].is_array()) {
    for (const nlohmann::ordered_json& n : params["RulesetNames"]) {
      if (n.is_string()) rulesets.push_back(n.get<std::string>());
    }
  }
  if (rulesets.empty() || !params.contains("DataSource") || !params["DataSource"].is_object()) {
    const std::int64_t call_id =
        ctx_.Record(Service::kDataQuality, "startDataQualityRulesetEvaluationRun", "", request, 0);
    json::Error e =
        GlueError("InvalidInputException", "DataSource and a non-empty RulesetNames are required");
    ctx_.Finish(call_id, e);
    return e;
  }
  // One step per ruleset, each its own call.
  std::vector<std::pair<std::int64_t, FakeContext::Turn>> turns;
  for (const std::string& ruleset : rulesets) {
    FakeContext::Turn turn = ctx_.Next(Service::kDataQuality, ruleset, {ruleset});
    const std::int64_t call_id = ctx_.Record(
        Service::kDataQuality, "startDataQualityRulesetEvaluationRun", ruleset, request, turn.call);
    turns.emplace_back(call_id, std::move(turn));
  }
  time::Duration longest{0};
  bool hangs = false;
  bool timed_out = false;
  for (const auto& [call_id, turn] : turns) {
    longest = std::max(longest, turn.latency);
    const Step& step = turn.step;
    json::Result<nlohmann::ordered_json> refused = nlohmann::ordered_json(nullptr);
    if (step.outcome == OutcomeKind::kError) {
      refused = json::Error{step.error.rfind("Glue.", 0) == 0 ? step.error : "Glue." + step.error,
                            step.cause};
    } else if (step.outcome == OutcomeKind::kThrottle) {
      refused = GlueError("ThrottlingException", "Rate exceeded");
    }
    if (!refused.ok()) {
      after = turn.latency;
      for (const auto& t : turns) {
        ctx_.log().Finish(t.first, ctx_.Now() + after, FakeContext::OutcomeJson(refused));
      }
      return refused;
    }
    hangs = hangs || step.outcome == OutcomeKind::kHang;
    timed_out = timed_out || step.outcome == OutcomeKind::kTimeout;
  }

  DqRun run;
  run.run_id = "dqrun-" + ctx_.rng().Hex(40);
  run.data_source = params["DataSource"];
  run.role = StringParam(params, "Role");
  for (const char* option : {"NumberOfWorkers", "Timeout", "AdditionalRunOptions"}) {
    if (params.contains(option) && !params[option].is_null()) run.options[option] = params[option];
  }
  run.ruleset_names = rulesets;
  run.started_on = ctx_.Now();
  if (!hangs) run.ends_at = ctx_.Now() + longest;
  if (timed_out) run.final_status = "TIMEOUT";
  if (run.options.contains("Timeout") && run.options["Timeout"].is_number_integer()) {
    const time::Instant limit =
        ctx_.Now() + std::chrono::minutes(run.options["Timeout"].get<std::int64_t>());
    if (!run.ends_at || *run.ends_at > limit) {
      run.ends_at = limit;
      run.final_status = "TIMEOUT";
      timed_out = true;
    }
  }
  for (const auto& [call_id, turn] : turns) {
    if (timed_out) break;
    const Step& step = turn.step;
    DqResult result;
    result.result_id = "dqresult-" + ctx_.rng().Hex(40);
    result.ruleset_name = rulesets[run.result_ids.size()];
    result.run_id = run.run_id;
    auto ruleset = rulesets_.find(result.ruleset_name);
    result.rules = RuleResults(step, ruleset == rulesets_.end() ? nullptr : &ruleset->second);
    if (step.score) {
      result.score = *step.score;
    } else if (!result.rules.empty()) {
      int passed = 0;
      for (const DqRuleResult& r : result.rules) passed += r.result == "PASS";
      result.score = static_cast<double>(passed) / static_cast<double>(result.rules.size());
    }
    run.result_ids.push_back(result.result_id);
    results_[result.result_id] = std::move(result);
  }
  nlohmann::ordered_json answer = {{"RunId", run.run_id}};
  for (const auto& [call_id, turn] : turns) {
    ctx_.log().Finish(call_id, ctx_.Now(), {{"result", answer}});
  }
  runs_[run.run_id] = std::move(run);
  return answer;
}

json::Result<nlohmann::ordered_json> DataQualityFake::GetRun(const std::string& run_id) const {
  auto it = runs_.find(run_id);
  if (it == runs_.end()) {
    return json::Error{"EntityNotFoundException",
                       fmt::format("Data quality ruleset evaluation run {} not found", run_id)};
  }
  const DqRun& run = it->second;
  const bool done = run.ends_at && ctx_.Now() >= *run.ends_at;
  nlohmann::ordered_json j = {{"RunId", run.run_id},
                      {"DataSource", run.data_source},
                      {"RulesetNames", run.ruleset_names},
                      {"StartedOn", Millis(run.started_on)},
                      {"Status", done ? run.final_status : "RUNNING"}};
  if (!run.role.empty()) j["Role"] = run.role;
  for (const auto& [option, value] : run.options.items()) j[option] = value;
  if (done) {
    j["CompletedOn"] = Millis(*run.ends_at);
    j["LastModifiedOn"] = Millis(*run.ends_at);
    j["ExecutionTime"] =
        std::chrono::duration_cast<std::chrono::seconds>(*run.ends_at - run.started_on).count();
    if (run.final_status == "SUCCEEDED") {
      j["ResultIds"] = run.result_ids;
    } else {
      j["ErrorString"] = "Data quality ruleset evaluation run timed out";
    }
  } else {
    j["LastModifiedOn"] = Millis(run.started_on);
  }
  return j;
}

json::Result<nlohmann::ordered_json> DataQualityFake::GetResult(const std::string& result_id) const {
  auto it = results_.find(result_id);
  const DqRun* run = nullptr;
  if (it != results_.end()) {
    auto r = runs_.find(it->second.run_id);
    if (r != runs_.end()) run = &r->second;
  }
  // A result exists once its run has SUCCEEDED.
  if (run == nullptr || !run->ends_at || ctx_.Now() < *run->ends_at) {
    return json::Error{"EntityNotFoundException",
                       fmt::format("Data quality result {} not found", result_id)};
  }
  const DqResult& result = it->second;
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const DqRuleResult& r : result.rules) {
    nlohmann::ordered_json rule = {{"Name", r.name}};
    if (!r.description.empty()) rule["Description"] = r.description;
    rule["Result"] = r.result;
    if (!r.message.empty()) rule["EvaluationMessage"] = r.message;
    rules.push_back(std::move(rule));
  }
  return nlohmann::ordered_json{{"ResultId", result.result_id},
                        {"Score", result.score},
                        {"DataSource", run->data_source},
                        {"RulesetName", result.ruleset_name},
                        {"RulesetEvaluationRunId", result.run_id},
                        {"StartedOn", Millis(run->started_on)},
                        {"CompletedOn", Millis(*run->ends_at)},
                        {"RuleResults", std::move(rules)}};
}

}  // namespace timeslip::fakes
