#pragma once
// HttpClient: a small blocking HTTP/1.1 client over one keep-alive connection to 127.0.0.1, for
// tests that drive a real endpoint. Every read gives up after 10 s, so a broken server fails the
// test instead of hanging it.
//
//   testing::HttpClient client(endpoint.port());
//   testing::HttpReply r = client.StepFunctions("ListStateMachines", {});
//   EXPECT_EQ(r.status, 200);

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace timeslip::api::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (the connection failed or timed out)
  std::string content_type;
  std::string body;
  // The body parsed as JSON; null when it is not JSON.
  nlohmann::ordered_json json() const { return nlohmann::ordered_json::parse(body, nullptr, false); }
};

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : socket_(ioc_) {
    namespace asio = boost::asio;
    boost::system::error_code ec;
    socket_.connect({asio::ip::address_v4::loopback(), port}, ec);
    if (ec) return;
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  }

  HttpReply Send(std::string_view method, std::string_view path, std::string body,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> request(method == "GET" ? http::verb::get : http::verb::post,
                                             std::string(path), 11);
    request.set(http::field::host, "127.0.0.1");
    for (auto& [name, value] : headers) request.set(name, value);
    request.body() = std::move(body);
    request.prepare_payload();
    boost::system::error_code ec;
    http::write(socket_, request, ec);
    if (ec) return {};
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response, ec);
    if (ec) return {};
    return {static_cast<int>(response.result_int()),
            std::string(response[http::field::content_type]), std::move(response.body())};
  }

  // An AWS JSON 1.0 Step Functions operation ("StartExecution") with `input` as its body.
  HttpReply StepFunctions(std::string_view operation, const nlohmann::ordered_json& input) {
    return Send("POST", "/", input.dump(),
                {{"X-Amz-Target", fmt::format("AWSStepFunctions.{}", operation)},
                 {"Content-Type", "application/x-amz-json-1.0"}});
  }

  // A control route: GET with no body, or POST with `input` as JSON.
  HttpReply Control(std::string_view method, std::string_view path,
                    const nlohmann::ordered_json& input = nullptr) {
    return Send(method, path, input.is_null() ? "" : input.dump(),
                {{"Content-Type", "application/json"}});
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace timeslip::api::testing
