#include "emulator/api/router.h"

#include <fmt/format.h>

#include <atomic>
#include <cassert>
#include <exception>
#include <memory>
#include <optional>
#include <utility>

#include "emulator/api/errors.h"
#include "emulator/json/parse.h"
#include "emulator/json/text.h"

namespace timeslip::api {
namespace {

constexpr std::string_view kControlPrefix = "/_timeslip";

// A Reply that passes on only its first call, so a catch-all may answer after an operation that
// already did without sending two responses.
Reply FirstCallOnly(Reply reply) {
  struct State {
    explicit State(Reply r) : reply(std::move(r)) {}
    std::atomic<bool> called{false};
    Reply reply;
  };
  auto state = std::make_shared<State>(std::move(reply));
  return [state](Response response) {
    if (!state->called.exchange(true)) state->reply(std::move(response));
  };
}

bool IsControlPath(std::string_view path) {
  return path.substr(0, kControlPrefix.size()) == kControlPrefix &&
         (path.size() == kControlPrefix.size() || path[kControlPrefix.size()] == '/');
}

// AWS's query protocol: "application/x-www-form-urlencoded; charset=utf-8", in any case.
bool IsFormEncoded(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (content_type.size() < kForm.size()) return false;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    char c = content_type[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kForm[i]) return false;
  }
  return content_type.size() == kForm.size() || content_type[kForm.size()] == ';' ||
         content_type[kForm.size()] == ' ';
}

// The body as an operation's input: a JSON object. An empty body is {}, as SDKs send for
// operations without parameters.
OpResult ParseInput(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return nlohmann::ordered_json::object();
  }
  OpResult parsed = json::Parse(body, kSerializationException);
  if (!parsed.ok()) return parsed;
  if (!parsed.value().is_object()) {
    return json::Error{
        std::string(kSerializationException),
        fmt::format("The request body must be a JSON object, not {} {}",
                    parsed.value().is_array() ? "an" : "a", parsed.value().type_name())};
  }
  return parsed;
}

}  // namespace

Operation Sync(SyncOperation op) {
  return [op = std::move(op)](nlohmann::ordered_json input, const Request& request, OpReply reply) {
    reply(op(input, request));
  };
}

Router::Router() {
  AddService(kStepFunctionsService, kAmzJson10);
  AddService(kGlueService, kAmzJson11);
  AddControlRoute("GET", "/_timeslip/health", Sync([](const nlohmann::ordered_json&, const Request&) {
                    return OpResult(nlohmann::ordered_json{{"status", "ok"}});
                  }));
}

void Router::AddService(std::string_view service, std::string_view content_type) {
  services_.insert_or_assign(std::string(service), std::string(content_type));
}

void Router::AddOperation(std::string_view service, std::string_view operation, Operation op) {
  auto found = services_.find(service);
  assert(found != services_.end() && "AddService first");
  std::string content_type(found == services_.end() ? kAmzJson10 : found->second);
  operations_.insert_or_assign(fmt::format("{}.{}", service, operation),
                               Route{std::move(op), std::move(content_type)});
}

void Router::AddControlRoute(std::string_view method, std::string_view path, Operation op) {
  control_[std::string(path)].insert_or_assign(std::string(method),
                                               Route{std::move(op), std::string(kJson)});
}

void Router::SetQueryHandler(std::function<void(Request, Reply)> handler) {
  query_handler_ = std::move(handler);
}

void Router::AddRestHandler(std::string_view path_prefix,
                            std::function<void(Request, Reply)> handler) {
  rest_.insert_or_assign(std::string(path_prefix), std::move(handler));
}

void Router::Handle(Request request, Reply reply) {
  reply = FirstCallOnly(std::move(reply));
  if (request.region.empty()) request.region = RegionFromAuthorization(request.authorization);
  if (std::size_t q = request.target.find('?'); q != std::string::npos) {
    if (request.query.empty()) request.query = request.target.substr(q + 1);
    request.target.resize(q);
  }
  std::string content_type(ContentTypeFor(request));
  // The one catch-all per request: a bug in an operation costs that request, not the server.
  try {
    if (IsControlPath(request.target)) {
      HandleControl(std::move(request), reply);
    } else {
      HandleOperation(std::move(request), reply);
    }
  } catch (const std::exception& e) {
    reply(ErrorResponse({std::string(kInternalFailure), e.what()}, content_type));
  } catch (...) {
    reply(ErrorResponse({std::string(kInternalFailure), "Unknown internal failure"}, content_type));
  }
}

std::string_view Router::ContentTypeFor(const Request& request) const {
  if (IsControlPath(request.target)) return kJson;
  std::string_view target = request.amz_target;
  auto service = services_.find(target.substr(0, target.find('.')));
  if (service != services_.end()) return service->second;
  // A service we do not know: answer in the protocol the client spoke.
  if (request.content_type.starts_with(kAmzJson11)) return kAmzJson11;
  return kAmzJson10;
}

void Router::HandleOperation(Request request, Reply reply) const {
  if (request.amz_target.empty()) {
    // The longest prefix sorts last among those that match.
    const std::function<void(Request, Reply)>* rest = nullptr;
    for (const auto& [prefix, handler] : rest_) {
      if (request.target.starts_with(prefix)) rest = &handler;
    }
    if (rest != nullptr) {
      (*rest)(std::move(request), std::move(reply));
      return;
    }
  }
  if (request.amz_target.empty() && query_handler_ && IsFormEncoded(request.content_type)) {
    query_handler_(std::move(request), std::move(reply));
    return;
  }
  if (request.amz_target.empty()) {
    reply(ErrorResponse({std::string(kUnknownOperationException),
                         "The request has no X-Amz-Target header naming an operation"},
                        ContentTypeFor(request)));
    return;
  }
  auto found = operations_.find(request.amz_target);
  if (found == operations_.end()) {
    reply(ErrorResponse({std::string(kUnknownOperationException),
                         fmt::format("The operation {} is not supported", request.amz_target)},
                        ContentTypeFor(request)));
    return;
  }
  Run(found->second, std::move(request), std::move(reply));
}

void Router::HandleControl(Request request, Reply reply) const {
  auto path = control_.find(request.target);
  if (path == control_.end()) {
    reply(ErrorResponse({std::string(kNotFound),
                         fmt::format("No control route {} {}", request.method, request.target)},
                        kJson));
    return;
  }
  auto route = path->second.find(request.method);
  if (route == path->second.end()) {
    std::string allowed;
    for (const auto& [method, unused] : path->second) {
      allowed += allowed.empty() ? method : ", " + method;
    }
    Response response =
        ErrorResponse({std::string(kMethodNotAllowed),
                       fmt::format("{} takes {}, not {}", request.target, allowed, request.method)},
                      kJson);
    response.headers.emplace_back("Allow", allowed);
    reply(std::move(response));
    return;
  }
  Run(route->second, std::move(request), std::move(reply));
}

void Router::Run(const Route& route, Request request, Reply reply) const {
  OpResult input = ParseInput(request.body);
  if (!input.ok()) {
    reply(ErrorResponse(input.error(), route.content_type));
    return;
  }
  OpReply op_reply = [reply, content_type = route.content_type](OpResult result) {
    if (!result.ok()) {
      reply(ErrorResponse(result.error(), content_type));
      return;
    }
    Response response;
    response.content_type = content_type;
    response.body = result.value().is_null() ? "{}" : json::Text(result.value());
    reply(std::move(response));
  };
  route.op(std::move(input).value(), request, std::move(op_reply));
}

}  // namespace timeslip::api
