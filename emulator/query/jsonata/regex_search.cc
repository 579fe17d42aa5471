// Long texts and std::regex. libstdc++'s matcher recurses about once per character matched,
// so a pattern like (a|b)+ over some ten thousand characters overflows an ordinary 8 MiB stack
// and kills the process. Regex functions on long texts therefore run on a thread of their own
// with a large stack (address space reserved, touched only as deep as a match goes); the
// caller waits, so the evaluation stays single-threaded.

#include <pthread.h>

#include <exception>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"

namespace timeslip::query::jsonata {
namespace {

constexpr std::size_t kInlineLimit = 2048;                 // bytes matched on the caller's stack
constexpr std::size_t kLargeStack = std::size_t{1} << 30;  // 1 GiB of address space

thread_local bool on_large_stack = false;

struct Job {
  const std::function<void()>* body;
  std::exception_ptr error;
};

void* RunJob(void* p) {
  auto* job = static_cast<Job*>(p);
  on_large_stack = true;
  try {
    (*job->body)();
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}

}  // namespace

void WithRegexStack(std::size_t length, const std::function<void()>& body) {
  if (length <= kInlineLimit || on_large_stack) {
    body();
    return;
  }
  Job job{&body, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kLargeStack);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, &RunJob, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) throw Error("D1004", "Regular expression could not be run on a text this long");
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace timeslip::query::jsonata
