// The service's state and wiring: registration, the listener that answers synchronous
// executions, and the shutdown hook that lets waiting clients go.
#include "emulator/services/stepfunctions/service.h"

#include <exception>
#include <utility>

#include "emulator/engine/event_types.h"
#include "emulator/host/common_errors.h"
#include "emulator/services/stepfunctions/service_internal.h"

namespace timeslip::services::stepfunctions {
namespace {

using host::kServiceUnavailable;

}  // namespace

json::Status CheckTagCount(const Json& input) {
  if (GetTags(input, "tags").size() > kMaxTags) {
    return json::Error{"TooManyTags",
                       fmt::format("Too many tags: a resource may have at most {}.", kMaxTags)};
  }
  return json::Ok();
}

bool InRegion(const std::string& arn, const std::string& region) {
  json::Result<engine::ArnParts> parts = engine::ParseArn(
      arn, arn.find(":activity:") != std::string::npos ? "activity" : "stateMachine");
  return parts.ok() && parts.value().region == region;
}

void AddSync(host::Registry& registry, const std::shared_ptr<State>& state, std::string_view name,
             host::Access access, SyncFn fn) {
  registry.AddSync(kServiceName, name, access, [state, fn](const host::Command& command) {
    return fn(*state, command.input, command.region);
  });
}

void AddAsync(host::Registry& registry, const std::shared_ptr<State>& state, std::string_view name,
              host::Access access, AsyncFn fn) {
  registry.Add(kServiceName, name, access,
               [state, fn](const host::Command& command, OpReply reply) {
                 fn(*state, command.input, command.region, std::move(reply));
               });
}

void Register(host::EngineHost& host, Options options) {
  auto state = std::make_shared<State>(host, options);
  std::weak_ptr<State> weak = state;
  // A synchronous execution is answered once it has ended. Express executions keep no history,
  // so this listens for ends, not for terminal events.
  host.Post([weak] {
    std::shared_ptr<State> s = weak.lock();
    if (!s) return;
    engine::Engine& engine = s->emulator().engine();
    engine.AddEndListener(
        [weak, &engine](const engine::Execution& execution) {
          std::string arn = execution.arn();
          engine.Post([weak, arn] {
            std::shared_ptr<State> s = weak.lock();
            if (!s) return;
            auto it = s->sync_waiters.find(arn);
            if (it == s->sync_waiters.end()) return;
            std::vector<OpReply> replies = std::move(it->second);
            s->sync_waiters.erase(it);
            engine::Execution* e = s->emulator().engine().Find(arn);
            if (e == nullptr) return;
            for (OpReply& reply : replies) reply(SyncResult(*e));
          });
        });
  });
  host.AddShutdownHook([weak] {
    std::shared_ptr<State> s = weak.lock();
    if (!s) return;
    auto polls = std::move(s->polls);
    s->polls.clear();
    for (auto& [key, poll] : polls) {
      if (poll->done) continue;
      poll->done = true;
      s->emulator().engine().CancelPoll(poll->poll_id);
      poll->reply(EmptyObject());
    }
    auto waiters = std::move(s->sync_waiters);
    s->sync_waiters.clear();
    for (auto& [arn, replies] : waiters) {
      for (OpReply& reply : replies) {
        reply(json::Error{std::string(kServiceUnavailable), "The server is shutting down."});
      }
    }
  });
  host::Registry& registry = host.registry();
  RegisterStateMachineOps(registry, state);
  RegisterExecutionOps(registry, state);
  RegisterTaskTokenOps(registry, state);
  RegisterActivityOps(registry, state);
  RegisterTagOps(registry, state);
}

}  // namespace timeslip::services::stepfunctions
