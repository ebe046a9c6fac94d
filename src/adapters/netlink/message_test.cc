// The netlink wire format: splitting datagrams, attributes, the request builder, acks with
// extended-ack text, error codes, and following the replies of one request.
#include "adapters/netlink/message.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>

#include "adapters/netlink/codec_test_util.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers

std::vector<uint8_t> Header(uint32_t len, uint16_t type, uint16_t flags, uint32_t seq) {
  nlmsghdr h{len, type, flags, seq, 0};
  std::vector<uint8_t> out(sizeof(h));
  std::memcpy(out.data(), &h, sizeof(h));
  return out;
}

template <typename T>
void AppendRaw(std::vector<uint8_t>& out, const T& v) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

// An NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK and NETLINK_EXT_ACK on.
std::vector<uint8_t> ErrorMessage(int error, uint32_t seq, const std::string& text) {
  std::vector<uint8_t> payload;
  AppendRaw(payload, int32_t{-error});
  AppendRaw(payload, nlmsghdr{40, RTM_NEWROUTE, NLM_F_REQUEST, seq, 0});
  uint16_t flags = NLM_F_CAPPED;
  if (!text.empty()) {
    flags |= NLM_F_ACK_TLVS;
    AppendRaw(payload, nlattr{static_cast<uint16_t>(4 + text.size() + 1), NLMSGERR_ATTR_MSG});
    payload.insert(payload.end(), text.begin(), text.end());
    payload.push_back(0);
    payload.resize((payload.size() + 3) & ~size_t{3}, 0);
  }
  Message m{.type = NLMSG_ERROR, .flags = flags, .seq = seq, .port = 0, .payload = payload};
  return SerializeMessage(m);
}

TEST(NetlinkMessages, SplitsADatagram) {
  Message a{.type = RTM_NEWLINK, .flags = NLM_F_MULTI, .seq = 7, .port = 0, .payload = {1, 2, 3}};
  Message b{.type = NLMSG_DONE, .flags = NLM_F_MULTI, .seq = 7, .port = 0, .payload = {0, 0, 0, 0}};
  std::vector<uint8_t> bytes = SerializeMessage(a);
  std::vector<uint8_t> second = SerializeMessage(b);
  EXPECT_EQ(bytes.size(), 20u) << "padded to 4 bytes";
  bytes.insert(bytes.end(), second.begin(), second.end());
  auto messages = ParseMessages(bytes);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].type, RTM_NEWLINK);
  EXPECT_EQ((*messages)[0].seq, 7u);
  EXPECT_EQ((*messages)[0].payload, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ((*messages)[1].type, NLMSG_DONE);
  EXPECT_TRUE(ParseMessages({}).ok());
}

TEST(NetlinkMessages, RejectsLengthShorterThanHeader) {
  auto m = ParseMessages(Header(8, RTM_NEWLINK, 0, 1));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kInvalid);
  EXPECT_NE(m.status().message().find("message 0 has length 8, outside 16..16"), std::string::npos)
      << m.status().message();
}

TEST(NetlinkMessages, RejectsLengthPastTheEnd) {
  auto m = ParseMessages(Header(64, RTM_NEWLINK, 0, 1));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("has length 64, outside 16..16"), std::string::npos);
}

TEST(NetlinkMessages, RejectsTrailingBytes) {
  std::vector<uint8_t> bytes = Header(16, NLMSG_NOOP, 0, 1);
  bytes.insert(bytes.end(), {1, 2, 3, 4});
  auto m = ParseMessages(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("4 bytes left after message 1"), std::string::npos)
      << m.status().message();
}

TEST(NetlinkAttributes, BuildsAndReadsNestedAttributes) {
  MessageBuilder b(RTM_NEWLINK, NLM_F_REQUEST);
  b.Raw(uint32_t{0xaabbccdd});
  b.U8(1, 7).U16(2, 0x1234).U32(3, 0xdeadbeef).Be16(4, 4789).Str(5, "egret.vx");
  size_t nest = b.BeginNested(6);
  b.U32(1, 42);
  b.EndNested(nest);
  Message m = OnlyMessage(std::move(b).Finish());
  EXPECT_EQ(m.type, RTM_NEWLINK);
  Decoded<uint32_t> d = Open<uint32_t>(m);
  EXPECT_EQ(d.header, 0xaabbccddu);
  ASSERT_EQ(d.attrs.all().size(), 6u);
  EXPECT_EQ(d.attrs.Find(1)->U8(), 7);
  EXPECT_EQ(d.attrs.Find(2)->U16(), 0x1234);
  EXPECT_EQ(d.attrs.Find(3)->U32(), 0xdeadbeefu);
  EXPECT_EQ(d.attrs.Find(4)->Be16(), 4789);
  EXPECT_EQ(d.attrs.Find(4)->data[0], 4789 >> 8) << "network byte order";
  EXPECT_EQ(d.attrs.Find(5)->Str(), "egret.vx");
  EXPECT_EQ(d.attrs.Find(5)->data.size(), 9u) << "NUL-terminated";
  auto inner = AttrList::Parse(d.attrs.Find(6)->data);
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(inner->Find(1)->U32(), 42u);
  EXPECT_EQ(d.attrs.Find(9), nullptr);
}

TEST(NetlinkAttributes, WrongSizeReadsAsAbsent) {
  uint8_t two[2] = {1, 2};
  Attr a{.type = 1, .data = Bytes(two, 2)};
  EXPECT_FALSE(a.U32().has_value());
  EXPECT_FALSE(a.U8().has_value());
  EXPECT_TRUE(a.U16().has_value());
  EXPECT_EQ(a.Str(), "\x01\x02") << "no NUL: the whole data";
}

TEST(NetlinkAttributes, RejectsMalformedLengths) {
  std::vector<uint8_t> short_len = {3, 0, 1, 0};  // nla_len 3 < header
  auto a = AttrList::Parse(short_len);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("attribute type 1 has length 3, outside 4..4"),
            std::string::npos)
      << a.status().message();
  std::vector<uint8_t> past_end = {12, 0, 1, 0, 0, 0, 0, 0};
  EXPECT_FALSE(AttrList::Parse(past_end).ok());
  std::vector<uint8_t> stray = {8, 0, 1, 0, 1, 2, 3, 4, 9, 9};
  auto s = AttrList::Parse(stray);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("2 bytes after the last attribute"), std::string::npos);
}

TEST(NetlinkAttributes, ShortFamilyHeaderIsInvalid) {
  std::vector<uint8_t> payload(3, 0);
  Bytes rest;
  auto h = ReadHeader<uint64_t>(payload, "link message", &rest);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(),
            "link message: payload of 3 bytes is shorter than its 8-byte header");
}

TEST(NetlinkAck, DecodesErrorWithExtendedAckText) {
  auto messages = ParseMessages(ErrorMessage(ENETUNREACH, 5, "Nexthop has invalid gateway"));
  ASSERT_TRUE(messages.ok());
  auto ack = DecodeAck((*messages)[0]);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->error, ENETUNREACH);
  EXPECT_EQ(ack->message, "Nexthop has invalid gateway");
  Status st = KernelError("add route 10.244.9.0/24 via 10.99.0.1 dev eth0", *ack);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "add route 10.244.9.0/24 via 10.99.0.1 dev eth0: Network is "
            "unreachable (Nexthop has invalid gateway)");
}

TEST(NetlinkAck, DecodesUncappedErrorEchoingTheRequest) {
  std::vector<uint8_t> payload;
  AppendRaw(payload, int32_t{-EEXIST});
  AppendRaw(payload, nlmsghdr{24, RTM_NEWLINK, NLM_F_REQUEST, 3, 0});
  AppendRaw(payload, uint64_t{0});  // the echoed request's 8-byte payload
  const std::string text = "exists";
  AppendRaw(payload, nlattr{static_cast<uint16_t>(4 + text.size() + 1), NLMSGERR_ATTR_MSG});
  payload.insert(payload.end(), text.c_str(), text.c_str() + text.size() + 1);
  Message m{.type = NLMSG_ERROR, .flags = NLM_F_ACK_TLVS, .seq = 3, .port = 0, .payload = payload};
  auto ack = DecodeAck(m);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->error, EEXIST);
  EXPECT_EQ(ack->message, "exists");
}

TEST(NetlinkAck, RejectsEchoLongerThanMessage) {
  std::vector<uint8_t> payload;
  AppendRaw(payload, int32_t{-EINVAL});
  AppendRaw(payload, nlmsghdr{400, RTM_NEWLINK, NLM_F_REQUEST, 3, 0});
  Message m{.type = NLMSG_ERROR, .flags = 0, .seq = 3, .port = 0, .payload = payload};
  auto ack = DecodeAck(m);
  ASSERT_FALSE(ack.ok());
  EXPECT_NE(ack.status().message().find("the echoed request claims 384 bytes, only 0 follow"),
            std::string::npos)
      << ack.status().message();
}

TEST(NetlinkAck, PlainAckAndDoneAreSuccess) {
  auto ack = DecodeAck(OnlyMessage(ErrorMessage(0, 1, "")));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->error, 0);
  EXPECT_TRUE(KernelError("x", *ack).ok());
  Message done{.type = NLMSG_DONE, .flags = 0, .seq = 1, .port = 0, .payload = {0, 0, 0, 0}};
  EXPECT_EQ(DecodeAck(done)->error, 0);
  Message old_done{.type = NLMSG_DONE, .flags = 0, .seq = 1, .port = 0, .payload = {}};
  EXPECT_TRUE(DecodeAck(old_done).ok());
  Message link{.type = RTM_NEWLINK, .flags = 0, .seq = 1, .port = 0, .payload = {}};
  EXPECT_EQ(DecodeAck(link).status().code(), Code::kInvalid);
}

TEST(NetlinkAck, OutOfRangeErrorIsClamped) {
  std::vector<uint8_t> payload;
  AppendRaw(payload, int32_t{INT32_MIN});
  AppendRaw(payload, nlmsghdr{16, 0, 0, 0, 0});
  Message m{.type = NLMSG_ERROR, .flags = NLM_F_CAPPED, .seq = 1, .port = 0, .payload = payload};
  auto ack = DecodeAck(m);
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->error, EPROTO);
}

TEST(NetlinkAck, ErrnoMapsToCodes) {
  struct Case {
    int err;
    Code code;
  } cases[] = {{EEXIST, Code::kAlreadyExists},
               {ENODEV, Code::kNotFound},
               {ESRCH, Code::kNotFound},
               {EADDRNOTAVAIL, Code::kNotFound},
               {EINVAL, Code::kInvalid},
               {EOPNOTSUPP, Code::kInvalid},
               {ENETUNREACH, Code::kFailedPrecondition},
               {EBUSY, Code::kFailedPrecondition},
               {ENETDOWN, Code::kFailedPrecondition},
               {EBADF, Code::kInvalid},
               {EPERM, Code::kUnauthorized},
               {ENOBUFS, Code::kUnavailable},
               {EIO, Code::kInternal}};
  for (const Case& c : cases) {
    EXPECT_EQ(KernelError("op", Ack{.error = c.err, .message = ""}).code(), c.code) << c.err;
  }
}

TEST(NetlinkReplies, QueryCollectsReplyUntilAck) {
  ReplyCollector c(9, /*dump=*/false);
  Message stale{.type = RTM_NEWLINK, .flags = 0, .seq = 8, .port = 0, .payload = {}};
  ASSERT_TRUE(c.Add(stale).ok());
  Message reply{.type = RTM_NEWLINK, .flags = 0, .seq = 9, .port = 0, .payload = {1}};
  ASSERT_TRUE(c.Add(reply).ok());
  EXPECT_FALSE(c.done());
  ASSERT_TRUE(c.Add(OnlyMessage(ErrorMessage(0, 9, ""))).ok());
  EXPECT_TRUE(c.done());
  EXPECT_EQ(c.ack().error, 0);
  ASSERT_EQ(c.replies().size(), 1u) << "the stale message of seq 8 is ignored";
  EXPECT_EQ(c.replies()[0].payload, std::vector<uint8_t>{1});
}

TEST(NetlinkReplies, DumpEndsAtDoneAndNotesInterruption) {
  ReplyCollector c(4, /*dump=*/true);
  Message first{.type = RTM_NEWROUTE, .flags = NLM_F_MULTI, .seq = 4, .port = 0, .payload = {}};
  Message second = first;
  second.flags |= NLM_F_DUMP_INTR;
  Message done{
      .type = NLMSG_DONE, .flags = NLM_F_MULTI, .seq = 4, .port = 0, .payload = {0, 0, 0, 0}};
  for (const Message& m : {first, second, done}) ASSERT_TRUE(c.Add(m).ok());
  EXPECT_TRUE(c.done());
  EXPECT_TRUE(c.interrupted()) << "NLM_F_DUMP_INTR: the caller dumps again";
  EXPECT_EQ(c.replies().size(), 2u);
}

TEST(NetlinkReplies, DumpErrorEndsTheDump) {
  ReplyCollector c(4, /*dump=*/true);
  ASSERT_TRUE(c.Add(OnlyMessage(ErrorMessage(EOPNOTSUPP, 4, "no dump"))).ok());
  EXPECT_TRUE(c.done());
  EXPECT_FALSE(c.interrupted());
  EXPECT_EQ(c.ack().error, EOPNOTSUPP);
  EXPECT_EQ(c.ack().message, "no dump");
}

TEST(NetlinkReplies, MalformedAckIsAnError) {
  ReplyCollector c(4, /*dump=*/false);
  Message bad{.type = NLMSG_ERROR, .flags = 0, .seq = 4, .port = 0, .payload = {1}};
  Status st = c.Add(bad);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_FALSE(c.done());
}

}  // namespace
}  // namespace egret::netlink
