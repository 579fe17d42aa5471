#pragma once
// The interface this module implements and the rows it keeps, declared by their user,
// emulator/host/store.h, and named here as this module's own.

#include "emulator/host/store.h"

namespace timeslip::store {

using host::Batch;
using host::CatalogChange;
using host::ExecutionPage;
using host::ExecutionQuery;
using host::ExecutionRow;
using host::ExecutionSummary;
using host::HistoryQuery;
using host::JournalRow;
using host::Store;

}  // namespace timeslip::store
