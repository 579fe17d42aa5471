#pragma once
// Registry: the operations one process serves, by service and name. Services add theirs at
// start-up (services/<service>/register.h); the host looks each command up here; the wire lists
// a service's operations to route to them. Each operation says whether it only reads: a read
// that moved nothing is not journaled.
//
//   registry.AddSync("states", "DescribeExecution", Access::kReads,
//                    [&](const Command& c) -> Outcome { ... });
//
// Threads: filled before serving, read without locks after.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/host/command.h"

namespace timeslip::host {

enum class Access {
  kReads,   // changes nothing the journal must replay (Describe*, List*, Get*)
  kWrites,  // may change state: journaled
};

// Runs on the engine thread; calls `reply` exactly once, now or later (on the engine thread).
// An exception thrown before replying answers InternalFailure.
using Operation = std::function<void(const Command& command, CommandReply reply)>;
// An operation that answers at once.
using SyncOperation = std::function<Outcome(const Command& command)>;

class Registry {
 public:
  struct Entry {
    Access access = Access::kWrites;
    Operation run;
  };

  // A second registration of the same name replaces the first.
  void Add(std::string_view service, std::string_view operation, Access access, Operation run);
  void AddSync(std::string_view service, std::string_view operation, Access access,
               SyncOperation run);

  // Null when `service` has no such operation.
  const Entry* Find(std::string_view service, std::string_view operation) const;
  // The operations of `service`, by name; empty for a service nobody registered.
  std::vector<std::string> Operations(std::string_view service) const;

 private:
  // service -> operation -> entry
  std::map<std::string, std::map<std::string, Entry, std::less<>>, std::less<>> services_;
};

}  // namespace timeslip::host
