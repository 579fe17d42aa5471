#pragma once
// HttpTaskFake: third-party HTTPS APIs behind arn:aws:states:::http:invoke, answered from the
// behaviours (nothing leaves the machine). Parameters: ApiEndpoint, Method, Headers,
// QueryParameters, RequestBody (Authentication and Transform are recorded, not used).
// https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html
//
// Output: {"Headers": {name: [values]}, "ResponseBody": body, "StatusCode": n, "StatusText":
// reason}. A non-2xx status fails the task with States.Http.StatusCode.NNN and that output
// as JSON text for the cause. Throttle answers 429; timeout fails with States.Http.Socket.
//
// Targets: "METHOD URL", then "URL" (any method); the URL is ApiEndpoint without its query.

#include <string>

#include "emulator/engine/integration.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kHttpInvoke = "arn:aws:states:::http:invoke";

// "Service Unavailable" for 503; "" for codes HTTP does not name.
std::string_view StatusText(int status);

class HttpTaskFake final : public engine::Integration {
 public:
  explicit HttpTaskFake(FakeContext& context) : ctx_(context) {}  // Not owned.
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { ctx_.Cancel(task_id); }

 private:
  FakeContext& ctx_;
};

}  // namespace timeslip::fakes
