// The endpoint over loopback: StartExecution round trips against an in-process api::Endpoint
// (virtual clock, a one-Pass machine: each execution runs to completion on the engine thread
// before the next request arrives), and, as the floor, an HTTP echo on the same api::Server
// stack with a Handler that answers on the I/O thread. One blocking keep-alive client (POSIX
// sockets, TCP_NODELAY) sends a request and reads the whole response before sending the next,
// so the time per iteration is the round-trip latency; items/s is requests per second.
//
//   build/bin/timeslip_bench --benchmark_filter='Http|StartExecution'

#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/api/endpoint.h"
#include "emulator/api/handler.h"
#include "emulator/api/server.h"
#include "emulator/engine/emulator.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::api {
namespace {

// A minimal blocking HTTP/1.1 client over one keep-alive connection to 127.0.0.1. Reads
// responses framed by Content-Length, which the server always sends.
class LoopbackClient {
 public:
  explicit LoopbackClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~LoopbackClient() { ::close(fd_); }
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  bool connected() const { return connected_; }

  // Sends `request` (a whole HTTP/1.1 request) and reads one response into `body`; returns its
  // status, or -1 when the connection failed.
  int RoundTrip(std::string_view request, std::string& body) {
    for (std::size_t sent = 0; sent < request.size();) {
      ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return -1;
      sent += static_cast<std::size_t>(n);
    }
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return -1;
    }
    std::string_view head(buffer_.data(), header_end);
    if (head.size() < 12) return -1;
    int status = std::stoi(std::string(head.substr(9, 3)));
    std::size_t length = ContentLength(head);
    std::size_t total = header_end + 4 + length;
    while (buffer_.size() < total) {
      if (!Fill()) return -1;
    }
    body.assign(buffer_, header_end + 4, length);
    buffer_.erase(0, total);
    return status;
  }

 private:
  bool Fill() {
    char chunk[16 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  static std::size_t ContentLength(std::string_view head) {
    constexpr std::string_view kName = "content-length:";
    for (std::size_t line = head.find("\r\n"); line != std::string_view::npos;
         line = head.find("\r\n", line + 2)) {
      std::string_view rest = head.substr(line + 2);
      if (rest.size() < kName.size()) break;
      bool match = true;
      for (std::size_t i = 0; i < kName.size() && match; ++i) {
        match = std::tolower(static_cast<unsigned char>(rest[i])) == kName[i];
      }
      if (match) return std::stoul(std::string(rest.substr(kName.size(), rest.find("\r\n"))));
    }
    return 0;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;  // bytes received beyond the responses already read
};

std::string Post(std::string_view target, std::string_view body) {
  return fmt::format(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {}\r\n"
      "Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{}",
      target, body.size(), body);
}

void ReportRoundTrips(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations());
  // Seconds per request, shown in the counter's own units.
  state.counters["latency"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Answers every request with its own body, on the I/O thread.
class EchoHandler final : public Handler {
 public:
  void Handle(Request request, Reply reply) override {
    reply(Response{
        .status = 200, .content_type = std::string(kAmzJson10), .body = std::move(request.body)});
  }
};

void BM_HttpEchoRoundTrip(benchmark::State& state) {
  EchoHandler echo;
  Server server({.port = 0}, echo);
  json::Result<std::uint16_t> port = server.Start();
  if (!port.ok()) return state.SkipWithError(port.error().message.c_str());
  LoopbackClient client(port.value());
  if (!client.connected()) return state.SkipWithError("cannot connect");
  // About the size of a StartExecution request.
  const std::string body = R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:)"
                           R"(stateMachine:bench","input":"{\"n\":1}"})";
  const std::string request = Post("AWSStepFunctions.Echo", body);
  std::string answer;
  for (auto _ : state) {
    if (client.RoundTrip(request, answer) != 200 || answer != body) {
      return state.SkipWithError("the echo did not answer with the request body");
    }
  }
  ReportRoundTrips(state);
}
BENCHMARK(BM_HttpEchoRoundTrip)->UseRealTime();

void BM_StartExecutionRoundTrip(benchmark::State& state) {
  engine::EmulatorOptions options;
  options.clock = engine::ClockMode::kVirtual;
  options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.seed = 1;
  world::World emulator_world({.emulator = options});
  Endpoint endpoint(emulator_world.host());
  json::Result<std::uint16_t> port = endpoint.Start();
  if (!port.ok()) return state.SkipWithError(port.error().message.c_str());
  LoopbackClient client(port.value());
  if (!client.connected()) return state.SkipWithError("cannot connect");

  std::string answer;
  const nlohmann::ordered_json create = {
      {"name", "bench"},
      {"roleArn", "arn:aws:iam::123456789012:role/bench"},
      {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"}};
  if (client.RoundTrip(Post("AWSStepFunctions.CreateStateMachine", create.dump()), answer) != 200) {
    return state.SkipWithError(("CreateStateMachine failed: " + answer).c_str());
  }
  const std::string machine = nlohmann::ordered_json::parse(answer)["stateMachineArn"];
  const std::string start =
      Post("AWSStepFunctions.StartExecution",
           nlohmann::ordered_json{{"stateMachineArn", machine}, {"input", R"({"n":1})"}}.dump());
  std::string last_arn;
  for (auto _ : state) {
    if (client.RoundTrip(start, answer) != 200) {
      return state.SkipWithError(("StartExecution failed: " + answer).c_str());
    }
    benchmark::DoNotOptimize(answer.data());
  }
  // Every execution ran: the last one SUCCEEDED with its input as output.
  std::string arn = nlohmann::ordered_json::parse(answer)["executionArn"];
  client.RoundTrip(
      Post("AWSStepFunctions.DescribeExecution", nlohmann::ordered_json{{"executionArn", arn}}.dump()),
      answer);
  nlohmann::ordered_json described = nlohmann::ordered_json::parse(answer, nullptr, false);
  if (!described.is_object() || described.value("status", "") != "SUCCEEDED" ||
      described.value("output", "") != R"({"n":1})") {
    return state.SkipWithError(("the last execution did not succeed: " + answer).c_str());
  }
  ReportRoundTrips(state);
}
BENCHMARK(BM_StartExecutionRoundTrip)->UseRealTime();

}  // namespace
}  // namespace timeslip::api
