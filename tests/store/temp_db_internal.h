#pragma once
// TempDbPath: a database file under the temp directory, removed (with its -wal and -shm) on
// destruction.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace timeslip::store::testing {

class TempDbPath {
 public:
  TempDbPath() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        fmt::format("timeslip-{}-{}-{}.db", info->test_suite_name(), info->name(), getpid());
    // Typed and parameterized tests have a '/' in their names.
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = (std::filesystem::temp_directory_path() / name).string();
    Remove();
  }
  ~TempDbPath() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }
  std::string path_;
};

}  // namespace timeslip::store::testing
