#include "emulator/host/store.h"

#include <utility>

namespace timeslip::host {

ExecutionRow ExecutionRow::From(const engine::Execution& execution) {
  ExecutionRow row;
  row.arn = execution.arn();
  row.state_machine_arn = execution.state_machine_arn();
  row.name = execution.name();
  row.status = execution.status();
  row.type = execution.type();
  row.input = execution.input().dump();
  if (execution.output()) row.output = execution.output()->dump();
  row.error = execution.error();
  row.cause = execution.cause();
  row.start_date = execution.start_date();
  row.stop_date = execution.stop_date();
  row.redrive_count = execution.redrive_count();
  row.redrive_date = execution.redrive_date();
  return row;
}

void Store::Append(ExecutionRow row) {
  auto [it, inserted] = queued_row_index_.try_emplace(row.arn, queued_.rows.size());
  if (inserted) {
    queued_.rows.push_back(std::move(row));
  } else {
    queued_.rows[it->second] = std::move(row);
  }
}

void Store::Append(const std::string& execution_arn, engine::HistoryEvent event) {
  queued_.events.emplace_back(execution_arn, std::move(event));
}

void Store::Touch(const engine::Execution& execution) {
  if (touched_set_.insert(&execution).second) touched_.push_back(&execution);
}

void Store::AppendJournal(JournalRow row) { queued_.journal.push_back(std::move(row)); }

void Store::SetMeta(const std::string& key, std::string value) {
  queued_.meta.insert_or_assign(key, std::move(value));
}

void Store::SaveStateMachine(const engine::StateMachineRecord& record) {
  queued_.catalog.push_back({.kind = CatalogChange::Kind::kSaveMachine, .machine = record});
}

void Store::DeleteStateMachine(const std::string& arn) {
  queued_.catalog.push_back({.kind = CatalogChange::Kind::kDeleteMachine, .arn = arn});
}

void Store::SaveActivity(const engine::ActivityRecord& record) {
  queued_.catalog.push_back({.kind = CatalogChange::Kind::kSaveActivity, .activity = record});
}

void Store::DeleteActivity(const std::string& arn) {
  queued_.catalog.push_back({.kind = CatalogChange::Kind::kDeleteActivity, .arn = arn});
}

std::function<void(const engine::Execution&, const engine::HistoryEvent&)> Store::Listener() {
  return [this](const engine::Execution& execution, const engine::HistoryEvent& event) {
    Touch(execution);
    Append(execution.arn(), event);
  };
}

void Store::DiscardPending() {
  queued_ = Batch{};
  queued_row_index_.clear();
  touched_.clear();
  touched_set_.clear();
}

Batch Store::TakeBatch() {
  for (const engine::Execution* execution : touched_) Append(ExecutionRow::From(*execution));
  touched_.clear();
  touched_set_.clear();
  queued_row_index_.clear();
  return std::exchange(queued_, Batch{});
}

void Store::PutBack(Batch batch) {
  Batch newer = TakeBatch();
  queued_ = std::move(batch);
  for (std::size_t i = 0; i < queued_.rows.size(); ++i) queued_row_index_[queued_.rows[i].arn] = i;
  for (CatalogChange& change : newer.catalog) queued_.catalog.push_back(std::move(change));
  for (ExecutionRow& row : newer.rows) Append(std::move(row));
  for (auto& event : newer.events) queued_.events.push_back(std::move(event));
  for (JournalRow& row : newer.journal) queued_.journal.push_back(std::move(row));
  for (auto& [key, value] : newer.meta) queued_.meta.insert_or_assign(key, std::move(value));
}

json::Status Store::Flush() {
  Batch batch = TakeBatch();
  if (batch.empty()) return json::Ok();
  json::Status written = Write(batch);
  if (!written.ok()) PutBack(std::move(batch));
  return written;
}

}  // namespace timeslip::host
