// The endpoint over loopback, with 1 and 16 keep-alive connections (the argument), each a
// blocking client (POSIX sockets, TCP_NODELAY) on its own thread that sends a request and reads
// the whole response before sending the next:
//   BM_HttpEcho              the floor: an HTTP echo on the same api::Server stack, with a
//                            Handler that answers on the I/O thread
//   BM_HttpStartExecution    StartExecution of a one-Pass machine on an in-process
//                            api::Endpoint (virtual clock: each execution runs to completion
//                            on the engine thread)
//   BM_HttpSendTaskSuccess   SendTaskSuccess to executions waiting at an activity task (the
//                            tokens are fetched with GetActivityTask before the clock starts)
// Each iteration sends kBatch requests spread over the connections; the counter "requests/s"
// is what the table compares with the echo's. Every answer must be 200 (the echo's must be
// its request), and no execution may be left RUNNING or FAILED.
//
//   build/bin/timeslip_bench --benchmark_filter='BM_Http'

#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <latch>
#include <memory>
#include <thread>
#include <vector>
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

constexpr int kBatch = 512;  // requests per iteration, over all connections

// `connections` keep-alive clients to `port`, each on its own thread per batch.
class Clients {
 public:
  Clients(std::uint16_t port, int connections) {
    for (int i = 0; i < connections; ++i) clients_.push_back(std::make_unique<LoopbackClient>(port));
  }
  bool connected() const {
    for (const auto& c : clients_) {
      if (!c->connected()) return false;
    }
    return true;
  }
  LoopbackClient& first() { return *clients_.front(); }

  // Sends requests(i) for i in [0, n), connection c taking every c-th, all connections at
  // once; `check(i, status, body)` judges each answer. Returns the wall seconds from the first
  // send to the last answer, or a negative number when an answer failed its check.
  template <typename MakeRequest, typename CheckAnswer>
  double Send(int n, const MakeRequest& request, const CheckAnswer& check) {
    const int k = static_cast<int>(clients_.size());
    std::latch ready(k + 1);
    std::vector<char> ok(static_cast<std::size_t>(k), 1);
    std::vector<std::thread> threads;
    for (int c = 0; c < k; ++c) {
      threads.emplace_back([&, c] {
        std::string answer;
        ready.arrive_and_wait();
        for (int i = c; i < n; i += k) {
          int status = clients_[static_cast<std::size_t>(c)]->RoundTrip(request(i), answer);
          if (!check(i, status, answer)) {
            ok[static_cast<std::size_t>(c)] = 0;
            return;
          }
        }
      });
    }
    ready.arrive_and_wait();
    auto began = std::chrono::steady_clock::now();
    for (std::thread& t : threads) t.join();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    for (char good : ok) {
      if (!good) return -1;
    }
    return seconds;
  }

 private:
  std::vector<std::unique_ptr<LoopbackClient>> clients_;
};

void ReportRequests(benchmark::State& state, double seconds) {
  state.SetIterationTime(seconds);
  state.counters["requests/s"] = benchmark::Counter(static_cast<double>(kBatch),
                                                    benchmark::Counter::kIsIterationInvariantRate);
}

// Answers every request with its own body, on the I/O thread.
class EchoHandler final : public Handler {
 public:
  void Handle(Request request, Reply reply) override {
    reply(Response{
        .status = 200, .content_type = std::string(kAmzJson10), .body = std::move(request.body)});
  }
};

void BM_HttpEcho(benchmark::State& state) {
  EchoHandler echo;
  Server server({.port = 0}, echo);
  json::Result<std::uint16_t> port = server.Start();
  if (!port.ok()) return state.SkipWithError(port.error().message.c_str());
  Clients clients(port.value(), static_cast<int>(state.range(0)));
  if (!clients.connected()) return state.SkipWithError("cannot connect");
  // About the size of a StartExecution request.
  const std::string body = R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:)"
                           R"(stateMachine:bench","input":"{\"n\":1}"})";
  const std::string request = Post("AWSStepFunctions.Echo", body);
  for (auto _ : state) {
    double seconds = clients.Send(
        kBatch, [&](int) -> const std::string& { return request; },
        [&](int, int status, const std::string& answer) { return status == 200 && answer == body; });
    if (seconds < 0) return state.SkipWithError("the echo did not answer with the request body");
    ReportRequests(state, seconds);
  }
}
BENCHMARK(BM_HttpEcho)->ArgName("connections")->Arg(1)->Arg(16)->UseManualTime()->Unit(benchmark::kMillisecond);

// A started endpoint on the virtual clock, with clients; `setup` runs through the first client.
class Served {
 public:
  explicit Served(int connections) : world_({.emulator = Options()}), endpoint_(world_.host()) {
    json::Result<std::uint16_t> port = endpoint_.Start();
    if (!port.ok()) {
      error_ = port.error().message;
      return;
    }
    clients_ = std::make_unique<Clients>(port.value(), connections);
    if (!clients_->connected()) error_ = "cannot connect";
  }
  const std::string& error() const { return error_; }
  Clients& clients() { return *clients_; }

  // One request through the first connection; the parsed answer, or null (and error() set).
  nlohmann::ordered_json Call(std::string_view operation, const nlohmann::ordered_json& input) {
    std::string answer;
    int status = clients_->first().RoundTrip(
        Post(fmt::format("AWSStepFunctions.{}", operation), input.dump()), answer);
    if (status != 200) {
      error_ = fmt::format("{} answered {}: {}", operation, status, answer.substr(0, 300));
      return nullptr;
    }
    return nlohmann::ordered_json::parse(answer, nullptr, false);
  }

  // Empty when no execution of `machine` is RUNNING or FAILED; the problem otherwise.
  std::string CheckAllSucceeded(const std::string& machine) {
    for (const char* status : {"RUNNING", "FAILED"}) {
      nlohmann::ordered_json page =
          Call("ListExecutions", {{"stateMachineArn", machine}, {"statusFilter", status}});
      if (page.is_null()) return error_;
      if (!page["executions"].empty()) return fmt::format("an execution is {}", status);
    }
    return "";
  }

 private:
  static engine::EmulatorOptions Options() {
    engine::EmulatorOptions options;
    options.clock = engine::ClockMode::kVirtual;
    options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
    options.seed = 1;
    return options;
  }
  world::World world_;
  Endpoint endpoint_;
  std::unique_ptr<Clients> clients_;
  std::string error_;
};

constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/bench";

void BM_HttpStartExecution(benchmark::State& state) {
  Served served(static_cast<int>(state.range(0)));
  if (!served.error().empty()) return state.SkipWithError(served.error().c_str());
  nlohmann::ordered_json created = served.Call(
      "CreateStateMachine",
      {{"name", "bench"},
       {"roleArn", kRole},
       {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"}});
  if (created.is_null()) return state.SkipWithError(served.error().c_str());
  const std::string machine = created["stateMachineArn"];
  const std::string start =
      Post("AWSStepFunctions.StartExecution",
           nlohmann::ordered_json{{"stateMachineArn", machine}, {"input", R"({"n":1})"}}.dump());
  for (auto _ : state) {
    double seconds = served.clients().Send(
        kBatch, [&](int) -> const std::string& { return start; },
        [](int, int status, const std::string& answer) {
          return status == 200 && answer.find("executionArn") != std::string::npos;
        });
    if (seconds < 0) return state.SkipWithError("a StartExecution failed");
    ReportRequests(state, seconds);
  }
  std::string problem = served.CheckAllSucceeded(machine);
  if (!problem.empty()) return state.SkipWithError(problem.c_str());
}
BENCHMARK(BM_HttpStartExecution)->ArgName("connections")->Arg(1)->Arg(16)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_HttpSendTaskSuccess(benchmark::State& state) {
  Served served(static_cast<int>(state.range(0)));
  if (!served.error().empty()) return state.SkipWithError(served.error().c_str());
  nlohmann::ordered_json activity = served.Call("CreateActivity", {{"name", "approve"}});
  if (activity.is_null()) return state.SkipWithError(served.error().c_str());
  const std::string activity_arn = activity["activityArn"];
  nlohmann::ordered_json definition = {
      {"StartAt", "Wait"},
      {"States", {{"Wait", {{"Type", "Task"}, {"Resource", activity_arn}, {"End", true}}}}}};
  nlohmann::ordered_json created = served.Call(
      "CreateStateMachine",
      {{"name", "bench"}, {"roleArn", kRole}, {"definition", definition.dump()}});
  if (created.is_null()) return state.SkipWithError(served.error().c_str());
  const std::string machine = created["stateMachineArn"];
  std::vector<std::string> requests(kBatch);
  const std::string output = R"({"approved":true})";
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < kBatch; ++i) {
      if (served.Call("StartExecution", {{"stateMachineArn", machine}}).is_null()) break;
      nlohmann::ordered_json task = served.Call("GetActivityTask", {{"activityArn", activity_arn}});
      if (task.is_null() || task.value("taskToken", "").empty()) break;
      requests[static_cast<std::size_t>(i)] =
          Post("AWSStepFunctions.SendTaskSuccess",
               nlohmann::ordered_json{{"taskToken", task["taskToken"]}, {"output", output}}.dump());
    }
    if (!served.error().empty()) return state.SkipWithError(served.error().c_str());
    state.ResumeTiming();
    double seconds = served.clients().Send(
        kBatch, [&](int i) -> const std::string& { return requests[static_cast<std::size_t>(i)]; },
        [](int, int status, const std::string&) { return status == 200; });
    if (seconds < 0) return state.SkipWithError("a SendTaskSuccess failed");
    ReportRequests(state, seconds);
  }
  std::string problem = served.CheckAllSucceeded(machine);
  if (!problem.empty()) return state.SkipWithError(problem.c_str());
}
BENCHMARK(BM_HttpSendTaskSuccess)->ArgName("connections")->Arg(1)->Arg(16)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace timeslip::api
