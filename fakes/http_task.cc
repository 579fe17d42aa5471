#include "fakes/http_task.h"

#include <fmt/format.h>

#include "emulator/asl/error_names.h"

namespace timeslip::fakes {

std::string_view StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

void HttpTaskFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const nlohmann::ordered_json& params = request.parameters;
  const std::string endpoint = StringParam(params, "ApiEndpoint");
  std::string method = StringParam(params, "Method");
  const std::string url = endpoint.substr(0, endpoint.find('?'));
  const std::string target = method.empty() ? url : method + " " + url;
  FakeContext::Turn turn = ctx_.Next(Service::kHttp, target, {target, url});
  const std::int64_t call_id = ctx_.Record(Service::kHttp, "invoke", target, request, turn.call);
  const Step& step = turn.step;

  if (endpoint.empty() || method.empty()) {
    return ctx_.AnswerAfter(request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
                            json::Error{std::string(asl::kStatesRuntime),
                                        "An HTTP Task needs the string parameters ApiEndpoint "
                                        "and Method."});
  }
  json::Result<nlohmann::ordered_json> answer = nlohmann::ordered_json(nullptr);
  int status = step.status;
  switch (step.outcome) {
    case OutcomeKind::kHang:
      return;
    case OutcomeKind::kTimeout:
      answer = json::Error{"States.Http.Socket",
                           fmt::format("Read timed out calling {} {}", method, endpoint)};
      break;
    case OutcomeKind::kError:
      answer = json::Error{step.error, step.cause};
      break;
    case OutcomeKind::kNotFound:  // behaviour.cc refuses it for HTTP; were it there, a 404
      status = 404;
      [[fallthrough]];
    case OutcomeKind::kThrottle:
      if (step.outcome == OutcomeKind::kThrottle) status = 429;
      [[fallthrough]];
    case OutcomeKind::kSucceed: {
      nlohmann::ordered_json body = step.result.value_or(nlohmann::ordered_json::object());
      std::string content_type = body.is_string() ? "text/plain" : "application/json";
      nlohmann::ordered_json headers = {{"date", {HttpDate(ctx_.Now() + turn.latency)}},
                                {"content-type", {content_type}}};
      for (auto it = step.headers.begin(); it != step.headers.end(); ++it) {
        std::string name = it.key();
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        headers[name] = {it.value()};
      }
      nlohmann::ordered_json response = {{"Headers", std::move(headers)},
                                 {"ResponseBody", std::move(body)},
                                 {"StatusCode", status},
                                 {"StatusText", StatusText(status)}};
      if (status >= 200 && status < 300) {
        answer = std::move(response);
      } else {
        answer = json::Error{fmt::format("States.Http.StatusCode.{}", status), response.dump()};
      }
      break;
    }
  }
  ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                   std::move(answer));
}

}  // namespace timeslip::fakes
