#pragma once
// EventBridge Scheduler as a service of the host (service name "scheduler"), driving one
// fakes::Scheduler, so schedules start Step Functions executions on the engine's clock. Knows
// nothing of HTTP: api/ serves it as Scheduler's REST-JSON protocol (/schedules/{Name}).
// Documents use the model's member names (botocore's scheduler/2021-06-30):
//   CreateSchedule  {Name, ScheduleExpression, ScheduleExpressionTimezone, FlexibleTimeWindow
//                   {Mode: OFF|FLEXIBLE}, StartDate, EndDate (epoch seconds), State
//                   ENABLED|DISABLED, Description, Target {Arn: a state machine ARN, RoleArn,
//                   Input}} -> {"ScheduleArn"}
//   GetSchedule     {Name} -> the schedule as GetScheduleOutput shapes it
//   DeleteSchedule  {Name} -> {}
//   ListSchedules   {NamePrefix?, State?, MaxResults?, NextToken?} -> {"Schedules": [{Name, Arn,
//                   State, GroupName, Target {Arn}, CreationDate, LastModificationDate}],
//                   "NextToken"?}
// Only the "default" schedule group exists. A target is started as states:StartExecution; a
// FLEXIBLE window is accepted and fires at its start (timeslip is deterministic). Errors:
// ValidationException, ConflictException, ResourceNotFoundException, InternalServerException.
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html

#include <string_view>

#include "emulator/host/engine_host.h"
#include "fakes/scheduler.h"

namespace timeslip::services::scheduler {

inline constexpr std::string_view kServiceName = "scheduler";

// Registers the operations on `host`'s registry. `scheduler`: Not owned; must outlive `host`'s
// use of it, and run on `host`'s emulator.
void Register(host::EngineHost& host, fakes::Scheduler& scheduler);

}  // namespace timeslip::services::scheduler
