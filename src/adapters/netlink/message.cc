#include "adapters/netlink/message.h"

#include <arpa/inet.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>

namespace egret::netlink {
namespace {

constexpr size_t Align4(size_t n) { return (n + 3) & ~size_t{3}; }

}  // namespace

StatusOr<std::vector<Message>> ParseMessages(Bytes bytes) {
  std::vector<Message> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t left = bytes.size() - pos;
    if (left < sizeof(nlmsghdr)) {
      return InvalidError("netlink: " + std::to_string(left) + " bytes left after message " +
                          std::to_string(out.size()) + ", too short for a header");
    }
    nlmsghdr h;
    std::memcpy(&h, bytes.data() + pos, sizeof(h));
    if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > left) {
      return InvalidError("netlink: message " + std::to_string(out.size()) + " has length " +
                          std::to_string(h.nlmsg_len) + ", outside " +
                          std::to_string(sizeof(nlmsghdr)) + ".." + std::to_string(left));
    }
    Message m{.type = h.nlmsg_type,
              .flags = h.nlmsg_flags,
              .seq = h.nlmsg_seq,
              .port = h.nlmsg_pid,
              .payload = {}};
    m.payload.assign(bytes.begin() + pos + sizeof(nlmsghdr), bytes.begin() + pos + h.nlmsg_len);
    out.push_back(std::move(m));
    pos += std::min(Align4(h.nlmsg_len), left);
  }
  return out;
}

std::vector<uint8_t> SerializeMessage(const Message& m) {
  nlmsghdr h{};
  h.nlmsg_len = static_cast<uint32_t>(sizeof(h) + m.payload.size());
  h.nlmsg_type = m.type;
  h.nlmsg_flags = m.flags;
  h.nlmsg_seq = m.seq;
  h.nlmsg_pid = m.port;
  std::vector<uint8_t> out(sizeof(h));
  std::memcpy(out.data(), &h, sizeof(h));
  out.insert(out.end(), m.payload.begin(), m.payload.end());
  out.resize(Align4(out.size()), 0);
  return out;
}

std::optional<uint16_t> Attr::Be16() const {
  auto v = U16();
  if (!v) return std::nullopt;
  return ntohs(*v);
}

std::string Attr::Str() const {
  const char* p = reinterpret_cast<const char*>(data.data());
  size_t n = 0;
  while (n < data.size() && p[n] != '\0') ++n;
  return std::string(p, n);
}

StatusOr<AttrList> AttrList::Parse(Bytes bytes) {
  AttrList list;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t left = bytes.size() - pos;
    if (left < sizeof(nlattr)) {
      return InvalidError("netlink: " + std::to_string(left) +
                          " bytes after the last attribute, too short for an attribute header");
    }
    nlattr a;
    std::memcpy(&a, bytes.data() + pos, sizeof(a));
    if (a.nla_len < sizeof(nlattr) || a.nla_len > left) {
      return InvalidError("netlink: attribute type " + std::to_string(a.nla_type & NLA_TYPE_MASK) +
                          " has length " + std::to_string(a.nla_len) + ", outside " +
                          std::to_string(sizeof(nlattr)) + ".." + std::to_string(left));
    }
    list.attrs_.push_back(
        Attr{.type = static_cast<uint16_t>(a.nla_type & NLA_TYPE_MASK),
             .data = bytes.subspan(pos + sizeof(nlattr), a.nla_len - sizeof(nlattr))});
    pos += std::min(Align4(a.nla_len), left);
  }
  return list;
}

const Attr* AttrList::Find(uint16_t type) const {
  for (const Attr& a : attrs_) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

Status CheckSize(const Attr& a, size_t size, std::string_view what) {
  if (a.data.size() == size) return Status::Ok();
  return InvalidError(std::string(what) + " has " + std::to_string(a.data.size()) +
                      " bytes, want " + std::to_string(size));
}

MessageBuilder::MessageBuilder(uint16_t type, uint16_t flags) {
  nlmsghdr h{};
  h.nlmsg_type = type;
  h.nlmsg_flags = flags;
  Append(&h, sizeof(h));
}

MessageBuilder& MessageBuilder::Append(const void* data, size_t size) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  buf_.insert(buf_.end(), p, p + size);
  buf_.resize(Align4(buf_.size()), 0);
  return *this;
}

MessageBuilder& MessageBuilder::Put(uint16_t type, const void* data, size_t size) {
  nlattr a{};
  a.nla_len = static_cast<uint16_t>(sizeof(nlattr) + size);
  a.nla_type = type;
  const uint8_t* h = reinterpret_cast<const uint8_t*>(&a);
  buf_.insert(buf_.end(), h, h + sizeof(a));
  return Append(data, size);
}

MessageBuilder& MessageBuilder::Be16(uint16_t type, uint16_t host_order) {
  uint16_t v = htons(host_order);
  return Put(type, &v, sizeof(v));
}

MessageBuilder& MessageBuilder::Str(uint16_t type, std::string_view s) {
  std::vector<uint8_t> data(s.begin(), s.end());
  data.push_back(0);
  return Put(type, data.data(), data.size());
}

size_t MessageBuilder::BeginNested(uint16_t type) {
  size_t offset = buf_.size();
  Put(type, nullptr, 0);
  nlattr a;
  std::memcpy(&a, buf_.data() + offset, sizeof(a));
  a.nla_type = static_cast<uint16_t>(a.nla_type | NLA_F_NESTED);
  std::memcpy(buf_.data() + offset, &a, sizeof(a));
  return offset;
}

void MessageBuilder::EndNested(size_t offset) {
  nlattr a;
  std::memcpy(&a, buf_.data() + offset, sizeof(a));
  a.nla_len = static_cast<uint16_t>(buf_.size() - offset);
  std::memcpy(buf_.data() + offset, &a, sizeof(a));
}

std::vector<uint8_t> MessageBuilder::Finish() && {
  uint32_t len = static_cast<uint32_t>(buf_.size());
  std::memcpy(buf_.data() + offsetof(nlmsghdr, nlmsg_len), &len, sizeof(len));
  return std::move(buf_);
}

}  // namespace egret::netlink
