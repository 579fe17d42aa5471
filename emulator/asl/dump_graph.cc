#include "emulator/asl/dump_graph.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace timeslip::asl {
namespace {

std::string NameOf(const StateMachine& machine, StateIndex index) {
  if (index == kNoState) return "?";
  return machine.state(index).name;
}

void Dump(const StateMachine& machine, std::string& out) {
  bool first = true;
  for (const State& s : machine.states()) {
    if (!first) out += "; ";
    first = false;
    out += fmt::format("{}({})", StateTypeName(s.type), s.name);
    for (const Retrier& r : s.retriers) {
      out += fmt::format("[retry:{}]", fmt::join(r.error_equals, ","));
    }
    for (const Catcher& c : s.catchers) {
      out += fmt::format("[catch:{}=>{}]", fmt::join(c.error_equals, ","), NameOf(machine, c.next));
    }
    for (const ChoiceBranch& c : s.choices)
      out += fmt::format("[choice->{}]", NameOf(machine, c.next));
    if (s.default_next != kNoState)
      out += fmt::format("[default->{}]", NameOf(machine, s.default_next));
    for (const auto& branch : s.branches) {
      out += "[branch:{";
      if (branch) Dump(*branch, out);
      out += "}]";
    }
    if (s.item_processor) {
      out += "[processor:{";
      Dump(*s.item_processor, out);
      out += "}]";
    }
    switch (s.type) {
      case StateType::kChoice:
      case StateType::kSucceed:
      case StateType::kFail:
        break;
      default:
        out += s.end ? "->End" : fmt::format("->{}", NameOf(machine, s.next));
    }
  }
}

}  // namespace

std::string DumpGraph(const StateMachine& machine) {
  std::string out;
  Dump(machine, out);
  return out;
}

}  // namespace timeslip::asl
