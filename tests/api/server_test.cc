#include "emulator/api/server.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "emulator/api/errors.h"
#include "emulator/api/router.h"

namespace timeslip::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Json = nlohmann::ordered_json;
using HttpResponse = http::response<http::string_body>;

// No test waits this long unless something is broken; it only keeps a broken test from hanging.
constexpr std::chrono::seconds kClientTimeout{10};

// A small blocking client over its own io_context, with a timeout on every operation.
class TestClient {
 public:
  explicit TestClient(std::uint16_t port) : stream_(ioc_) {
    stream_.expires_after(kClientTimeout);
    beast::error_code ec;
    stream_.socket().connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
    connected_ = !ec;
  }

  bool connected() const { return connected_; }

  beast::error_code Send(std::string_view bytes) {
    beast::error_code result;
    stream_.expires_after(kClientTimeout);
    asio::async_write(stream_, asio::buffer(bytes),
                      [&](beast::error_code ec, std::size_t) { result = ec; });
    Run();
    return result;
  }

  // Reads one response; an error if the server closed the connection or the read timed out.
  beast::error_code Read(HttpResponse& out) {
    beast::error_code result;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    stream_.expires_after(kClientTimeout);
    http::async_read(stream_, buffer_, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    Run();
    if (!result) out = parser.release();
    return result;
  }

  HttpResponse Call(std::string_view raw_request) {
    HttpResponse response;
    EXPECT_FALSE(Send(raw_request));
    beast::error_code ec = Read(response);
    EXPECT_FALSE(ec) << ec.message();
    return response;
  }

 private:
  void Run() {
    ioc_.restart();
    ioc_.run();
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

std::string Post(std::string_view amz_target, std::string_view body,
                 std::string_view extra_headers = "") {
  return fmt::format(
      "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: {}\r\n"
      "Content-Type: application/x-amz-Json-1.0\r\n{}Content-Length: {}\r\n\r\n{}",
      amz_target, extra_headers, body.size(), body);
}

// Answers every request with what it saw, as JSON; the tests swap in other behaviours.
class TestHandler : public Handler {
 public:
  using Behaviour = std::function<void(Request, Reply)>;

  void Handle(Request request, Reply reply) override {
    Behaviour behaviour;
    {
      std::lock_guard lock(mu_);
      behaviour = behaviour_;
      ++handled_;
    }
    arrived_.notify_all();
    if (behaviour) return behaviour(std::move(request), std::move(reply));
    reply(Echo(request));
  }

  static Response Echo(const Request& request) {
    Response response;
    response.content_type = std::string(kAmzJson10);
    response.body = Json{{"method", request.method},
                         {"target", request.target},
                         {"query", request.query},
                         {"amz_target", request.amz_target},
                         {"body", request.body},
                         {"region", request.region},
                         {"host", request.host},
                         {"request_id", request.request_id},
                         {"content_type", request.content_type}}
                        .dump();
    return response;
  }

  void set_behaviour(Behaviour b) {
    std::lock_guard lock(mu_);
    behaviour_ = std::move(b);
  }

  // Blocks until `n` requests have reached the handler.
  void WaitForRequests(int n) {
    std::unique_lock lock(mu_);
    arrived_.wait(lock, [&] { return handled_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  Behaviour behaviour_;
  int handled_ = 0;
};

// Replies on its own thread, as the engine's strand will.
class ReplyThread {
 public:
  ReplyThread() : thread_([this] { Loop(); }) {}
  ~ReplyThread() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Post(std::function<void()> work) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(work));
    }
    cv_.notify_all();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool done_ = false;
  std::thread thread_;
};

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<Server>(options, handler_);
    json::Result<std::uint16_t> port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.error().message;
    port_ = port.value();
  }

  Json Body(const HttpResponse& r) { return Json::parse(r.body(), nullptr, false); }

  TestHandler handler_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ServerTest, StartReturnsTheBoundPort) {
  StartServer();
  EXPECT_NE(port_, 0);
  EXPECT_EQ(server_->port(), port_);
}

TEST_F(ServerTest, ATakenPortIsAnErrorNotACrash) {
  StartServer();
  TestHandler other;
  Server second({.port = port_}, other);
  json::Result<std::uint16_t> got = second.Start();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "ServerStartFailed");
}

TEST_F(ServerTest, AnUnresolvableHostIsAnError) {
  TestHandler other;
  Server server({.host = "no-such-host.invalid", .port = 0}, other);
  json::Result<std::uint16_t> got = server.Start();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "ServerStartFailed");
}

TEST_F(ServerTest, FillsTheRequestFromTheWire) {
  StartServer();
  TestClient client(port_);
  ASSERT_TRUE(client.connected());
  HttpResponse r = client.Call(
      "POST /?a=1 HTTP/1.1\r\nHost: localhost:8083\r\n"
      "X-Amz-Target: AWSStepFunctions.ListActivities\r\n"
      "Content-Type: application/x-amz-Json-1.0\r\n"
      "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/states/aws4_request, "
      "SignedHeaders=host, Signature=00\r\n"
      "Content-Length: 2\r\n\r\n{}");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r[http::field::content_type], kAmzJson10);
  EXPECT_EQ(Body(r), (Json{{"method", "POST"},
                           {"target", "/"},
                           {"query", "a=1"},
                           {"amz_target", "AWSStepFunctions.ListActivities"},
                           {"body", "{}"},
                           {"region", "eu-west-1"},
                           {"host", "localhost:8083"},
                           {"request_id", "00000000-0000-4000-8000-000000000001"},
                           {"content_type", "application/x-amz-Json-1.0"}}));
  EXPECT_EQ(r["x-amzn-RequestId"], "00000000-0000-4000-8000-000000000001");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  TestClient client(port_);
  for (int i = 1; i <= 5; ++i) {
    HttpResponse r = client.Call(Post("AWSStepFunctions.Echo", fmt::format("{{\"n\":{}}}", i)));
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(Body(r)["body"], fmt::format("{{\"n\":{}}}", i));
    EXPECT_EQ(r["x-amzn-RequestId"], fmt::format("00000000-0000-4000-8000-{:012x}", i));
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  // Replies arrive out of order from another thread; the connection still answers in order.
  ReplyThread replier;
  handler_.set_behaviour([&](Request request, Reply reply) {
    replier.Post([request = std::move(request), reply = std::move(reply)] {
      reply(TestHandler::Echo(request));
    });
  });
  TestClient client(port_);
  std::string three = Post("A.B", "1") + Post("A.B", "2") + Post("A.B", "3");
  ASSERT_FALSE(client.Send(three));
  for (std::string_view want : {"1", "2", "3"}) {
    HttpResponse r;
    ASSERT_FALSE(client.Read(r));
    EXPECT_EQ(Body(r)["body"], want);
  }
}

TEST_F(ServerTest, ThirtyTwoConcurrentConnectionsAllGetAnswers) {
  StartServer();
  ReplyThread replier;
  handler_.set_behaviour([&](Request request, Reply reply) {
    replier.Post([request = std::move(request), reply = std::move(reply)] {
      reply(TestHandler::Echo(request));
    });
  });
  constexpr int kClients = 32;
  constexpr int kRequestsEach = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(port_);
      for (int i = 0; i < kRequestsEach; ++i) {
        std::string body = fmt::format("{{\"c\":{},\"i\":{}}}", c, i);
        HttpResponse r;
        if (client.Send(Post("A.B", body)) || client.Read(r)) return;
        if (r.result_int() == 200 && Body(r)["body"] == body) ++ok;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequestsEach);
}

struct MalformedCase {
  std::string_view name;
  std::string_view bytes;
};
constexpr MalformedCase kMalformedCases[] = {
    {"garbage request line", "GARBAGE\r\n\r\n"},
    {"bad version", "POST / HTTP/9\r\n\r\n"},
    {"bad header", "POST / HTTP/1.1\r\nNo colon here\r\n\r\n"},
    {"bad content length", "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"},
    {"bad chunk", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
};

TEST_F(ServerTest, MalformedRequestsAre400AndTheServerServesOthers) {
  StartServer();
  for (const MalformedCase& c : kMalformedCases) {
    TestClient bad(port_);
    ASSERT_FALSE(bad.Send(c.bytes)) << c.name;
    HttpResponse r;
    ASSERT_FALSE(bad.Read(r)) << c.name;
    EXPECT_EQ(r.result_int(), 400) << c.name;
    EXPECT_EQ(Body(r)["__type"], kBadRequest) << c.name;
    EXPECT_FALSE(r.keep_alive()) << c.name;
    EXPECT_TRUE(bad.Read(r)) << c.name << ": the connection should be closed";

    TestClient good(port_);
    EXPECT_EQ(good.Call(Post("A.B", "{}")).result_int(), 200) << c.name;
  }
}

TEST_F(ServerTest, OversizeBodyIs413) {
  StartServer({.body_limit = 1024});
  TestClient client(port_);
  HttpResponse r = client.Call(Post("AWSStepFunctions.CreateStateMachine", std::string(4096, 'x')));
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(r[http::field::content_type], kAmzJson10);
  EXPECT_EQ(Body(r)["__type"], kRequestEntityTooLarge);
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(client.Read(r)) << "the connection should be closed";
  // A body at the limit is fine.
  TestClient next(port_);
  EXPECT_EQ(next.Call(Post("A.B", std::string(1024, 'x'))).result_int(), 200);
}

TEST_F(ServerTest, OversizeChunkedBodyIs413) {
  StartServer({.body_limit = 1024});
  TestClient client(port_);
  std::string chunk(800, 'x');
  HttpResponse r =
      client.Call(fmt::format("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "320\r\n{}\r\n320\r\n{}\r\n0\r\n\r\n",
                              chunk, chunk));
  EXPECT_EQ(r.result_int(), 413);
}

TEST_F(ServerTest, AClientThatStallsMidRequestIsDropped) {
  StartServer({.read_timeout = std::chrono::milliseconds(100)});
  TestClient stalled(port_);
  ASSERT_FALSE(stalled.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n{\""));
  HttpResponse r;
  beast::error_code ec = stalled.Read(r);
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout) << "the server, not the client, should give up";
  TestClient good(port_);
  EXPECT_EQ(good.Call(Post("A.B", "{}")).result_int(), 200);
}

TEST_F(ServerTest, AnIdleConnectionIsDroppedAfterTheReadTimeout) {
  StartServer({.read_timeout = std::chrono::milliseconds(100)});
  TestClient idle(port_);
  HttpResponse r;
  beast::error_code ec = idle.Read(r);
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout);
}

TEST_F(ServerTest, AReplyFromAnotherThreadLaterGetsThrough) {
  StartServer();
  std::promise<Reply> handed_over;
  handler_.set_behaviour([&](Request, Reply reply) { handed_over.set_value(std::move(reply)); });
  std::future<HttpResponse> response = std::async(std::launch::async, [&] {
    TestClient client(port_);
    return client.Call(Post("A.B", "{}"));
  });
  Reply reply = handed_over.get_future().get();
  std::thread later(
      [&] { reply(Response{.status = 202, .content_type = "text/plain", .body = "x"}); });
  later.join();
  HttpResponse r = response.get();
  EXPECT_EQ(r.result_int(), 202);
  EXPECT_EQ(r.body(), "x");
}

TEST_F(ServerTest, ExpectContinueGetsA100First) {
  StartServer();
  TestClient client(port_);
  ASSERT_FALSE(
      client.Send("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: A.B\r\nExpect: 100-continue\r\n"
                  "Content-Length: 7\r\n\r\n"));
  HttpResponse interim;
  ASSERT_FALSE(client.Read(interim));
  EXPECT_EQ(interim.result_int(), 100);
  HttpResponse r = client.Call(R"({"a":1})");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(Body(r)["body"], R"({"a":1})");
}

TEST_F(ServerTest, AThrowingHandlerIs500AndTheConnectionGoesOn) {
  StartServer();
  handler_.set_behaviour([](Request request, Reply reply) {
    if (request.body == "throw") throw std::runtime_error("boom");
    reply(TestHandler::Echo(request));
  });
  TestClient client(port_);
  HttpResponse r = client.Call(Post("A.B", "throw"));
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(Body(r)["__type"], kInternalFailure);
  EXPECT_EQ(client.Call(Post("A.B", "{}")).result_int(), 200);
}

TEST_F(ServerTest, AReplyDroppedUnansweredIs500) {
  StartServer();
  handler_.set_behaviour([](Request, Reply) {});
  TestClient client(port_);
  HttpResponse r = client.Call(Post("A.B", "{}"));
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(Body(r)["__type"], kInternalFailure);
}

TEST_F(ServerTest, OnlyTheFirstReplyIsWritten) {
  StartServer();
  handler_.set_behaviour([](Request request, Reply reply) {
    reply(TestHandler::Echo(request));
    reply(Response{.status = 500, .body = "second"});
  });
  TestClient client(port_);
  EXPECT_EQ(Body(client.Call(Post("A.B", "1")))["body"], "1");
  EXPECT_EQ(Body(client.Call(Post("A.B", "2")))["body"], "2");
}

TEST_F(ServerTest, AnInvalidStatusBecomes500) {
  StartServer();
  handler_.set_behaviour([](Request, Reply reply) { reply(Response{.status = 1234}); });
  TestClient client(port_);
  EXPECT_EQ(client.Call(Post("A.B", "{}")).result_int(), 500);
}

TEST_F(ServerTest, StopFinishesARequestInFlight) {
  StartServer();
  std::promise<Reply> handed_over;
  handler_.set_behaviour([&](Request, Reply reply) { handed_over.set_value(std::move(reply)); });
  auto client = std::make_unique<TestClient>(port_);
  ASSERT_FALSE(client->Send(Post("A.B", "{}")));
  Reply reply = handed_over.get_future().get();

  std::thread stopper([&] { server_->Stop(); });
  // Stop tells sessions before closing the port: once connecting fails, ours has been told.
  for (;;) {
    TestClient probe(port_);
    if (!probe.connected()) break;
  }
  reply(Response{.status = 200, .content_type = "application/Json", .body = "done"});
  HttpResponse r;
  EXPECT_FALSE(client->Read(r));
  EXPECT_EQ(r.body(), "done");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(client->Read(r)) << "the connection should be closed";
  client.reset();  // the server waits for the client to close, having answered
  stopper.join();
}

TEST_F(ServerTest, StopClosesIdleConnectionsAtOnce) {
  // If Stop waited for idle connections, this test would take stop_grace (a minute).
  StartServer({.read_timeout = std::chrono::minutes(1), .stop_grace = std::chrono::minutes(1)});
  TestClient idle(port_);
  EXPECT_EQ(idle.Call(Post("A.B", "{}")).result_int(), 200);
  TestClient half(port_);
  ASSERT_FALSE(half.Send("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{"));
  server_->Stop();
  HttpResponse r;
  EXPECT_TRUE(idle.Read(r));
  EXPECT_TRUE(half.Read(r));
  EXPECT_FALSE(TestClient(port_).connected());
}

TEST_F(ServerTest, AReplyAfterTheServerIsGoneIsDropped) {
  std::promise<Reply> handed_over;
  handler_.set_behaviour([&](Request, Reply reply) { handed_over.set_value(std::move(reply)); });
  StartServer({.stop_grace = std::chrono::milliseconds(0)});
  TestClient client(port_);
  ASSERT_FALSE(client.Send(Post("A.B", "{}")));
  Reply reply = handed_over.get_future().get();
  server_.reset();  // gives up on the request in flight at once
  reply(Response{.body = "too late"});
  HttpResponse r;
  EXPECT_TRUE(client.Read(r));
}

TEST_F(ServerTest, WorksThroughTheRouter) {
  Router router;
  router.AddOperation(kStepFunctionsService, "Echo",
                      Sync([](const Json& input, const Request&) -> OpResult { return input; }));
  Server server({.port = 0}, router);
  json::Result<std::uint16_t> port = server.Start();
  ASSERT_TRUE(port.ok());
  TestClient client(port.value());
  HttpResponse r = client.Call(Post("AWSStepFunctions.Echo", R"({"a":1})"));
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"({"a":1})");
  r = client.Call(Post("AWSStepFunctions.Nope", "{}"));
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(Body(r)["__type"], kUnknownOperationException);
  r = client.Call("GET /_timeslip/health HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r[http::field::content_type], kJson);
  EXPECT_EQ(r.body(), R"({"status":"ok"})");
}

}  // namespace
}  // namespace timeslip::api
