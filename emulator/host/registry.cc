#include "emulator/host/registry.h"

namespace timeslip::host {

void Registry::Add(std::string_view service, std::string_view operation, Access access,
                   Operation run) {
  services_[std::string(service)].insert_or_assign(std::string(operation),
                                                   Entry{access, std::move(run)});
}

void Registry::AddSync(std::string_view service, std::string_view operation, Access access,
                       SyncOperation run) {
  Add(service, operation, access,
      [run = std::move(run)](const Command& command, CommandReply reply) { reply(run(command)); });
}

const Registry::Entry* Registry::Find(std::string_view service, std::string_view operation) const {
  auto found = services_.find(service);
  if (found == services_.end()) return nullptr;
  auto entry = found->second.find(operation);
  return entry == found->second.end() ? nullptr : &entry->second;
}

std::vector<std::string> Registry::Operations(std::string_view service) const {
  std::vector<std::string> names;
  auto found = services_.find(service);
  if (found == services_.end()) return names;
  for (const auto& [name, entry] : found->second) names.push_back(name);
  return names;
}

}  // namespace timeslip::host
