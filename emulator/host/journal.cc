#include "emulator/host/journal.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "emulator/host/common_errors.h"
#include "emulator/json/text.h"

namespace timeslip::host {
namespace {

constexpr std::string_view kCommandKind = "command";
constexpr std::string_view kRequestKind = "request";  // before commands: an HTTP request
constexpr std::string_view kTimerKind = "timer";
constexpr std::string_view kTickKind = "tick";
constexpr std::string_view kReleaseKind = "release";

json::Error CorruptEntry(const JournalRow& row, std::string_view why) {
  return json::Error{"StoreError", fmt::format("journal entry {} ({}) {}", row.seq, row.kind, why)};
}

// The string members `names` of `payload`, each into its place; an error naming the first
// missing one.
json::Status ReadStrings(const JournalRow& row, const nlohmann::ordered_json& payload,
                         std::initializer_list<std::pair<const char*, std::string*>> names) {
  for (const auto& [name, out] : names) {
    auto it = payload.find(name);
    if (it == payload.end() || !it->is_string()) {
      return CorruptEntry(row, fmt::format("has no string '{}'", name));
    }
    *out = it->get<std::string>();
  }
  return json::Ok();
}

// Null when the request stands for no command.
json::Result<std::shared_ptr<const Command>> DecodeRequest(const JournalRow& row,
                                                           const nlohmann::ordered_json& payload,
                                                           const RequestDecoder* requests) {
  RecordedRequest request;
  if (json::Status read = ReadStrings(row, payload,
                                      {{"method", &request.method},
                                       {"path", &request.target},
                                       {"query", &request.query},
                                       {"target", &request.amz_target},
                                       {"type", &request.content_type},
                                       {"region", &request.region},
                                       {"body", &request.body}});
      !read.ok()) {
    return read.error();
  }
  if (requests == nullptr) {
    return CorruptEntry(row,
                        "records an HTTP request, as timeslip's first durable release wrote "
                        "them; resume it with `timeslip serve --db`, which reads those");
  }
  json::Result<std::optional<Command>> command = (*requests)(request);
  if (!command.ok()) return CorruptEntry(row, command.error().message);
  if (!command.value()) return std::shared_ptr<const Command>();
  return std::make_shared<const Command>(std::move(*command.value()));
}

}  // namespace

JournalRow EncodeTurn(const TurnCause& cause) {
  JournalRow row;
  switch (cause.kind) {
    case TurnCause::Kind::kCommand: {
      const Command& c = *cause.command;
      row.kind = kCommandKind;
      row.payload = json::Text({{"service", c.service},
                                {"operation", c.operation},
                                {"region", c.region},
                                {"input", c.input}});
      break;
    }
    case TurnCause::Kind::kTimer:
      row.kind = kTimerKind;
      row.payload = std::to_string(cause.timer);
      break;
    case TurnCause::Kind::kTick:
      row.kind = kTickKind;
      break;
    case TurnCause::Kind::kRelease:
      row.kind = kReleaseKind;
      break;
    case TurnCause::Kind::kInternal:
      break;
  }
  return row;
}

json::Result<TurnCause> DecodeTurn(const JournalRow& row, const RequestDecoder* requests) {
  TurnCause cause;
  if (row.kind == kCommandKind || row.kind == kRequestKind) {
    nlohmann::ordered_json payload = nlohmann::ordered_json::parse(row.payload, nullptr, false);
    if (!payload.is_object()) return CorruptEntry(row, "is not a JSON object");
    cause.kind = TurnCause::Kind::kCommand;
    if (row.kind == kRequestKind) {
      json::Result<std::shared_ptr<const Command>> command = DecodeRequest(row, payload, requests);
      if (!command.ok()) return command.error();
      cause.command = std::move(command).value();
      if (!cause.command) cause.kind = TurnCause::Kind::kInternal;
      return cause;
    }
    auto command = std::make_shared<Command>();
    if (json::Status read = ReadStrings(row, payload,
                                        {{"service", &command->service},
                                         {"operation", &command->operation},
                                         {"region", &command->region}});
        !read.ok()) {
      return read.error();
    }
    auto input = payload.find("input");
    if (input == payload.end() || !input->is_object()) {
      return CorruptEntry(row, "has no object 'input'");
    }
    command->input = std::move(*input);
    cause.command = std::move(command);
  } else if (row.kind == kTimerKind) {
    char* end = nullptr;
    unsigned long long id = std::strtoull(row.payload.c_str(), &end, 10);
    if (row.payload.empty() || *end != '\0') return CorruptEntry(row, "has no timer id");
    cause.kind = TurnCause::Kind::kTimer;
    cause.timer = id;
  } else if (row.kind == kTickKind) {
    cause.kind = TurnCause::Kind::kTick;
  } else if (row.kind == kReleaseKind) {
    cause.kind = TurnCause::Kind::kRelease;
  } else {
    return CorruptEntry(row, "is of an unknown kind");
  }
  return cause;
}

Journal::Journal(Store& store, engine::Emulator& emulator) : store_(store), emulator_(emulator) {
  emulator_.engine().AddListener(
      [this, stored = store_.Listener()](const engine::Execution& execution,
                                         const engine::HistoryEvent& event) {
        if (!replaying_) stored(execution, event);
      });
}

void Journal::Hold(CommandReply reply, Outcome outcome) {
  deferred_.emplace_back(std::move(reply), std::move(outcome));
}

void Journal::BeginTurn(TurnCause cause) {
  turn_ = std::move(cause);
  turn_at_ = emulator_.clock().Now();
  turn_steps_ = emulator_.engine().steps();
  in_turn_ = true;
}

void Journal::EndTurn() {
  if (!in_turn_) return;
  in_turn_ = false;
  TurnCause cause = std::move(turn_);
  turn_ = TurnCause{};
  if (replaying_ || cause.kind == TurnCause::Kind::kInternal) return;
  if (cause.kind == TurnCause::Kind::kCommand && cause.reads_only &&
      emulator_.engine().steps() == turn_steps_) {
    return;  // changed nothing
  }
  if (emulator_.catalog_version() != saved_version_) SaveCatalog();
  JournalRow row = EncodeTurn(cause);
  row.seq = next_seq_++;
  row.at = turn_at_;
  store_.AppendJournal(std::move(row));
  appended_ = true;
}

void Journal::SaveCatalog() {
  saved_version_ = emulator_.catalog_version();
  std::map<std::string, std::pair<std::string, engine::Tags>> machines;
  for (const engine::StateMachineRecord* record : emulator_.ListStateMachines()) {
    std::pair<std::string, engine::Tags> now{record->revision_id, record->tags};
    auto saved = saved_machines_.find(record->arn);
    if (saved == saved_machines_.end() || saved->second != now) store_.SaveStateMachine(*record);
    machines.emplace(record->arn, std::move(now));
  }
  for (const auto& [arn, unused] : saved_machines_) {
    if (machines.count(arn) == 0) store_.DeleteStateMachine(arn);
  }
  saved_machines_ = std::move(machines);

  std::map<std::string, engine::Tags> activities;
  for (const engine::ActivityRecord* record : emulator_.ListActivities()) {
    auto saved = saved_activities_.find(record->arn);
    if (saved == saved_activities_.end() || saved->second != record->tags) {
      store_.SaveActivity(*record);
    }
    activities.emplace(record->arn, record->tags);
  }
  for (const auto& [arn, unused] : saved_activities_) {
    if (activities.count(arn) == 0) store_.DeleteActivity(arn);
  }
  saved_activities_ = std::move(activities);
}

void Journal::AdoptCatalog() {
  saved_version_ = emulator_.catalog_version();
  saved_machines_.clear();
  for (const engine::StateMachineRecord* record : emulator_.ListStateMachines()) {
    saved_machines_.emplace(record->arn, std::make_pair(record->revision_id, record->tags));
  }
  saved_activities_.clear();
  for (const engine::ActivityRecord* record : emulator_.ListActivities()) {
    saved_activities_.emplace(record->arn, record->tags);
  }
}

std::string Journal::RngText(const time::Rng::State& state) {
  return fmt::format("{:016x}{:016x}{:016x}{:016x}", state[0], state[1], state[2], state[3]);
}

class Journal::Writer {
 public:
  Writer(Store& store, std::function<void(std::function<void()>)> post, Journal& journal)
      : store_(store), post_(std::move(post)), journal_(journal), thread_([this] { Run(); }) {}

  ~Writer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // Engine thread. REQUIRES: no batch in flight.
  void Submit(Batch batch, Replies replies) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = Written{json::Ok(), std::move(batch), std::move(replies)};
    }
    cv_.notify_all();
  }

  // Engine thread: the written batch, if the writer is done with it.
  std::optional<Written> TakeDone() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(done_, std::nullopt);
  }

  // Engine thread: blocks until no batch is in flight.
  void WaitIdle() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !job_ && !busy_; });
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || job_; });
      if (!job_) return;  // stopping, nothing left
      Written work = std::move(*job_);
      job_.reset();
      busy_ = true;
      lock.unlock();
      work.status = store_.Write(work.batch);
      lock.lock();
      busy_ = false;
      done_ = std::move(work);
      cv_.notify_all();
      lock.unlock();
      // Not `this`: the writer may be gone (StopWriter) before the engine thread runs this.
      post_([journal = &journal_] { journal->OnWriterDone(); });
      lock.lock();
    }
  }

  Store& store_;
  std::function<void(std::function<void()>)> post_;
  Journal& journal_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Written> job_;
  std::optional<Written> done_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is there
};

Journal::~Journal() { StopWriter(); }

void Journal::StartWriter(std::function<void(std::function<void()>)> post) {
  if (!writer_ && store_.WritesWait()) {
    writer_ = std::make_unique<Writer>(store_, std::move(post), *this);
  }
}

void Journal::StopWriter() {
  if (!writer_) return;
  writer_->WaitIdle();
  std::optional<Written> done = writer_->TakeDone();
  writer_.reset();
  if (done) Finish(std::move(*done));
}

void Journal::OnWriterDone() {
  if (!writer_) return;  // StopWriter finished it already
  if (std::optional<Written> done = writer_->TakeDone()) Finish(std::move(*done));
}

bool Journal::commit_needed() const {
  return appended_ || !deferred_.empty() || store_.pending_events() > 0;
}

json::Status Journal::Commit() {
  if (writing_) {
    commit_again_ = true;
    return json::Ok();
  }
  if (!commit_needed()) return json::Ok();
  store_.SetMeta(std::string(kClockKey),
                 std::to_string(emulator_.clock().Now().time_since_epoch().count()));
  store_.SetMeta(std::string(kRngKey), RngText(emulator_.rng().state()));
  appended_ = false;
  Batch batch = store_.TakeBatch();
  Replies replies = std::exchange(deferred_, Replies{});
  if (writer_) {
    writing_ = true;
    writer_->Submit(std::move(batch), std::move(replies));
    return json::Ok();
  }
  json::Status status = store_.Write(batch);
  Finish(Written{status, std::move(batch), std::move(replies)});
  return status;
}

void Journal::Finish(Written written) {
  writing_ = false;
  const json::Status& status = written.status;
  if (!status.ok()) {
    store_.PutBack(std::move(written.batch));
    appended_ = true;  // written with the next commit
    if (!std::exchange(failure_reported_, true)) {
      std::fprintf(stderr, "timeslip: cannot save state: %s\n", status.error().message.c_str());
    }
  }
  for (auto& [reply, outcome] : written.replies) {
    if (status.ok()) {
      reply(std::move(outcome));
    } else {
      reply(json::Error{std::string(kInternalFailure),
                        fmt::format("The change could not be saved: {}", status.error().message)});
    }
  }
  if (commit_again_) {
    commit_again_ = false;
    (void)Commit();  // its failure is handled as this one's was
  }
}

}  // namespace timeslip::host
