#pragma once
// ScriptServices: the fakes a recorded case needs, scripted from the case itself: the resources
// its test created (Lambda functions, SNS topics) and what the recording shows those services
// answered. A case whose services cannot be scripted so gets the reason, one line per kind of
// need, which the runner prints beside its count.

#include <nlohmann/json.hpp>
#include <string>

namespace timeslip::conformance {

struct ServiceScript {
  bool runnable = false;
  std::string reason;  // when not runnable
  // A behaviour document for FakeBackends::LoadDocument (fakes/behaviour.h).
  nlohmann::ordered_json fakes = nlohmann::ordered_json::object();
};

// `c` is one case of cases.json; its `needs_services` and `resources` decide.
ServiceScript ScriptServices(const nlohmann::ordered_json& c);

}  // namespace timeslip::conformance
