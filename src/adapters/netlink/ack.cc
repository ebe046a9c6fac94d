// Acks, errors with extended-ack text, and following the replies of one request.
#include <linux/netlink.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "adapters/netlink/message.h"

namespace egret::netlink {
namespace {

constexpr size_t Align4(size_t n) { return (n + 3) & ~size_t{3}; }

// errno from the signed error field, guarding against INT_MIN and out-of-range values.
int ErrnoFrom(int32_t raw) {
  int64_t v = raw < 0 ? -static_cast<int64_t>(raw) : raw;
  return v > 4095 ? EPROTO : static_cast<int>(v);
}

Status ReadAckTlvs(Bytes tlvs, Ack* ack) {
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(tlvs));
  if (const Attr* msg = attrs.Find(NLMSGERR_ATTR_MSG)) ack->message = msg->Str();
  return Status::Ok();
}

}  // namespace

StatusOr<Ack> DecodeAck(const Message& m) {
  Ack ack;
  if (m.type == NLMSG_DONE && m.payload.empty()) return ack;  // very old kernels: no error field
  if (m.type != NLMSG_ERROR && m.type != NLMSG_DONE) {
    return InvalidError("netlink: message type " + std::to_string(m.type) +
                        " is not an ack or done message");
  }
  Bytes rest;
  ASSIGN_OR_RETURN(int32_t error, ReadHeader<int32_t>(m.payload, "netlink ack", &rest));
  ack.error = ErrnoFrom(error);
  if (m.type == NLMSG_ERROR) {
    // The request's header follows, and its payload too unless the kernel capped it.
    Bytes after_header;
    ASSIGN_OR_RETURN(nlmsghdr orig, ReadHeader<nlmsghdr>(rest, "netlink error", &after_header));
    rest = after_header;
    if (!(m.flags & NLM_F_CAPPED)) {
      size_t orig_payload =
          orig.nlmsg_len >= sizeof(nlmsghdr) ? Align4(orig.nlmsg_len - sizeof(nlmsghdr)) : 0;
      if (orig_payload > rest.size()) {
        return InvalidError("netlink error: the echoed request claims " +
                            std::to_string(orig_payload) + " bytes, only " +
                            std::to_string(rest.size()) + " follow");
      }
      rest = rest.subspan(orig_payload);
    }
  }
  if (m.flags & NLM_F_ACK_TLVS) RETURN_IF_ERROR(ReadAckTlvs(rest, &ack));
  return ack;
}

Status KernelError(std::string_view context, const Ack& ack) {
  if (ack.error == 0) return Status::Ok();
  std::string m(context);
  m += ": ";
  m += std::strerror(ack.error);
  if (!ack.message.empty()) m += " (" + ack.message + ")";
  switch (ack.error) {
    case EEXIST:
      return AlreadyExistsError(std::move(m));
    case ENODEV:
    case ENOENT:
    case ESRCH:
    case EADDRNOTAVAIL:
      return NotFoundError(std::move(m));
    case EINVAL:
    case EBADF:
    case ERANGE:
    case EOPNOTSUPP:
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
      return InvalidError(std::move(m));
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
    case EBUSY:
    case ENOTEMPTY:
      return FailedPreconditionError(std::move(m));
    case EPERM:
    case EACCES:
      return {Code::kUnauthorized, std::move(m)};
    case ENOBUFS:
    case EAGAIN:
    case EINTR:
      return UnavailableError(std::move(m));
    default:
      return InternalError(std::move(m));
  }
}

Status ReplyCollector::Add(Message m) {
  if (done_ || m.seq != seq_) return Status::Ok();
  if (m.flags & NLM_F_DUMP_INTR) interrupted_ = true;
  switch (m.type) {
    case NLMSG_NOOP:
    case NLMSG_OVERRUN:
      return Status::Ok();
    case NLMSG_ERROR: {
      ASSIGN_OR_RETURN(ack_, DecodeAck(m));
      done_ = true;
      return Status::Ok();
    }
    case NLMSG_DONE:
      if (!dump_) break;  // not ours to interpret: keep it as a reply
      { ASSIGN_OR_RETURN(ack_, DecodeAck(m)); }
      done_ = true;
      return Status::Ok();
    default:
      break;
  }
  replies_.push_back(std::move(m));
  return Status::Ok();
}

}  // namespace egret::netlink
