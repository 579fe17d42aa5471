#include "emulator/store/memory_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <limits>

#include "emulator/store/page_token_internal.h"

namespace timeslip::store {
namespace {

using internal::ExecutionToken;
using internal::ParseExecutionToken;

std::int64_t Ms(time::Instant t) { return t.time_since_epoch().count(); }

bool ById(const engine::HistoryEvent& e, std::int64_t id) { return e.id < id; }

}  // namespace

// ---- Group commit ----

json::Status MemoryStore::Write(const Batch& batch) {
  for (const CatalogChange& change : batch.catalog) {
    switch (change.kind) {
      case CatalogChange::Kind::kSaveMachine: {
        engine::StateMachineRecord record = change.machine;
        record.machine = nullptr;  // as SqliteStore gives it back
        machines_.insert_or_assign(record.arn, std::move(record));
        break;
      }
      case CatalogChange::Kind::kDeleteMachine:
        machines_.erase(change.arn);
        break;
      case CatalogChange::Kind::kSaveActivity:
        activities_.insert_or_assign(change.activity.arn, change.activity);
        break;
      case CatalogChange::Kind::kDeleteActivity:
        activities_.erase(change.arn);
        break;
    }
  }
  for (const ExecutionRow& row : batch.rows) Commit(row);
  for (const auto& [arn, event] : batch.events) Commit(arn, event);
  for (const JournalRow& row : batch.journal) journal_.push_back(row);
  for (const auto& [key, value] : batch.meta) meta_.insert_or_assign(key, value);
  return json::Ok();
}

void MemoryStore::Commit(ExecutionRow row) {
  auto [it, inserted] = execution_index_.try_emplace(row.arn, executions_.size());
  if (inserted) {
    auto seq = static_cast<std::int64_t>(executions_.size()) + 1;
    by_machine_[row.state_machine_arn].emplace(Ms(row.start_date), seq);
    executions_.push_back(std::move(row));
    return;
  }
  // SqliteStore's upsert: what identifies the execution and where it sorts stays.
  ExecutionRow& stored = executions_[it->second];
  stored.status = row.status;
  stored.output = std::move(row.output);
  stored.error = std::move(row.error);
  stored.cause = std::move(row.cause);
  stored.stop_date = row.stop_date;
  stored.redrive_count = row.redrive_count;
  stored.redrive_date = row.redrive_date;
}

void MemoryStore::Commit(const std::string& execution_arn, engine::HistoryEvent event) {
  // SqliteStore keeps no details for an event without a details key.
  if (event.details_key.empty()) event.details = nullptr;
  std::vector<engine::HistoryEvent>& events = history_[execution_arn];
  if (events.empty() || events.back().id < event.id) {  // the engine's order: ids go up
    events.push_back(std::move(event));
    return;
  }
  auto at = std::lower_bound(events.begin(), events.end(), event.id, ById);
  if (at != events.end() && at->id == event.id) {
    *at = std::move(event);
  } else {
    events.insert(at, std::move(event));
  }
}

// ---- Reads ----

json::Result<std::optional<std::string>> MemoryStore::GetMeta(const std::string& key) {
  auto it = meta_.find(key);
  if (it == meta_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

json::Result<std::vector<engine::StateMachineRecord>> MemoryStore::LoadStateMachines() {
  std::vector<engine::StateMachineRecord> out;
  for (const auto& [arn, record] : machines_) out.push_back(record);
  return out;
}

json::Result<std::vector<engine::ActivityRecord>> MemoryStore::LoadActivities() {
  std::vector<engine::ActivityRecord> out;
  for (const auto& [arn, record] : activities_) out.push_back(record);
  return out;
}

json::Status MemoryStore::ForEachJournal(const std::function<json::Status(const JournalRow&)>& fn) {
  // By index, and only what was there at the start: a Flush() in `fn` cannot invalidate the walk.
  std::size_t n = journal_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (json::Status done = fn(journal_[i]); !done.ok()) return done;
  }
  return json::Ok();
}

json::Result<std::int64_t> MemoryStore::LastJournalSeq() {
  return journal_.empty() ? std::int64_t{0} : journal_.back().seq;
}

json::Result<std::vector<ExecutionSummary>> MemoryStore::ExecutionSummaries() {
  std::vector<ExecutionSummary> out;
  out.reserve(executions_.size());
  for (const ExecutionRow& row : executions_) {
    auto events = history_.find(row.arn);
    out.push_back(ExecutionSummary{
        row.arn, row.status,
        events == history_.end() ? 0 : static_cast<std::int64_t>(events->second.size())});
  }
  return out;
}

json::Result<std::optional<ExecutionRow>> MemoryStore::GetExecution(const std::string& arn) {
  auto it = execution_index_.find(arn);
  if (it == execution_index_.end()) return std::optional<ExecutionRow>();
  return std::optional<ExecutionRow>(executions_[it->second]);
}

json::Result<ExecutionPage> MemoryStore::ListExecutions(const ExecutionQuery& query) {
  ExecutionKey after{std::numeric_limits<std::int64_t>::max(),
                     std::numeric_limits<std::int64_t>::max()};
  if (!query.next_token.empty() &&
      !ParseExecutionToken(query.next_token, after.first, after.second)) {
    return json::Error{"InvalidToken", fmt::format("Invalid Token: '{}'", query.next_token)};
  }
  ExecutionPage page;
  auto machine = by_machine_.find(query.state_machine_arn);
  if (machine == by_machine_.end()) return page;
  const std::set<ExecutionKey>& keys = machine->second;
  // Newest first: walk down from the last key before the cursor.
  ExecutionKey last;
  for (auto it = std::make_reverse_iterator(keys.lower_bound(after)); it != keys.rend(); ++it) {
    const ExecutionRow& row = executions_[static_cast<std::size_t>(it->second - 1)];
    if (query.status && row.status != *query.status) continue;
    if (static_cast<int>(page.executions.size()) == query.limit) {
      // One more row exists: there is a next page.
      page.next_token = ExecutionToken(last.first, last.second);
      break;
    }
    page.executions.push_back(row);
    last = *it;
  }
  return page;
}

json::Result<std::vector<engine::HistoryEvent>> MemoryStore::GetExecutionHistory(
    const HistoryQuery& query) {
  std::vector<engine::HistoryEvent> out;
  auto found = history_.find(query.execution_arn);
  if (found == history_.end()) return out;
  const std::vector<engine::HistoryEvent>& events = found->second;
  auto limit = static_cast<std::size_t>(query.limit);
  if (!query.reverse) {
    // ids > after_id
    auto it =
        std::upper_bound(events.begin(), events.end(), query.after_id,
                         [](std::int64_t id, const engine::HistoryEvent& e) { return id < e.id; });
    for (; it != events.end() && out.size() < limit; ++it) out.push_back(*it);
    return out;
  }
  // ids < after_id; 0: from the end
  std::int64_t bound =
      query.after_id == 0 ? std::numeric_limits<std::int64_t>::max() : query.after_id;
  auto it = std::make_reverse_iterator(std::lower_bound(events.begin(), events.end(), bound, ById));
  for (; it != events.rend() && out.size() < limit; ++it) out.push_back(*it);
  return out;
}

}  // namespace timeslip::store
