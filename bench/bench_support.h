#pragma once
// What several benchmarks build the same way: a Step Functions request as the endpoint receives
// it, and a scratch SQLite database file (with its WAL and shared-memory companions).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/api/request.h"

namespace timeslip::bench {

// POST / with X-Amz-Target AWSStepFunctions.<operation> and `input` as its JSON body.
api::Request StepFunctionsRequest(std::string_view operation, const nlohmann::ordered_json& input);

// A database path in the temporary directory, unique to this process: timeslip-<suite>-<what>.db.
std::string TempDbPath(std::string_view suite, std::string_view what);

// Removes the database at `path` and its -wal and -shm files; missing files are fine.
void RemoveDb(const std::string& path);

}  // namespace timeslip::bench
