#pragma once
// The HTTP requests that journals of timeslip's first durable release recorded ("request"
// entries, before commands existed), and the decoder the wire provides to read them
// (api::RequestDecoderFor), so such a database replays through the host (host/journal.h).

#include <functional>
#include <optional>
#include <string>

#include "emulator/host/command.h"
#include "emulator/json/result.h"

namespace timeslip::host {

// A "request" entry of a journal written before commands: the HTTP request as it came.
struct RecordedRequest {
  std::string method;
  std::string target;  // the path
  std::string query;
  std::string amz_target;
  std::string content_type;
  std::string region;
  std::string body;
};
// Turns a recorded request into the command it stands for (api::RequestDecoderFor does); nullopt
// for a request the wire refuses before any command, which changed nothing then either.
using RequestDecoder = std::function<json::Result<std::optional<Command>>(const RecordedRequest&)>;

}  // namespace timeslip::host
