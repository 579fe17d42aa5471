// CreateJob, GetJob, GetJobs, ListJobs, BatchGetJobs, UpdateJob, DeleteJob: the jobs of the Glue
// API, kept in the world's GlueJobs so a Step Functions task of the same name runs them.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "emulator/services/glue/job_shape.h"
#include "emulator/services/glue/service_internal.h"

namespace timeslip::services::glue {
namespace {

constexpr Field kJobName{.name = "JobName", .required = true, .min = 1, .max = 255};
constexpr Field kMaxResults{
    .name = "MaxResults", .kind = FieldKind::kInteger, .min = 1, .max = 1000};
constexpr Field kNextToken{.name = "NextToken"};
constexpr std::size_t kDefaultPageSize = 100;

json::Error JobNotFound(const std::string& name) {
  return EntityNotFound(fmt::format("Job {} not found", name));
}

time::Instant FromEpochSeconds(const Json& seconds) {
  return time::Instant(std::chrono::milliseconds(std::llround(seconds.get<double>() * 1000)));
}

fakes::GlueJobDefinition Definition(Json job, Json tags) {
  fakes::GlueJobConfig config = RunConfig(job);
  return {.job = std::move(job), .tags = std::move(tags), .config = std::move(config)};
}

// True when the job carries every tag of `filter`.
bool Tagged(const fakes::GlueJobDefinition& job, const Json& filter) {
  for (const auto& [key, value] : filter.items()) {
    auto it = job.tags.find(key);
    if (it == job.tags.end() || *it != value) return false;
  }
  return true;
}

// One page of the jobs (by name) that carry `tags`, after the NextToken's position; sets
// `next` to the token of the page after it, if any.
json::Result<std::vector<const fakes::GlueJobDefinition*>> JobPage(State& s, const Json& in,
                                                                   const std::string& scope,
                                                                   const Json& tags, Json& next) {
  std::string after;
  if (Has(in, "NextToken")) {
    json::Result<std::string> position = DecodePageToken(GetString(in, "NextToken"), scope);
    if (!position.ok()) return position.error();
    after = position.value();
  }
  const std::size_t size = PageSize(in, kDefaultPageSize);
  std::vector<const fakes::GlueJobDefinition*> page;
  const auto& jobs = s.jobs.defined();
  auto it = after.empty() ? jobs.begin() : jobs.upper_bound(after);
  for (; it != jobs.end(); ++it) {
    if (!Tagged(it->second, tags)) continue;
    if (page.size() == size) {
      next = EncodePageToken(scope, GetString(page.back()->job, "Name"));
      break;
    }
    page.push_back(&it->second);
  }
  return page;
}

host::Outcome CreateJob(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {{.name = "Name", .required = true, .min = 1, .max = 255},
                                          {.name = "Tags", .kind = FieldKind::kStringMap}});
  if (checked.ok()) checked = CheckJobSettings(in, "", true);
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.jobs.Defined(name) != nullptr) {
    return json::Error{std::string(kAlreadyExists), fmt::format("Job {} already exists.", name)};
  }
  Json tags = Has(in, "Tags") ? in["Tags"] : Json::object();
  s.jobs.Define(name, Definition(JobDocument(name, in, s.Now(), s.Now()), std::move(tags)));
  return Json{{"Name", name}};
}

host::Outcome GetJob(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kJobName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "JobName");
  const fakes::GlueJobDefinition* job = s.jobs.Defined(name);
  if (job == nullptr) return JobNotFound(name);
  return Json{{"Job", job->job}};
}

host::Outcome GetJobs(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kMaxResults, kNextToken});
  if (!checked.ok()) return checked.error();
  Json next;
  auto page = JobPage(s, in, "GetJobs", Json::object(), next);
  if (!page.ok()) return page.error();
  Json jobs = Json::array();
  for (const fakes::GlueJobDefinition* job : page.value()) jobs.push_back(job->job);
  Json out = {{"Jobs", std::move(jobs)}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome ListJobs(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kMaxResults, kNextToken, {.name = "Tags", .kind = FieldKind::kStringMap}});
  if (!checked.ok()) return checked.error();
  const Json tags = Has(in, "Tags") ? in["Tags"] : Json::object();
  Json next;
  auto page = JobPage(s, in, "ListJobs\n" + tags.dump(), tags, next);
  if (!page.ok()) return page.error();
  Json names = Json::array();
  for (const fakes::GlueJobDefinition* job : page.value()) names.push_back(job->job["Name"]);
  Json out = {{"JobNames", std::move(names)}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome BatchGetJobs(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {{.name = "JobNames", .kind = FieldKind::kStringList, .required = true}});
  if (!checked.ok()) return checked.error();
  Json jobs = Json::array(), missing = Json::array();
  for (const Json& name : in["JobNames"]) {
    const fakes::GlueJobDefinition* job = s.jobs.Defined(name.get<std::string>());
    if (job != nullptr) {
      jobs.push_back(job->job);
    } else {
      missing.push_back(name);
    }
  }
  return Json{{"Jobs", std::move(jobs)}, {"JobsNotFound", std::move(missing)}};
}

// "The previous job definition is completely overwritten by this information":
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html#aws-glue-api-jobs-job-UpdateJob
host::Outcome UpdateJob(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in, {kJobName, {.name = "JobUpdate", .kind = FieldKind::kStructure, .required = true}});
  if (checked.ok()) checked = CheckJobSettings(in["JobUpdate"], "jobUpdate", false);
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "JobName");
  const fakes::GlueJobDefinition* old = s.jobs.Defined(name);
  if (old == nullptr) return JobNotFound(name);
  const time::Instant created_on = FromEpochSeconds(old->job["CreatedOn"]);
  Json tags = old->tags;
  s.jobs.Define(
      name, Definition(JobDocument(name, in["JobUpdate"], created_on, s.Now()), std::move(tags)));
  return Json{{"JobName", name}};
}

// "If the job definition is not found, no exception is thrown":
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html#aws-glue-api-jobs-job-DeleteJob
host::Outcome DeleteJob(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kJobName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "JobName");
  s.jobs.Undefine(name);
  return Json{{"JobName", name}};
}

}  // namespace

void RegisterJobOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  using host::Access;
  AddOp(registry, state, "CreateJob", Access::kWrites, &CreateJob);
  AddOp(registry, state, "GetJob", Access::kReads, &GetJob);
  AddOp(registry, state, "GetJobs", Access::kReads, &GetJobs);
  AddOp(registry, state, "ListJobs", Access::kReads, &ListJobs);
  AddOp(registry, state, "BatchGetJobs", Access::kReads, &BatchGetJobs);
  AddOp(registry, state, "UpdateJob", Access::kWrites, &UpdateJob);
  AddOp(registry, state, "DeleteJob", Access::kWrites, &DeleteJob);
}

}  // namespace timeslip::services::glue
