// Server and its sessions: the one translation unit that includes Beast, to keep builds short.
//
// Threads: `io_threads` threads run one io_context. The acceptor and each session have a strand,
// so a session's handlers never run concurrently. A Handler's reply may come from any thread: it
// is posted onto the session's strand through a Gate that Stop() closes, so a reply arriving
// after the server is gone touches nothing.
//
// Lifetimes: the server's session table owns every session; a Reply holds only a weak_ptr, so a
// Handler that keeps a Reply past Stop() cannot keep a socket alive beyond its io_context.

#include "emulator/api/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "emulator/api/errors.h"

namespace timeslip::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// After a response that closes the connection, how long we read and discard what the client is
// still sending (the rest of an oversize body) so that closing does not reset the connection
// and destroy the response before the client reads it.
constexpr std::chrono::milliseconds kMaxLinger{1000};
// After accept() fails (out of file descriptors, say), how long to wait before trying again.
constexpr std::chrono::milliseconds kAcceptRetry{50};

// Closed by Stop() once the I/O threads are joined; replies check it before posting.
struct Gate {
  std::mutex mu;
  bool open = true;
};

// The protocol to answer in when the transport itself refuses a request.
std::string_view ContentTypeForRefusal(std::string_view content_type, std::string_view target) {
  if (target.starts_with("/_timeslip")) return kJson;
  if (content_type.starts_with(kAmzJson11)) return kAmzJson11;
  return kAmzJson10;
}

// What a session needs of the server that owns it.
class SessionOwner {
 public:
  virtual const ServerOptions& options() const = 0;
  virtual Handler& handler() = 0;
  virtual const std::shared_ptr<Gate>& gate() const = 0;
  virtual std::string NextRequestId() = 0;
  // Forgets the session: it has closed its connection.
  virtual void Unregister(std::uint64_t id) = 0;

 protected:
  ~SessionOwner() = default;
};

class Session;

}  // namespace

class Server::Impl final : public SessionOwner {
 public:
  Impl(ServerOptions options, Handler& handler)
      : options_(std::move(options)),
        handler_(handler),
        acceptor_(asio::make_strand(ioc_)),
        accept_retry_(acceptor_.get_executor()) {}

  ~Impl() { Stop(); }

  json::Result<std::uint16_t> Start();
  void Stop();
  std::uint16_t port() const { return port_.load(); }

  // For sessions.
  const ServerOptions& options() const override { return options_; }
  Handler& handler() override { return handler_; }
  const std::shared_ptr<Gate>& gate() const override { return gate_; }
  std::string NextRequestId() override {
    // Deterministic, UUID-shaped so SDKs that log it see what they expect.
    return fmt::format("00000000-0000-4000-8000-{:012x}", ++request_count_);
  }
  void Unregister(std::uint64_t id) override;

 private:
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);

  const ServerOptions options_;
  Handler& handler_;  // Not owned; must outlive this.
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::atomic<std::uint16_t> port_{0};
  std::atomic<std::uint64_t> request_count_{0};

  // Declared before everything that does I/O on it, so it is destroyed after them.
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;

  std::mutex mu_;  // guards what follows
  std::condition_variable sessions_done_;
  bool started_ = false;
  bool stopping_ = false;
  std::uint64_t session_count_ = 0;
  std::map<std::uint64_t, std::shared_ptr<Session>> sessions_;
};

namespace {

// One connection. Reads a request, hands it to the Handler, writes the reply when it comes, and
// only then reads the next: HTTP/1.1 answers in order, and pipelined requests wait in buffer_.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, SessionOwner& server, std::uint64_t id)
      : stream_(std::move(socket)), server_(server), id_(id) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // From Stop(): finish what was handed to the Handler, abandon the rest.
  void Shutdown() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->state_ == State::kReading || self->state_ == State::kLingering) self->Close();
    });
  }

 private:
  enum class State { kReading, kHandling, kWriting, kLingering, kClosed };

  // The Reply handed to the Handler: first call wins; never called means 500.
  class ReplyState {
   public:
    ReplyState(std::weak_ptr<Session> session, std::shared_ptr<Gate> gate, std::string content_type)
        : session_(std::move(session)),
          gate_(std::move(gate)),
          content_type_(std::move(content_type)) {}
    ReplyState(const ReplyState&) = delete;
    ReplyState& operator=(const ReplyState&) = delete;

    ~ReplyState() {
      if (called_.load()) return;
      try {
        Send(ErrorResponse({std::string(kInternalFailure), "The operation never answered"},
                           content_type_));
      } catch (...) {  // a destructor must not throw; the connection then times out
      }
    }

    void Send(Response response) {
      if (called_.exchange(true)) return;
      std::lock_guard lock(gate_->mu);
      if (!gate_->open) return;
      std::shared_ptr<Session> session = session_.lock();
      if (!session) return;
      asio::post(session->stream_.get_executor(),
                 [session, response = std::move(response)]() mutable {
                   session->Write(std::move(response));
                 });
    }

   private:
    std::weak_ptr<Session> session_;
    std::shared_ptr<Gate> gate_;
    std::string content_type_;
    std::atomic<bool> called_{false};
  };

  void ReadHeader() {
    if (stopping_) return Close();
    state_ = State::kReading;
    parser_.emplace();
    parser_->body_limit(server_.options().body_limit);
    stream_.expires_after(server_.options().read_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    if (stopping_) return Close();
    if (parser_->is_done()) return OnRequest();
    // curl and others wait for this before sending a large body:
    // https://www.rfc-editor.org/rfc/rfc9110#name-expect
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, parser_->get().version());
      http::async_write(stream_, *continue_,
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->OnReadError(ec);
                       if (self->stopping_) return self->Close();
                       self->OnRequest();
                     });
  }

  void OnReadError(beast::error_code ec) {
    // Our own shutdown, a client that closed between requests or mid-way, or one too slow (the
    // stream closed the socket on timeout): nothing to answer.
    if (ec == asio::error::operation_aborted || ec == http::error::end_of_stream ||
        ec == http::error::partial_message || ec == beast::error::timeout ||
        ec.category() != http::make_error_code(http::error::bad_method).category()) {
      return Close();
    }
    // A request we cannot parse, or too large to take: say so, then close, since the rest of the
    // stream cannot be trusted to start at a request.
    const auto& header = parser_->get();
    std::string_view content_type =
        ContentTypeForRefusal(header[http::field::content_type], header.target());
    if (ec == http::error::body_limit) {
      return Refuse(ErrorResponse(
          {std::string(kRequestEntityTooLarge),
           fmt::format("The request body is larger than {} bytes", server_.options().body_limit)},
          content_type));
    }
    Refuse(ErrorResponse({std::string(kBadRequest), "Malformed HTTP request: " + ec.message()},
                         content_type));
  }

  void Refuse(Response response) {
    keep_alive_ = false;
    Write(std::move(response));
  }

  void OnRequest() {
    state_ = State::kHandling;
    http::request<http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();

    Request request;
    request.method = std::string(message.method_string());
    std::string_view target = message.target();
    std::size_t q = target.find('?');
    request.target = std::string(target.substr(0, q));
    if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.amz_target = std::string(message["X-Amz-Target"]);
    request.content_type = std::string(message[http::field::content_type]);
    request.authorization = std::string(message[http::field::authorization]);
    request.host = std::string(message[http::field::host]);
    request.region = RegionFromAuthorization(request.authorization);
    request.body = std::move(message.body());
    request.request_id = server_.NextRequestId();
    request_id_ = request.request_id;

    std::string content_type(ContentTypeForRefusal(request.content_type, request.target));
    auto state = std::make_shared<ReplyState>(weak_from_this(), server_.gate(), content_type);
    Reply reply = [state](Response response) { state->Send(std::move(response)); };
    try {
      server_.handler().Handle(std::move(request), reply);
    } catch (const std::exception& e) {
      reply(ErrorResponse({std::string(kInternalFailure), e.what()}, content_type));
    } catch (...) {
      reply(
          ErrorResponse({std::string(kInternalFailure), "Unknown internal failure"}, content_type));
    }
  }

  void Write(Response response) {
    if (state_ == State::kClosed) return;
    state_ = State::kWriting;
    response_ = {};
    response_.version(11);
    // Beast refuses codes above 999; a Handler's mistake becomes ours to report.
    bool valid = response.status >= 100 && response.status <= 599;
    response_.result(valid ? static_cast<unsigned>(response.status) : 500u);
    if (!response.content_type.empty()) {
      response_.set(http::field::content_type, response.content_type);
    }
    for (auto& [name, value] : response.headers) response_.insert(name, value);
    if (!request_id_.empty()) response_.set("x-amzn-RequestId", request_id_);
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive_ && !stopping_);
    response_.prepare_payload();
    stream_.expires_after(server_.options().write_timeout);
    http::async_write(
        stream_, response_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    request_id_.clear();
    if (ec) return Close();
    if (!response_.keep_alive()) return Linger();
    ReadHeader();
  }

  // Half-closes, then discards whatever the client still sends until it closes too (or for at
  // most kMaxLinger), so the response is not lost to a connection reset.
  void Linger() {
    state_ = State::kLingering;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(
        std::min<std::chrono::milliseconds>(kMaxLinger, server_.options().read_timeout));
    Discard();
  }

  void Discard() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Discard();
                            });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    server_.Unregister(id_);
  }

  beast::tcp_stream stream_;
  SessionOwner& server_;  // Not owned; outlives every session.
  const std::uint64_t id_;
  State state_ = State::kReading;
  bool stopping_ = false;
  bool keep_alive_ = true;
  std::string request_id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  http::response<http::string_body> response_;
  std::array<char, 16 * 1024> discard_;
};

}  // namespace

json::Result<std::uint16_t> Server::Impl::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_) return json::Error{"ServerStartFailed", "The server was started already"};
    started_ = true;
  }
  auto failed = [&](std::string_view what, const beast::error_code& ec) {
    return json::Error{"ServerStartFailed",
                       fmt::format("Cannot listen on {}:{}: {}: {}", options_.host, options_.port,
                                   what, ec.message())};
  };
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  auto endpoints =
      resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
  if (ec) return failed("resolve", ec);
  if (endpoints.empty()) return failed("resolve", asio::error::host_not_found);
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  if (acceptor_.open(endpoint.protocol(), ec)) return failed("open", ec);
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec)) {
    return failed("reuse_address", ec);
  }
  if (acceptor_.bind(endpoint, ec)) return failed("bind", ec);
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec)) return failed("listen", ec);
  tcp::endpoint bound = acceptor_.local_endpoint(ec);
  if (ec) return failed("local_endpoint", ec);
  port_ = bound.port();

  asio::dispatch(acceptor_.get_executor(), [this] { Accept(); });
  work_.emplace(ioc_.get_executor());
  int threads = std::max(1, options_.io_threads);
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      // Handlers catch their own failures; this keeps a stray exception from ending the thread.
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (...) {
        }
      }
    });
  }
  return port_.load();
}

void Server::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
    OnAccept(ec, std::move(s));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    accept_retry_.expires_after(kAcceptRetry);
    accept_retry_.async_wait([this](beast::error_code ec) {
      if (!ec && acceptor_.is_open()) Accept();
    });
    return;
  }
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      std::uint64_t id = ++session_count_;
      session = std::make_shared<Session>(std::move(socket), *this, id);
      sessions_.emplace(id, session);
    }
  }
  if (session) session->Start();  // else the socket closes as it goes out of scope
  Accept();
}

void Server::Impl::Unregister(std::uint64_t id) {
  std::shared_ptr<Session> gone;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  auto found = sessions_.find(id);
  if (found == sessions_.end()) return;
  gone = std::move(found->second);
  sessions_.erase(found);
  if (sessions_.empty()) sessions_done_.notify_all();
}

void Server::Impl::Stop() {
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
    for (const auto& [id, session] : sessions_) sessions.push_back(session);
  }
  // Sessions first, then the acceptor: a client that finds the port closed knows every session
  // open before has been told to stop.
  for (const auto& session : sessions) session->Shutdown();
  sessions.clear();
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  {
    std::unique_lock lock(mu_);
    sessions_done_.wait_for(lock, options_.stop_grace, [this] { return sessions_.empty(); });
  }
  work_.reset();
  ioc_.stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  // The close posted above may not have run before the loop stopped; no thread runs now.
  beast::error_code ignored;
  acceptor_.close(ignored);
  {
    std::lock_guard lock(gate_->mu);
    gate_->open = false;
  }
  std::map<std::uint64_t, std::shared_ptr<Session>> left;  // cut off after stop_grace
  {
    std::lock_guard lock(mu_);
    left.swap(sessions_);
  }
}

Server::Server(ServerOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() = default;

json::Result<std::uint16_t> Server::Start() { return impl_->Start(); }

void Server::Stop() { impl_->Stop(); }

std::uint16_t Server::port() const { return impl_->port(); }

}  // namespace timeslip::api
