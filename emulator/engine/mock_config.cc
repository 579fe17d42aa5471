#include "emulator/engine/mock_config.h"

#include <fmt/format.h>

#include "emulator/json/parse.h"

namespace timeslip::engine {
namespace {

json::Error Invalid(std::string message) {
  return {"ValidationException", "Invalid mock configuration: " + std::move(message)};
}

// "3" -> [3, 3]; "1-2" -> [1, 2].
bool ParseKey(const std::string& key, int& first, int& last) {
  auto number = [](std::string_view s, int& out) {
    if (s.empty() || s.size() > 9) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  std::size_t dash = key.find('-');
  if (dash == std::string::npos) {
    if (!number(key, first)) return false;
    last = first;
    return true;
  }
  return number(std::string_view(key).substr(0, dash), first) &&
         number(std::string_view(key).substr(dash + 1), last) && first <= last;
}

json::Result<std::vector<MockedResponse>> ParseResponse(const std::string& name,
                                                        const nlohmann::ordered_json& doc) {
  if (!doc.is_object() || doc.empty()) {
    return Invalid(fmt::format("MockedResponses.{} must be a non-empty object", name));
  }
  std::vector<MockedResponse> out;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    std::string where = fmt::format("MockedResponses.{}.{}", name, it.key());
    MockedResponse r;
    if (!ParseKey(it.key(), r.first, r.last)) {
      return Invalid(where + ": the key must be an invocation number or a range like \"1-2\"");
    }
    const nlohmann::ordered_json& v = it.value();
    if (!v.is_object() || v.size() != 1 || (!v.contains("Return") && !v.contains("Throw"))) {
      return Invalid(where + " must hold exactly one of \"Return\" and \"Throw\"");
    }
    if (v.contains("Return")) {
      r.result = v["Return"];
    } else {
      const nlohmann::ordered_json& t = v["Throw"];
      if (!t.is_object() || !t.contains("Error") || !t["Error"].is_string() ||
          (t.contains("Cause") && !t["Cause"].is_string())) {
        return Invalid(where + ".Throw needs a string \"Error\" (and may have a string \"Cause\")");
      }
      r.error = t["Error"].get<std::string>();
      r.cause = t.value("Cause", "");
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(),
            [](const MockedResponse& a, const MockedResponse& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].first <= out[i - 1].last) {
      return Invalid(fmt::format("MockedResponses.{}: invocation {} is covered twice", name,
                                 out[i].first));
    }
  }
  return out;
}

}  // namespace

json::Result<MockConfig> MockConfig::Parse(std::string_view text) {
  json::Result<nlohmann::ordered_json> parsed = json::Parse(text, "ValidationException");
  if (!parsed.ok()) return Invalid(parsed.error().message);
  const nlohmann::ordered_json& doc = parsed.value();
  if (!doc.is_object()) return Invalid("the document must be a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "StateMachines" && it.key() != "MockedResponses") {
      return Invalid(fmt::format("unknown field '{}' (expected StateMachines, MockedResponses)",
                                 it.key()));
    }
  }
  std::map<std::string, std::vector<MockedResponse>> responses;
  if (doc.contains("MockedResponses")) {
    const nlohmann::ordered_json& all = doc["MockedResponses"];
    if (!all.is_object()) return Invalid("MockedResponses must be an object");
    for (auto it = all.begin(); it != all.end(); ++it) {
      json::Result<std::vector<MockedResponse>> r = ParseResponse(it.key(), it.value());
      if (!r.ok()) return r.error();
      responses[it.key()] = std::move(r).value();
    }
  }
  MockConfig config;
  if (!doc.contains("StateMachines")) return config;
  const nlohmann::ordered_json& machines = doc["StateMachines"];
  if (!machines.is_object()) return Invalid("StateMachines must be an object");
  for (auto m = machines.begin(); m != machines.end(); ++m) {
    const nlohmann::ordered_json& cases = m.value().is_object() ? m.value().value("TestCases", nlohmann::ordered_json())
                                                        : nlohmann::ordered_json();
    if (!cases.is_object()) {
      return Invalid(fmt::format("StateMachines.{}.TestCases must be an object", m.key()));
    }
    for (auto c = cases.begin(); c != cases.end(); ++c) {
      if (!c.value().is_object()) {
        return Invalid(fmt::format("StateMachines.{}.TestCases.{} must be an object of state "
                                   "names to mocked response names",
                                   m.key(), c.key()));
      }
      auto test_case = std::make_shared<MockTestCase>();
      for (auto s = c.value().begin(); s != c.value().end(); ++s) {
        std::string where = fmt::format("StateMachines.{}.TestCases.{}.{}", m.key(), c.key(), s.key());
        if (!s.value().is_string()) return Invalid(where + " must name a mocked response");
        auto found = responses.find(s.value().get<std::string>());
        if (found == responses.end()) {
          return Invalid(fmt::format("{} names '{}', which MockedResponses does not define", where,
                                     s.value().get<std::string>()));
        }
        (*test_case)[s.key()] = found->second;
      }
      config.cases_[m.key()][c.key()] = std::move(test_case);
    }
  }
  return config;
}

std::shared_ptr<const MockTestCase> MockConfig::Find(const std::string& machine,
                                                     const std::string& test_case) const {
  auto m = cases_.find(machine);
  if (m == cases_.end()) return nullptr;
  auto c = m->second.find(test_case);
  return c == m->second.end() ? nullptr : c->second;
}

const MockedResponse* FindMockedResponse(const std::vector<MockedResponse>& responses, int n) {
  for (const MockedResponse& r : responses) {
    if (n >= r.first && n <= r.last) return &r;
  }
  return nullptr;
}

}  // namespace timeslip::engine
