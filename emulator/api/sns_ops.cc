#include "emulator/json/xml_escape.h"
#include "emulator/api/sns_ops.h"

#include <fmt/format.h>

#include <cstddef>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "emulator/engine/names.h"

namespace timeslip::api {
namespace {

using json::XmlEscape;

constexpr std::string_view kXmlns = "http://sns.amazonaws.com/doc/2010-03-31/";
constexpr std::string_view kXml = "text/xml";
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html: "up to 256 KB".
constexpr std::size_t kMaxMessageBytes = 256 * 1024;
constexpr std::size_t kMaxTopicNameLength = 256;

using Form = std::map<std::string, std::string, std::less<>>;

// What went wrong, as SNS's query protocol names it.
struct SnsError {
  int status;
  std::string code;
  std::string message;
};

SnsError InvalidParameter(std::string message) {
  return {400, "InvalidParameter", std::move(message)};
}


int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded: '+' is a space, %XX a byte.
std::optional<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexDigit(text[i + 1]);
      int lo = HexDigit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<Form> ParseForm(std::string_view body) {
  Form form;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::optional<std::string> key = FormDecode(pair.substr(0, eq));
    std::optional<std::string> value =
        FormDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) return std::nullopt;
    form.insert_or_assign(std::move(*key), std::move(*value));
  }
  return form;
}

std::string Get(const Form& form, std::string_view key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

Response Xml(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = std::string(kXml);
  response.body = std::move(body);
  return response;
}

Response ErrorXml(const SnsError& error, std::string_view request_id) {
  return Xml(error.status,
             fmt::format("<ErrorResponse xmlns=\"{}\"><Error><Type>{}</Type><Code>{}</Code>"
                         "<Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
                         kXmlns, error.status >= 500 ? "Receiver" : "Sender", XmlEscape(error.code),
                         XmlEscape(error.message), XmlEscape(request_id)));
}

// <ActionResponse><ActionResult>result</ActionResult><ResponseMetadata>...</ResponseMetadata>.
Response ResultXml(std::string_view action, std::string_view result, std::string_view request_id) {
  return Xml(200, fmt::format("<{0}Response xmlns=\"{1}\"><{0}Result>{2}</{0}Result>"
                              "<ResponseMetadata><RequestId>{3}</RequestId></ResponseMetadata>"
                              "</{0}Response>",
                              action, kXmlns, result, XmlEscape(request_id)));
}

// MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue / .Value.BinaryValue,
// as the Step Functions integration passes them: {"Name": {"DataType", "StringValue"}}.
nlohmann::json MessageAttributes(const Form& form) {
  nlohmann::json attributes = nlohmann::json::object();
  for (int n = 1;; ++n) {
    std::string prefix = fmt::format("MessageAttributes.entry.{}.", n);
    auto name = form.find(prefix + "Name");
    if (name == form.end()) break;
    nlohmann::json value = nlohmann::json::object();
    for (const char* field : {"DataType", "StringValue", "BinaryValue"}) {
      auto found = form.find(prefix + "Value." + field);
      if (found != form.end()) value[field] = found->second;
    }
    attributes[name->second] = std::move(value);
  }
  return attributes;
}

struct SnsState {
  SnsState(EngineHost& h, fakes::FakeBackends& f) : host(h), fakes(f) {}
  EngineHost& host;
  fakes::FakeBackends& fakes;
  std::set<std::string> topics;  // created topics' ARNs; engine thread only
};

using ActionResult = std::variant<std::string, SnsError>;  // the Result element's content

ActionResult Publish(SnsState& s, const Form& form) {
  nlohmann::json params = nlohmann::json::object();
  for (const char* key : {"TopicArn", "TargetArn", "PhoneNumber", "Message", "Subject",
                          "MessageStructure", "MessageGroupId", "MessageDeduplicationId"}) {
    auto found = form.find(key);
    if (found != form.end()) params[key] = found->second;
  }
  nlohmann::json attributes = MessageAttributes(form);
  if (!attributes.empty()) params["MessageAttributes"] = std::move(attributes);
  if (params.contains("Message")) {
    const std::string& message = params["Message"].get_ref<const std::string&>();
    if (message.empty()) return InvalidParameter("Invalid parameter: Empty message");
    if (message.size() > kMaxMessageBytes) {
      return InvalidParameter("Invalid parameter: Message too long");
    }
  }
  json::Result<nlohmann::json> published = s.fakes.sns().Publish(params);
  if (!published.ok()) {
    const json::Error& e = published.error();
    // The fake names errors as the Java SDK does ("InvalidParameterException"); the wire code
    // drops the suffix ("InvalidParameter"), as botocore's SNS model maps them.
    std::string code = e.name;
    if (code.ends_with("Exception"))
      code.resize(code.size() - std::string_view("Exception").size());
    return SnsError{code == "NotFound" ? 404 : 400, code, e.message};
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
  return fmt::format("<MessageId>{}</MessageId>", XmlEscape(message_id));
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

ActionResult CreateTopic(SnsState& s, const Form& form, std::string_view region) {
  std::string name = Get(form, "Name");
  if (!ValidTopicName(name)) {
    return InvalidParameter(
        "Invalid parameter: Topic Name: must be 1-256 ASCII letters, digits, hyphens or "
        "underscores");
  }
  std::string arn = fmt::format("arn:aws:sns:{}:{}:{}", region, engine::kAccountId, name);
  s.topics.insert(arn);
  return fmt::format("<TopicArn>{}</TopicArn>", XmlEscape(arn));
}

ActionResult DeleteTopic(SnsState& s, const Form& form) {
  std::string arn = Get(form, "TopicArn");
  if (arn.empty()) return InvalidParameter("Invalid parameter: TopicArn");
  s.topics.erase(arn);
  return std::string();
}

ActionResult ListTopics(SnsState& s) {
  std::string members;
  for (const std::string& arn : s.topics) {
    members += fmt::format("<member><TopicArn>{}</TopicArn></member>", XmlEscape(arn));
  }
  return fmt::format("<Topics>{}</Topics>", members);
}

Response Run(SnsState& s, const Request& request) {
  std::optional<Form> form = ParseForm(request.body);
  if (!form) {
    return ErrorXml({400, "MalformedQueryString", "The request body is not well-formed form data"},
                    request.request_id);
  }
  const std::string action = Get(*form, "Action");
  ActionResult result;
  if (action.empty()) {
    return ErrorXml({400, "MissingAction", "The request must contain the parameter Action"},
                    request.request_id);
  } else if (action == "Publish") {
    result = Publish(s, *form);
  } else if (action == "CreateTopic") {
    result = CreateTopic(s, *form, request.region);
  } else if (action == "DeleteTopic") {
    result = DeleteTopic(s, *form);
  } else if (action == "ListTopics") {
    result = ListTopics(s);
  } else {
    return ErrorXml(
        {400, "InvalidAction", fmt::format("The action {} is not valid for this endpoint", action)},
        request.request_id);
  }
  if (const SnsError* error = std::get_if<SnsError>(&result)) {
    return ErrorXml(*error, request.request_id);
  }
  if (action == "DeleteTopic") {  // DeleteTopic's response has no Result element
    return Xml(200, fmt::format("<DeleteTopicResponse xmlns=\"{}\"><ResponseMetadata><RequestId>"
                                "{}</RequestId></ResponseMetadata></DeleteTopicResponse>",
                                kXmlns, XmlEscape(request.request_id)));
  }
  return ResultXml(action, std::get<std::string>(result), request.request_id);
}

}  // namespace

void RegisterSnsOps(Router& router, EngineHost& host, fakes::FakeBackends& fakes) {
  auto state = std::make_shared<SnsState>(host, fakes);
  router.SetQueryHandler([state](Request request, Reply reply) {
    state->host.Post([state, request = std::move(request), reply = std::move(reply)] {
      try {
        reply(Run(*state, request));
      } catch (const std::exception& e) {
        reply(ErrorXml({500, "InternalError", e.what()}, request.request_id));
      } catch (...) {
        reply(ErrorXml({500, "InternalError", "Unknown internal failure"}, request.request_id));
      }
    });
  });
}

}  // namespace timeslip::api
