// CreateDataQualityRuleset, GetDataQualityRuleset, UpdateDataQualityRuleset,
// DeleteDataQualityRuleset, ListDataQualityRulesets, StartDataQualityRulesetEvaluationRun,
// GetDataQualityRulesetEvaluationRun, GetDataQualityResult: Glue Data Quality over the world's
// DataQualityFake, so a ruleset created here is the one the aws-sdk:glue tasks evaluate, and a
// run started either way is visible to both.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-data-quality-api.html
#include <fmt/format.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "emulator/services/glue/dqdl.h"
#include "emulator/services/glue/service_internal.h"

namespace timeslip::services::glue {
namespace {

constexpr Field kName{.name = "Name", .required = true, .min = 1, .max = 255};
constexpr Field kDescription{.name = "Description", .min = 0, .max = 2048};
constexpr Field kRuleset{.name = "Ruleset", .min = 1, .max = 65536};
constexpr Field kTags{.name = "Tags", .kind = FieldKind::kStringMap};
constexpr Field kClientToken{.name = "ClientToken", .min = 1, .max = 255};
constexpr std::size_t kDefaultPageSize = 100;

json::Error RulesetNotFound(const std::string& name) {
  return EntityNotFound(fmt::format("Data quality ruleset {} not found", name));
}

// DataQualityTargetTable and GlueTable: both name their table and database.
json::Status CheckTable(const Json& table, std::string_view parent) {
  return CheckFields(table,
                     {{.name = "TableName", .required = true, .min = 1, .max = 255},
                      {.name = "DatabaseName", .required = true, .min = 1, .max = 255},
                      {.name = "CatalogId", .min = 1, .max = 255}},
                     parent);
}

// The rules of `text`, named as Glue names them in results ("Rule_1", ...).
json::Result<std::vector<fakes::DqRule>> Rules(const std::string& text) {
  json::Result<std::vector<DqdlRule>> parsed = ParseDqdl(text);
  if (!parsed.ok()) return parsed.error();
  std::vector<fakes::DqRule> rules;
  for (const DqdlRule& rule : parsed.value()) {
    rules.push_back({.name = fmt::format("Rule_{}", rules.size() + 1), .description = rule.text});
  }
  return rules;
}

void Define(State& s, const std::string& name, DqRuleset ruleset,
            std::vector<fakes::DqRule> rules) {
  ruleset.rule_count = static_cast<int>(rules.size());
  s.rulesets[name] = std::move(ruleset);
  s.data_quality.DefineRuleset(name, std::move(rules));
}

// The fake keeps the aws-sdk integrations' epoch milliseconds; the Glue wire has seconds.
Json OnTheGlueWire(Json answer) {
  for (const char* key : {"StartedOn", "CompletedOn", "LastModifiedOn"}) {
    if (!answer.contains(key) || !answer[key].is_number_integer()) continue;
    answer[key] =
        EpochSeconds(time::Instant(std::chrono::milliseconds(answer[key].get<std::int64_t>())));
  }
  return answer;
}

host::Outcome CreateDataQualityRuleset(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kName,
                       kDescription,
                       {.name = "Ruleset", .required = true, .min = 1, .max = 65536},
                       kTags,
                       {.name = "TargetTable", .kind = FieldKind::kStructure},
                       kClientToken});
  if (checked.ok() && Has(in, "TargetTable"))
    checked = CheckTable(in["TargetTable"], "targetTable");
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.rulesets.count(name) != 0) {
    return json::Error{std::string(kAlreadyExists),
                       fmt::format("Data quality ruleset {} already exists", name)};
  }
  json::Result<std::vector<fakes::DqRule>> rules = Rules(GetString(in, "Ruleset"));
  if (!rules.ok()) return rules.error();
  Json document = {{"Name", name}};
  if (Has(in, "Description")) document["Description"] = in["Description"];
  document["Ruleset"] = in["Ruleset"];
  if (Has(in, "TargetTable")) document["TargetTable"] = in["TargetTable"];
  document["CreatedOn"] = EpochSeconds(s.Now());
  document["LastModifiedOn"] = EpochSeconds(s.Now());
  Json tags = Has(in, "Tags") ? in["Tags"] : Json::object();
  Define(s, name, {.document = std::move(document), .tags = std::move(tags)},
         std::move(rules).value());
  return Json{{"Name", name}};
}

host::Outcome GetDataQualityRuleset(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  auto it = s.rulesets.find(name);
  if (it == s.rulesets.end()) return RulesetNotFound(name);
  return it->second.document;
}

// UpdatedName renames the ruleset; a ruleset of that name already there is AlreadyExists.
host::Outcome UpdateDataQualityRuleset(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in, {kName, {.name = "UpdatedName", .min = 1, .max = 255}, kDescription, kRuleset});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  auto it = s.rulesets.find(name);
  if (it == s.rulesets.end()) return RulesetNotFound(name);
  const std::string new_name = GetString(in, "UpdatedName", name);
  if (new_name != name && s.rulesets.count(new_name) != 0) {
    return json::Error{std::string(kAlreadyExists),
                       fmt::format("Data quality ruleset {} already exists", new_name)};
  }
  DqRuleset ruleset = it->second;
  const std::string text = GetString(in, "Ruleset", ruleset.document["Ruleset"].get<std::string>());
  json::Result<std::vector<fakes::DqRule>> rules = Rules(text);
  if (!rules.ok()) return rules.error();
  ruleset.document["Name"] = new_name;
  if (Has(in, "Description")) ruleset.document["Description"] = in["Description"];
  ruleset.document["Ruleset"] = text;
  ruleset.document["LastModifiedOn"] = EpochSeconds(s.Now());
  s.rulesets.erase(it);
  s.data_quality.UndefineRuleset(name);
  Json out = {{"Name", new_name}};
  if (ruleset.document.contains("Description"))
    out["Description"] = ruleset.document["Description"];
  out["Ruleset"] = text;
  Define(s, new_name, std::move(ruleset), std::move(rules).value());
  return out;
}

host::Outcome DeleteDataQualityRuleset(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.rulesets.erase(name) == 0) return RulesetNotFound(name);
  s.data_quality.UndefineRuleset(name);
  return Json::object();
}

host::Outcome ListDataQualityRulesets(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {{.name = "MaxResults", .kind = FieldKind::kInteger, .min = 1, .max = 1000},
                       {.name = "NextToken"},
                       kTags});
  if (!checked.ok()) return checked.error();
  if (Has(in, "Filter")) {
    return InvalidInput("Filter: timeslip does not filter data quality rulesets yet; use Tags");
  }
  const Json tags = Has(in, "Tags") ? in["Tags"] : Json::object();
  std::vector<std::string> names;
  for (const auto& [name, ruleset] : s.rulesets) {
    bool tagged = true;
    for (const auto& [key, value] : tags.items()) {
      auto tag = ruleset.tags.find(key);
      tagged = tagged && tag != ruleset.tags.end() && *tag == value;
    }
    if (tagged) names.push_back(name);
  }
  Json next;
  auto page =
      NamePage(in, "ListDataQualityRulesets\n" + tags.dump(), names, kDefaultPageSize, next);
  if (!page.ok()) return page.error();
  Json rulesets = Json::array();
  for (const std::string& name : page.value()) {
    const DqRuleset& ruleset = s.rulesets.at(name);
    Json details = {{"Name", name}};
    for (const char* key : {"Description", "CreatedOn", "LastModifiedOn", "TargetTable"}) {
      if (ruleset.document.contains(key)) details[key] = ruleset.document[key];
    }
    details["RuleCount"] = ruleset.rule_count;
    rulesets.push_back(std::move(details));
  }
  Json out = {{"Rulesets", std::move(rulesets)}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

// The rulesets must exist here, as on AWS; a Step Functions task may still name one nobody
// created (scripted by name alone), as before the Glue API existed.
host::Outcome StartDataQualityRulesetEvaluationRun(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {{.name = "DataSource", .kind = FieldKind::kStructure, .required = true},
                       {.name = "Role", .required = true},
                       {.name = "RulesetNames",
                        .kind = FieldKind::kStringList,
                        .required = true,
                        .min = 1,
                        .max = 10},
                       {.name = "NumberOfWorkers", .kind = FieldKind::kInteger},
                       {.name = "Timeout", .kind = FieldKind::kInteger, .min = 1},
                       {.name = "AdditionalRunOptions", .kind = FieldKind::kStructure},
                       kClientToken});
  if (checked.ok()) {
    checked = CheckFields(in["DataSource"],
                          {{.name = "GlueTable", .kind = FieldKind::kStructure, .required = true}},
                          "dataSource");
  }
  if (checked.ok()) checked = CheckTable(in["DataSource"]["GlueTable"], "dataSource.glueTable");
  if (!checked.ok()) return checked.error();
  if (Has(in, "ClientToken")) {  // AWS answers a repeated token with the first run; never start another
    return InvalidInput("ClientToken (idempotent starts) is not supported by timeslip yet");
  }
  for (const Json& name : in["RulesetNames"]) {
    if (s.rulesets.count(name.get<std::string>()) == 0) {
      return RulesetNotFound(name.get<std::string>());
    }
  }
  json::Result<Json> started = s.data_quality.StartRunForApi(in);
  if (!started.ok()) return started.error();
  return std::move(started).value();
}

host::Outcome GetDataQualityRulesetEvaluationRun(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {{.name = "RunId", .required = true, .min = 1, .max = 255}});
  if (!checked.ok()) return checked.error();
  json::Result<Json> run = s.data_quality.GetRun(GetString(in, "RunId"));
  if (!run.ok()) return run.error();
  return OnTheGlueWire(std::move(run).value());
}

host::Outcome GetDataQualityResult(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {{.name = "ResultId", .required = true, .min = 1, .max = 255}});
  if (!checked.ok()) return checked.error();
  json::Result<Json> result = s.data_quality.GetResult(GetString(in, "ResultId"));
  if (!result.ok()) return result.error();
  return OnTheGlueWire(std::move(result).value());
}

}  // namespace

void RegisterDataQualityOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  using host::Access;
  AddOp(registry, state, "CreateDataQualityRuleset", Access::kWrites, &CreateDataQualityRuleset);
  AddOp(registry, state, "GetDataQualityRuleset", Access::kReads, &GetDataQualityRuleset);
  AddOp(registry, state, "UpdateDataQualityRuleset", Access::kWrites, &UpdateDataQualityRuleset);
  AddOp(registry, state, "DeleteDataQualityRuleset", Access::kWrites, &DeleteDataQualityRuleset);
  AddOp(registry, state, "ListDataQualityRulesets", Access::kReads, &ListDataQualityRulesets);
  AddOp(registry, state, "StartDataQualityRulesetEvaluationRun", Access::kWrites,
        &StartDataQualityRulesetEvaluationRun);
  AddOp(registry, state, "GetDataQualityRulesetEvaluationRun", Access::kReads,
        &GetDataQualityRulesetEvaluationRun);
  AddOp(registry, state, "GetDataQualityResult", Access::kReads, &GetDataQualityResult);
}

}  // namespace timeslip::services::glue
