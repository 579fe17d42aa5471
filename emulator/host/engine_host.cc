#include "emulator/host/engine_host.h"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "emulator/host/common_errors.h"
#include "emulator/host/journal.h"

namespace timeslip::host {

namespace asio = boost::asio;

class EngineHost::Impl {
 public:
  Impl(engine::Emulator& emulator, const Registry& registry)
      : emulator_(emulator),
        registry_(registry),
        wall_timer_(ioc_),
        work_(asio::make_work_guard(ioc_)) {}

  ~Impl() { Stop(); }

  void AttachJournal(Journal* journal) { journal_ = journal; }
  Journal* journal() const { return journal_; }

  void Start() {
    if (journal_ != nullptr) {
      // Batches are written beside the engine thread; a written one comes back through here.
      journal_->StartWriter(
          [this](std::function<void()> done) { asio::post(ioc_, std::move(done)); });
    }
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void Post(std::function<void()> work) {
    if (stopped_.load()) return;
    asio::post(ioc_, [this, work = std::move(work)] { RunTurn(TurnCause{}, work); });
  }

  void Submit(Command command, CommandReply reply) {
    if (stopped_.load()) return;
    asio::post(ioc_,
               [this, command = std::make_shared<const Command>(std::move(command)),
                reply = std::move(reply)]() mutable { RunCommand(command, std::move(reply)); });
  }

  WallTimerId RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
    WallTimerId id = ++next_timer_;
    if (replaying()) {
      replay_timers_[id] = ReplayTimer{delay, std::move(fn)};
      return id;
    }
    Arm(id, delay, std::move(fn));
    return id;
  }

  void CancelAfter(WallTimerId id) {
    replay_timers_.erase(id);
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    it->second->cancel();
    timers_.erase(it);
  }

  void RunPending() {
    ioc_.poll();
    ioc_.restart();
  }

  bool FireTimer(WallTimerId id) {
    auto it = replay_timers_.find(id);
    if (it == replay_timers_.end()) return false;
    std::function<void()> fn = std::move(it->second.fn);
    replay_timers_.erase(it);
    RunTurn(TurnCause{.kind = TurnCause::Kind::kTimer, .timer = id}, fn);
    return true;
  }

  void Tick() {
    RunTurn(TurnCause{.kind = TurnCause::Kind::kTick}, [] {});
  }

  void Release() {
    RunTurn(TurnCause{.kind = TurnCause::Kind::kRelease}, [this] { RunHooks(); });
    if (journal_ != nullptr && !replaying()) Commit();
  }

  void EndReplay() {
    auto pending = std::move(replay_timers_);
    replay_timers_.clear();
    for (auto& [id, timer] : pending) Arm(id, timer.delay, std::move(timer.fn));
  }

  void AddShutdownHook(std::function<void()> hook) {
    std::lock_guard<std::mutex> lock(hooks_mu_);
    hooks_.push_back(std::move(hook));
  }

  bool shutting_down() const { return shutting_down_; }

  void BeginShutdown() {
    if (began_.exchange(true)) return;
    std::promise<void> done;
    std::future<void> ran = done.get_future();
    asio::post(ioc_, [this, &done] {
      shutting_down_ = true;
      RunTurn(TurnCause{.kind = TurnCause::Kind::kRelease}, [this] {
        RunHooks();
        for (auto& [id, timer] : timers_) timer->cancel();
        timers_.clear();
        wall_timer_.cancel();
      });
      if (journal_ != nullptr) Commit();
      done.set_value();
    });
    if (thread_.joinable()) {
      ran.wait();
    } else {
      RunPending();  // never started: run what is queued here, hooks included
    }
  }

  void Stop() {
    if (stopped_.load()) return;
    BeginShutdown();
    stopped_.store(true);
    if (journal_ != nullptr && thread_.joinable()) {
      // After the work already queued: the last batches are written before the thread ends.
      asio::post(ioc_, [this] { journal_->StopWriter(); });
    }
    work_.reset();
    if (thread_.joinable()) thread_.join();
    ioc_.stop();
  }

 private:
  struct ReplayTimer {
    std::chrono::milliseconds delay;
    std::function<void()> fn;
  };

  bool replaying() const { return journal_ != nullptr && journal_->replaying(); }

  // One command as one turn, journaled as itself unless it only read and moved nothing.
  void RunCommand(const std::shared_ptr<const Command>& command, CommandReply reply) {
    const Registry::Entry* entry = registry_.Find(command->service, command->operation);
    TurnCause cause{.kind = TurnCause::Kind::kCommand,
                    .command = command,
                    .reads_only = entry == nullptr || entry->access == Access::kReads};
    RunTurn(std::move(cause), [&] {
      CommandReply held = Held(std::move(reply));
      if (entry == nullptr) {
        held(json::Error{std::string(kUnknownOperationException),
                         "The operation " + command->operation + " of " + command->service +
                             " is not supported"});
        return;
      }
      // The one catch-all per command: a bug in an operation costs that call, not the host.
      try {
        entry->run(*command, held);
      } catch (const std::exception& e) {
        held(json::Error{std::string(kInternalFailure), e.what()});
      } catch (...) {
        held(json::Error{std::string(kInternalFailure), "Unknown internal failure"});
      }
    });
  }

  // `reply`, answered once, and with a journal only after the commit that carries the effects
  // of the turn it is answered in. Engine thread only.
  CommandReply Held(CommandReply reply) {
    auto answered = std::make_shared<bool>(false);
    return [this, answered, reply = std::move(reply)](Outcome outcome) {
      if (std::exchange(*answered, true)) return;
      if (journal_ != nullptr && !journal_->replaying()) {
        journal_->Hold(reply, std::move(outcome));
        return;
      }
      reply(std::move(outcome));
    };
  }

  void Arm(WallTimerId id, std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_unique<asio::steady_timer>(ioc_, delay);
    timer->async_wait([this, id, fn = std::move(fn)](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled
      if (timers_.erase(id) == 0) return;
      RunTurn(TurnCause{.kind = TurnCause::Kind::kTimer, .timer = id}, fn);
    });
    timers_[id] = std::move(timer);
  }

  // The hooks stay registered: a replayed release runs them again.
  void RunHooks() {
    std::vector<std::function<void()>> hooks;
    {
      std::lock_guard<std::mutex> lock(hooks_mu_);
      hooks = hooks_;
    }
    const bool was = shutting_down_;
    shutting_down_ = true;  // the hooks refuse to start waiting again
    for (auto& hook : hooks) hook();
    shutting_down_ = was;
  }

  // One turn: `fn`, then the engine's loop as the clock mode says, journaled as `cause`; the
  // group commit follows once the turns queued before it have run.
  void RunTurn(TurnCause cause, const std::function<void()>& fn) {
    if (journal_ == nullptr) {
      fn();
      Drive();
      return;
    }
    journal_->BeginTurn(std::move(cause));
    fn();
    Drive();
    journal_->EndTurn();
    if (!commit_posted_ && !replaying()) {
      commit_posted_ = true;
      asio::post(ioc_, [this] { Commit(); });
    }
  }

  void Commit() {
    commit_posted_ = false;
    (void)journal_->Commit();  // a failure is answered and reported by the journal
  }

  // After each piece of work: run what is runnable, moving time as the clock mode says.
  void Drive() {
    engine::Engine& engine = emulator_.engine();
    switch (emulator_.options().clock) {
      case engine::ClockMode::kVirtual:
        engine.RunUntilBlocked(*emulator_.virtual_clock());
        break;
      case engine::ClockMode::kManual:
        engine.RunReady();
        break;
      case engine::ClockMode::kWall:
        engine.RunReady();
        ArmWallTimer();
        break;
    }
  }

  // Wall mode: wake when the engine's next timer is due, in real time (scaled).
  void ArmWallTimer() {
    if (shutting_down_ || replaying()) return;
    std::optional<time::Instant> next = emulator_.engine().NextDue();
    if (!next) return;
    if (armed_for_ && *armed_for_ == *next) return;
    double scale = emulator_.options().time_scale > 0 ? emulator_.options().time_scale : 1.0;
    auto virtual_delay = *next - emulator_.clock().Now();
    auto wall_ms = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(std::max<std::int64_t>(0, virtual_delay.count())) / scale));
    armed_for_ = *next;
    wall_timer_.expires_after(std::chrono::milliseconds(wall_ms));
    wall_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // re-armed or shutting down
      armed_for_.reset();
      RunTurn(TurnCause{.kind = TurnCause::Kind::kTick}, [] {});
    });
  }

  engine::Emulator& emulator_;
  const Registry& registry_;
  asio::io_context ioc_;
  asio::steady_timer wall_timer_;
  std::optional<time::Instant> armed_for_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::map<WallTimerId, std::unique_ptr<asio::steady_timer>> timers_;
  WallTimerId next_timer_ = 0;
  std::map<WallTimerId, ReplayTimer> replay_timers_;  // while replaying
  Journal* journal_ = nullptr;                        // Not owned; may be null
  bool commit_posted_ = false;
  std::mutex hooks_mu_;
  std::vector<std::function<void()>> hooks_;
  bool shutting_down_ = false;  // engine thread
  std::atomic<bool> began_{false};
  std::atomic<bool> stopped_{false};
};

EngineHost::EngineHost(engine::Emulator& emulator)
    : emulator_(emulator), impl_(std::make_unique<Impl>(emulator, registry_)) {
  // Clients reach executions only through the wire, which shows nothing of an Express one once
  // it has answered: the host keeps none of them past their end.
  emulator_.engine().set_release_ended_express(true);
}

EngineHost::~EngineHost() { Stop(); }

void EngineHost::AttachJournal(Journal* journal) { impl_->AttachJournal(journal); }
Journal* EngineHost::journal() { return impl_->journal(); }
void EngineHost::Submit(Command command, CommandReply reply) {
  impl_->Submit(std::move(command), std::move(reply));
}
Outcome EngineHost::Call(Command command) {
  // Shared: an operation that answers later (a long poll) may outlive this call.
  auto answer = std::make_shared<std::optional<Outcome>>();
  Submit(std::move(command), [answer](Outcome outcome) { *answer = std::move(outcome); });
  RunPending();
  if (!*answer) {
    return json::Error{std::string(kInternalFailure), "The operation did not answer"};
  }
  return std::move(**answer);
}
void EngineHost::Start() { impl_->Start(); }
void EngineHost::RunPending() { impl_->RunPending(); }
bool EngineHost::FireTimer(WallTimerId id) { return impl_->FireTimer(id); }
void EngineHost::Tick() { impl_->Tick(); }
void EngineHost::Release() { impl_->Release(); }
void EngineHost::EndReplay() { impl_->EndReplay(); }
void EngineHost::Post(std::function<void()> work) { impl_->Post(std::move(work)); }
EngineHost::WallTimerId EngineHost::RunAfter(std::chrono::milliseconds delay,
                                             std::function<void()> fn) {
  return impl_->RunAfter(delay, std::move(fn));
}
void EngineHost::CancelAfter(WallTimerId id) { impl_->CancelAfter(id); }
void EngineHost::AddShutdownHook(std::function<void()> hook) {
  impl_->AddShutdownHook(std::move(hook));
}
bool EngineHost::shutting_down() const { return impl_->shutting_down(); }
void EngineHost::BeginShutdown() { impl_->BeginShutdown(); }
void EngineHost::Stop() { impl_->Stop(); }

}  // namespace timeslip::host
