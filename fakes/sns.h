#pragma once
// SnsFake: arn:aws:states:::sns:publish, recording every message it accepts. Parameters:
// TopicArn (or TargetArn, PhoneNumber), Message, Subject, MessageAttributes,
// MessageStructure, MessageGroupId, MessageDeduplicationId.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
//
// Output: {"MessageId": a UUID from the seeded Rng, "SdkHttpMetadata", "SdkResponseMetadata"},
// and "SequenceNumber" for a FIFO topic (an ARN ending ".fifo"); Content-Length is that of
// SNS's XML answer.
// Errors: a behaviour error as scripted (AWS names them "SNS.<Exception>"); throttle is
// SNS.ThrottledException; "notFound" is SNS.NotFoundException "Topic does not exist"; a missing
// Message, or a FIFO topic without MessageGroupId, is SNS.InvalidParameterException, worded as
// the SDK inside Step Functions words it. A message is recorded when its publish succeeds, at
// that virtual instant.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/engine/integration.h"
#include "emulator/json/result.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kSnsPublish = "arn:aws:states:::sns:publish";

struct SnsMessage {
  std::string message_id;
  std::string topic_arn;  // or the TargetArn / PhoneNumber it went to
  std::string message;
  std::string subject;
  std::string message_structure;
  nlohmann::ordered_json message_attributes = nlohmann::ordered_json::object();
  std::string message_group_id;
  time::Instant published_at;
  std::string execution_arn;  // empty when published through the SNS API
};

nlohmann::ordered_json ToJson(const SnsMessage& message);

class SnsFake final : public engine::Integration {
 public:
  explicit SnsFake(FakeContext& context) : ctx_(context) {}  // Not owned.
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { ctx_.Cancel(task_id); }

  // The SNS Publish API (parameters as the Task passes them). Answers {"MessageId"} at once.
  // Errors: InvalidParameterException when Message or every destination is missing.
  json::Result<nlohmann::ordered_json> Publish(const nlohmann::ordered_json& params);

  const std::vector<SnsMessage>& messages() const { return messages_; }
  // The messages sent to `topic_arn`, in order.
  std::vector<const SnsMessage*> MessagesTo(const std::string& topic_arn) const;

 private:
  // Validates `params`; fills a message (without id and time) or answers why not.
  json::Result<SnsMessage> Read(const nlohmann::ordered_json& params) const;

  // Where a FIFO topic's sequence numbers start (AWS's are 20-digit decimal strings).
  static constexpr std::uint64_t kFirstSequenceNumber = 10000000000000000000ull;

  FakeContext& ctx_;
  std::vector<SnsMessage> messages_;
  std::map<std::string, std::uint64_t> sequence_numbers_;  // per FIFO topic: messages so far
};

}  // namespace timeslip::fakes
