#include "api/transport.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"
#include "doc/json.h"

namespace egret::api {
namespace {

Status FillUnixAddr(const std::string& path, sockaddr_un* sa) {
  std::memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof sa->sun_path) {
    return InvalidError("unix socket path " + Quote(path) + " is empty or too long");
  }
  std::memcpy(sa->sun_path, path.data(), path.size());
  return Status::Ok();
}

Status MakeParentDirs(const std::string& path) {
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    std::string dir = path.substr(0, pos);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError("mkdir " + dir, errno);
  }
  return Status::Ok();
}

StatusOr<addrinfo*> Resolve(const Address& addr, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  addrinfo* res = nullptr;
  std::string port = std::to_string(addr.port);
  int rc = ::getaddrinfo(addr.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) {
    return InvalidError("address " + Quote(addr.ToString()) + ": " + ::gai_strerror(rc) +
                        " (use a numeric IP address)");
  }
  return res;
}

}  // namespace

StatusOr<Address> Address::Parse(std::string_view text) {
  Address a;
  if (text.starts_with("unix:")) {
    a.type = Type::kUnix;
    a.path = std::string(text.substr(5));
    if (a.path.empty()) return InvalidError("address " + Quote(text) + ": empty unix path");
    return a;
  }
  if (text.starts_with("tcp:")) {
    a.type = Type::kTcp;
    std::string_view rest = text.substr(4);
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return InvalidError("address " + Quote(text) + ": expected tcp:HOST:PORT");
    }
    std::string_view host = rest.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    auto port = ParseInt(rest.substr(colon + 1));
    if (host.empty() || !port || *port < 1 || *port > 65535) {
      return InvalidError("address " + Quote(text) + ": expected tcp:HOST:PORT with port 1-65535");
    }
    a.host = std::string(host);
    a.port = static_cast<int>(*port);
    return a;
  }
  if (text.starts_with("/")) return Parse("unix:" + std::string(text));
  return InvalidError("address " + Quote(text) + ": expected unix:PATH or tcp:HOST:PORT");
}

std::string Address::ToString() const {
  if (type == Type::kUnix) return "unix:" + path;
  bool v6 = host.find(':') != std::string::npos;
  return "tcp:" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

StatusOr<bool> Connection::Fill(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_.get(), POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return ErrnoError("poll", errno);
  if (rc == 0) return DeadlineExceededError("timed out waiting for the peer");
  char chunk[65536];
  ssize_t n;
  do {
    n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return ErrnoError("recv", errno);
  if (n == 0) return false;
  buf_.append(chunk, static_cast<size_t>(n));
  return true;
}

StatusOr<doc::Value> Connection::Read(std::chrono::milliseconds timeout) {
  while (true) {
    size_t nl = buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      auto v = doc::ParseJson(line);
      if (!v.ok()) return v.status().WithContext("malformed frame");
      return v;
    }
    if (buf_.size() > kMaxFrameBytes) return InvalidError("frame larger than the limit");
    ASSIGN_OR_RETURN(bool more, Fill(timeout));
    if (!more) return UnavailableError("connection closed by the peer");
  }
}

Status Connection::Write(const doc::Value& frame) { return WriteEncoded(doc::ToJson(frame)); }

Status Connection::WriteEncoded(std::string_view json) {
  std::string data(json);
  data += '\n';
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd_.get(), data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("send", errno);
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

void Connection::ShutdownWrite() { ::shutdown(fd_.get(), SHUT_WR); }

StatusOr<Listener> Listener::Listen(const Address& addr) {
  if (addr.type == Address::Type::kUnix) {
    sockaddr_un sa;
    RETURN_IF_ERROR(FillUnixAddr(addr.path, &sa));
    RETURN_IF_ERROR(MakeParentDirs(addr.path));
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return ErrnoError("socket", errno);
    // A socket file left by a crashed server: replace it only if nobody answers on it.
    struct stat st{};
    if (::stat(addr.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
      if (Dial(addr).ok()) {
        return AlreadyExistsError("listen " + addr.ToString() + ": another server is running");
      }
      ::unlink(addr.path.c_str());
    }
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      return ErrnoError("bind " + addr.ToString(), errno);
    }
    ::chmod(addr.path.c_str(), 0660);
    if (::listen(fd.get(), 128) != 0) return ErrnoError("listen " + addr.ToString(), errno);
    return Listener(std::move(fd), addr);
  }
  ASSIGN_OR_RETURN(addrinfo * res, Resolve(addr, true));
  UniqueFd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    ::freeaddrinfo(res);
    return ErrnoError("socket", errno);
  }
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc = ::bind(fd.get(), res->ai_addr, res->ai_addrlen);
  int err = errno;
  ::freeaddrinfo(res);
  if (rc != 0) return ErrnoError("bind " + addr.ToString(), err);
  if (::listen(fd.get(), 128) != 0) return ErrnoError("listen " + addr.ToString(), errno);
  return Listener(std::move(fd), addr);
}

StatusOr<Connection> Listener::Accept(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_.get(), POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return ErrnoError("poll", errno);
  if (rc == 0) return DeadlineExceededError("no client");
  int fd = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return ErrnoError("accept", errno);
  // A peer that stops reading must not block a server thread forever: sends time out.
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return Connection(UniqueFd(fd));
}

StatusOr<Connection> Dial(const Address& addr) {
  if (addr.type == Address::Type::kUnix) {
    sockaddr_un sa;
    RETURN_IF_ERROR(FillUnixAddr(addr.path, &sa));
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return ErrnoError("socket", errno);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      return ErrnoError("connect " + addr.ToString(), errno);
    }
    return Connection(std::move(fd));
  }
  ASSIGN_OR_RETURN(addrinfo * res, Resolve(addr, false));
  UniqueFd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int err = errno;
  if (fd.valid() && ::connect(fd.get(), res->ai_addr, res->ai_addrlen) != 0) {
    err = errno;
    fd.reset();
  }
  ::freeaddrinfo(res);
  if (!fd.valid()) return ErrnoError("connect " + addr.ToString(), err);
  int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return Connection(std::move(fd));
}

}  // namespace egret::api
