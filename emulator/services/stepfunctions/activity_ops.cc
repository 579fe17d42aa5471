// CreateActivity, DescribeActivity, ListActivities, DeleteActivity, GetActivityTask (a long poll).
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "emulator/services/stepfunctions/service_internal.h"

namespace timeslip::services::stepfunctions {
namespace {

OpResult CreateActivity(State& s, const Json& in, const std::string& region) {
  Field name = kNameField;
  name.required = true;
  if (auto st = CheckFields(in, {name, kTags, kEncryption}); !st.ok()) {
    return st.error();
  }
  if (auto st = CheckTagCount(in); !st.ok()) return st.error();
  auto created = s.emulator().CreateActivity(GetString(in, "name"), GetTags(in, "tags"), region);
  if (!created.ok()) return created.error();
  return Json{{"activityArn", created.value()->arn},
              {"creationDate", TimestampJson(created.value()->creation_date)}};
}

Json ActivityJson(const engine::ActivityRecord& r) {
  return {
      {"activityArn", r.arn}, {"name", r.name}, {"creationDate", TimestampJson(r.creation_date)}};
}

OpResult DescribeActivity(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("activityArn")}); !st.ok()) return st.error();
  auto found = s.emulator().DescribeActivity(GetString(in, "activityArn"));
  if (!found.ok()) return found.error();
  return ActivityJson(*found.value());
}

OpResult ListActivities(State& s, const Json& in, const std::string& region) {
  return ListByName<engine::ActivityRecord>(
      in, region, "ListActivities", s.emulator().ListActivities(), "activities", &ActivityJson);
}

OpResult DeleteActivity(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("activityArn")}); !st.ok()) return st.error();
  if (auto st = s.emulator().DeleteActivity(GetString(in, "activityArn")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

// A long poll: answers with a task as soon as one is there, or {} after the poll timeout.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html
void GetActivityTask(State& s, const Json& in, const std::string&, OpReply reply) {
  Field worker = kNameField;
  worker.name = "workerName";
  if (auto st = CheckFields(in, {kArnField("activityArn"), worker}); !st.ok()) {
    return reply(st.error());
  }
  const std::string arn = GetString(in, "activityArn");
  auto found = s.emulator().DescribeActivity(arn);
  if (!found.ok()) return reply(found.error());
  auto poll = std::make_shared<State::PendingPoll>();
  poll->reply = std::move(reply);
  const std::uint64_t key = ++s.next_poll;
  std::weak_ptr<State> weak = s.weak_from_this();
  auto deliver = [weak, poll, key](engine::ActivityTask task) {
    if (poll->done) return;
    poll->done = true;
    if (std::shared_ptr<State> s = weak.lock()) {
      if (poll->timer != 0) s->host.CancelAfter(poll->timer);
      s->polls.erase(key);
    }
    poll->reply(Json{{"taskToken", std::move(task.task_token)}, {"input", std::move(task.input)}});
  };
  if (s.host.shutting_down()) {
    // Hand out nothing that nobody will be there to receive.
    poll->done = true;
    return poll->reply(EmptyObject());
  }
  poll->poll_id =
      s.emulator().engine().PollActivity(arn, GetString(in, "workerName"), std::move(deliver));
  if (poll->done) return;  // a task was waiting
  s.polls[key] = poll;
  poll->timer = s.host.RunAfter(s.options.activity_poll_timeout, [weak, poll, key] {
    if (poll->done) return;
    poll->done = true;
    if (std::shared_ptr<State> s = weak.lock()) {
      s->emulator().engine().CancelPoll(poll->poll_id);
      s->polls.erase(key);
    }
    poll->reply(EmptyObject());
  });
}

}  // namespace

void RegisterActivityOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  AddSync(registry, state, "CreateActivity", host::Access::kWrites, &CreateActivity);
  AddSync(registry, state, "DescribeActivity", host::Access::kReads, &DescribeActivity);
  AddSync(registry, state, "ListActivities", host::Access::kReads, &ListActivities);
  AddSync(registry, state, "DeleteActivity", host::Access::kWrites, &DeleteActivity);
  AddAsync(registry, state, "GetActivityTask", host::Access::kWrites, &GetActivityTask);
}

}  // namespace timeslip::services::stepfunctions
