// TagResource, UntagResource, ListTagsForResource.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "emulator/services/stepfunctions/service_internal.h"

namespace timeslip::services::stepfunctions {
namespace {

json::Status CheckResourceArn(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) {
    return json::Error{"InvalidArn", fmt::format("Invalid Arn: '{}'", arn)};
  }
  return json::Ok();
}

OpResult TagResource(State& s, const Json& in, const std::string&) {
  Field tags = kTags;
  tags.required = true;
  if (auto st = CheckFields(in, {kArnField("resourceArn"), tags}); !st.ok()) return st.error();
  const std::string arn = GetString(in, "resourceArn");
  if (auto st = CheckResourceArn(arn); !st.ok()) return st.error();
  auto existing = s.emulator().ListTagsForResource(arn);
  if (!existing.ok()) return existing.error();
  engine::Tags merged = existing.value();
  for (const auto& [k, v] : GetTags(in, "tags")) merged[k] = v;
  if (merged.size() > kMaxTags) {
    return json::Error{"TooManyTags",
                       fmt::format("Too many tags: a resource may have at most {}.", kMaxTags)};
  }
  if (auto st = s.emulator().TagResource(arn, GetTags(in, "tags")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

OpResult UntagResource(State& s, const Json& in, const std::string&) {
  if (auto st =
          CheckFields(in, {kArnField("resourceArn"),
                           {.name = "tagKeys", .kind = FieldKind::kStringList, .required = true}});
      !st.ok()) {
    return st.error();
  }
  const std::string arn = GetString(in, "resourceArn");
  if (auto st = CheckResourceArn(arn); !st.ok()) return st.error();
  std::vector<std::string> keys;
  for (const Json& k : in["tagKeys"]) keys.push_back(k.get<std::string>());
  if (auto st = s.emulator().UntagResource(arn, keys); !st.ok()) return st.error();
  return EmptyObject();
}

OpResult ListTagsForResource(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("resourceArn")}); !st.ok()) return st.error();
  const std::string arn = GetString(in, "resourceArn");
  if (auto st = CheckResourceArn(arn); !st.ok()) return st.error();
  auto tags = s.emulator().ListTagsForResource(arn);
  if (!tags.ok()) return tags.error();
  return Json{{"tags", TagList(tags.value())}};
}

}  // namespace

void RegisterTagOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  AddSync(registry, state, "TagResource", host::Access::kWrites, &TagResource);
  AddSync(registry, state, "UntagResource", host::Access::kWrites, &UntagResource);
  AddSync(registry, state, "ListTagsForResource", host::Access::kReads, &ListTagsForResource);
}

}  // namespace timeslip::services::stepfunctions
