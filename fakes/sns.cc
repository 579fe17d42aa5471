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

bool IsFifoTopic(const std::string& arn) {
  constexpr std::string_view kFifo = ".fifo";
  return arn.size() >= kFifo.size() &&
         arn.compare(arn.size() - kFifo.size(), kFifo.size(), kFifo) == 0;
}

// An SNS error as the SDK inside Step Functions words it.
json::Error ServiceError(const std::string& exception, int status, const std::string& code,
                         const std::string& message, const std::string& request_id) {
  return {"SNS." + exception,
          fmt::format("{} (Service: AmazonSNS; Status Code: {}; Error Code: {}; Request ID: {}; "
                      "Proxy: null)",
                      message, status, code, request_id)};
}

// The XML body of SNS's Publish response, whose length AWS reports as Content-Length:
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
std::string PublishResponseXml(const std::string& message_id, const std::string& sequence_number,
                               const std::string& request_id) {
  std::string xml =
      "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
      "  <PublishResult>\n"
      "    <MessageId>" +
      message_id + "</MessageId>\n";
  if (!sequence_number.empty()) {
    xml += "    <SequenceNumber>" + sequence_number + "</SequenceNumber>\n";
  }
  xml +=
      "  </PublishResult>\n"
      "  <ResponseMetadata>\n"
      "    <RequestId>" +
      request_id +
      "</RequestId>\n"
      "  </ResponseMetadata>\n"
      "</PublishResponse>\n";
  return xml;
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
  if (IsFifoTopic(m.topic_arn) && m.message_group_id.empty()) {
    return json::Error{"InvalidParameterException",
                       "Invalid parameter: The MessageGroupId parameter is required for FIFO "
                       "topics"};
  }
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
    const std::string request_id = ctx_.rng().Uuid();
    const std::string code = read.error().name.substr(0, read.error().name.rfind("Exception"));
    return ctx_.AnswerAfter(
        request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
        ServiceError(read.error().name, 400, code, read.error().message, request_id));
  }
  if (step.outcome == OutcomeKind::kHang) return;
  if (step.outcome == OutcomeKind::kNotFound) {
    return ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                            ServiceError("NotFoundException", 404, "NotFound",
                                         "Topic does not exist", ctx_.rng().Uuid()));
  }
  if (std::optional<json::Error> error = ScriptedSdkError(step, "SNS", "ThrottledException")) {
    return ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                            std::move(*error));
  }
  // The message is published when the call returns; the id is drawn now, so the order of
  // draws follows the order of calls.
  SnsMessage m = std::move(read).value();
  m.message_id = ctx_.rng().Uuid();
  m.execution_arn = request.execution_arn;
  const std::string request_id = ctx_.rng().Uuid();
  // FIFO topics number their messages, per topic, in the order they are published.
  std::string sequence_number;
  if (IsFifoTopic(m.topic_arn)) {
    sequence_number = fmt::format("{}", kFirstSequenceNumber + sequence_numbers_[m.topic_arn]++);
  }
  nlohmann::ordered_json answer = {{"MessageId", m.message_id}};
  if (step.result && step.result->is_object()) answer.update(*step.result);
  const std::size_t length = PublishResponseXml(m.message_id, sequence_number, request_id).size();
  nlohmann::ordered_json metadata = SdkHttpMetadata(ctx_.Now() + turn.latency, request_id, length);
  // SNS's query protocol answers XML, and its connection header in lower case.
  for (const char* map : {"HttpHeaders", "AllHttpHeaders"}) {
    nlohmann::ordered_json& headers = metadata[map];
    headers["connection"] = headers["Connection"];
    headers.erase("Connection");
    headers["Content-Type"] = std::string_view(map) == "HttpHeaders"
                                  ? nlohmann::ordered_json("text/xml")
                                  : nlohmann::ordered_json::array({"text/xml"});
  }
  answer["SdkHttpMetadata"] = std::move(metadata);
  answer["SdkResponseMetadata"] = SdkResponseMetadata(request_id);
  if (!sequence_number.empty()) answer["SequenceNumber"] = sequence_number;
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
