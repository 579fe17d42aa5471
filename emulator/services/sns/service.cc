#include "emulator/services/sns/service.h"

#include <fmt/format.h>

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "emulator/engine/names.h"

namespace timeslip::services::sns {
namespace {

using Json = nlohmann::ordered_json;

// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html: "up to 256 KB".
constexpr std::size_t kMaxMessageBytes = 256 * 1024;
constexpr std::size_t kMaxTopicNameLength = 256;

json::Error InvalidParameter(std::string message) {
  return json::Error{"InvalidParameter", std::move(message)};
}

std::string StringMember(const Json& input, std::string_view name) {
  auto it = input.find(name);
  return it != input.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool ValidTopicName(std::string_view name) {
  if (name.ends_with(".fifo")) name.remove_suffix(5);
  if (name.empty() || name.size() > kMaxTopicNameLength) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

struct State {
  explicit State(fakes::FakeBackends& f) : fakes(f) {}
  fakes::FakeBackends& fakes;
  std::set<std::string> topics;  // created topics' ARNs; engine thread only
};

host::Outcome Publish(State& s, const host::Command& command) {
  Json params = Json::object();
  for (const char* key : {"TopicArn", "TargetArn", "PhoneNumber", "Message", "Subject",
                          "MessageStructure", "MessageGroupId", "MessageDeduplicationId"}) {
    auto found = command.input.find(key);
    if (found != command.input.end() && found->is_string()) params[key] = *found;
  }
  if (auto attributes = command.input.find("MessageAttributes");
      attributes != command.input.end() && attributes->is_object() && !attributes->empty()) {
    params["MessageAttributes"] = *attributes;
  }
  if (params.contains("Message")) {
    const std::string& message = params["Message"].get_ref<const std::string&>();
    if (message.empty()) return InvalidParameter("Invalid parameter: Empty message");
    if (message.size() > kMaxMessageBytes) {
      return InvalidParameter("Invalid parameter: Message too long");
    }
  }
  // A topic exists if CreateTopic made it or the fakes document scripts it (or "*"). Checked
  // once the request is well formed: a missing Message is InvalidParameter first.
  if (params.contains("TopicArn") && params.contains("Message")) {
    const std::string& arn = params["TopicArn"].get_ref<const std::string&>();
    const std::string name = arn.substr(arn.rfind(':') == std::string::npos ? 0 : arn.rfind(':') + 1);
    if (!s.topics.contains(arn) &&
        s.fakes.behaviours().Find(fakes::Service::kSns, {arn, name}) == nullptr) {
      return json::Error{"NotFound", "Topic does not exist"};
    }
  }
  json::Result<Json> published = s.fakes.sns().Publish(params);
  if (!published.ok()) {
    const json::Error& e = published.error();
    // The fake names errors as the Java SDK does ("InvalidParameterException"); the service's
    // own name drops the suffix ("InvalidParameter"), as botocore's SNS model has them.
    std::string code = e.name;
    if (code.ends_with("Exception"))
      code.resize(code.size() - std::string_view("Exception").size());
    return json::Error{code, e.message};
  }
  const std::string message_id = published.value().value("MessageId", "");
  const fakes::SnsMessage& message = s.fakes.sns().messages().back();
  fakes::Call call;
  call.service = "sns";
  call.operation = "Publish";
  call.target = message.topic_arn;
  call.arguments = params;
  call.at = message.published_at;
  call.call = static_cast<int>(s.fakes.calls().Filter("sns", call.target).size()) + 1;
  std::int64_t id = s.fakes.calls().Add(std::move(call));
  s.fakes.calls().Finish(id, message.published_at, {{"result", {{"MessageId", message_id}}}});
  return Json{{"MessageId", message_id}};
}

host::Outcome CreateTopic(State& s, const host::Command& command) {
  std::string name = StringMember(command.input, "Name");
  if (!ValidTopicName(name)) {
    return InvalidParameter(
        "Invalid parameter: Topic Name: must be 1-256 ASCII letters, digits, hyphens or "
        "underscores");
  }
  std::string arn = fmt::format("arn:aws:sns:{}:{}:{}", command.region, engine::kAccountId, name);
  s.topics.insert(arn);
  return Json{{"TopicArn", arn}};
}

host::Outcome DeleteTopic(State& s, const host::Command& command) {
  std::string arn = StringMember(command.input, "TopicArn");
  if (arn.empty()) return InvalidParameter("Invalid parameter: TopicArn");
  s.topics.erase(arn);
  return Json::object();
}

host::Outcome ListTopics(State& s, const host::Command&) {
  Json topics = Json::array();
  for (const std::string& arn : s.topics) topics.push_back({{"TopicArn", arn}});
  return Json{{"Topics", std::move(topics)}};
}

}  // namespace

void Register(host::EngineHost& host, fakes::FakeBackends& fakes) {
  auto state = std::make_shared<State>(fakes);
  using Fn = host::Outcome (*)(State&, const host::Command&);
  auto add = [&](std::string_view name, host::Access access, Fn fn) {
    host.registry().AddSync(kServiceName, name, access,
                            [state, fn](const host::Command& c) { return fn(*state, c); });
  };
  add("Publish", host::Access::kWrites, &Publish);
  add("CreateTopic", host::Access::kWrites, &CreateTopic);
  add("DeleteTopic", host::Access::kWrites, &DeleteTopic);
  add("ListTopics", host::Access::kReads, &ListTopics);
}

}  // namespace timeslip::services::sns
