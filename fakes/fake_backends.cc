#include "fakes/fake_backends.h"

namespace timeslip::fakes {

FakeBackends::FakeBackends(engine::Engine& engine)
    : context_(engine),
      glue_(context_),
      lambda_(context_),
      http_(context_),
      sns_(context_),
      events_(context_),
      sqs_(context_),
      data_quality_(context_) {}

void FakeBackends::RegisterOn(engine::Integrations& integrations) {
  integrations.Register(std::string(kGlueStartJobRun), &glue_);
  integrations.Register(std::string(kLambdaInvoke), &lambda_);
  integrations.RegisterPrefix(std::string(kLambdaArnPrefix), &lambda_);
  integrations.Register(std::string(kHttpInvoke), &http_);
  integrations.Register(std::string(kSnsPublish), &sns_);
  integrations.Register(std::string(kEventsPutEvents), &events_);
  integrations.Register(std::string(kSqsSendMessage), &sqs_);
  integrations.Register(std::string(kDqStartRun), &data_quality_);
  integrations.Register(std::string(kDqGetRun), &data_quality_);
  integrations.Register(std::string(kDqGetResult), &data_quality_);
}

json::Status FakeBackends::LoadJson(std::string_view text) {
  json::Result<BehaviourSet> set = ParseBehaviours(text);
  if (!set.ok()) return set.error();
  Load(std::move(set).value());
  return json::Ok();
}

json::Status FakeBackends::LoadDocument(const nlohmann::ordered_json& document) {
  json::Result<BehaviourSet> set = ParseBehaviourDocument(document);
  if (!set.ok()) return set.error();
  Load(std::move(set).value());
  return json::Ok();
}

}  // namespace timeslip::fakes
