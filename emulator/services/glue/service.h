#pragma once
// AWS Glue's job API as a service of the host (service name "glue"), over the same GlueJobs the
// `glue:startJobRun[.sync]` Tasks run: a job created here is the job a task of that name runs,
// and a run started either way is listed here, counts against the job's MaxConcurrentRuns and
// plays the same scripted behaviours on the engine's clock. Knows nothing of HTTP: api/ serves
// it as AWS JSON 1.1 ("AWSGlue.<Operation>"). Shapes and member names: botocore's
// glue/2017-03-31 model; timestamps are epoch seconds.
//
//   CreateJob       {Name, Role, Command, ...the Job shape's settings, Tags} -> {Name}
//   GetJob          {JobName} -> {Job}
//   GetJobs         {MaxResults?, NextToken?} -> {Jobs, NextToken?}        by name
//   ListJobs        {MaxResults?, NextToken?, Tags?} -> {JobNames, NextToken?}
//   BatchGetJobs    {JobNames} -> {Jobs, JobsNotFound}
//   UpdateJob       {JobName, JobUpdate} -> {JobName}   JobUpdate replaces the whole definition
//   DeleteJob       {JobName} -> {JobName}              a job that does not exist is no error
//   StartJobRun     {JobName, Arguments?, Timeout?, WorkerType?, NumberOfWorkers?, ...}
//                   -> {JobRunId}
//   GetJobRun       {JobName, RunId} -> {JobRun}
//   GetJobRuns      {JobName, MaxResults?, NextToken?} -> {JobRuns, NextToken?}   newest first
//   BatchStopJobRun {JobName, JobRunIds} -> {SuccessfulSubmissions, Errors}
//
// Data quality (data_quality_ops.cc), over the world's DataQualityFake, shared with the
// aws-sdk:glue:*DataQuality* tasks: rulesets' DQDL is validated (dqdl.h) at Create and Update.
//   CreateDataQualityRuleset {Name, Ruleset, Description?, TargetTable?, Tags?} -> {Name}
//   GetDataQualityRuleset    {Name} -> {Name, Description?, Ruleset, TargetTable?, CreatedOn, ...}
//   UpdateDataQualityRuleset {Name, UpdatedName?, Description?, Ruleset?}
//                            -> {Name, Description?, Ruleset}
//   DeleteDataQualityRuleset {Name} -> {}
//   ListDataQualityRulesets  {MaxResults?, NextToken?, Tags?} -> {Rulesets, NextToken?}  by name
//   StartDataQualityRulesetEvaluationRun {DataSource, Role, RulesetNames, Timeout?, ...} -> {RunId}
//   GetDataQualityRulesetEvaluationRun   {RunId} -> the run (Status, ResultIds, ...)
//   GetDataQualityResult                 {ResultId} -> {Score, RuleResults, ...}
//
// The jobs GetJob and StartJobRun know are those CreateJob made; the runs GetJobRun(s) show are
// every run of that name, including a Step Functions task's run of a job nobody created. Runs
// of a deleted job stay readable.
// Errors, as Glue names them: InvalidInputException (a member missing, of the wrong type or out
// of its range, naming it; a bad NextToken), EntityNotFoundException, AlreadyExistsException,
// ConcurrentRunsExceededException, and a scripted "Glue.<Name>" refusal as <Name>.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html

#include <string_view>

#include "emulator/host/engine_host.h"
#include "fakes/fake_backends.h"

namespace timeslip::services::glue {

// The service name its commands carry: AWS's signing name.
inline constexpr std::string_view kServiceName = "glue";

// Registers every operation on `host`'s registry. `fakes`: Not owned; must outlive `host`'s use
// of it, and run on `host`'s emulator.
void Register(host::EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::services::glue
