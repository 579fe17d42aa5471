#pragma once
// What the Step Functions operations share: the service's state on the engine thread (long
// polls, synchronous executions waiting, what DescribeStateMachineForExecution shows), the
// model's field constraints, and how each resource's file registers its operations.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/engine/limits.h"
#include "emulator/engine/names.h"
#include "emulator/host/command.h"
#include "emulator/host/engine_host.h"
#include "emulator/host/registry.h"
#include "emulator/services/stepfunctions/service.h"
#include "emulator/services/stepfunctions/shapes.h"

namespace timeslip::services::stepfunctions {

using Json = nlohmann::ordered_json;
using OpResult = host::Outcome;
using OpReply = host::CommandReply;

// The model's constraints, once.
constexpr Field kArnField(std::string_view name, bool required = true) {
  return Field{.name = name, .required = required, .min = 1, .max = 256};
}
inline constexpr Field kNameField{.name = "name", .min = 1, .max = engine::kMaxNameLength};
inline constexpr Field kMaxResults{.name = "maxResults", .kind = FieldKind::kInteger, .max = 1000};
inline constexpr Field kNextToken{.name = "nextToken", .min = 1, .max = 1024};
inline constexpr Field kIncludedData{.name = "includedData",
                                     .enum_values = "ALL_DATA,METADATA_ONLY"};
inline constexpr Field kTaskToken{
    .name = "taskToken", .required = true, .min = 1, .max = engine::kMaxTaskTokenLength};
inline constexpr Field kErrorField{.name = "error", .max = 256, .sensitive = true};
inline constexpr Field kCauseField{.name = "cause", .max = 32768, .sensitive = true};
inline constexpr Field kInputField{
    .name = "input", .max = engine::kMaxExecutionInputBytes, .sensitive = true};
inline constexpr Field kTraceHeader{.name = "traceHeader", .max = 256};
inline constexpr Field kDefinition{
    .name = "definition", .required = true, .min = 1, .max = 1048576, .sensitive = true};
inline constexpr Field kMachineType{.name = "type", .enum_values = "STANDARD,EXPRESS"};
inline constexpr Field kTags{.name = "tags", .kind = FieldKind::kTagList};
inline constexpr Field kEncryption{.name = "encryptionConfiguration", .kind = FieldKind::kObject};
inline constexpr std::size_t kMaxTags = 50;

json::Status CheckTagCount(const Json& input);

struct State : std::enable_shared_from_this<State> {
  State(host::EngineHost& h, Options o) : host(h), options(o) {}

  struct PendingPoll {
    OpReply reply;
    engine::Engine::PollId poll_id = 0;
    host::EngineHost::WallTimerId timer = 0;
    bool done = false;
  };

  host::EngineHost& host;  // Not owned; must outlive this.
  Options options;
  engine::Emulator& emulator() { return host.emulator(); }

  // Engine thread only, from here on.
  std::map<std::uint64_t, std::shared_ptr<PendingPoll>> polls;
  std::uint64_t next_poll = 0;
  std::map<std::string, std::vector<OpReply>> sync_waiters;  // execution ARN -> replies
};

using SyncFn = OpResult (*)(State&, const Json&, const std::string& region);
using AsyncFn = void (*)(State&, const Json&, const std::string& region, OpReply reply);

// Adds operation `name` of "states" to `registry`, run with `state`.
void AddSync(host::Registry& registry, const std::shared_ptr<State>& state, std::string_view name,
             host::Access access, SyncFn fn);
void AddAsync(host::Registry& registry, const std::shared_ptr<State>& state, std::string_view name,
              host::Access access, AsyncFn fn);

// Each resource's operations, one file each.
void RegisterStateMachineOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterExecutionOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterTaskTokenOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterActivityOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterTagOps(host::Registry& registry, const std::shared_ptr<State>& state);

// StartSyncExecution's answer once the execution has ended.
Json SyncResult(const engine::Execution& e);

// Region filters: each region is its own endpoint on AWS, so lists show only the caller's.
bool InRegion(const std::string& arn, const std::string& region);

inline Json EmptyObject() { return Json::object(); }

// ListStateMachines and ListActivities: by name (then ARN), paged after the last one returned.
template <typename Record>
OpResult ListByName(const Json& in, const std::string& region, std::string_view op,
                    std::vector<const Record*> records, const char* list_key,
                    Json (*item)(const Record&)) {
  if (auto st = CheckFields(in, {kMaxResults, kNextToken}); !st.ok()) return st.error();
  std::erase_if(records, [&](const Record* r) { return !InRegion(r->arn, region); });
  std::sort(records.begin(), records.end(), [](const Record* a, const Record* b) {
    return std::tie(a->name, a->arn) < std::tie(b->name, b->arn);
  });
  std::string scope = fmt::format("{}\n{}", op, region);
  auto begin = records.begin();
  if (Has(in, "nextToken")) {
    json::Result<std::string> after = DecodePageToken(GetString(in, "nextToken"), scope);
    if (!after.ok()) return after.error();
    std::size_t nl = after.value().find('\n');
    if (nl == std::string::npos) {
      return json::Error{"InvalidToken",
                         fmt::format("Invalid Token: '{}'", GetString(in, "nextToken"))};
    }
    std::string name = after.value().substr(0, nl), arn = after.value().substr(nl + 1);
    begin = std::upper_bound(
        records.begin(), records.end(), std::tie(name, arn),
        [](const auto& key, const Record* r) { return key < std::tie(r->name, r->arn); });
  }
  const std::size_t page = PageSize(in);
  Json items = Json::array();
  auto it = begin;
  for (; it != records.end() && items.size() < page; ++it) items.push_back(item(**it));
  Json out = {{list_key, std::move(items)}};
  if (it != records.end()) {
    const Record& last = **(it - 1);
    out["nextToken"] = EncodePageToken(scope, last.name + "\n" + last.arn);
  }
  return out;
}

}  // namespace timeslip::services::stepfunctions
