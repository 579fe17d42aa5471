#include "emulator/services/scheduler/service.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "emulator/time/rfc3339.h"

namespace timeslip::services::scheduler {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kDefaultGroup = "default";
constexpr int kMaxListResults = 100;
// Epoch seconds beyond which a date is nonsense (year 5138); keeps the millisecond math in range.
constexpr double kMaxEpochSeconds = 1e11;

json::Error Invalid(std::string message) {
  return json::Error{"ValidationException", std::move(message)};
}

double Seconds(time::Instant t) { return time::EpochSeconds(t); }

// A timestamp member: epoch seconds (REST-JSON's default) or, leniently, RFC 3339 text.
json::Result<std::optional<time::Instant>> DateMember(const nlohmann::ordered_json& body,
                                                      std::string_view member) {
  auto it = body.find(member);
  if (it == body.end() || it->is_null()) return std::optional<time::Instant>();
  if (it->is_number()) {
    const double seconds = it->get<double>();
    if (std::isfinite(seconds) && seconds >= 0 && seconds <= kMaxEpochSeconds) {
      return std::optional<time::Instant>(
          time::Instant(time::Duration(std::llround(seconds * 1000))));
    }
  } else if (it->is_string()) {
    if (std::optional<time::Instant> t = time::ParseRfc3339(it->get<std::string>())) {
      return std::optional<time::Instant>(*t);
    }
  }
  return Invalid(fmt::format("Invalid {}: expected a timestamp in epoch seconds.", member));
}

// An optional string member; Error when present and not a string.
json::Result<std::optional<std::string>> StringMember(const nlohmann::ordered_json& body,
                                                      std::string_view member,
                                                      std::string_view where = "") {
  auto it = body.find(member);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Invalid(fmt::format("Invalid {}{}: expected a string.", where, member));
  }
  return std::optional<std::string>(it->get<std::string>());
}

bool IsStateMachineArn(std::string_view arn) {
  return arn.starts_with("arn:aws:states:") && arn.find(":stateMachine:") != std::string::npos;
}

// Role ARNs as the model's pattern has them: arn:aws[-x]:iam::<12 digits>:role/[service-role/]N.
bool IsRoleArn(std::string_view arn) {
  const std::size_t iam = arn.find(":iam::");
  if (!arn.starts_with("arn:aws") || iam == std::string_view::npos) return false;
  std::string_view rest = arn.substr(iam + 6);
  if (rest.size() < 12 + 6) return false;
  for (std::size_t i = 0; i < 12; ++i) {
    if (rest[i] < '0' || rest[i] > '9') return false;
  }
  rest.remove_prefix(12);
  if (!rest.starts_with(":role/")) return false;
  rest.remove_prefix(6);
  if (rest.starts_with("service-role/")) rest.remove_prefix(13);
  if (rest.empty()) return false;
  for (char c : rest) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '=' ||
                    c == ',' || c == '.' || c == '@' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// A CreateSchedule request, checked: the fake's spec and what GetSchedule answers (without Arn
// and the dates the engine fills).
struct CreateCall {
  fakes::ScheduleSpec spec;
  nlohmann::ordered_json described;
};

json::Result<CreateCall> ParseCreate(const std::string& name, const nlohmann::ordered_json& body) {
  CreateCall call;
  call.spec.name = name;
  call.described = {{"Name", name}, {"GroupName", kDefaultGroup}};

  json::Result<std::optional<std::string>> group = StringMember(body, "GroupName");
  if (!group.ok()) return group.error();
  if (group.value() && *group.value() != kDefaultGroup) {
    return json::Error{"ResourceNotFoundException",
                       fmt::format("Schedule group {} does not exist.", *group.value())};
  }

  json::Result<std::optional<std::string>> expression = StringMember(body, "ScheduleExpression");
  if (!expression.ok()) return expression.error();
  if (!expression.value()) return Invalid("ScheduleExpression is required.");
  call.spec.expression = *expression.value();
  call.described["ScheduleExpression"] = call.spec.expression;

  json::Result<std::optional<std::string>> timezone =
      StringMember(body, "ScheduleExpressionTimezone");
  if (!timezone.ok()) return timezone.error();
  call.spec.timezone = timezone.value().value_or("UTC");
  call.described["ScheduleExpressionTimezone"] = call.spec.timezone;

  auto window = body.find("FlexibleTimeWindow");
  if (window == body.end() || !window->is_object()) {
    return Invalid("FlexibleTimeWindow is required: {\"Mode\": \"OFF\"} or FLEXIBLE.");
  }
  json::Result<std::optional<std::string>> mode = StringMember(*window, "Mode");
  if (!mode.ok()) return mode.error();
  nlohmann::ordered_json described_window = {{"Mode", mode.value().value_or("")}};
  auto minutes = window->find("MaximumWindowInMinutes");
  const bool has_minutes = minutes != window->end() && !minutes->is_null();
  if (mode.value() == std::optional<std::string>("OFF")) {
    if (has_minutes) {
      return Invalid(
          "MaximumWindowInMinutes must not be set when the FlexibleTimeWindow Mode "
          "is OFF.");
    }
  } else if (mode.value() == std::optional<std::string>("FLEXIBLE")) {
    if (!has_minutes || !minutes->is_number_integer() || minutes->get<std::int64_t>() < 1 ||
        minutes->get<std::int64_t>() > 1440) {
      return Invalid(
          "MaximumWindowInMinutes must be between 1 and 1440 when the "
          "FlexibleTimeWindow Mode is FLEXIBLE.");
    }
    described_window["MaximumWindowInMinutes"] = *minutes;
  } else {
    return Invalid(
        fmt::format("Invalid FlexibleTimeWindow Mode '{}': must be one of OFF, FLEXIBLE.",
                    mode.value().value_or("")));
  }
  call.described["FlexibleTimeWindow"] = std::move(described_window);

  json::Result<std::optional<time::Instant>> start = DateMember(body, "StartDate");
  if (!start.ok()) return start.error();
  json::Result<std::optional<time::Instant>> end = DateMember(body, "EndDate");
  if (!end.ok()) return end.error();
  call.spec.start_date = start.value();
  call.spec.end_date = end.value();
  if (start.value()) call.described["StartDate"] = Seconds(*start.value());
  if (end.value()) call.described["EndDate"] = Seconds(*end.value());

  json::Result<std::optional<std::string>> state = StringMember(body, "State");
  if (!state.ok()) return state.error();
  const std::string state_name = state.value().value_or("ENABLED");
  if (state_name != "ENABLED" && state_name != "DISABLED") {
    return Invalid(
        fmt::format("Invalid State '{}': must be one of ENABLED, DISABLED.", state_name));
  }
  call.spec.enabled = state_name == "ENABLED";
  call.described["State"] = state_name;

  for (std::string_view member : {"Description", "KmsKeyArn"}) {
    json::Result<std::optional<std::string>> value = StringMember(body, member);
    if (!value.ok()) return value.error();
    if (value.value()) call.described[std::string(member)] = *value.value();
  }
  if (auto it = call.described.find("Description");
      it != call.described.end() && it->get<std::string>().size() > 512) {
    return Invalid("Description must be at most 512 characters.");
  }

  auto target = body.find("Target");
  if (target == body.end() || !target->is_object()) return Invalid("Target is required.");
  json::Result<std::optional<std::string>> arn = StringMember(*target, "Arn", "Target.");
  if (!arn.ok()) return arn.error();
  if (!arn.value()) return Invalid("Target.Arn is required.");
  if (!IsStateMachineArn(*arn.value())) {
    return Invalid(fmt::format(
        "Invalid Target Arn '{}': timeslip's Scheduler targets Step Functions state machines "
        "(arn:aws:states:REGION:ACCOUNT:stateMachine:NAME).",
        *arn.value()));
  }
  json::Result<std::optional<std::string>> role = StringMember(*target, "RoleArn", "Target.");
  if (!role.ok()) return role.error();
  if (!role.value()) return Invalid("Target.RoleArn is required.");
  if (!IsRoleArn(*role.value())) {
    return Invalid(fmt::format("Invalid Target RoleArn '{}'.", *role.value()));
  }
  json::Result<std::optional<std::string>> input = StringMember(*target, "Input", "Target.");
  if (!input.ok()) return input.error();
  call.spec.state_machine_arn = *arn.value();
  call.spec.input = input.value().value_or("{}");
  // Target members timeslip does not act on (RetryPolicy, DeadLetterConfig, ...) are kept as sent.
  call.described["Target"] = *target;
  return call;
}

struct State {
  State(host::EngineHost& h, fakes::Scheduler& s) : host(h), scheduler(s) {}
  host::EngineHost& host;
  fakes::Scheduler& scheduler;
  // Engine thread only: GetSchedule's answer for every schedule created through this API.
  std::map<std::string, Json> schedules;
  // Engine thread only: per schedule, an outside-actor timer at its next firing (see Guard).
  std::map<std::string, time::TimerQueue::TimerId> guards;
};

// The fake's firings are internal timers, which a server's virtual clock jumps to on its own:
// an endless cron would spin the engine through the centuries. A schedule is an outside actor
// to a server, so each next firing also gets an external timer at the same instant (after the
// firing in the queue), which stops the clock there until a client moves it; when it fires it
// guards the firing after.
void Guard(const std::shared_ptr<State>& s, const std::string& name) {
  engine::Engine& engine = s->host.emulator().engine();
  if (auto it = s->guards.find(name); it != s->guards.end()) {
    engine.CancelTimer(it->second);
    s->guards.erase(it);
  }
  std::optional<time::Instant> next = s->scheduler.NextFiring(name);
  if (!next) return;
  std::weak_ptr<State> weak = s;
  s->guards[name] = engine.ScheduleAt(
      *next,
      [weak, name] {
        std::shared_ptr<State> state = weak.lock();
        if (!state) return;
        state->guards.erase(name);
        Guard(state, name);
      },
      time::TimerKind::kExternal);
}

json::Status CheckGroup(const Json& input, const char* key) {
  auto it = input.find(key);
  if (it == input.end() || !it->is_string() || it->get<std::string>().empty() ||
      it->get<std::string>() == kDefaultGroup) {
    return json::Ok();
  }
  return json::Error{"ResourceNotFoundException",
                     fmt::format("Schedule group {} does not exist.", it->get<std::string>())};
}

json::Result<std::string> NameOf(const Json& input) {
  json::Result<std::optional<std::string>> name = StringMember(input, "Name");
  if (!name.ok()) return name.error();
  if (!name.value() || name.value()->empty()) return Invalid("Name is required.");
  return *name.value();
}

json::Error NotFound(const std::string& name) {
  return json::Error{"ResourceNotFoundException", fmt::format("Schedule {} does not exist.", name)};
}

host::Outcome CreateSchedule(const std::shared_ptr<State>& state, const Json& input) {
  State& s = *state;
  json::Result<std::string> name = NameOf(input);
  if (!name.ok()) return name.error();
  json::Result<CreateCall> call = ParseCreate(name.value(), input);
  if (!call.ok()) return call.error();
  Json described = std::move(call.value().described);
  json::Result<std::string> arn = s.scheduler.CreateSchedule(std::move(call.value().spec));
  if (!arn.ok()) return arn.error();
  const double now = Seconds(s.host.emulator().clock().Now());
  described["Arn"] = arn.value();
  described["CreationDate"] = now;
  described["LastModificationDate"] = now;
  s.schedules.insert_or_assign(name.value(), std::move(described));
  Guard(state, name.value());
  return Json{{"ScheduleArn", arn.value()}};
}

host::Outcome GetSchedule(const std::shared_ptr<State>& state, const Json& input) {
  json::Result<std::string> name = NameOf(input);
  if (!name.ok()) return name.error();
  if (json::Status s = CheckGroup(input, "GroupName"); !s.ok()) return s.error();
  auto it = state->schedules.find(name.value());
  if (it == state->schedules.end()) return NotFound(name.value());
  return it->second;
}

host::Outcome DeleteSchedule(const std::shared_ptr<State>& state, const Json& input) {
  json::Result<std::string> name = NameOf(input);
  if (!name.ok()) return name.error();
  if (json::Status s = CheckGroup(input, "GroupName"); !s.ok()) return s.error();
  json::Status deleted = state->scheduler.DeleteSchedule(name.value());
  state->schedules.erase(name.value());
  Guard(state, name.value());  // cancels it: the schedule has no next firing now
  if (!deleted.ok()) return deleted.error();
  return Json::object();
}

// MaxResults as a number, or as the text of a query string.
json::Result<int> MaxResults(const Json& input) {
  auto it = input.find("MaxResults");
  if (it == input.end() || it->is_null()) return kMaxListResults;
  std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  int n = 0;
  bool ok = !text.empty() && text.size() <= 3;
  for (char c : text) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) n = n * 10 + (c - '0');
  }
  if (!ok || n < 1 || n > kMaxListResults) {
    return Invalid(
        fmt::format("Invalid MaxResults '{}': must be between 1 and {}.", text, kMaxListResults));
  }
  return n;
}

host::Outcome ListSchedules(const std::shared_ptr<State>& state, const Json& input) {
  if (json::Status s = CheckGroup(input, "ScheduleGroup"); !s.ok()) return s.error();
  json::Result<std::optional<std::string>> prefix = StringMember(input, "NamePrefix");
  if (!prefix.ok()) return prefix.error();
  json::Result<std::optional<std::string>> wanted = StringMember(input, "State");
  if (!wanted.ok()) return wanted.error();
  const std::string state_filter = wanted.value().value_or("");
  if (!state_filter.empty() && state_filter != "ENABLED" && state_filter != "DISABLED") {
    return Invalid(
        fmt::format("Invalid State '{}': must be one of ENABLED, DISABLED.", state_filter));
  }
  json::Result<int> max_results = MaxResults(input);
  if (!max_results.ok()) return max_results.error();
  json::Result<std::optional<std::string>> token = StringMember(input, "NextToken");
  if (!token.ok()) return token.error();
  const std::string next_token = token.value().value_or("");
  const std::string name_prefix = prefix.value().value_or("");

  const std::map<std::string, Json>& schedules = state->schedules;
  auto it = schedules.begin();
  if (!next_token.empty()) {
    it = schedules.upper_bound(next_token);
    if (schedules.empty() || next_token.size() > 64) {
      return Invalid("The NextToken is not valid.");
    }
  }
  Json summaries = Json::array();
  std::string last;
  bool more = false;
  for (; it != schedules.end(); ++it) {
    const auto& [name, d] = *it;
    if (!name.starts_with(name_prefix)) continue;
    if (!state_filter.empty() && d["State"] != state_filter) continue;
    if (static_cast<int>(summaries.size()) == max_results.value()) {
      more = true;
      break;
    }
    summaries.push_back({{"Name", name},
                         {"Arn", d["Arn"]},
                         {"GroupName", d["GroupName"]},
                         {"State", d["State"]},
                         {"CreationDate", d["CreationDate"]},
                         {"LastModificationDate", d["LastModificationDate"]},
                         {"Target", {{"Arn", d["Target"]["Arn"]}}}});
    last = name;
  }
  Json out = {{"Schedules", std::move(summaries)}};
  if (more) out["NextToken"] = last;  // the next page starts after this name
  return out;
}

}  // namespace

void Register(host::EngineHost& host, fakes::Scheduler& scheduler) {
  auto state = std::make_shared<State>(host, scheduler);
  using Fn = host::Outcome (*)(const std::shared_ptr<State>&, const Json&);
  auto add = [&](std::string_view name, host::Access access, Fn fn) {
    host.registry().AddSync(
        kServiceName, name, access, [state, fn](const host::Command& c) -> host::Outcome {
          if (state->host.shutting_down()) {
            return json::Error{"InternalServerException", "The server is shutting down."};
          }
          return fn(state, c.input);
        });
  };
  add("CreateSchedule", host::Access::kWrites, &CreateSchedule);
  add("GetSchedule", host::Access::kReads, &GetSchedule);
  add("DeleteSchedule", host::Access::kWrites, &DeleteSchedule);
  add("ListSchedules", host::Access::kReads, &ListSchedules);
}

}  // namespace timeslip::services::scheduler
