#pragma once
// The SNS API on the endpoint, in AWS's query protocol: POST / with Content-Type
// application/x-www-form-urlencoded and a body "Action=Publish&TopicArn=...&Message=...&
// Version=2010-03-31"; answers are XML (text/xml) in the namespace
// http://sns.amazonaws.com/doc/2010-03-31/, errors
// <ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>...</Message>
// </Error><RequestId>...</RequestId></ErrorResponse>. Every action runs on the EngineHost's
// thread.
//   Publish      records the message in the FakeBackends' SnsFake (the one arn:aws:states:::
//                sns:publish uses) and in the call log (service "sns", operation "Publish");
//                answers its MessageId. Any topic ARN is accepted, created or not, as the Step
//                Functions integration accepts any. Errors: InvalidParameter (no destination, no
//                or an empty Message, a Message over 256 KiB).
//   CreateTopic  idempotent; answers arn:aws:sns:REGION:123456789012:NAME. InvalidParameter for
//                a name that is not 1-256 letters, digits, '-' or '_' (plus ".fifo").
//   DeleteTopic  forgets a created topic (no error if there is none, as AWS).
//   ListTopics   the created topics, by ARN, in one page.
// Anything else: InvalidAction; no Action: MissingAction; a malformed body: MalformedQueryString.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html

#include "emulator/api/engine_host.h"
#include "emulator/api/router.h"
#include "fakes/fake_backends.h"

namespace timeslip::api {

// Sets `router`'s query handler. `host`, `fakes`: Not owned; must outlive `router`'s use of it.
void RegisterSnsOps(Router& router, EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::api
