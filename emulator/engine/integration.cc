#include "emulator/engine/integration.h"

namespace timeslip::engine {
namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr std::string_view kStatesServicePrefix = "arn:aws:states:::";

}  // namespace

void Integrations::Register(std::string service_resource, Integration* integration) {
  exact_[std::move(service_resource)] = integration;
}

void Integrations::RegisterPrefix(std::string prefix, Integration* integration) {
  prefixes_[std::move(prefix)] = integration;
}

Integration* Integrations::Find(const std::string& service_resource) const {
  if (auto it = exact_.find(service_resource); it != exact_.end()) return it->second;
  Integration* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [prefix, integration] : prefixes_) {
    if (service_resource.compare(0, prefix.size(), prefix) == 0 && prefix.size() >= best_len) {
      best = integration;
      best_len = prefix.size();
    }
  }
  return best;
}

ParsedResource ParseResource(const std::string& resource) {
  for (std::string_view suffix : {".waitForTaskToken"}) {
    if (EndsWith(resource, suffix)) {
      return {resource.substr(0, resource.size() - suffix.size()),
              IntegrationPattern::kWaitForTaskToken};
    }
  }
  for (std::string_view suffix : {".sync:2", ".sync"}) {
    if (EndsWith(resource, suffix)) {
      return {resource.substr(0, resource.size() - suffix.size()), IntegrationPattern::kSync};
    }
  }
  return {resource, IntegrationPattern::kRequestResponse};
}

bool IsActivityArn(const std::string& resource) {
  // arn:aws:states:us-east-1:123456789012:activity:Name
  if (resource.rfind("arn:aws:states:", 0) != 0) return false;
  std::size_t colon = 0;
  int fields = 0;
  std::size_t activity_at = std::string::npos;
  for (std::size_t i = 0; i < resource.size(); ++i) {
    if (resource[i] == ':') {
      ++fields;
      if (fields == 5) activity_at = i + 1;
      colon = i;
    }
  }
  (void)colon;
  return activity_at != std::string::npos && resource.compare(activity_at, 9, "activity:") == 0 &&
         resource.size() > activity_at + 9;
}

ResourceNames EventResourceNames(const std::string& resource) {
  if (resource.rfind(kStatesServicePrefix, 0) == 0) {
    std::string rest = resource.substr(kStatesServicePrefix.size());  // glue:startJobRun.sync
    std::size_t colon = rest.find(':');
    if (colon != std::string::npos) return {rest.substr(0, colon), rest.substr(colon + 1)};
    return {rest, ""};
  }
  if (resource.rfind("arn:aws:lambda:", 0) == 0) return {"lambda", resource};
  return {"", resource};
}

std::string ResourceCauseName(const std::string& resource) {
  if (resource.rfind(kStatesServicePrefix, 0) == 0)
    return EventResourceNames(resource).resource_type;
  return resource;
}

}  // namespace timeslip::engine
