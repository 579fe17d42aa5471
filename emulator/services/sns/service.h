#pragma once
// Amazon SNS as a service of the host (service name "sns"): topics, and Publish reaching the same
// SnsFake (and call log) the `sns:publish` Task uses. Knows nothing of HTTP: api/ serves it in
// AWS's query protocol (form-encoded requests, XML answers). Documents use the model's member
// names (botocore's sns/2010-03-31):
//   Publish      {"TopicArn"|"TargetArn"|"PhoneNumber", "Message", "Subject"?,
//                 "MessageStructure"?, "MessageGroupId"?, "MessageDeduplicationId"?,
//                 "MessageAttributes"?: {"Name": {"DataType", "StringValue"|"BinaryValue"}}}
//                -> {"MessageId"}. A TopicArn must name a topic CreateTopic made or one the
//                fakes document scripts (by ARN or name, or "*"), else NotFound ("Topic does
//                not exist"), as AWS answers. Errors: also InvalidParameter (no destination, no
//                or an empty Message, a Message over 256 KiB).
//   CreateTopic  {"Name"} -> {"TopicArn": "arn:aws:sns:REGION:123456789012:NAME"}; idempotent.
//                InvalidParameter for a name that is not 1-256 letters, digits, '-' or '_'
//                (plus ".fifo").
//   DeleteTopic  {"TopicArn"} -> {}; forgets a created topic (no error if there is none, as AWS).
//   ListTopics   {} -> {"Topics": [{"TopicArn"}]}: the created topics, by ARN, in one page.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html

#include <string_view>

#include "emulator/host/engine_host.h"
#include "fakes/fake_backends.h"

namespace timeslip::services::sns {

inline constexpr std::string_view kServiceName = "sns";

// Registers the operations on `host`'s registry. `fakes`: Not owned; must outlive `host`'s use.
void Register(host::EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::services::sns
