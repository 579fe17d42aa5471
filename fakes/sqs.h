#pragma once
// SqsFake: Amazon SQS behind arn:aws:states:::sqs:sendMessage (and .waitForTaskToken), recording
// every message it accepts. Parameters: QueueUrl, MessageBody (a non-string is sent as its JSON
// text), MessageAttributes, DelaySeconds, MessageGroupId, MessageDeduplicationId.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
//
// Output: {"MD5OfMessageAttributes" (with attributes), "MD5OfMessageBody", "MessageId": a UUID
// from the seeded Rng, "SdkHttpMetadata", "SdkResponseMetadata"}, and "SequenceNumber" for a
// FIFO queue (a URL ending ".fifo"); the digests are SQS's (MD5 of the body; of the attributes
// as SQS encodes them), Content-Length that of SQS's JSON answer.
// Errors: a missing QueueUrl or MessageBody is SQS.MissingParameterException; a FIFO queue
// without MessageGroupId SQS.MissingParameterException too; "notFound" is
// SQS.QueueDoesNotExistException; a behaviour error as scripted; throttle is
// SQS.RequestThrottledException. Targets: the QueueUrl, then the queue's name.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/engine/integration.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kSqsSendMessage = "arn:aws:states:::sqs:sendMessage";

struct SqsMessage {
  std::string message_id;
  std::string queue_url;
  std::string body;
  nlohmann::ordered_json message_attributes = nlohmann::ordered_json::object();
  std::string message_group_id;
  time::Instant sent_at;
  std::string execution_arn;
  std::string task_token;  // of a .waitForTaskToken Task; empty otherwise
};

// The hex MD5 digests SQS answers: of a message body, and of its attributes as SQS encodes them
// (by name; each name, data type and value length-prefixed, the value's transport type between).
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
std::string Md5Hex(const std::string& bytes);
std::string MessageAttributesMd5(const nlohmann::ordered_json& attributes);

class SqsFake final : public engine::Integration {
 public:
  explicit SqsFake(FakeContext& context) : ctx_(context) {}  // Not owned.
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { ctx_.Cancel(task_id); }

  // Every message sent, in order.
  const std::vector<SqsMessage>& messages() const { return messages_; }

 private:
  // Where a FIFO queue's sequence numbers start (AWS's are 20-digit decimal strings).
  static constexpr std::uint64_t kFirstSequenceNumber = 10000000000000000000ull;

  FakeContext& ctx_;
  std::vector<SqsMessage> messages_;
  std::map<std::string, std::uint64_t> sequence_numbers_;  // per FIFO queue: messages so far
};

}  // namespace timeslip::fakes
