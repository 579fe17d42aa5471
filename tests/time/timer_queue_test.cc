#include "emulator/time/timer_queue.h"

#include <string>

#include <gtest/gtest.h>

namespace timeslip::time {
namespace {

Instant At(int seconds) { return Instant{std::chrono::seconds(seconds)}; }

void FireAll(TimerQueue& q, Instant now) {
  while (auto fn = q.PopDue(now)) fn();
}

TEST(TimerQueueTest, FiresInDueThenScheduleOrder) {
  TimerQueue q;
  std::string order;
  q.Schedule(At(5), [&] { order += "c"; });
  q.Schedule(At(1), [&] { order += "a"; });
  q.Schedule(At(5), [&] { order += "d"; });
  q.Schedule(At(2), [&] { order += "b"; });
  q.Schedule(At(9), [&] { order += "e"; });
  FireAll(q, At(5));
  EXPECT_EQ(order, "abcd");
  EXPECT_EQ(q.NextDue(), At(9));
}

TEST(TimerQueueTest, CancelledTimersNeverFire) {
  TimerQueue q;
  bool fired = false;
  TimerQueue::TimerId id = q.Schedule(At(1), [&] { fired = true; });
  EXPECT_TRUE(q.Cancel(id));
  EXPECT_FALSE(q.Cancel(id));
  FireAll(q, At(10));
  EXPECT_FALSE(fired);
  EXPECT_TRUE(q.empty());
}

TEST(TimerQueueTest, TracksExternalDeadlinesSeparately) {
  TimerQueue q;
  q.Schedule(At(3600), [] {}, TimerKind::kExternal);
  q.Schedule(At(7200), [] {});
  EXPECT_EQ(q.NextDue(), At(3600));
  EXPECT_EQ(q.NextDue(TimerKind::kExternal), At(3600));
  EXPECT_EQ(q.NextDue(TimerKind::kInternal), At(7200));
}

}  // namespace
}  // namespace timeslip::time
