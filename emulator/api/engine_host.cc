#include "emulator/api/engine_host.h"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace timeslip::api {

namespace asio = boost::asio;

class EngineHost::Impl {
 public:
  explicit Impl(engine::Emulator& emulator)
      : emulator_(emulator), wall_timer_(ioc_), work_(asio::make_work_guard(ioc_)) {}

  ~Impl() { Stop(); }

  void Start() {
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void Post(std::function<void()> work) {
    if (stopped_.load()) return;
    asio::post(ioc_, [this, work = std::move(work)] {
      work();
      Drive();
    });
  }

  WallTimerId RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
    WallTimerId id = ++next_timer_;
    auto timer = std::make_unique<asio::steady_timer>(ioc_, delay);
    timer->async_wait([this, id, fn = std::move(fn)](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled
      if (timers_.erase(id) == 0) return;
      fn();
      Drive();
    });
    timers_[id] = std::move(timer);
    return id;
  }

  void CancelAfter(WallTimerId id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    it->second->cancel();
    timers_.erase(it);
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
      std::vector<std::function<void()>> hooks;
      {
        std::lock_guard<std::mutex> lock(hooks_mu_);
        hooks.swap(hooks_);
      }
      for (auto& hook : hooks) hook();
      for (auto& [id, timer] : timers_) timer->cancel();
      timers_.clear();
      wall_timer_.cancel();
      Drive();
      done.set_value();
    });
    if (thread_.joinable()) {
      ran.wait();
    } else {
      ioc_.poll();  // never started: run what is queued here, hooks included
    }
  }

  void Stop() {
    if (stopped_.load()) return;
    BeginShutdown();
    stopped_.store(true);
    work_.reset();
    if (thread_.joinable()) thread_.join();
    ioc_.stop();
  }

 private:
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
    if (shutting_down_) return;
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
      Drive();
    });
  }

  engine::Emulator& emulator_;
  asio::io_context ioc_;
  asio::steady_timer wall_timer_;
  std::optional<time::Instant> armed_for_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::map<WallTimerId, std::unique_ptr<asio::steady_timer>> timers_;
  WallTimerId next_timer_ = 0;
  std::mutex hooks_mu_;
  std::vector<std::function<void()>> hooks_;
  bool shutting_down_ = false;  // engine thread
  std::atomic<bool> began_{false};
  std::atomic<bool> stopped_{false};
};

EngineHost::EngineHost(engine::Emulator& emulator)
    : emulator_(emulator), impl_(std::make_unique<Impl>(emulator)) {}

EngineHost::~EngineHost() { Stop(); }

void EngineHost::Start() { impl_->Start(); }
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

}  // namespace timeslip::api
