// AWS's query protocol, as SNS speaks it: POST / with Content-Type
// application/x-www-form-urlencoded and a body "Action=Publish&TopicArn=...&Message=...&
// Version=2010-03-31" -> sns <Action>, the other parameters as the input's members
// (MessageAttributes.entry.N.Name/.Value.* as the map {"Name": {"DataType", ...}}). Answers are
// XML (text/xml) in the namespace http://sns.amazonaws.com/doc/2010-03-31/:
// <ActionResponse><ActionResult>the document</ActionResult><ResponseMetadata>...; errors
// <ErrorResponse><Error><Type>Sender</Type><Code>...</Code><Message>...</Message></Error>
// <RequestId>...</RequestId></ErrorResponse>. No Action: MissingAction; an action SNS lacks:
// InvalidAction; a malformed body: MalformedQueryString.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
#include <fmt/format.h>

#include <string>
#include <utility>

#include "emulator/api/errors.h"
#include "emulator/api/protocols_internal.h"
#include "emulator/api/url.h"
#include "emulator/json/xml_escape.h"

namespace timeslip::api {
namespace {

constexpr std::string_view kXmlns = "http://sns.amazonaws.com/doc/2010-03-31/";
constexpr std::string_view kAttributesPrefix = "MessageAttributes.entry.";

using Form = std::map<std::string, std::string, std::less<>>;

// MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue / .Value.BinaryValue,
// as the Step Functions integration passes them: {"Name": {"DataType", "StringValue"}}.
nlohmann::ordered_json MessageAttributes(const Form& form) {
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
  for (int n = 1;; ++n) {
    std::string prefix = fmt::format("{}{}.", kAttributesPrefix, n);
    auto name = form.find(prefix + "Name");
    if (name == form.end()) break;
    nlohmann::ordered_json value = nlohmann::ordered_json::object();
    for (const char* field : {"DataType", "StringValue", "BinaryValue"}) {
      auto found = form.find(prefix + "Value." + field);
      if (found != form.end()) value[field] = found->second;
    }
    attributes[name->second] = std::move(value);
  }
  return attributes;
}

// A document as the query protocol's XML: members as elements, lists as <member>s.
std::string ToXml(const nlohmann::ordered_json& value) {
  if (value.is_object()) {
    std::string out;
    for (const auto& [key, member] : value.items()) {
      out += fmt::format("<{0}>{1}</{0}>", key, ToXml(member));
    }
    return out;
  }
  if (value.is_array()) {
    std::string out;
    for (const nlohmann::ordered_json& member : value) out += "<member>" + ToXml(member) + "</member>";
    return out;
  }
  if (value.is_string()) return json::XmlEscape(value.get<std::string>());
  return value.dump();
}

Response Xml(std::string body) {
  return Response{.status = 200, .content_type = "text/xml", .body = std::move(body)};
}

// An action without a result document (DeleteTopic) answers without a Result element.
Response ResultXml(std::string_view action, const nlohmann::ordered_json& result,
                   std::string_view request_id) {
  std::string metadata =
      fmt::format("<ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata>",
                  json::XmlEscape(request_id));
  if (result.empty()) {
    return Xml(
        fmt::format("<{0}Response xmlns=\"{1}\">{2}</{0}Response>", action, kXmlns, metadata));
  }
  return Xml(fmt::format("<{0}Response xmlns=\"{1}\"><{0}Result>{2}</{0}Result>{3}</{0}Response>",
                         action, kXmlns, ToXml(result), metadata));
}

Response QueryError(std::string_view code, std::string message, std::string_view request_id) {
  return QueryErrorResponse(json::Error{std::string(code), std::move(message)}, kXmlns, request_id);
}

}  // namespace

void ServeSnsQuery(Router& router, const host::Registry& registry, const Submit& submit) {
  router.SetQueryHandler([&registry, submit](Request request, Reply reply) {
    std::optional<Form> form = ParseQuery(request.body);
    if (!form) {
      return reply(QueryError("MalformedQueryString",
                              "The request body is not well-formed form data", request.request_id));
    }
    auto action_it = form->find("Action");
    const std::string action = action_it == form->end() ? "" : action_it->second;
    if (action.empty()) {
      return reply(QueryError("MissingAction", "The request must contain the parameter Action",
                              request.request_id));
    }
    if (registry.Find("sns", action) == nullptr) {
      return reply(QueryError("InvalidAction",
                              fmt::format("The action {} is not valid for this endpoint", action),
                              request.request_id));
    }
    nlohmann::ordered_json input = nlohmann::ordered_json::object();
    for (const auto& [key, value] : *form) {
      if (key == "Action" || key == "Version" || key.starts_with(kAttributesPrefix)) continue;
      input[key] = value;
    }
    if (nlohmann::ordered_json attributes = MessageAttributes(*form); !attributes.empty()) {
      input["MessageAttributes"] = std::move(attributes);
    }
    submit(host::Command{"sns", action, std::move(input), request.region},
           [reply = std::move(reply), action, id = request.request_id](host::Outcome outcome) {
             if (outcome.ok()) return reply(ResultXml(action, outcome.value(), id));
             json::Error error = outcome.error();
             if (error.name == kInternalFailure) error.name = "InternalError";  // SNS's name
             reply(QueryErrorResponse(error, kXmlns, id));
           });
  });
}

}  // namespace timeslip::api
