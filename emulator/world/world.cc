#include "emulator/world/world.h"

#include "emulator/services/control/service.h"
#include "emulator/services/glue/service.h"
#include "emulator/services/lambda/service.h"
#include "emulator/services/scheduler/service.h"
#include "emulator/services/sns/service.h"

namespace timeslip::world {

World::World(WorldOptions options)
    : emulator_(options.emulator),
      journal_(options.store ? std::make_unique<host::Journal>(*options.store, emulator_)
                             : nullptr),
      fakes_(emulator_.engine()),
      scheduler_(emulator_),
      host_(emulator_) {
  fakes_.RegisterOn(emulator_.integrations());
  // Every service, one line each.
  services::stepfunctions::Register(host_, options.stepfunctions);
  services::lambda::Register(host_, fakes_);
  services::sns::Register(host_, fakes_);
  services::scheduler::Register(host_, scheduler_);
  services::glue::Register(host_, fakes_);
  services::control::Register(host_, fakes_);
  if (journal_) host_.AttachJournal(journal_.get());
}

World::~World() { host_.Stop(); }

}  // namespace timeslip::world
