#include "emulator/time/timer_queue.h"

namespace timeslip::time {

TimerQueue::TimerId TimerQueue::Schedule(Instant due, std::function<void()> fn, TimerKind kind) {
  TimerId id = next_id_++;
  timers_.emplace(Key{due, id}, Timer{std::move(fn), kind});
  due_by_id_.emplace(id, due);
  if (kind == TimerKind::kExternal) external_.emplace(Key{due, id}, true);
  return id;
}

bool TimerQueue::Cancel(TimerId id) {
  auto it = due_by_id_.find(id);
  if (it == due_by_id_.end()) return false;
  Key key{it->second, id};
  due_by_id_.erase(it);
  timers_.erase(key);
  external_.erase(key);
  return true;
}

std::optional<Instant> TimerQueue::NextDue() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

std::optional<Instant> TimerQueue::NextDue(TimerKind kind) const {
  if (kind == TimerKind::kExternal) {
    if (external_.empty()) return std::nullopt;
    return external_.begin()->first.first;
  }
  for (const auto& [key, timer] : timers_) {
    if (timer.kind == TimerKind::kInternal) return key.first;
  }
  return std::nullopt;
}

std::function<void()> TimerQueue::PopDue(Instant now) {
  if (timers_.empty() || timers_.begin()->first.first > now) return nullptr;
  auto it = timers_.begin();
  std::function<void()> fn = std::move(it->second.fn);
  due_by_id_.erase(it->first.second);
  external_.erase(it->first);
  timers_.erase(it);
  return fn;
}

}  // namespace timeslip::time
