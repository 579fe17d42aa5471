// The journal's entries: commands, and the HTTP requests journals of the first durable release
// recorded, which replay only through a decoder from the wire.
#include "emulator/host/journal.h"

#include <gtest/gtest.h>

#include <optional>

namespace timeslip::host {
namespace {

JournalRow RequestEntry() {
  return JournalRow{
      .seq = 3, .kind = "request", .payload = R"({"method":"POST","path":"/","query":"",
                                   "target":"AWSStepFunctions.StartExecution",
                                   "type":"application/x-amz-json-1.0","region":"eu-west-1",
                                   "body":"{\"stateMachineArn\":\"arn\"}"})"};
}

TEST(JournalTest, ARequestEntryWithoutADecoderIsRefusedSayingWhatToDo) {
  json::Result<TurnCause> decoded = DecodeTurn(RequestEntry());
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().name, "StoreError");
  EXPECT_NE(decoded.error().message.find("journal entry 3 (request)"), std::string::npos)
      << decoded.error().message;
  EXPECT_NE(decoded.error().message.find("timeslip serve --db"), std::string::npos)
      << decoded.error().message;
}

TEST(JournalTest, ARequestEntryReplaysAsTheCommandTheDecoderNames) {
  RecordedRequest seen;
  RequestDecoder decoder =
      [&seen](const RecordedRequest& request) -> json::Result<std::optional<Command>> {
    seen = request;
    return std::optional<Command>(Command{"states", "StartExecution", {{"k", 1}}, request.region});
  };
  json::Result<TurnCause> decoded = DecodeTurn(RequestEntry(), &decoder);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value().kind, TurnCause::Kind::kCommand);
  EXPECT_EQ(decoded.value().command->operation, "StartExecution");
  EXPECT_EQ(decoded.value().command->region, "eu-west-1");
  EXPECT_EQ(seen.amz_target, "AWSStepFunctions.StartExecution");
  EXPECT_EQ(seen.body, R"({"stateMachineArn":"arn"})");
}

TEST(JournalTest, ARequestTheWireRefusedReplaysAsNothing) {
  RequestDecoder decoder = [](const RecordedRequest&) -> json::Result<std::optional<Command>> {
    return std::optional<Command>();
  };
  json::Result<TurnCause> decoded = DecodeTurn(RequestEntry(), &decoder);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value().kind, TurnCause::Kind::kInternal);
}

TEST(JournalTest, ACommandEntryMissingAMemberIsRefusedNamingIt) {
  for (const auto& [payload, missing] :
       {std::pair{R"({"operation":"X","region":"r","input":{}})", "'service'"},
        std::pair{R"({"service":"s","operation":"X","region":"r","input":[]})", "'input'"}}) {
    json::Result<TurnCause> decoded =
        DecodeTurn(JournalRow{.seq = 1, .kind = "command", .payload = payload});
    ASSERT_FALSE(decoded.ok()) << payload;
    EXPECT_NE(decoded.error().message.find(missing), std::string::npos) << decoded.error().message;
  }
}

}  // namespace
}  // namespace timeslip::host
