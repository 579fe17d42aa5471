#pragma once
// A job's definition: checking the settings CreateJob and UpdateJob's JobUpdate carry, the Job
// shape GetJob answers (with AWS's defaults filled in), and what the job's runs take from it.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html#aws-glue-api-jobs-job-Job

#include <string>
#include <string_view>

#include "emulator/json/result.h"
#include "emulator/services/glue/fields.h"
#include "emulator/time/clock.h"
#include "fakes/behaviour.h"

namespace timeslip::services::glue {

// AWS's defaults and limits. https://docs.aws.amazon.com/glue/latest/dg/add-job.html
inline constexpr int kDefaultTimeoutMinutes = 2880;  // 48 hours
inline constexpr int kMaxTimeoutMinutes = 10080;     // 7 days
inline constexpr double kDefaultMaxCapacity = 10;    // DPUs of a Spark job without workers
inline constexpr double kPythonShellMaxCapacity = 0.0625;

// Checks a job's settings (CreateJob's, or JobUpdate's at `parent` "jobUpdate"): each member's
// type and range, and the combinations Glue refuses (WorkerType without NumberOfWorkers, workers
// and MaxCapacity both). `require_role_and_command`: CreateJob's required members.
json::Status CheckJobSettings(const Json& settings, std::string_view parent,
                              bool require_role_and_command);

// The Job shape of job `name` with `settings` (checked), created and last modified at those
// instants.
Json JobDocument(const std::string& name, const Json& settings, time::Instant created_on,
                 time::Instant last_modified_on);

// What a run of the job takes from its Job document.
fakes::GlueJobConfig RunConfig(const Json& job);

}  // namespace timeslip::services::glue
