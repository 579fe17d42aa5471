#include "fakes/glue_jobs.h"

#include <fmt/format.h>

#include "emulator/asl/error_names.h"

namespace timeslip::fakes {
namespace {

nlohmann::ordered_json Stamp(time::Instant t, TimestampStyle style) {
  const std::int64_t ms = t.time_since_epoch().count();
  if (style == TimestampStyle::kEpochMillis) return ms;
  return static_cast<double>(ms) / 1000.0;
}

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

nlohmann::ordered_json ToJson(const JobRun& run, TimestampStyle style) {
  nlohmann::ordered_json j = {{"Id", run.id},
                      {"Attempt", run.attempt},
                      {"JobName", run.job_name},
                      {"JobRunState", run.state},
                      {"Arguments", run.arguments},
                      {"StartedOn", Stamp(run.started_on, style)},
                      {"LastModifiedOn", Stamp(run.last_modified_on, style)},
                      {"PredecessorRuns", nlohmann::ordered_json::array()},
                      {"AllocatedCapacity", run.number_of_workers},
                      {"MaxCapacity", static_cast<double>(run.number_of_workers)},
                      {"Timeout", run.timeout_minutes},
                      {"WorkerType", run.worker_type},
                      {"NumberOfWorkers", run.number_of_workers},
                      {"GlueVersion", run.glue_version},
                      {"LogGroupName", "/aws-glue/jobs"},
                      {"ExecutionTime", 0}};
  if (run.completed_on) {
    j["CompletedOn"] = Stamp(*run.completed_on, style);
    j["ExecutionTime"] =
        std::chrono::duration_cast<std::chrono::seconds>(*run.completed_on - run.started_on)
            .count();
  }
  if (!run.error_message.empty()) j["ErrorMessage"] = run.error_message;
  if (!run.trigger_name.empty()) j["TriggerName"] = run.trigger_name;
  if (run.extra.is_object()) j.update(run.extra);
  return j;
}

GlueJobConfig GlueJobs::Job(const std::string& job_name) const {
  if (auto defined = defined_.find(job_name); defined != defined_.end()) {
    return defined->second.config;
  }
  const auto& jobs = ctx_.behaviours().glue_jobs;
  auto it = jobs.find(job_name);
  return it == jobs.end() ? GlueJobConfig{} : it->second;
}

void GlueJobs::Define(const std::string& job_name, GlueJobDefinition definition) {
  defined_.insert_or_assign(job_name, std::move(definition));
}

bool GlueJobs::Undefine(const std::string& job_name) { return defined_.erase(job_name) > 0; }

const GlueJobDefinition* GlueJobs::Defined(const std::string& job_name) const {
  auto it = defined_.find(job_name);
  return it == defined_.end() ? nullptr : &it->second;
}

JobRun* GlueJobs::Launch(const std::string& job_name, const nlohmann::ordered_json& params,
                         const FakeContext::Turn& turn, std::int64_t call_id, Refusal& refusal) {
  const Step& step = turn.step;
  // StartJobRun itself fails: no run is created.
  if (step.outcome == OutcomeKind::kThrottle) {
    refusal = {turn.latency, {"ThrottlingException", "Rate exceeded"}};
    return nullptr;
  }
  if (step.outcome == OutcomeKind::kError && StartsWith(step.error, "Glue.")) {
    refusal = {turn.latency, {step.error.substr(5), step.cause}};
    return nullptr;
  }
  const GlueJobConfig job = Job(job_name);
  int active = 0;
  for (const auto& r : runs_) active += r->job_name == job_name && r->active();
  if (active >= job.max_concurrent_runs) {
    refusal = {time::Duration{0},
               {"ConcurrentRunsExceededException",
                fmt::format("Concurrent runs exceeded for {}", job_name)}};
    return nullptr;
  }

  auto run = std::make_unique<JobRun>();
  run->id = "jr_" + ctx_.rng().Hex(64);
  run->job_name = job_name;
  if (params.contains("Arguments") && params["Arguments"].is_object()) {
    run->arguments = params["Arguments"];
  }
  run->started_on = run->last_modified_on = ctx_.Now();
  run->timeout_minutes = job.timeout_minutes;
  if (params.contains("Timeout") && params["Timeout"].is_number_integer() &&
      params["Timeout"].get<std::int64_t>() > 0 && params["Timeout"].get<std::int64_t>() <= 10080) {
    run->timeout_minutes = static_cast<int>(params["Timeout"].get<std::int64_t>());
  }
  run->worker_type = job.worker_type;
  run->number_of_workers = job.number_of_workers;
  if (params.contains("WorkerType") && params["WorkerType"].is_string()) {
    run->worker_type = params["WorkerType"].get<std::string>();
  }
  if (params.contains("NumberOfWorkers") && params["NumberOfWorkers"].is_number_integer()) {
    run->number_of_workers = static_cast<int>(params["NumberOfWorkers"].get<std::int64_t>());
  }
  run->glue_version = job.glue_version;
  if (step.result && step.result->is_object()) run->extra = *step.result;

  // How and when the run ends.
  const time::Duration timeout = std::chrono::minutes(run->timeout_minutes);
  time::Duration runs_for = turn.latency;
  std::string final_state = "SUCCEEDED";
  std::string message;
  if (step.outcome == OutcomeKind::kError) {
    final_state = "FAILED";
    message = step.cause.empty() ? step.error : step.cause;
  } else if (step.outcome == OutcomeKind::kTimeout || step.outcome == OutcomeKind::kHang) {
    runs_for = timeout;
  }
  if (runs_for >= timeout) {
    runs_for = timeout;
    final_state = "TIMEOUT";
    message = fmt::format("Job run timed out after {} minutes", run->timeout_minutes);
  }

  JobRun* r = run.get();
  runs_.push_back(std::move(run));
  by_id_[r->id] = r;
  const std::string run_id = r->id;
  // STARTING -> RUNNING once the loop turns, then the end.
  ctx_.engine().ScheduleAt(ctx_.Now(), [this, run_id] {
    auto it = by_id_.find(run_id);
    if (it != by_id_.end() && it->second->state == "STARTING") {
      it->second->state = "RUNNING";
      it->second->last_modified_on = ctx_.Now();
    }
  });
  Live& live = live_[run_id];
  live.call_id = call_id;
  live.timer =
      ctx_.engine().ScheduleAt(ctx_.Now() + runs_for, [this, run_id, final_state, message] {
        auto it = by_id_.find(run_id);
        if (it != by_id_.end()) End(*it->second, final_state, message);
      });
  return r;
}

void GlueJobs::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const bool sync = request.pattern == engine::IntegrationPattern::kSync;
  const nlohmann::ordered_json& params = request.parameters;
  const std::string job_name = StringParam(params, "JobName");
  FakeContext::Turn turn = ctx_.Next(Service::kGlue, job_name, {job_name});
  const std::int64_t call_id = ctx_.Record(
      Service::kGlue, sync ? "startJobRun.sync" : "startJobRun", job_name, request, turn.call);
  auto refuse = [&](time::Duration after, std::string name, std::string message) {
    ctx_.AnswerAfter(request.task_id, call_id, after, std::move(callbacks.done),
                     json::Error{std::move(name), std::move(message)});
  };

  if (job_name.empty()) {
    return refuse(time::Duration{0}, "Glue.InvalidInputException",
                  "1 validation error detected: Value null at 'jobName' failed to satisfy "
                  "constraint: Member must not be null");
  }
  Refusal refusal;
  JobRun* r = Launch(job_name, params, turn, call_id, refusal);
  if (r == nullptr) {
    // Step Functions names the service's errors "Glue.<name>".
    return refuse(refusal.after, "Glue." + refusal.error.name, std::move(refusal.error.message));
  }
  r->task_id = sync ? request.task_id : 0;
  r->execution_arn = request.execution_arn;
  const std::string run_id = r->id;

  const std::string request_id = ctx_.rng().Uuid();
  nlohmann::ordered_json started = {{"JobName", job_name}, {"JobRunId", run_id}};
  started["SdkHttpMetadata"] =
      SdkHttpMetadata(ctx_.Now(), request_id, fmt::format(R"({{"JobRunId":"{}"}})", run_id).size());
  started["SdkResponseMetadata"] = SdkResponseMetadata(request_id);
  if (sync) {
    live_[run_id].done = std::move(callbacks.done);
    by_task_[request.task_id] = run_id;
    if (callbacks.submitted) callbacks.submitted(started);
  } else {
    // Request-response: the task ends now; the run goes on by itself.
    ctx_.AnswerAfter(request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
                     std::move(started));
  }
}

json::Result<std::string> GlueJobs::StartRun(const std::string& job_name,
                                             const nlohmann::ordered_json& params,
                                             const std::string& trigger_name) {
  FakeContext::Turn turn = ctx_.Next(Service::kGlue, job_name, {job_name});
  engine::TaskRequest request;  // no task: the call log shows the API's request
  request.parameters = params;
  const std::int64_t call_id = ctx_.Record(Service::kGlue, "StartJobRun", job_name, request,
                                           turn.call);
  Refusal refusal;
  JobRun* r = Launch(job_name, params, turn, call_id, refusal);
  if (r == nullptr) {
    ctx_.Finish(call_id, refusal.error);
    return refusal.error;
  }
  r->trigger_name = trigger_name;
  ctx_.Finish(call_id, nlohmann::ordered_json{{"JobRunId", r->id}});
  return r->id;
}

void GlueJobs::End(JobRun& run, std::string state, std::string error_message) {
  if (!run.active()) return;
  run.state = std::move(state);
  run.error_message = std::move(error_message);
  run.completed_on = run.last_modified_on = ctx_.Now();
  if (auto it = live_.find(run.id); it != live_.end()) {
    Live live = std::move(it->second);
    live_.erase(it);
    ctx_.engine().CancelTimer(live.timer);
    if (run.task_id != 0) by_task_.erase(run.task_id);
    if (live.done) {
      // A .sync task ends with the run. Anything but SUCCEEDED fails it with States.TaskFailed
      // and the JobRun as the cause. (Request-response: its call already ended.)
      json::Result<nlohmann::ordered_json> outcome = ToJson(run);
      if (run.state != "SUCCEEDED") {
        outcome = json::Error{std::string(asl::kStatesTaskFailed), ToJson(run).dump()};
      }
      ctx_.Finish(live.call_id, outcome);
      live.done(std::move(outcome));
    }
  }
  // By index: a listener may add runs (never listeners), and runs_ owns each run by pointer.
  for (std::size_t i = 0; i < end_listeners_.size(); ++i) end_listeners_[i](run);
}

void GlueJobs::AddRunEndListener(RunEndListener listener) {
  end_listeners_.push_back(std::move(listener));
}

void GlueJobs::Cancel(std::uint64_t task_id) {
  ctx_.Cancel(task_id);  // a refused start still on its way
  auto it = by_task_.find(task_id);
  if (it == by_task_.end()) return;
  const std::string run_id = it->second;
  auto live = live_.find(run_id);
  if (live != live_.end()) {
    ctx_.log().Finish(live->second.call_id, ctx_.Now(),
                      {{"cancelled", true}, {"JobRunState", "STOPPED"}});
    live->second.done = nullptr;  // the engine has moved on
  }
  // Step Functions stops the run when the execution stops or the task times out.
  End(*by_id_.at(run_id), "STOPPED", "");
}

std::vector<const JobRun*> GlueJobs::Runs(const std::string& job_name) const {
  std::vector<const JobRun*> out;
  for (auto it = runs_.rbegin(); it != runs_.rend(); ++it) {
    if ((*it)->job_name == job_name) out.push_back(it->get());
  }
  return out;
}

const JobRun* GlueJobs::FindRun(const std::string& job_name, const std::string& run_id) const {
  auto it = by_id_.find(run_id);
  if (it == by_id_.end() || it->second->job_name != job_name) return nullptr;
  return it->second;
}

json::Status GlueJobs::StopRun(const std::string& job_name, const std::string& run_id) {
  auto it = by_id_.find(run_id);
  if (it == by_id_.end() || it->second->job_name != job_name) {
    return json::Error{"EntityNotFoundException",
                       fmt::format("Job run {} for job {} not found", run_id, job_name)};
  }
  End(*it->second, "STOPPED", "");
  return json::Ok();
}

}  // namespace timeslip::fakes
