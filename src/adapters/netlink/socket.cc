#include "adapters/netlink/socket.h"

#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace egret::netlink {
namespace {

StatusOr<UniqueFd> OpenRouteSocket() {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd.valid()) return ErrnoError("open NETLINK_ROUTE socket", errno);
  int on = 1;
  // Extended acks carry the kernel's reason in words; capped acks do not echo our request.
  if (::setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on)) != 0) {
    return ErrnoError("enable NETLINK_EXT_ACK", errno);
  }
  if (::setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof(on)) != 0) {
    return ErrnoError("enable NETLINK_CAP_ACK", errno);
  }
  int rcvbuf = 1 << 20;  // best effort: large dumps in fewer wake-ups
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return ErrnoError("bind NETLINK_ROUTE socket", errno);
  }
  return fd;
}

bool IsDump(const std::vector<uint8_t>& request) {
  nlmsghdr h{};
  if (request.size() < sizeof(h)) return false;
  std::memcpy(&h, request.data(), sizeof(h));
  return (h.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

}  // namespace

StatusOr<NetlinkSocket> NetlinkSocket::Open(const netns::NetNs* ns) {
  UniqueFd fd;
  if (ns == nullptr) {
    ASSIGN_OR_RETURN(fd, OpenRouteSocket());
  } else {
    // A socket belongs to the namespace of the thread that created it, for its whole life.
    Status st = netns::RunIn(*ns, [&]() -> Status {
      ASSIGN_OR_RETURN(fd, OpenRouteSocket());
      return Status::Ok();
    });
    if (!st.ok()) return st.WithContext("in " + ns->path());
  }
  sockaddr_nl addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return ErrnoError("getsockname of NETLINK_ROUTE socket", errno);
  }
  return NetlinkSocket(std::move(fd), addr.nl_pid);
}

Status NetlinkSocket::Send(std::vector<uint8_t>& request, uint32_t seq, std::string_view context) {
  if (request.size() < sizeof(nlmsghdr))
    return InternalError(std::string(context) + ": request shorter than a header");
  std::memcpy(request.data() + offsetof(nlmsghdr, nlmsg_seq), &seq, sizeof(seq));
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do {
    n = ::sendto(fd_.get(), request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
                 sizeof(kernel));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return ErrnoError(std::string(context) + ": send netlink request", errno);
  return Status::Ok();
}

StatusOr<std::vector<Message>> NetlinkSocket::Receive(std::string_view context) {
  pollfd p{.fd = fd_.get(), .events = POLLIN, .revents = 0};
  int ready;
  do {
    ready = ::poll(&p, 1, kReplyTimeoutMs);
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) return ErrnoError(std::string(context) + ": wait for netlink reply", errno);
  if (ready == 0) {
    return DeadlineExceededError(std::string(context) + ": no netlink reply within " +
                                 std::to_string(kReplyTimeoutMs) + " ms");
  }
  // Peek at the size first so that no datagram is ever truncated.
  ssize_t size = ::recv(fd_.get(), nullptr, 0, MSG_PEEK | MSG_TRUNC);
  if (size < 0) return ErrnoError(std::string(context) + ": receive netlink reply", errno);
  std::vector<uint8_t> buf(static_cast<size_t>(size));
  sockaddr_nl from{};
  socklen_t from_len = sizeof(from);
  ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from),
                         &from_len);
  if (n < 0) return ErrnoError(std::string(context) + ": receive netlink reply", errno);
  if (from.nl_pid != 0) return std::vector<Message>{};  // not from the kernel: ignore
  buf.resize(static_cast<size_t>(n));
  auto messages = ParseMessages(buf);
  if (!messages.ok()) return messages.status().WithContext(context);
  return messages;
}

StatusOr<ReplyCollector> NetlinkSocket::Exchange(std::vector<uint8_t> request, bool dump,
                                                 std::string_view context) {
  uint32_t seq = next_seq_++;
  RETURN_IF_ERROR(Send(request, seq, context));
  ReplyCollector collector(seq, dump);
  while (!collector.done()) {
    ASSIGN_OR_RETURN(std::vector<Message> batch, Receive(context));
    for (Message& m : batch) {
      Status st = collector.Add(std::move(m));
      if (!st.ok()) return st.WithContext(context);
    }
  }
  return collector;
}

Status NetlinkSocket::Execute(std::vector<uint8_t> request, std::string_view context) {
  return Query(std::move(request), context).status();
}

StatusOr<std::vector<Message>> NetlinkSocket::Query(std::vector<uint8_t> request,
                                                    std::string_view context) {
  if (IsDump(request)) return InternalError(std::string(context) + ": a dump sent as a query");
  ASSIGN_OR_RETURN(ReplyCollector c, Exchange(std::move(request), false, context));
  RETURN_IF_ERROR(KernelError(context, c.ack()));
  return std::move(c.replies());
}

StatusOr<std::vector<Message>> NetlinkSocket::Dump(const std::vector<uint8_t>& request,
                                                   std::string_view context) {
  if (!IsDump(request)) return InternalError(std::string(context) + ": not a dump request");
  for (int attempt = 0; attempt < kMaxDumpAttempts; ++attempt) {
    ASSIGN_OR_RETURN(ReplyCollector c, Exchange(request, true, context));
    RETURN_IF_ERROR(KernelError(context, c.ack()));
    if (!c.interrupted()) return std::move(c.replies());
  }
  return UnavailableError(std::string(context) + ": the kernel's table kept changing during " +
                          std::to_string(kMaxDumpAttempts) + " dumps (NLM_F_DUMP_INTR); retry");
}

}  // namespace egret::netlink
