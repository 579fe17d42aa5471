#include "emulator/host/recovery.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>

#include "emulator/engine/names.h"

namespace timeslip::host {
namespace {

json::Error Diverged(const std::string& what) {
  return json::Error{
      "StoreError",
      fmt::format("replaying the journal rebuilt a different state than the database holds ({}); "
                  "was it written by another timeslip build, or by fakes running a local command "
                  "whose output changed?",
                  what)};
}

json::Status Replay(EngineHost& host, Store& store, const RequestDecoder* requests,
                    RecoveryReport& report) {
  engine::Emulator& emulator = host.emulator();
  std::int64_t expected_seq = 1;
  return store.ForEachJournal([&](const JournalRow& row) -> json::Status {
    if (row.seq != expected_seq) {
      return Diverged(fmt::format("journal entry {} follows entry {}", row.seq, expected_seq - 1));
    }
    ++expected_seq;
    json::Result<TurnCause> cause = DecodeTurn(row, requests);
    if (!cause.ok()) return cause.error();
    if (time::WallClock* wall = emulator.wall_clock()) {
      wall->Pin(row.at);
    } else if (emulator.clock().Now() != row.at) {
      return Diverged(fmt::format("entry {} was applied at {} ms, the replay reached {} ms",
                                  row.seq, row.at.time_since_epoch().count(),
                                  emulator.clock().Now().time_since_epoch().count()));
    }
    switch (cause.value().kind) {
      case TurnCause::Kind::kCommand:
        host.Submit(*cause.value().command, [](Outcome) {});
        host.RunPending();
        break;
      case TurnCause::Kind::kTimer:
        if (!host.FireTimer(cause.value().timer)) {
          return Diverged(fmt::format("entry {} fires timer {}, which the replay does not have",
                                      row.seq, cause.value().timer));
        }
        break;
      case TurnCause::Kind::kTick:
        host.Tick();
        break;
      case TurnCause::Kind::kRelease:
        host.Release();
        break;
      case TurnCause::Kind::kInternal:
        break;
    }
    report.entries = row.seq;
    report.last_at = row.at;
    return json::Ok();
  });
}

// Only executions with a history reach the store (an Express execution keeps none, so the
// journal alone brings it back); databases written before that also hold Express rows, which
// are left out of the comparison as well.
bool Compared(const std::string& arn) {
  json::Result<engine::ArnParts> parts = engine::ParseArn(arn, "execution");
  return !parts.ok() || parts.value().kind != "express";
}

json::Status Check(engine::Emulator& emulator, Store& store, RecoveryReport& report) {
  json::Result<std::vector<ExecutionSummary>> all_stored = store.ExecutionSummaries();
  if (!all_stored.ok()) return all_stored.error();
  std::vector<ExecutionSummary> stored;
  for (ExecutionSummary& summary : all_stored.value()) {
    if (Compared(summary.arn)) stored.push_back(std::move(summary));
  }
  std::vector<engine::Execution*> rebuilt;
  for (engine::Execution* execution : emulator.engine().executions()) {
    if (execution->records_history()) rebuilt.push_back(execution);
  }
  if (stored.size() != rebuilt.size()) {
    return Diverged(fmt::format("{} executions stored, {} rebuilt", stored.size(), rebuilt.size()));
  }
  for (std::size_t i = 0; i < rebuilt.size(); ++i) {
    const ExecutionSummary& want = stored[i];
    const engine::Execution& got = *rebuilt[i];
    if (want.arn != got.arn() || want.status != got.status() ||
        want.events != static_cast<std::int64_t>(got.history().size())) {
      return Diverged(
          fmt::format("execution {} stored as {} with {} events, rebuilt as {} {} "
                      "with {} events",
                      want.arn, engine::StatusName(want.status), want.events, got.arn(),
                      engine::StatusName(got.status()), got.history().size()));
    }
  }
  for (const engine::Execution* execution : emulator.engine().executions()) {
    if (execution->status() == engine::ExecutionStatus::kRunning) ++report.running;
  }
  report.executions = emulator.engine().executions().size();

  // The machines (each at its revision) and activities.
  json::Result<std::vector<engine::StateMachineRecord>> machines = store.LoadStateMachines();
  if (!machines.ok()) return machines.error();
  std::vector<const engine::StateMachineRecord*> rebuilt_machines = emulator.ListStateMachines();
  std::map<std::string, std::string> want, got;
  for (const engine::StateMachineRecord& m : machines.value()) want[m.arn] = m.revision_id;
  for (const engine::StateMachineRecord* m : rebuilt_machines) got[m->arn] = m->revision_id;
  if (want != got) {
    return Diverged(fmt::format("{} state machines stored, {} rebuilt, or at other revisions",
                                want.size(), got.size()));
  }
  json::Result<std::vector<engine::ActivityRecord>> activities = store.LoadActivities();
  if (!activities.ok()) return activities.error();
  if (activities.value().size() != emulator.ListActivities().size()) {
    return Diverged(fmt::format("{} activities stored, {} rebuilt", activities.value().size(),
                                emulator.ListActivities().size()));
  }

  json::Result<std::optional<std::string>> rng = store.GetMeta(std::string(Journal::kRngKey));
  if (!rng.ok()) return rng.error();
  if (rng.value() && *rng.value() != Journal::RngText(emulator.rng().state())) {
    return Diverged("the generator's state differs");
  }
  if (emulator.wall_clock() == nullptr) {
    json::Result<std::optional<std::string>> clock = store.GetMeta(std::string(Journal::kClockKey));
    if (!clock.ok()) return clock.error();
    std::string now = std::to_string(emulator.clock().Now().time_since_epoch().count());
    if (clock.value() && *clock.value() != now) {
      return Diverged(fmt::format("the clock was saved at {} ms, the replay reached {} ms",
                                  *clock.value(), now));
    }
  }
  return json::Ok();
}

}  // namespace

json::Result<RecoveryReport> Recover(EngineHost& host, const RequestDecoder* requests) {
  Journal& journal = *host.journal();
  Store& store = journal.store();
  RecoveryReport report;
  host.RunPending();  // the set-up work the services posted, as on a first start

  journal.set_replaying(true);
  json::Status replayed = Replay(host, store, requests, report);
  if (replayed.ok()) replayed = Check(host.emulator(), store, report);
  store.DiscardPending();
  journal.set_replaying(false);
  if (!replayed.ok()) return replayed.error();

  journal.set_next_seq(report.entries + 1);
  journal.AdoptCatalog();
  if (time::WallClock* wall = host.emulator().wall_clock(); wall && report.last_at) {
    wall->ResumeAt(*report.last_at);
  }
  host.EndReplay();
  if (report.entries > 0) host.Release();  // journaled and committed
  return report;
}

}  // namespace timeslip::host
