// Helpers for the codec unit tests (test-only): read back the requests the encoders build.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/netlink/codec_util.h"
#include "adapters/netlink/message.h"
#include "model/kernel.h"

namespace egret::netlink::testing {

// The single message of an encoded request.
inline Message OnlyMessage(const std::vector<uint8_t>& bytes) {
  auto messages = ParseMessages(bytes);
  EXPECT_TRUE(messages.ok()) << messages.status().ToString();
  if (!messages.ok() || messages->size() != 1) {
    ADD_FAILURE() << "want exactly one message";
    return Message{};
  }
  return std::move((*messages)[0]);
}

// A request's family header and its attributes, with the message they view into (a vector's
// move keeps its buffer, so the views survive moving the whole).
template <typename T>
struct Decoded {
  Message message;
  T header{};
  AttrList attrs;
};

template <typename T>
Decoded<T> Open(Message m) {
  Decoded<T> d;
  d.message = std::move(m);
  Bytes rest;
  auto header = ReadHeader<T>(d.message.payload, "test", &rest);
  EXPECT_TRUE(header.ok()) << header.status().ToString();
  if (header.ok()) d.header = *header;
  auto attrs = AttrList::Parse(rest);
  EXPECT_TRUE(attrs.ok()) << attrs.status().ToString();
  if (attrs.ok()) d.attrs = *attrs;
  return d;
}

inline uint32_t U32Of(const AttrList& attrs, uint16_t type) {
  const Attr* a = attrs.Find(type);
  EXPECT_NE(a, nullptr) << "attribute " << type << " missing";
  return a && a->U32() ? *a->U32() : 0xdeadbeef;
}

inline std::string IpOf(const AttrList& attrs, uint16_t type) {
  const Attr* a = attrs.Find(type);
  EXPECT_NE(a, nullptr) << "attribute " << type << " missing";
  if (!a) return "";
  auto ip = IpFromBytes(a->data);
  return ip ? ip->ToString() : "(" + std::to_string(a->data.size()) + " bytes)";
}

inline model::IpAddress Ip(std::string_view text) { return *model::IpAddress::Parse(text); }
inline model::Cidr Net(std::string_view text) { return *model::Cidr::Parse(text); }
inline model::MacAddress Mac(std::string_view text) { return *model::ParseMac(text); }

// A reply as the kernel would send it: the encoded request re-typed (RTM_NEW* replies share the
// request layout).
inline Message AsReply(const std::vector<uint8_t>& request, uint16_t type) {
  Message m = OnlyMessage(request);
  m.type = type;
  m.flags = 0;
  return m;
}

}  // namespace egret::netlink::testing
