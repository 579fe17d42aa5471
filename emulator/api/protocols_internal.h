#pragma once
// Each protocol's routes, one file each (protocols.h says which is which).

#include "emulator/api/protocols.h"

namespace timeslip::api {

void ServeAwsJson(Router& router, const host::Registry& registry, const Submit& submit);
void ServeControl(Router& router, const host::Registry& registry, const Submit& submit);
void ServeLambdaRest(Router& router, const Submit& submit);
void ServeSchedulerRest(Router& router, const Submit& submit);
void ServeSnsQuery(Router& router, const host::Registry& registry, const Submit& submit);

}  // namespace timeslip::api
