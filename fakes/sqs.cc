#include "fakes/sqs.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <optional>
#include <utility>

namespace timeslip::fakes {
namespace {

bool IsFifoQueue(const std::string& url) {
  constexpr std::string_view kFifo = ".fifo";
  return url.size() >= kFifo.size() &&
         url.compare(url.size() - kFifo.size(), kFifo.size(), kFifo) == 0;
}

// An SQS error as the SDK inside Step Functions words it.
json::Error ServiceError(const std::string& exception, const std::string& code,
                         const std::string& message, const std::string& request_id) {
  return {"SQS." + exception,
          fmt::format("{} (Service: AmazonSQS; Status Code: 400; Error Code: {}; Request ID: {}; "
                      "Proxy: null)",
                      message, code, request_id)};
}

void AppendLengthPrefixed(const std::string& bytes, std::string& out) {
  const auto n = static_cast<std::uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  out += bytes;
}

// The message SQS would accept, or what it answers when it would not.
struct Read {
  std::optional<SqsMessage> message;
  std::string missing;  // the missing parameter's name
};

Read ReadMessage(const nlohmann::ordered_json& params) {
  SqsMessage m;
  m.queue_url = StringParam(params, "QueueUrl");
  if (m.queue_url.empty()) return {std::nullopt, "QueueUrl"};
  if (!params.contains("MessageBody")) return {std::nullopt, "MessageBody"};
  // Step Functions sends a non-string MessageBody as its JSON text.
  const nlohmann::ordered_json& body = params["MessageBody"];
  m.body = body.is_string() ? body.get<std::string>() : body.dump();
  m.message_group_id = StringParam(params, "MessageGroupId");
  if (IsFifoQueue(m.queue_url) && m.message_group_id.empty()) {
    return {std::nullopt, "MessageGroupId"};
  }
  if (params.contains("MessageAttributes") && params["MessageAttributes"].is_object()) {
    m.message_attributes = params["MessageAttributes"];
  }
  return {std::move(m), ""};
}

}  // namespace

std::string Md5Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string MessageAttributesMd5(const nlohmann::ordered_json& attributes) {
  std::map<std::string, const nlohmann::ordered_json*> by_name;  // SQS digests them by name
  for (auto it = attributes.begin(); it != attributes.end(); ++it) by_name[it.key()] = &it.value();
  std::string encoded;
  for (const auto& [name, attribute] : by_name) {
    const std::string type = StringParam(*attribute, "DataType");
    AppendLengthPrefixed(name, encoded);
    AppendLengthPrefixed(type, encoded);
    // Binary values travel as 2, strings and numbers as 1. A Task passes BinaryValue as the
    // base64 text it was given; it is digested as that text.
    const bool binary = type.rfind("Binary", 0) == 0;
    encoded += static_cast<char>(binary ? 2 : 1);
    AppendLengthPrefixed(StringParam(*attribute, binary ? "BinaryValue" : "StringValue"), encoded);
  }
  return Md5Hex(encoded);
}

void SqsFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const std::string url = StringParam(request.parameters, "QueueUrl");
  const std::string queue_name =
      url.substr(url.rfind('/') == std::string::npos ? 0 : url.rfind('/') + 1);
  FakeContext::Turn turn = ctx_.Next(Service::kSqs, url, {url, queue_name});
  const std::int64_t call_id = ctx_.Record(Service::kSqs, "sendMessage", url, request, turn.call);
  const Step& step = turn.step;

  Read read = ReadMessage(request.parameters);
  if (!read.message) {
    return ctx_.AnswerAfter(
        request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
        ServiceError("MissingParameterException", "MissingParameter",
                     fmt::format("The request must contain the parameter {}.", read.missing),
                     ctx_.rng().Uuid()));
  }
  if (step.outcome == OutcomeKind::kHang) return;
  if (step.outcome == OutcomeKind::kNotFound) {
    return ctx_.AnswerAfter(
        request.task_id, call_id, turn.latency, std::move(callbacks.done),
        ServiceError("QueueDoesNotExistException", "AWS.SimpleQueueService.NonExistentQueue",
                     "The specified queue does not exist for this wsdl "
                     "version.",
                     ctx_.rng().Uuid()));
  }
  if (std::optional<json::Error> error =
          ScriptedSdkError(step, "SQS", "RequestThrottledException")) {
    return ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                            std::move(*error));
  }
  // Ids are drawn now, so the order of draws follows the order of calls.
  SqsMessage m = std::move(*read.message);
  m.message_id = ctx_.rng().Uuid();
  m.execution_arn = request.execution_arn;
  m.task_token = request.task_token;
  const std::string request_id = ctx_.rng().Uuid();
  // SQS's JSON answer, in its order; its text's length is the Content-Length.
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  if (!m.message_attributes.empty()) {
    body["MD5OfMessageAttributes"] = MessageAttributesMd5(m.message_attributes);
  }
  body["MD5OfMessageBody"] = Md5Hex(m.body);
  body["MessageId"] = m.message_id;
  if (IsFifoQueue(m.queue_url)) {
    body["SequenceNumber"] =
        fmt::format("{}", kFirstSequenceNumber + sequence_numbers_[m.queue_url]++);
  }
  nlohmann::ordered_json answer = body;
  if (step.result && step.result->is_object()) answer.update(*step.result);
  nlohmann::ordered_json metadata =
      SdkHttpMetadata(ctx_.Now() + turn.latency, request_id, body.dump().size());
  for (const char* map : {"HttpHeaders", "AllHttpHeaders"}) {
    nlohmann::ordered_json& headers = metadata[map];
    headers["connection"] = headers["Connection"];  // SQS's is in lower case
    headers.erase("Connection");
    const char* type = "application/x-amz-json-1.0";
    headers["Content-Type"] = std::string_view(map) == "HttpHeaders"
                                  ? nlohmann::ordered_json(type)
                                  : nlohmann::ordered_json::array({type});
  }
  answer["SdkHttpMetadata"] = std::move(metadata);
  answer["SdkResponseMetadata"] = SdkResponseMetadata(request_id);
  ctx_.AnswerAfter(
      request.task_id, call_id, turn.latency,
      [this, m = std::move(m),
       done = std::move(callbacks.done)](json::Result<nlohmann::ordered_json> outcome) mutable {
        m.sent_at = ctx_.Now();
        messages_.push_back(std::move(m));
        if (done) done(std::move(outcome));
      },
      std::move(answer));
}

}  // namespace timeslip::fakes
