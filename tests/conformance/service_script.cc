#include "tests/conformance/service_script.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace timeslip::conformance {
namespace {

using Json = nlohmann::ordered_json;

// The Lambda functions of localstack's Step Functions tests, by handler file, as their recorded
// answers show them: each is scripted only where the recordings leave no doubt what it does.
struct LambdaHandler {
  std::string_view file;
  std::string_view step;  // a fakes/behaviour.h step, as JSON
};
constexpr LambdaHandler kLambdaHandlers[] = {
    // Returns its event: every recorded Payload is the input sent.
    {"id_function.py", "{}"},
    // `raise Exception("Some exception was raised.")` on line 2 of handler.py: the recorded cause
    // is Lambda's error object for it, stack trace included.
    {"raise_exception.py",
     R"({"error": "Exception", "cause": "Some exception was raised.", "stackTrace": [
         "  File \"/var/task/handler.py\", line 2, in handler\n    raise Exception(\"Some exception was raised.\")\n"]})"},
    // `raise CustomException()` (no message) on line 9.
    {"raise_custom_exception.py",
     R"({"error": "CustomException", "cause": "", "stackTrace": [
         "  File \"/var/task/handler.py\", line 9, in handler\n    raise CustomException()\n"]})"},
    // Sleeps a minute before answering; what it answers no recording reaches.
    {"wait_60_seconds.py", R"({"latency": "60s"})"},
    // Returns a string past Step Functions' 256 KiB limit on a state's result, in multi-byte
    // UTF-8 characters (the recordings show States.DataLimitExceeded for it).
    {"large_output_string.py", ""},
    // Returns the constant the recording shows ("HelloWorld!", written as bytes by the handler).
    {"return_bytes_str.py", R"({"result": "HelloWorld!"})"},
};

std::string_view BaseName(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string Field(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// A step of a function returning a string of `bytes` bytes of 'é' (2 bytes each in UTF-8).
Json LargeStringStep(std::size_t bytes) {
  std::string text;
  text.reserve(bytes);
  while (text.size() < bytes) text += "\xc3\xa9";
  return {{"result", std::move(text)}};
}

// Why a need cannot be scripted from a recording; empty when it can. `buckets`: the test created
// S3 buckets (and so put objects in them).
std::string_view Unscriptable(std::string_view need, bool buckets) {
  // Without a bucket the test put nothing in S3: whatever the case asks of S3 cannot depend on
  // data the recording lacks.
  if (need == "s3" && !buckets) return "";
  if (need == "lambda" || need == "sns" || need == "sqs" || need == "events") return "";
  // The test's own thread reads what SNS delivered; the execution does not wait for it.
  if (need == "test-driven:background_thread") return "";
  if (need.rfind("callback", 0) == 0) {
    return "needs the test's worker to receive the task token (from SQS) and answer it";
  }
  if (need == "s3") {
    return "needs the objects the test put in S3, which the recording does not hold";
  }
  if (need == "states(nested)") {
    return "needs the child state machine, whose definition the recording does not hold";
  }
  if (need == "dynamodb") {
    return "needs the tables the test created, which the recording does not name";
  }
  if (need == "activity") return "needs the test's activity worker (GetActivityTask, SendTask*)";
  if (need == "sfn") return "needs the aws-sdk:sfn integration, which is not faked";
  if (need == "secretsmanager") {
    return "needs the account's secrets (aws-sdk:secretsmanager is not faked)";
  }
  return "needs a service the conformance runner does not know";
}

}  // namespace

ServiceScript ScriptServices(const Json& c) {
  ServiceScript script;
  const Json needs = c.value("needs_services", Json::array());
  const Json resources =
      c.contains("resources") && c.at("resources").is_array() ? c.at("resources") : Json::array();
  const bool buckets = std::any_of(resources.begin(), resources.end(),
                                   [](const Json& r) { return Field(r, "type") == "s3"; });
  // A callback names the reason before the services it travels by (a callback over SQS is
  // skipped for want of the worker, not of SQS).
  for (const Json& need : needs) {
    const std::string name = need.get<std::string>();
    std::string_view why = Unscriptable(name, buckets);
    if (why.empty()) continue;
    if (script.reason.empty() || name.rfind("callback", 0) == 0) script.reason = std::string(why);
  }
  if (!script.reason.empty()) return script;

  // What AWS answers for a function, topic or queue the test did not create (self-contained
  // cases get the same world: they call none).
  Json lambda = {{"*", {{"notFound", true}}}};
  Json sns = {{"*", {{"notFound", true}}}};
  Json sqs = {{"*", {{"notFound", true}}}};
  for (const Json& resource : resources) {
    const std::string type = Field(resource, "type");
    if (type == "lambda") {
      // BaseName views its argument: keep the path alive while `file` is read.
      const std::string handler_path = Field(resource, "handler_file");
      const std::string_view file = BaseName(handler_path);
      const LambdaHandler* handler = nullptr;
      for (const LambdaHandler& h : kLambdaHandlers) {
        if (h.file == file) handler = &h;
      }
      if (handler == nullptr) {
        script.reason = "needs Lambda function " + std::string(file) + ", not scripted";
        return script;
      }
      lambda[Field(resource, "name")] =
          handler->step.empty() ? LargeStringStep(300 * 1024) : Json::parse(handler->step);
    } else if (type == "sns") {
      sns[Field(resource, "arn")] = Json::object();
    } else if (type == "sqs") {
      sqs[Field(resource, "url")] = Json::object();
    }
  }
  script.runnable = true;
  script.fakes = {{"lambda", std::move(lambda)}, {"sns", std::move(sns)}, {"sqs", std::move(sqs)}};
  return script;
}

}  // namespace timeslip::conformance
