#include "fakes/sns.h"

#include <fmt/format.h>

#include "emulator/time/rfc3339.h"

namespace timeslip::fakes {
namespace {

std::string Destination(const nlohmann::ordered_json& params) {
  for (const char* key : {"TopicArn", "TargetArn", "PhoneNumber"}) {
    std::string v = StringParam(params, key);
    if (!v.empty()) return v;
  }
  return "";
}

}  // namespace

nlohmann::ordered_json ToJson(const SnsMessage& m) {
  nlohmann::ordered_json j = {{"MessageId", m.message_id},
                      {"TopicArn", m.topic_arn},
                      {"Message", m.message},
                      {"MessageAttributes", m.message_attributes},
                      {"PublishedAt", time::FormatRfc3339(m.published_at)}};
  if (!m.subject.empty()) j["Subject"] = m.subject;
  if (!m.message_structure.empty()) j["MessageStructure"] = m.message_structure;
  if (!m.message_group_id.empty()) j["MessageGroupId"] = m.message_group_id;
  if (!m.execution_arn.empty()) j["ExecutionArn"] = m.execution_arn;
  return j;
}

json::Result<SnsMessage> SnsFake::Read(const nlohmann::ordered_json& params) const {
  SnsMessage m;
  m.topic_arn = Destination(params);
  if (m.topic_arn.empty()) {
    return json::Error{"InvalidParameterException",
                       "Invalid parameter: TopicArn or TargetArn Reason: no value for required "
                       "parameter"};
  }
  if (!params.contains("Message")) {
    return json::Error{"InvalidParameterException",
                       "Invalid parameter: Message Reason: no value for required parameter"};
  }
  // Step Functions sends a non-string Message as its JSON text.
  const nlohmann::ordered_json& message = params["Message"];
  m.message = message.is_string() ? message.get<std::string>() : message.dump();
  m.subject = StringParam(params, "Subject");
  m.message_structure = StringParam(params, "MessageStructure");
  m.message_group_id = StringParam(params, "MessageGroupId");
  if (params.contains("MessageAttributes") && params["MessageAttributes"].is_object()) {
    m.message_attributes = params["MessageAttributes"];
  }
  return m;
}

json::Result<nlohmann::ordered_json> SnsFake::Publish(const nlohmann::ordered_json& params) {
  json::Result<SnsMessage> read = Read(params);
  if (!read.ok()) return read.error();
  SnsMessage m = std::move(read).value();
  m.message_id = ctx_.rng().Uuid();
  m.published_at = ctx_.Now();
  nlohmann::ordered_json answer = {{"MessageId", m.message_id}};
  messages_.push_back(std::move(m));
  return answer;
}

void SnsFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const std::string target = Destination(request.parameters);
  std::string topic_name =
      target.substr(target.rfind(':') == std::string::npos ? 0 : target.rfind(':') + 1);
  FakeContext::Turn turn = ctx_.Next(Service::kSns, target, {target, topic_name});
  const std::int64_t call_id = ctx_.Record(Service::kSns, "publish", target, request, turn.call);
  const Step& step = turn.step;

  json::Result<SnsMessage> read = Read(request.parameters);
  if (!read.ok()) {
    return ctx_.AnswerAfter(request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
                            json::Error{"SNS." + read.error().name, read.error().message});
  }
  switch (step.outcome) {
    case OutcomeKind::kHang:
      return;
    case OutcomeKind::kThrottle:
      return ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                              json::Error{"SNS.ThrottledException", "Rate exceeded"});
    case OutcomeKind::kTimeout:
      return ctx_.AnswerAfter(
          request.task_id, call_id, turn.latency, std::move(callbacks.done),
          json::Error{"SNS.SdkClientException", "Unable to execute HTTP request: Read timed out"});
    case OutcomeKind::kError:
      return ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                              json::Error{step.error, step.cause});
    case OutcomeKind::kSucceed:
      break;
  }
  // The message is published when the call returns; the id is drawn now, so the order of
  // draws follows the order of calls.
  SnsMessage m = std::move(read).value();
  m.message_id = ctx_.rng().Uuid();
  m.execution_arn = request.execution_arn;
  const std::string request_id = ctx_.rng().Uuid();
  nlohmann::ordered_json answer = {{"MessageId", m.message_id}};
  if (step.result && step.result->is_object()) answer.update(*step.result);
  answer["SdkHttpMetadata"] = SdkHttpMetadata(ctx_.Now() + turn.latency, request_id, 294);
  answer["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"] = "text/xml";
  answer["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Type"] = {"text/xml"};
  answer["SdkResponseMetadata"] = SdkResponseMetadata(request_id);
  ctx_.AnswerAfter(
      request.task_id, call_id, turn.latency,
      [this, m = std::move(m),
       done = std::move(callbacks.done)](json::Result<nlohmann::ordered_json> outcome) mutable {
        m.published_at = ctx_.Now();
        messages_.push_back(std::move(m));
        if (done) done(std::move(outcome));
      },
      std::move(answer));
}

std::vector<const SnsMessage*> SnsFake::MessagesTo(const std::string& topic_arn) const {
  std::vector<const SnsMessage*> out;
  for (const SnsMessage& m : messages_) {
    if (m.topic_arn == topic_arn) out.push_back(&m);
  }
  return out;
}

}  // namespace timeslip::fakes
