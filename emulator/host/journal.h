#pragma once
// Journal: what makes a host durable. The engine is deterministic, so instead of snapshotting
// what lives only in its memory (running frames, timers, task tokens, fake runs in flight), the
// journal records every input that changed it, in the order the engine thread applied it and
// with the virtual instant it was applied at:
//   command  a command (host/command.h) that reached the engine thread, unless its operation
//            only reads and the engine did nothing in its turn;
//   timer    a wall-time timer of the host firing (a long poll's timeout), by the host's id;
//   tick     a wall-clock wake-up (wall mode: time itself is an input);
//   release  the clients waiting on long polls and synchronous executions were let go (shutdown,
//            or a restart: their connections are gone).
// Replaying the journal on a fresh world with the same options rebuilds every execution, token,
// timer and fake run as it was (host/recovery.h). Journals written before commands existed
// (timeslip's first durable release) recorded HTTP requests ("request" entries): the wire turns
// each into its command (RequestDecoder), so those databases resume too.
//
// Group commit: each turn of the engine thread queues its journal entry; the events and
// execution rows it produced reach the store through an engine listener. Commit() writes the
// whole batch in one transaction, with the clock's position and the generator's state, and only
// then sends the replies the turns produced: an acknowledged call's effects are on disk.
//
// Threads: construct, then the engine thread only.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/host/command.h"
#include "emulator/host/recorded_request.h"
#include "emulator/host/store.h"
#include "emulator/json/result.h"

namespace timeslip::host {

// What caused one turn of the engine thread.
struct TurnCause {
  enum class Kind { kInternal, kCommand, kTimer, kTick, kRelease };
  Kind kind = Kind::kInternal;             // kInternal: set-up work and C++ callers; not journaled
  std::shared_ptr<const Command> command;  // kCommand
  bool reads_only = false;                 // kCommand: its operation only reads
  std::uint64_t timer = 0;                 // kTimer: the host's WallTimerId
};

// The journal's encoding of a cause, both ways. Decoding a "request" entry needs `requests`;
// without one such an entry is refused, naming what to do. A request that stands for no command
// decodes as kInternal: nothing to replay.
JournalRow EncodeTurn(const TurnCause& cause);
json::Result<TurnCause> DecodeTurn(const JournalRow& row, const RequestDecoder* requests = nullptr);

class Journal {
 public:
  // `store`, `emulator`: Not owned; must outlive this. Adds an engine listener that queues every
  // history event and execution row into `store`, except while replaying.
  Journal(Store& store, engine::Emulator& emulator);
  ~Journal();  // StopWriter()s first.
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  Store& store() { return store_; }

  // ---- Engine thread: turns, replies and commits ----
  void BeginTurn(TurnCause cause);
  void EndTurn();
  // Keeps `outcome` for `reply` until the next commit has written what the turns so far did.
  void Hold(CommandReply reply, Outcome outcome);
  // Takes the batch (entries, events, rows, the clock and the generator) and writes it in one
  // transaction, then sends the replies waiting for it. If the store fails, the batch goes back
  // to be written with the next commit, and its replies answer InternalFailure (the effects may
  // still reach the disk later). Without a writer thread it writes here and returns the outcome;
  // with one it hands the batch over and returns at once, and a commit asked for while a batch
  // is being written waits for it, then takes everything queued meanwhile: group commit.
  json::Status Commit();
  bool commit_needed() const;

  // Takes the state machines and activities the emulator has now as the ones the store has (after
  // a replay, which rebuilt them from the journal).
  void AdoptCatalog();

  // From now on batches are written on a thread of this journal's own, so the engine thread
  // runs the next turns while the disk works (unless the store's writes do not wait). `post`
  // runs a function on the engine thread; the writer calls it (from its thread) when a batch is
  // written. Engine thread.
  void StartWriter(std::function<void(std::function<void()>)> post);
  // Waits for the batch being written, answers its replies, stops the thread; commits are
  // written on the calling thread again. Engine thread; idempotent.
  void StopWriter();

  // Replay: entries are not recorded, events not stored, replies not held.
  bool replaying() const { return replaying_; }
  void set_replaying(bool replaying) { replaying_ = replaying; }
  // The seq the next recorded entry gets.
  void set_next_seq(std::int64_t seq) { next_seq_ = seq; }
  std::int64_t next_seq() const { return next_seq_; }

  // Meta keys written with every commit, which recovery checks a replay against.
  static constexpr std::string_view kClockKey = "clock_ms";
  static constexpr std::string_view kRngKey = "rng_state";
  static std::string RngText(const time::Rng::State& state);

 private:
  using Replies = std::vector<std::pair<CommandReply, Outcome>>;
  struct Written {
    json::Status status;
    Batch batch;
    Replies replies;
  };
  // A thread that writes one batch at a time.
  class Writer;

  // After a turn that changed them: queues the machines and activities that changed.
  void SaveCatalog();
  // Engine thread: a batch was written (or failed): answer its replies, commit what waits.
  void Finish(Written written);
  void OnWriterDone();

  Store& store_;
  engine::Emulator& emulator_;
  bool replaying_ = false;
  std::int64_t next_seq_ = 1;
  // The turn in progress.
  TurnCause turn_;
  time::Instant turn_at_{};
  std::uint64_t turn_steps_ = 0;
  bool in_turn_ = false;
  bool appended_ = false;  // entries queued since the last commit
  Replies deferred_;
  // The catalog version the store was given last, and what it holds: machine ARN -> (revision,
  // tags); activity ARN -> tags.
  std::uint64_t saved_version_ = 0;
  std::map<std::string, std::pair<std::string, engine::Tags>> saved_machines_;
  std::map<std::string, engine::Tags> saved_activities_;
  std::unique_ptr<Writer> writer_;  // null: commits are written on the engine thread
  bool writing_ = false;            // a batch is with the writer
  bool commit_again_ = false;       // a commit was asked for meanwhile
  bool failure_reported_ = false;   // a failing disk is reported once, not once per commit
};

}  // namespace timeslip::host
