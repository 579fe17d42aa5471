#include "emulator/api/scheduler_ops.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "emulator/json/parse.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::api {
namespace {

constexpr std::string_view kDefaultGroup = "default";
constexpr int kMaxListResults = 100;
// Epoch seconds beyond which a date is nonsense (year 5138); keeps the millisecond math in range.
constexpr double kMaxEpochSeconds = 1e11;

// Scheduler's errors with the status botocore's model gives them
// (botocore/data/scheduler/2021-06-30/service-2.json). Every other name is a 400.
struct ErrorRow {
  std::string_view name;
  int status;
};
constexpr std::array kErrors = {
    ErrorRow{"ValidationException", 400},       ErrorRow{"ConflictException", 409},
    ErrorRow{"ResourceNotFoundException", 404}, ErrorRow{"ServiceQuotaExceededException", 402},
    ErrorRow{"ThrottlingException", 429},       ErrorRow{"InternalServerException", 500},
    ErrorRow{"UnknownOperationException", 404},  // not Scheduler's: a path it lacks
};

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response SchedulerError(std::string_view name, std::string_view message) {
  int status = 400;
  for (const ErrorRow& known : kErrors) {
    if (known.name == name) status = known.status;
  }
  Response response;
  response.status = status;
  response.content_type = std::string(kJson);
  response.body = Dump({{"Message", std::string(message)}});
  response.headers.emplace_back("X-Amzn-ErrorType", std::string(name));
  return response;
}

Response SchedulerError(const json::Error& error) {
  return SchedulerError(error.name, error.message);
}

Response Ok(const nlohmann::json& body) {
  return Response{.status = 200, .content_type = std::string(kJson), .body = Dump(body)};
}

json::Error Invalid(std::string message) {
  return json::Error{"ValidationException", std::move(message)};
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A URI's %XX escapes decoded; `plus_is_space` for query values. nullopt for a broken escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexDigit(text[i + 1]);
      const int lo = HexDigit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

// The query string's parameters, decoded; nullopt when one is malformed.
std::optional<std::map<std::string, std::string>> QueryParams(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::optional<std::string> key = PercentDecode(pair.substr(0, eq), true);
    std::optional<std::string> value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    params[*key] = *value;
  }
  return params;
}

double Seconds(time::Instant t) { return time::EpochSeconds(t); }

// A timestamp member: epoch seconds (REST-JSON's default) or, leniently, RFC 3339 text.
json::Result<std::optional<time::Instant>> DateMember(const nlohmann::json& body,
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
json::Result<std::optional<std::string>> StringMember(const nlohmann::json& body,
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

// A CreateSchedule request, checked off the engine thread: the fake's spec and what
// GetSchedule answers (without Arn and the dates the engine fills).
struct CreateCall {
  fakes::ScheduleSpec spec;
  nlohmann::json described;
};

json::Result<CreateCall> ParseCreate(const std::string& name, const std::string& body_text) {
  json::Result<nlohmann::json> parsed =
      json::Parse(body_text.find_first_not_of(" \t\r\n") == std::string::npos ? "{}" : body_text,
                  "ValidationException");
  if (!parsed.ok()) {
    return Invalid(fmt::format("Could not parse request body: {}", parsed.error().message));
  }
  const nlohmann::json& body = parsed.value();
  if (!body.is_object()) return Invalid("The request body must be a JSON object.");

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
  nlohmann::json described_window = {{"Mode", mode.value().value_or("")}};
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

struct SchedulerState {
  SchedulerState(EngineHost& h, fakes::Scheduler& s) : host(h), scheduler(s) {}
  EngineHost& host;
  fakes::Scheduler& scheduler;
  // Engine thread only: GetSchedule's answer for every schedule created through this API.
  std::map<std::string, nlohmann::json> schedules;
  // Engine thread only: per schedule, an outside-actor timer at its next firing (see Guard).
  std::map<std::string, time::TimerQueue::TimerId> guards;
};

// The fake's firings are internal timers, which a server's virtual clock jumps to on its own:
// an endless cron would spin the engine through the centuries. A schedule is an outside actor
// to a server, so each next firing also gets an external timer at the same instant (after the
// firing in the queue), which stops the clock there until a client moves it; when it fires it
// guards the firing after.
void Guard(const std::shared_ptr<SchedulerState>& s, const std::string& name) {
  engine::Engine& engine = s->host.emulator().engine();
  if (auto it = s->guards.find(name); it != s->guards.end()) {
    engine.CancelTimer(it->second);
    s->guards.erase(it);
  }
  std::optional<time::Instant> next = s->scheduler.NextFiring(name);
  if (!next) return;
  std::weak_ptr<SchedulerState> weak = s;
  s->guards[name] = engine.ScheduleAt(
      *next,
      [weak, name] {
        std::shared_ptr<SchedulerState> state = weak.lock();
        if (!state) return;
        state->guards.erase(name);
        Guard(state, name);
      },
      time::TimerKind::kExternal);
}

// What a request asks for, decided off the engine thread.
struct Create {
  CreateCall call;
};
struct Get {
  std::string name;
};
struct Delete {
  std::string name;
};
struct List {
  std::string prefix;
  std::string state;  // empty: any
  int max_results = kMaxListResults;
  std::string next_token;
};
using Call = std::variant<Create, Get, Delete, List>;

json::Status CheckGroup(const std::map<std::string, std::string>& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || it->second.empty() || it->second == kDefaultGroup) return json::Ok();
  return json::Error{"ResourceNotFoundException",
                     fmt::format("Schedule group {} does not exist.", it->second)};
}

json::Result<List> ParseList(const std::map<std::string, std::string>& params) {
  if (json::Status s = CheckGroup(params, "ScheduleGroup"); !s.ok()) return s.error();
  List list;
  if (auto it = params.find("NamePrefix"); it != params.end()) list.prefix = it->second;
  if (auto it = params.find("State"); it != params.end() && !it->second.empty()) {
    if (it->second != "ENABLED" && it->second != "DISABLED") {
      return Invalid(
          fmt::format("Invalid State '{}': must be one of ENABLED, DISABLED.", it->second));
    }
    list.state = it->second;
  }
  if (auto it = params.find("MaxResults"); it != params.end()) {
    int n = 0;
    bool ok = !it->second.empty() && it->second.size() <= 3;
    for (char c : it->second) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) n = n * 10 + (c - '0');
    }
    if (!ok || n < 1 || n > kMaxListResults) {
      return Invalid(fmt::format("Invalid MaxResults '{}': must be between 1 and {}.", it->second,
                                 kMaxListResults));
    }
    list.max_results = n;
  }
  if (auto it = params.find("NextToken"); it != params.end()) list.next_token = it->second;
  return list;
}

// Checks the request off the engine thread; an error Response, or the call to make.
std::variant<Response, Call> ParseRequest(const Request& request) {
  std::string_view path = request.target;
  path.remove_prefix(kSchedulesPath.size());
  auto unknown = [&] {
    return SchedulerError(
        "UnknownOperationException",
        fmt::format("The operation {} {} is not supported", request.method, request.target));
  };
  std::optional<std::map<std::string, std::string>> params = QueryParams(request.query);
  if (!params) return SchedulerError(Invalid("The query string is not well-formed."));
  if (path.empty() || path == "/") {
    if (request.method != "GET") return unknown();
    json::Result<List> list = ParseList(*params);
    if (!list.ok()) return SchedulerError(list.error());
    return Call(std::move(list).value());
  }
  if (!path.starts_with("/")) return unknown();  // "/schedulesX"
  path.remove_prefix(1);
  std::optional<std::string> name = PercentDecode(path, false);
  if (!name || name->find('/') != std::string::npos) return unknown();
  if (request.method == "POST") {
    json::Result<CreateCall> create = ParseCreate(*name, request.body);
    if (!create.ok()) return SchedulerError(create.error());
    return Call(Create{std::move(create).value()});
  }
  if (request.method != "GET" && request.method != "DELETE") return unknown();
  if (json::Status s = CheckGroup(*params, "groupName"); !s.ok()) return SchedulerError(s.error());
  if (request.method == "GET") return Call(Get{*std::move(name)});
  return Call(Delete{*std::move(name)});
}

Response NotFound(const std::string& name) {
  return SchedulerError("ResourceNotFoundException",
                        fmt::format("Schedule {} does not exist.", name));
}

// On the engine thread.
Response Run(const std::shared_ptr<SchedulerState>& state, Call call) {
  SchedulerState& s = *state;
  if (Create* create = std::get_if<Create>(&call)) {
    const std::string name = create->call.spec.name;
    nlohmann::json described = std::move(create->call.described);
    json::Result<std::string> arn = s.scheduler.CreateSchedule(std::move(create->call.spec));
    if (!arn.ok()) return SchedulerError(arn.error());
    const double now = Seconds(s.host.emulator().clock().Now());
    described["Arn"] = arn.value();
    described["CreationDate"] = now;
    described["LastModificationDate"] = now;
    s.schedules.insert_or_assign(name, std::move(described));
    Guard(state, name);
    return Ok({{"ScheduleArn", arn.value()}});
  }
  if (const Get* get = std::get_if<Get>(&call)) {
    auto it = s.schedules.find(get->name);
    if (it == s.schedules.end()) return NotFound(get->name);
    return Ok(it->second);
  }
  if (const Delete* del = std::get_if<Delete>(&call)) {
    json::Status deleted = s.scheduler.DeleteSchedule(del->name);
    s.schedules.erase(del->name);
    Guard(state, del->name);  // cancels it: the schedule has no next firing now
    if (!deleted.ok()) return SchedulerError(deleted.error());
    return Ok(nlohmann::json::object());
  }
  const List& list = std::get<List>(call);
  auto it = s.schedules.begin();
  if (!list.next_token.empty()) {
    it = s.schedules.upper_bound(list.next_token);
    if (s.schedules.empty() || list.next_token.size() > 64) {
      return SchedulerError(Invalid("The NextToken is not valid."));
    }
  }
  nlohmann::json summaries = nlohmann::json::array();
  std::string last;
  bool more = false;
  for (; it != s.schedules.end(); ++it) {
    const auto& [name, d] = *it;
    if (!name.starts_with(list.prefix)) continue;
    if (!list.state.empty() && d["State"] != list.state) continue;
    if (static_cast<int>(summaries.size()) == list.max_results) {
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
  nlohmann::json out = {{"Schedules", std::move(summaries)}};
  if (more) out["NextToken"] = last;  // the next page starts after this name
  return Ok(out);
}

}  // namespace

void RegisterSchedulerOps(Router& router, EngineHost& host, fakes::Scheduler& scheduler) {
  auto state = std::make_shared<SchedulerState>(host, scheduler);
  router.AddRestHandler(kSchedulesPath, [state](Request request, Reply reply) {
    std::variant<Response, Call> parsed = ParseRequest(request);
    if (Response* error = std::get_if<Response>(&parsed)) {
      reply(std::move(*error));
      return;
    }
    state->host.Post(
        [state, call = std::get<Call>(std::move(parsed)), reply = std::move(reply)]() mutable {
          try {
            if (state->host.shutting_down()) {
              reply(SchedulerError("InternalServerException", "The server is shutting down."));
              return;
            }
            reply(Run(state, std::move(call)));
          } catch (const std::exception& e) {
            reply(SchedulerError("InternalServerException", e.what()));
          } catch (...) {
            reply(SchedulerError("InternalServerException", "Unknown internal failure"));
          }
        });
  });
}

}  // namespace timeslip::api
