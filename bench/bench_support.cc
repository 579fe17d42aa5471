#include "bench/bench_support.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace timeslip::bench {

api::Request StepFunctionsRequest(std::string_view operation, const nlohmann::ordered_json& input) {
  return api::Request{.method = "POST",
                      .target = "/",
                      .amz_target = fmt::format("AWSStepFunctions.{}", operation),
                      .content_type = std::string(api::kAmzJson10),
                      .body = input.dump()};
}

std::string TempDbPath(std::string_view suite, std::string_view what) {
  return (std::filesystem::temp_directory_path() /
          fmt::format("timeslip-{}-{}-{}.db", suite, what, getpid()))
      .string();
}

void RemoveDb(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
}

}  // namespace timeslip::bench
