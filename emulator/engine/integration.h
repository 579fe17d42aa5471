#pragma once
// The port through which Task states reach services: an Integration per resource, fake or not,
// found through the Integrations registry by resource ARN.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace timeslip::engine {

// AWS's three service integration patterns, from the resource's suffix.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
enum class IntegrationPattern { kRequestResponse, kSync, kWaitForTaskToken };

// One attempt of one Task state.
struct TaskRequest {
  std::uint64_t task_id = 0;      // unique per attempt, for Cancel
  std::string resource;           // as written: "arn:aws:states:::glue:startJobRun.sync"
  std::string service_resource;   // without the pattern suffix: "arn:aws:states:::glue:startJobRun"
  IntegrationPattern pattern = IntegrationPattern::kRequestResponse;
  nlohmann::ordered_json parameters;      // the effective parameters after InputPath and Parameters
  std::string execution_arn;
  std::string state_name;
  int attempt = 0;                // 0 for the first try, then 1, 2, ... under Retry
  std::string task_token;         // for kWaitForTaskToken; empty otherwise
  std::string region;
  time::Instant scheduled_at;
};

// How an attempt reports back. Both are called on the engine thread.
struct TaskCallbacks {
  // .sync only: the job was started (TaskSubmitted carries `output`). Optional.
  std::function<void(nlohmann::ordered_json output)> submitted;
  // The attempt ended: a result, or an Error{name, cause}. For kWaitForTaskToken this is the
  // service's answer to the call that handed out the token (an error fails the task; a result
  // is recorded as TaskSubmitted and the task waits for its token). Called at most once; a
  // scripted hang never calls it.
  std::function<void(json::Result<nlohmann::ordered_json>)> done;
};

class Integration {
 public:
  virtual ~Integration() = default;
  virtual void Start(const TaskRequest& request, TaskCallbacks callbacks) = 0;
  // The execution was stopped or the attempt timed out: stop the work. After Cancel, `done`
  // may still be called; the engine ignores it.
  virtual void Cancel(std::uint64_t task_id) { (void)task_id; }
};

// Integrations by resource: an exact service resource ("arn:aws:states:::lambda:invoke") or a
// prefix ("arn:aws:lambda:" for plain function ARNs). Exact matches win; then the longest prefix.
class Integrations {
 public:
  void Register(std::string service_resource, Integration* integration);  // Not owned.
  void RegisterPrefix(std::string prefix, Integration* integration);     // Not owned.
  Integration* Find(const std::string& service_resource) const;

 private:
  std::map<std::string, Integration*> exact_;
  std::map<std::string, Integration*> prefixes_;
};

// Splits "arn:aws:states:::glue:startJobRun.sync" into the service resource and the pattern.
// ".sync:2" is .sync too.
struct ParsedResource {
  std::string service_resource;
  IntegrationPattern pattern;
};
ParsedResource ParseResource(const std::string& resource);

// True for "arn:aws:states:REGION:ACCOUNT:activity:NAME".
bool IsActivityArn(const std::string& resource);

// AWS's resourceType/resource split used in Task* history events: for
// "arn:aws:states:::glue:startJobRun.sync" the type is "glue" and the resource
// "startJobRun.sync"; for a plain Lambda function ARN, "lambda" and the ARN itself.
struct ResourceNames {
  std::string resource_type;
  std::string resource;
};
ResourceNames EventResourceNames(const std::string& resource);

// How AWS's causes name a task's resource: the service of an optimised integration ("lambda"
// for arn:aws:states:::lambda:invoke), otherwise the resource ARN itself.
std::string ResourceCauseName(const std::string& resource);

}  // namespace timeslip::engine
