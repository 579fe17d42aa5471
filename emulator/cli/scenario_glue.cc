// Reading "glue" and "expectWorkflowRun(s)". The Glue requests are kept as written: the Glue
// API's own operations check them when the scenario runs, so a scenario and `aws glue` accept
// and refuse the same documents.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string_view>

#include "emulator/cli/scenario_expect_internal.h"
#include "emulator/cli/scenario_glue_internal.h"

namespace timeslip::cli::internal {
namespace {

// AWS's WorkflowRunStatus and JobRunState values, and WorkflowRunStatistics' members.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-workflow.html
constexpr std::string_view kRunStatuses[] = {"RUNNING", "COMPLETED", "STOPPING", "STOPPED",
                                             "ERROR"};
constexpr std::string_view kJobRunStates[] = {"STARTING",  "RUNNING", "STOPPING", "STOPPED",
                                              "SUCCEEDED", "FAILED",  "ERROR",    "WAITING",
                                              "TIMEOUT",   "EXPIRED"};
constexpr std::string_view kStatistics[] = {"TotalActions",   "TimeoutActions",   "FailedActions",
                                            "StoppedActions", "SucceededActions", "RunningActions",
                                            "ErroredActions", "WaitingActions"};

template <std::size_t N>
bool OneOf(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

template <std::size_t N>
std::string Join(const std::string_view (&names)[N]) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// Member `key` of `v`: a list of Glue API requests for `operation`, each with a "Name".
bool ReadRequests(ScenarioReader& in, const FieldReader& v, const char* key, const char* operation,
                  GlueSpec& out, std::vector<std::string>* names) {
  if (!v.Has(key)) return true;
  const FieldReader list = v.Child(key);
  if (json::Checked<std::monostate> array = list.Is(json::Type::kArray); !array.ok()) {
    return in.Problem(array.error());
  }
  for (const FieldReader& request : list.Elements()) {
    if (json::Checked<std::monostate> object = request.Is(json::Type::kObject); !object.ok()) {
      return in.Problem(request.path(), fmt::format("must be a {} request (an object), got {}",
                                                    operation, Describe(request.value())));
    }
    if (!request.Has("Name")) return in.Problem(request.Missing("Name"));
    std::string name;
    if (!in.NonEmptyString(request.Child("Name"), name)) return false;
    if (names != nullptr) {
      if (std::find(names->begin(), names->end(), name) != names->end()) {
        return in.Problem(request.PathOf("Name"), "'" + name + "' is declared twice");
      }
      names->push_back(name);
    }
    out.requests.push_back(
        GlueRequest{.operation = operation, .where = request.path(), .input = request.value()});
  }
  return true;
}

}  // namespace

bool ReadGlue(ScenarioReader& in, const FieldReader& v, GlueSpec& out) {
  if (!in.CheckKeys(v, {"jobs", "workflows", "triggers"})) return false;
  return ReadRequests(in, v, "jobs", "CreateJob", out, &out.jobs) &&
         ReadRequests(in, v, "workflows", "CreateWorkflow", out, &out.workflows) &&
         ReadRequests(in, v, "triggers", "CreateTrigger", out, nullptr);
}

bool ReadStringMap(ScenarioReader& in, const FieldReader& v, nlohmann::ordered_json& out) {
  if (!v.Is(json::Type::kObject).ok()) {
    return in.Problem(v.path(), "must be an object of strings, got " + Describe(v.value()));
  }
  for (const FieldReader& member : v.Members()) {
    std::string value;
    if (!in.String(member, value)) return false;
  }
  out = v.value();
  return true;
}

bool KnownGlueName(ScenarioReader& in, const FieldReader& v, const std::vector<std::string>& known,
                   const char* what, const char* list, std::string& out) {
  if (!in.NonEmptyString(v, out)) return false;
  if (std::find(known.begin(), known.end(), out) != known.end()) return true;
  return in.Problem(v.path(), fmt::format("no {} '{}' in {}", what, out, list));
}

bool ReadWorkflowRunExpectation(ScenarioReader& in, const FieldReader& v, const GlueSpec& glue,
                                WorkflowRunExpectation& e) {
  if (!in.CheckKeys(v, {"status", "statistics", "runProperties", "runPropertiesContain", "jobs",
                        "notRun", "jobRunsContain", "duration"})) {
    return false;
  }
  if (v.Has("status")) {
    std::string status;
    if (!in.String(v.Child("status"), status)) return false;
    if (!OneOf(kRunStatuses, status)) {
      return in.Problem(v.PathOf("status"),
                        "must be " + Join(kRunStatuses) + ", got '" + status + "'");
    }
    e.status = status;
  }
  if (v.Has("statistics")) {
    const FieldReader stats = v.Child("statistics");
    if (!stats.Is(json::Type::kObject).ok()) {
      return in.Problem(stats.path(), "must be an object of statistic -> count");
    }
    for (const FieldReader& stat : stats.Members()) {
      if (!OneOf(kStatistics, stat.name())) {
        return in.Problem(stat.path(), "is not a workflow run statistic (expected one of: " +
                                           Join(kStatistics) + ")");
      }
      int n = 0;
      if (!in.Int(stat, 0, 1000000, n)) return false;
      e.statistics[stat.name()] = n;
    }
  }
  for (auto [key, out] : {std::pair{"runProperties", &e.run_properties},
                          std::pair{"runPropertiesContain", &e.run_properties_contain}}) {
    if (!v.Has(key)) continue;
    nlohmann::ordered_json properties;
    if (!ReadStringMap(in, v.Child(key), properties)) return false;
    *out = std::move(properties);
  }
  if (v.Has("jobs")) {
    const FieldReader jobs = v.Child("jobs");
    if (!jobs.Is(json::Type::kObject).ok()) {
      return in.Problem(jobs.path(), "must be an object of job -> [JobRunState...]");
    }
    for (const FieldReader& job : jobs.Members()) {
      std::string name = job.name();
      if (std::find(glue.jobs.begin(), glue.jobs.end(), name) == glue.jobs.end()) {
        return in.Problem(job.path(), "no job '" + name + "' in glue.jobs");
      }
      std::vector<std::string> states;
      if (!in.StringList(job, states)) return false;
      for (std::size_t i = 0; i < states.size(); ++i) {
        if (!OneOf(kJobRunStates, states[i])) {
          return in.Problem(job.Index(i).path(), "must be a JobRunState (" + Join(kJobRunStates) +
                                                     "), got '" + states[i] + "'");
        }
      }
      e.jobs[name] = std::move(states);
    }
  }
  if (v.Has("notRun")) {
    const FieldReader list = v.Child("notRun");
    if (!list.Is(json::Type::kArray).ok()) {
      return in.Problem(list.path(),
                        "must be an array of job names, got " + Describe(list.value()));
    }
    for (const FieldReader& item : list.Elements()) {
      std::string name;
      if (!KnownGlueName(in, item, glue.jobs, "job", "glue.jobs", name)) return false;
      e.not_run.push_back(std::move(name));
    }
  }
  if (v.Has("jobRunsContain")) {
    const FieldReader jobs = v.Child("jobRunsContain");
    if (!jobs.Is(json::Type::kObject).ok()) {
      return in.Problem(jobs.path(), "must be an object of job -> [JobRun...]");
    }
    for (const FieldReader& job : jobs.Members()) {
      const std::string& name = job.name();
      if (std::find(glue.jobs.begin(), glue.jobs.end(), name) == glue.jobs.end()) {
        return in.Problem(job.path(), "no job '" + name + "' in glue.jobs");
      }
      if (!job.Is(json::Type::kArray).ok()) {
        return in.Problem(job.path(),
                          "must be an array of JobRun objects, got " + Describe(job.value()));
      }
      for (const FieldReader& run : job.Elements()) {
        if (json::Checked<std::monostate> object = run.Is(json::Type::kObject); !object.ok()) {
          return in.Problem(object.error());
        }
      }
      e.job_runs_contain[name] = job.value();
    }
  }
  return !v.Has("duration") ||
         ReadDuration(in, v.Child("duration"), e.duration_min, e.duration_max);
}

}  // namespace timeslip::cli::internal
