#pragma once
// Handler: what the server hands each request to. Asynchronous, because some operations answer
// later: GetActivityTask long-polls, and every operation runs on the engine's single strand.

#include <functional>

#include "emulator/api/request.h"

namespace timeslip::api {

// Delivers the response. May be called from any thread, now or later. The server honours the first
// call and ignores any other; a Reply destroyed without being called answers 500 InternalFailure,
// so a lost callback cannot hang a connection.
using Reply = std::function<void(Response)>;

class Handler {
 public:
  virtual ~Handler() = default;
  // Called on a server I/O thread, once per request. Must not block: hand long work elsewhere and
  // call `reply` when it is done. An exception thrown from here answers 500 InternalFailure.
  virtual void Handle(Request request, Reply reply) = 0;
};

}  // namespace timeslip::api
