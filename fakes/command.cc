#include "fakes/command.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

extern char** environ;

namespace timeslip::fakes {
namespace {

constexpr const char* kLambdaUnknown = "Lambda.Unknown";

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

json::Error Failure(std::string what) { return {kLambdaUnknown, std::move(what)}; }

}  // namespace

json::Result<CommandOutput> RunCommand(const std::vector<std::string>& argv, const std::string& cwd,
                                       const std::string& input, std::size_t max_output) {
  if (argv.empty()) return Failure("empty command");
  if (!cwd.empty() && ::access(cwd.c_str(), X_OK) != 0) {
    return Failure(fmt::format("cannot enter directory '{}': {}", cwd, std::strerror(errno)));
  }

  // stdin is a socket so a child that exits without reading it cannot SIGPIPE us: send() takes
  // MSG_NOSIGNAL. stdout and stderr are plain pipes.
  int in_pair[2], out_pipe[2], err_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) {
    return Failure(fmt::format("socketpair: {}", std::strerror(errno)));
  }
  Fd in_child(in_pair[0]), in_parent(in_pair[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    return Failure(fmt::format("pipe: {}", std::strerror(errno)));
  Fd out_parent(out_pipe[0]), out_child(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0)
    return Failure(fmt::format("pipe: {}", std::strerror(errno)));
  Fd err_parent(err_pipe[0]), err_child(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_child.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_child.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_child.fd, 2);
  // The wrapper shell changes directory when asked; posix_spawn has no portable chdir action.
  std::vector<std::string> args = argv;
  if (!cwd.empty()) {
    args = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd};
    args.insert(args.end(), argv.begin(), argv.end());
  }
  std::vector<char*> cargv;
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return Failure(fmt::format("cannot run '{}': {}", argv[0], std::strerror(spawned)));
  }
  in_child.Close();
  out_child.Close();
  err_child.Close();

  ::fcntl(in_parent.fd, F_SETFL, ::fcntl(in_parent.fd, F_GETFL) | O_NONBLOCK);
  CommandOutput result;
  std::size_t written = 0;
  if (input.empty()) in_parent.Close();
  char buffer[65536];
  while (out_parent.fd >= 0 || err_parent.fd >= 0) {
    pollfd fds[3];
    int n = 0;
    int in_at = -1, out_at = -1, err_at = -1;
    if (in_parent.fd >= 0) fds[in_at = n++] = {in_parent.fd, POLLOUT, 0};
    if (out_parent.fd >= 0) fds[out_at = n++] = {out_parent.fd, POLLIN, 0};
    if (err_parent.fd >= 0) fds[err_at = n++] = {err_parent.fd, POLLIN, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (in_at >= 0 && fds[in_at].revents != 0) {
      const ssize_t w =
          ::send(in_parent.fd, input.data() + written, input.size() - written, MSG_NOSIGNAL);
      if (w > 0) written += static_cast<std::size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) in_parent.Close();  // the child quit reading
      if (written == input.size()) in_parent.Close();
    }
    for (auto [at, fd, sink] : {std::tuple{out_at, &out_parent, &result.out},
                                std::tuple{err_at, &err_parent, &result.err}}) {
      if (at < 0 || fds[at].revents == 0) continue;
      const ssize_t r = ::read(fd->fd, buffer, sizeof buffer);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        fd->Close();
        continue;
      }
      const std::size_t room = max_output - std::min(max_output, sink->size());
      sink->append(buffer, std::min(room, static_cast<std::size_t>(r)));
      if (static_cast<std::size_t>(r) > room && sink == &result.out) result.out_truncated = true;
    }
  }
  in_parent.Close();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

}  // namespace timeslip::fakes
