#pragma once
// EventBridge Scheduler's API on the endpoint, in AWS's REST-JSON protocol, driving one
// fakes::Scheduler, so schedules start Step Functions executions on the engine's clock:
//   POST   /schedules/{Name}  CreateSchedule: body {ScheduleExpression, ScheduleExpressionTimezone,
//          FlexibleTimeWindow {Mode: OFF|FLEXIBLE}, StartDate, EndDate (epoch seconds), State
//          ENABLED|DISABLED, Description, Target {Arn: a state machine ARN, RoleArn, Input}}
//          -> {"ScheduleArn"}
//   GET    /schedules/{Name}  GetSchedule -> the schedule as botocore's GetScheduleOutput shapes it
//   DELETE /schedules/{Name}  DeleteSchedule -> {}
//   GET    /schedules         ListSchedules [?NamePrefix=&State=&MaxResults=&NextToken=]
//          -> {"Schedules": [{Name, Arn, State, GroupName, Target {Arn}, CreationDate,
//          LastModificationDate}], "NextToken"?}
// Only the "default" schedule group exists. A target is started as states:StartExecution; a
// FLEXIBLE window is accepted and fires at its start (timeslip is deterministic).
// Errors are REST-JSON's: the status from the model, header X-Amzn-ErrorType: <Name>, body
// {"Message": "..."}: ValidationException 400, ConflictException 409,
// ResourceNotFoundException 404, InternalServerException 500; a path or method the API lacks is
// 404 UnknownOperationException. Every call runs on the EngineHost's thread.
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html

#include <string_view>

#include "emulator/api/engine_host.h"
#include "emulator/api/router.h"
#include "fakes/scheduler.h"

namespace timeslip::api {

inline constexpr std::string_view kSchedulesPath = "/schedules";

// Adds the Scheduler routes to `router`. `host`, `scheduler`: Not owned; must outlive `router`'s
// use. `scheduler` must run on `host`'s emulator.
void RegisterSchedulerOps(Router& router, EngineHost& host, fakes::Scheduler& scheduler);

}  // namespace timeslip::api
