// EngineHost: one engine thread, driven by clock mode.
#include "emulator/host/engine_host.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "tests/api/hosted_router.h"

namespace timeslip::host {
namespace {

using api::testing::TestOptions;

constexpr std::string_view kWaitHour =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})";

// Creates a machine and starts it, on the engine thread.
engine::Execution* StartOn(engine::Emulator& emulator, std::string_view definition) {
  engine::CreateStateMachineParams params;
  params.name = "m";
  params.definition = std::string(definition);
  params.role_arn = std::string(api::testing::kRole);
  auto machine = emulator.CreateStateMachine(params);
  if (!machine.ok()) return nullptr;
  engine::StartExecutionParams start;
  start.state_machine_arn = machine.value()->arn;
  auto started = emulator.StartExecution(start);
  return started.ok() ? started.value() : nullptr;
}

template <typename Fn>
auto RunOn(EngineHost& host, Fn fn) {
  using T = decltype(fn());
  auto promise = std::make_shared<std::promise<T>>();
  std::future<T> got = promise->get_future();
  host.Post([promise, fn = std::move(fn)] { promise->set_value(fn()); });
  return got.get();
}

TEST(EngineHostTest, RunsWorkOnOneThreadOtherThanTheCaller) {
  engine::Emulator emulator(TestOptions());
  EngineHost host(emulator);
  host.Start();
  std::thread::id first = RunOn(host, [] { return std::this_thread::get_id(); });
  std::thread::id second = RunOn(host, [] { return std::this_thread::get_id(); });
  EXPECT_EQ(first, second);
  EXPECT_NE(first, std::this_thread::get_id());
}

TEST(EngineHostTest, VirtualClockJumpsToInternalTimersAfterEachPost) {
  engine::Emulator emulator(TestOptions());
  EngineHost host(emulator);
  host.Start();
  engine::Execution* run = RunOn(host, [&] { return StartOn(emulator, kWaitHour); });
  ASSERT_NE(run, nullptr);
  auto [status, elapsed] = RunOn(host, [&] {
    return std::pair{run->status(),
                     emulator.clock().Now() - *time::ParseRfc3339("2024-01-01T00:00:00Z")};
  });
  EXPECT_EQ(status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(elapsed, std::chrono::hours(1));
}

TEST(EngineHostTest, ManualClockMovesOnlyWhenAdvanced) {
  engine::Emulator emulator(TestOptions(engine::ClockMode::kManual));
  EngineHost host(emulator);
  host.Start();
  engine::Execution* run = RunOn(host, [&] { return StartOn(emulator, kWaitHour); });
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(RunOn(host, [&] { return run->status(); }), engine::ExecutionStatus::kRunning);
  EXPECT_TRUE(RunOn(host, [&] { return emulator.Advance(std::chrono::minutes(59)).ok(); }));
  EXPECT_EQ(RunOn(host, [&] { return run->status(); }), engine::ExecutionStatus::kRunning);
  EXPECT_TRUE(RunOn(host, [&] { return emulator.Advance(std::chrono::minutes(1)).ok(); }));
  EXPECT_EQ(RunOn(host, [&] { return run->status(); }), engine::ExecutionStatus::kSucceeded);
}

TEST(EngineHostTest, WallClockWakesForTheNextTimer) {
  engine::EmulatorOptions options = TestOptions(engine::ClockMode::kWall);
  options.time_scale = 360'000;  // one virtual hour in 10 ms
  engine::Emulator emulator(options);
  EngineHost host(emulator);
  auto finished = std::make_shared<std::promise<void>>();
  host.Post([&emulator, finished] {
    emulator.engine().AddListener(
        [finished](const engine::Execution&, const engine::HistoryEvent& e) {
          if (e.type == "ExecutionSucceeded") finished->set_value();
        });
  });
  host.Start();
  ASSERT_NE(RunOn(host, [&] { return StartOn(emulator, kWaitHour); }), nullptr);
  EXPECT_EQ(finished->get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(EngineHostTest, RunAfterFiresAndCancelAfterForgets) {
  engine::Emulator emulator(TestOptions());
  EngineHost host(emulator);
  host.Start();
  auto fired = std::make_shared<std::promise<int>>();
  auto cancelled_ran = std::make_shared<bool>(false);
  host.Post([&host, fired, cancelled_ran] {
    EngineHost::WallTimerId id =
        host.RunAfter(std::chrono::milliseconds(1), [cancelled_ran] { *cancelled_ran = true; });
    host.CancelAfter(id);
    host.RunAfter(std::chrono::milliseconds(5), [fired] { fired->set_value(7); });
  });
  std::future<int> got = fired->get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(got.get(), 7);
  EXPECT_FALSE(RunOn(host, [cancelled_ran] { return *cancelled_ran; }));
}

TEST(EngineHostTest, ShutdownRunsHooksOnceAndDropsLaterWork) {
  engine::Emulator emulator(TestOptions());
  EngineHost host(emulator);
  int hooks = 0;
  bool during = false;
  host.AddShutdownHook([&] {
    ++hooks;
    during = host.shutting_down();
  });
  host.Start();
  host.BeginShutdown();
  host.BeginShutdown();
  host.Stop();
  host.Stop();
  EXPECT_EQ(hooks, 1);
  EXPECT_TRUE(during);
  bool ran = false;
  host.Post([&] { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(EngineHostTest, StopWithoutStartRunsHooks) {
  engine::Emulator emulator(TestOptions());
  int hooks = 0;
  {
    EngineHost host(emulator);
    host.AddShutdownHook([&] { ++hooks; });
  }
  EXPECT_EQ(hooks, 1);
}

}  // namespace
}  // namespace timeslip::host
