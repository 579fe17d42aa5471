#pragma once
// FakeBackends: every fake backend, their shared behaviours and call log, behind one facade.
// RegisterOn() puts them in an Integrations registry under the resources AWS uses:
//   arn:aws:states:::glue:startJobRun[.sync]           GlueJobs
//   arn:aws:states:::lambda:invoke[.waitForTaskToken]  LambdaFake
//   arn:aws:lambda:...:function:NAME                   LambdaFake (prefix)
//   arn:aws:states:::http:invoke                       HttpTaskFake
//   arn:aws:states:::sns:publish                       SnsFake
//   arn:aws:states:::events:putEvents                  EventsFake
//   arn:aws:states:::sqs:sendMessage[.waitForTaskToken] SqsFake
//   arn:aws:states:::aws-sdk:glue:{start,get}DataQuality...  DataQualityFake
//
//   Emulator emulator(options);
//   fakes::FakeBackends fakes(emulator.engine());
//   fakes.RegisterOn(emulator.integrations());
//   json::Status loaded = fakes.LoadJson(R"({"glue": {...}})");   // POST /_timeslip/fakes
//   nlohmann::ordered_json calls = fakes.CallsJson();                      // GET /_timeslip/fakes/calls
//
// Lifetime: must outlive every execution that may still call it and the Integrations it was
// registered on (which keeps raw pointers). Threads: the engine's only.

#include <nlohmann/json.hpp>
#include <string_view>

#include "emulator/engine/engine.h"
#include "emulator/engine/integration.h"
#include "emulator/json/result.h"
#include "fakes/behaviour.h"
#include "fakes/call_log.h"
#include "fakes/context.h"
#include "fakes/data_quality.h"
#include "fakes/events.h"
#include "fakes/glue_jobs.h"
#include "fakes/http_task.h"
#include "fakes/lambda.h"
#include "fakes/sns.h"
#include "fakes/sqs.h"

namespace timeslip::fakes {

class FakeBackends {
 public:
  explicit FakeBackends(engine::Engine& engine);  // Not owned; must outlive this.
  FakeBackends(const FakeBackends&) = delete;
  FakeBackends& operator=(const FakeBackends&) = delete;

  void RegisterOn(engine::Integrations& integrations);

  // Replaces every behaviour (and restarts each target's call count). Runs already going keep
  // the outcome they drew. Errors: kBehaviourError naming the path; nothing changes then.
  json::Status LoadJson(std::string_view text);
  json::Status LoadDocument(const nlohmann::ordered_json& document);
  void Load(BehaviourSet behaviours) { context_.Load(std::move(behaviours)); }
  const BehaviourSet& behaviours() const { return context_.behaviours(); }

  const CallLog& calls() const { return context_.log(); }
  CallLog& calls() { return context_.log(); }
  nlohmann::ordered_json CallsJson() const { return context_.log().ToJson(); }

  GlueJobs& glue() { return glue_; }
  LambdaFake& lambda() { return lambda_; }
  HttpTaskFake& http() { return http_; }
  SnsFake& sns() { return sns_; }
  EventsFake& events() { return events_; }
  SqsFake& sqs() { return sqs_; }
  DataQualityFake& data_quality() { return data_quality_; }

 private:
  FakeContext context_;
  GlueJobs glue_;
  LambdaFake lambda_;
  HttpTaskFake http_;
  SnsFake sns_;
  EventsFake events_;
  SqsFake sqs_;
  DataQualityFake data_quality_;
};

}  // namespace timeslip::fakes
