#include "adapters/heartbeat/heartbeat_socket.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "adapters/heartbeat/sockaddr.h"

namespace egret::heartbeat {
namespace {

// Larger than any valid beat, so an oversized datagram shows up as truncated, not as valid.
constexpr size_t kReceiveBuffer = liveness::kMaxHeartbeatSize + 1;
constexpr size_t kMaxDatagramsPerReceive = 4096;

StatusOr<UniqueFd> OpenBound(const Endpoint& local, bool v6) {
  UniqueFd fd(::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return ErrnoError("heartbeat socket", errno);
  if (v6) {
    int off = 0;  // dual stack, whatever net.ipv6.bindv6only says
    if (::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) != 0) {
      return ErrnoError("heartbeat socket: IPV6_V6ONLY off", errno);
    }
  }
  sockaddr_storage sa;
  ASSIGN_OR_RETURN(socklen_t len, ToSockaddr(local, v6, &sa));
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    return ErrnoError("heartbeat socket: bind " + local.ToString(), errno);
  }
  return fd;
}

}  // namespace

StatusOr<uint64_t> NewBootId() {
  uint64_t id = 0;
  while (id == 0) {
    if (::getrandom(&id, sizeof(id), 0) != static_cast<ssize_t>(sizeof(id))) {
      return ErrnoError("heartbeat boot id: getrandom", errno);
    }
  }
  return id;
}

StatusOr<HeartbeatSocket> HeartbeatSocket::Bind(const Endpoint& local, SenderIdentity self) {
  RETURN_IF_ERROR(
      liveness::ValidateHeartbeat({.node = self.node, .boot_id = self.boot_id, .sequence = 1}));
  bool v6 = !local.address.is_v4();
  ASSIGN_OR_RETURN(UniqueFd fd, OpenBound(local, v6));
  sockaddr_storage sa{};
  socklen_t len = sizeof(sa);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    return ErrnoError("heartbeat socket: getsockname", errno);
  }
  ASSIGN_OR_RETURN(Endpoint bound, FromSockaddr(sa, len));
  return HeartbeatSocket(std::move(fd), v6, bound, std::move(self));
}

Status HeartbeatSocket::SendTo(std::span<const Endpoint> peers) {
  ++sequence_;
  ASSIGN_OR_RETURN(std::vector<uint8_t> datagram,
                   liveness::EncodeHeartbeat(
                       {.node = self_.node, .boot_id = self_.boot_id, .sequence = sequence_}));
  Status first = Status::Ok();
  for (const Endpoint& peer : peers) {
    sockaddr_storage sa;
    StatusOr<socklen_t> len = ToSockaddr(peer, v6_, &sa);
    Status s = len.status();
    if (len.ok() &&
        ::sendto(fd_.get(), datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&sa),
                 *len) < 0 &&
        errno != EAGAIN) {
      s = ErrnoError("heartbeat: send to " + peer.ToString(), errno);
    }
    if (first.ok() && !s.ok()) first = s;
  }
  return first;
}

StatusOr<bool> HeartbeatSocket::ReadOne(std::vector<ReceivedBeat>* out) {
  uint8_t buf[kReceiveBuffer];
  sockaddr_storage sa{};
  socklen_t len = sizeof(sa);
  ssize_t n = ::recvfrom(fd_.get(), buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT,
                         reinterpret_cast<sockaddr*>(&sa), &len);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
    if (errno == EINTR) return true;
    return ErrnoError("heartbeat: receive", errno);
  }
  auto source = FromSockaddr(sa, len);
  auto beat = static_cast<size_t>(n) > liveness::kMaxHeartbeatSize
                  ? StatusOr<liveness::Heartbeat>(InvalidError("oversized"))
                  : liveness::DecodeHeartbeat(std::span<const uint8_t>(buf, n));
  if (!beat.ok() || !source.ok()) {
    ++malformed_;
    return true;
  }
  out->push_back(ReceivedBeat{.beat = std::move(*beat), .source = *source});
  return true;
}

StatusOr<std::vector<ReceivedBeat>> HeartbeatSocket::Receive(std::chrono::milliseconds timeout) {
  std::vector<ReceivedBeat> beats;
  pollfd p{.fd = fd_.get(), .events = POLLIN, .revents = 0};
  int ready = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, timeout.count())));
  if (ready < 0 && errno != EINTR) return ErrnoError("heartbeat: poll", errno);
  if (ready <= 0) return beats;
  // Bounded, so a flood on the port cannot keep the caller here forever.
  for (size_t i = 0; i < kMaxDatagramsPerReceive; ++i) {
    ASSIGN_OR_RETURN(bool more, ReadOne(&beats));
    if (!more) break;
  }
  return beats;
}

}  // namespace egret::heartbeat
