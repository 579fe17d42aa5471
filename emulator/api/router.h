#pragma once
// Router: the Handler that turns HTTP requests into operation calls. No Beast here: tests build a
// Request and read the Response.
//
//   api::Router router;
//   router.AddOperation("AWSStepFunctions", "StartExecution",
//                       [&](nlohmann::ordered_json input, const api::Request& request, api::OpReply reply)
//                       {
//                         host.Submit({"states", "StartExecution", std::move(input),
//                                      request.region}, std::move(reply));
//                       });
//   router.AddControlRoute("GET", "/_timeslip/clock", api::Sync(&GetClock));
// (api/protocols.h adds a route for every operation of every service this way.)
//
// Requests with an X-Amz-Target go to the operation it names (AWS JSON 1.0 and 1.1: POST /);
// requests under /_timeslip/ go to the control route for their method and path; REST paths
// (Lambda's) go to the handler for their prefix; form-encoded
// requests without an X-Amz-Target (AWS's query protocol, SNS's) go to the query handler. Errors
// come back as AWS shapes them, {"__type": "<Name>", "message": "..."}, with the status from
// HttpStatusFor and the Content-Type of the protocol the client spoke.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/api/handler.h"
#include "emulator/api/request.h"
#include "emulator/host/command.h"
#include "emulator/json/result.h"

namespace timeslip::api {

// The X-Amz-Target prefixes this endpoint serves.
inline constexpr std::string_view kStepFunctionsService = "AWSStepFunctions";  // AWS JSON 1.0
inline constexpr std::string_view kGlueService = "AWSGlue";                    // AWS JSON 1.1

// What an operation answers: the response document ({} when it has nothing to say), or an error
// named as AWS names it ("ExecutionDoesNotExist"), whose HTTP status comes from HttpStatusFor.
using OpResult = host::Outcome;
// Call exactly once, from any thread, now or later. Later calls are ignored.
using OpReply = host::CommandReply;
// An operation. `input` is the request body, parsed; always a JSON object. `request` is valid only
// during the call: copy what a later reply needs (the region, say). An exception thrown before
// replying answers 500 InternalFailure.
using Operation = std::function<void(nlohmann::ordered_json input, const Request& request, OpReply reply)>;

// An operation that answers at once.
using SyncOperation = std::function<OpResult(const nlohmann::ordered_json& input, const Request& request)>;
Operation Sync(SyncOperation op);

class Router final : public Handler {
 public:
  // Knows AWSStepFunctions (JSON 1.0) and AWSGlue (JSON 1.1); serves GET /_timeslip/health.
  Router();

  // Registration happens before serving: the tables are read without locks.

  // Declares an X-Amz-Target prefix and the Content-Type its protocol answers with.
  void AddService(std::string_view service, std::string_view content_type);
  // Serves X-Amz-Target "<service>.<operation>". REQUIRES: AddService(service) (the two above are
  // there already). A second registration of the same target replaces the first.
  void AddOperation(std::string_view service, std::string_view operation, Operation op);
  // Serves `method` on `path` ("/_timeslip/clock/advance", matched exactly, query ignored). The
  // body is parsed as for operations; an empty one is {}. Answers are application/json.
  void AddControlRoute(std::string_view method, std::string_view path, Operation op);
  // Serves AWS's query protocol (SNS: POST / with Content-Type
  // application/x-www-form-urlencoded, "Action=Publish&...", XML answers): such a request that
  // carries no X-Amz-Target goes to `handler` as it came (the region filled, the body unparsed),
  // and the handler answers in its own format. Without a handler, or for any other request
  // without an X-Amz-Target, the answer is UnknownOperationException. A second call replaces it.
  void SetQueryHandler(std::function<void(Request, Reply)> handler);
  // Serves a REST protocol (Lambda's: POST /2015-03-31/functions/NAME/invocations): a request
  // without an X-Amz-Target whose path starts with `path_prefix` goes to `handler` as it came
  // (the region filled, the query split off, the body unparsed), and the handler answers in its
  // own format. The longest matching prefix wins; a second call with the same prefix replaces it.
  void AddRestHandler(std::string_view path_prefix, std::function<void(Request, Reply)> handler);

  // Routes one request; `reply` gets exactly one Response, now or when the operation answers.
  void Handle(Request request, Reply reply) override;

 private:
  struct Route {
    Operation op;
    std::string content_type;  // of answers and errors
  };
  // The Content-Type of the protocol `request` speaks, for its answer whatever it is.
  std::string_view ContentTypeFor(const Request& request) const;
  void Run(const Route& route, Request request, Reply reply) const;
  void HandleOperation(Request request, Reply reply) const;
  void HandleControl(Request request, Reply reply) const;

  std::map<std::string, std::string, std::less<>> services_;  // prefix -> Content-Type
  std::map<std::string, Route, std::less<>> operations_;      // X-Amz-Target -> route
  std::function<void(Request, Reply)> query_handler_;
  std::map<std::string, std::function<void(Request, Reply)>, std::less<>> rest_;  // path prefix
  // path -> method -> route
  std::map<std::string, std::map<std::string, Route, std::less<>>, std::less<>> control_;
};

}  // namespace timeslip::api
