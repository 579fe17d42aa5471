#pragma once
// DumpGraph: a one-line text form of a StateMachine, to keep graph tests short.
//
//   "Pass(P1)->Load; Task(Load)[retry:States.ALL][catch:States.ALL=>Oops]->End; Fail(Oops)"
//
// States in definition order, separated by "; ". Each is Type(Name), then annotations in
// brackets (retry:..., catch:...=>Target, choice->Target, default->Target, branch:{...},
// processor:{...}), then "->Next" or "->End". Choice, Succeed and Fail carry no arrow.

#include <string>

#include "emulator/asl/state_machine.h"

namespace timeslip::asl {

std::string DumpGraph(const StateMachine& machine);

}  // namespace timeslip::asl
