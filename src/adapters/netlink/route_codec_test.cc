// Route and rule requests and replies, and how they are described in errors.
#include <gtest/gtest.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_test_util.h"
#include "adapters/netlink/describe.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::Route;
using model::Rule;

Route OnlinkRoute() {
  Route r;
  r.dst = Net("10.244.2.0/24");
  r.gateway = Ip("10.250.0.2");
  r.device = "egret.vx";
  r.table = 100;
  r.onlink = true;
  return r;
}

TEST(RouteCodec, ReplaceCarriesEveryField) {
  Route r = OnlinkRoute();
  r.metric = 20;
  r.preferred_source = Ip("10.244.1.1");
  Message m = OnlyMessage(EncodeReplaceRoute(r, 6));
  EXPECT_EQ(m.type, RTM_NEWROUTE);
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  auto d = Open<rtmsg>(m);
  EXPECT_EQ(d.header.rtm_family, AF_INET);
  EXPECT_EQ(d.header.rtm_dst_len, 24);
  EXPECT_EQ(d.header.rtm_table, 100);
  EXPECT_EQ(d.header.rtm_protocol, 147);
  EXPECT_EQ(d.header.rtm_scope, RT_SCOPE_UNIVERSE);
  EXPECT_EQ(d.header.rtm_type, RTN_UNICAST);
  EXPECT_EQ(d.header.rtm_flags, static_cast<unsigned>(RTNH_F_ONLINK));
  EXPECT_EQ(IpOf(d.attrs, RTA_DST), "10.244.2.0");
  EXPECT_EQ(IpOf(d.attrs, RTA_GATEWAY), "10.250.0.2");
  EXPECT_EQ(U32Of(d.attrs, RTA_OIF), 6u);
  EXPECT_EQ(U32Of(d.attrs, RTA_TABLE), 100u);
  EXPECT_EQ(U32Of(d.attrs, RTA_PRIORITY), 20u);
  EXPECT_EQ(IpOf(d.attrs, RTA_PREFSRC), "10.244.1.1");
}

TEST(RouteCodec, LargeTableGoesInAttributeOnly) {
  Route r = OnlinkRoute();
  r.table = 1000;
  auto d = Open<rtmsg>(OnlyMessage(EncodeReplaceRoute(r, 6)));
  EXPECT_EQ(d.header.rtm_table, RT_TABLE_UNSPEC);
  EXPECT_EQ(U32Of(d.attrs, RTA_TABLE), 1000u);
}

TEST(RouteCodec, DefaultRouteHasNoDestinationAttribute) {
  Route r;
  r.dst = Net("::/0");
  r.gateway = Ip("fd00::1");
  auto d = Open<rtmsg>(OnlyMessage(EncodeReplaceRoute(r, 0)));
  EXPECT_EQ(d.header.rtm_family, AF_INET6);
  EXPECT_EQ(d.attrs.Find(RTA_DST), nullptr);
  EXPECT_EQ(d.attrs.Find(RTA_OIF), nullptr);
  EXPECT_EQ(IpOf(d.attrs, RTA_GATEWAY), "fd00::1");
}

TEST(RouteCodec, DeleteMatchesAnyScopeAndOurProtocol) {
  Message m = OnlyMessage(EncodeDeleteRoute(OnlinkRoute(), 6));
  EXPECT_EQ(m.type, RTM_DELROUTE);
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK);
  auto d = Open<rtmsg>(m);
  EXPECT_EQ(d.header.rtm_scope, RT_SCOPE_NOWHERE);
  EXPECT_EQ(d.header.rtm_protocol, 147);
  EXPECT_EQ(d.attrs.Find(RTA_PREFSRC), nullptr);
}

TEST(RouteCodec, DecodesWhatItEncodes) {
  Route r = OnlinkRoute();
  r.table = 1000;
  r.scope = Route::Scope::kLink;
  r.metric = 7;
  auto info = DecodeRoute(AsReply(EncodeReplaceRoute(r, 6), RTM_NEWROUTE));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->oif_index, 6);
  EXPECT_EQ(info->type, RTN_UNICAST);
  r.device = "";  // the decoder knows indexes only
  EXPECT_EQ(info->route, r);
}

TEST(RouteCodec, DecodeRejectsBadFamilyAndLength) {
  MessageBuilder b(RTM_NEWROUTE, 0);
  rtmsg rtm{};
  rtm.rtm_family = AF_INET;
  rtm.rtm_dst_len = 33;
  b.Raw(rtm);
  auto too_long = DecodeRoute(OnlyMessage(std::move(b).Finish()));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().message(), "route message: destination length 33 is longer than 32");
  MessageBuilder c(RTM_NEWROUTE, 0);
  rtm.rtm_family = AF_BRIDGE;
  c.Raw(rtm);
  auto family = DecodeRoute(OnlyMessage(std::move(c).Finish()));
  EXPECT_NE(family.status().message().find("is neither AF_INET nor AF_INET6"), std::string::npos);
}

TEST(RouteCodec, DecodeRejectsGatewayOfWrongSize) {
  MessageBuilder b(RTM_NEWROUTE, 0);
  rtmsg rtm{};
  rtm.rtm_family = AF_INET;
  b.Raw(rtm);
  uint8_t six[6] = {};
  b.Put(RTA_GATEWAY, six, sizeof(six));
  auto info = DecodeRoute(OnlyMessage(std::move(b).Finish()));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().message(), "route message: RTA_GATEWAY has 6 bytes, want 4");
}

TEST(RouteValidation, GatewayMustMatchFamily) {
  Route r = OnlinkRoute();
  EXPECT_TRUE(ValidateRoute(r).ok());
  r.gateway = Ip("fd00::1");
  Status st = ValidateRoute(r);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(),
            "route 10.244.2.0/24 via fd00::1 dev egret.vx table 100 onlink: the "
            "gateway is IPv6 but the destination is IPv4");
  r = OnlinkRoute();
  r.preferred_source = Ip("fd00::1");
  EXPECT_NE(ValidateRoute(r).message().find("the preferred source is IPv6"), std::string::npos);
  r = OnlinkRoute();
  r.table = 0;
  EXPECT_NE(ValidateRoute(r).message().find("table 0 is not a routing table"), std::string::npos);
  r = OnlinkRoute();
  r.gateway.reset();
  r.device = "";
  EXPECT_TRUE(ValidateRoute(r).ok()) << "a delete may name the destination alone";
}

TEST(RouteDescription, LeavesDefaultsOut) {
  Route r;
  r.dst = Net("10.244.2.0/24");
  r.gateway = Ip("10.0.0.2");
  r.device = "egret.vxlan";
  EXPECT_EQ(DescribeRoute(r), "route 10.244.2.0/24 via 10.0.0.2 dev egret.vxlan");
  r.protocol = 4;
  r.scope = Route::Scope::kLink;
  r.metric = 5;
  r.preferred_source = Ip("10.0.0.1");
  EXPECT_EQ(DescribeRoute(r),
            "route 10.244.2.0/24 via 10.0.0.2 dev egret.vxlan proto 4 scope "
            "link metric 5 src 10.0.0.1");
}

Rule MarkRule() {
  Rule r;
  r.priority = 10000;
  r.fwmark = 0x10;
  r.fwmask = 0xff;
  r.table = 100;
  return r;
}

TEST(RuleCodec, AddIsExclusiveAndCarriesFields) {
  Rule r = MarkRule();
  r.from = Net("10.244.1.0/24");
  r.to = Net("192.168.0.0/16");
  Message m = OnlyMessage(EncodeAddRule(r));
  EXPECT_EQ(m.type, RTM_NEWRULE);
  EXPECT_EQ(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  auto d = Open<fib_rule_hdr>(m);
  EXPECT_EQ(d.header.family, AF_INET);
  EXPECT_EQ(d.header.action, FR_ACT_TO_TBL);
  EXPECT_EQ(d.header.src_len, 24);
  EXPECT_EQ(d.header.dst_len, 16);
  EXPECT_EQ(d.header.table, 100);
  EXPECT_EQ(U32Of(d.attrs, FRA_PRIORITY), 10000u);
  EXPECT_EQ(U32Of(d.attrs, FRA_FWMARK), 0x10u);
  EXPECT_EQ(U32Of(d.attrs, FRA_FWMASK), 0xffu);
  EXPECT_EQ(U32Of(d.attrs, FRA_TABLE), 100u);
  EXPECT_EQ(IpOf(d.attrs, FRA_SRC), "10.244.1.0");
  EXPECT_EQ(IpOf(d.attrs, FRA_DST), "192.168.0.0");
}

TEST(RuleCodec, DecodesWhatItEncodes) {
  Rule r = MarkRule();
  r.family = model::Family::kV6;
  r.from = Net("fd00:244::/48");
  r.table = 1000;
  auto info = DecodeRule(AsReply(EncodeAddRule(r), RTM_NEWRULE));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->rule, r);
  EXPECT_EQ(info->action, FR_ACT_TO_TBL);
  Message del = OnlyMessage(EncodeDeleteRule(r));
  EXPECT_EQ(del.type, RTM_DELRULE);
  EXPECT_EQ(del.flags, NLM_F_REQUEST | NLM_F_ACK);
}

TEST(RuleCodec, ZeroMarkWithMaskDecodesAsMarkZero) {
  MessageBuilder b(RTM_NEWRULE, 0);
  fib_rule_hdr h{};
  h.family = AF_INET;
  h.action = FR_ACT_TO_TBL;
  b.Raw(h);
  b.U32(FRA_FWMASK, 0xff);
  b.U32(FRA_TABLE, 5);
  auto info = DecodeRule(OnlyMessage(std::move(b).Finish()));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->rule.fwmark, 0u);
  EXPECT_EQ(info->rule.fwmask, 0xffu);
  EXPECT_EQ(info->rule.priority, 0u);
}

TEST(RuleValidation, PrefixesMustMatchFamily) {
  Rule r = MarkRule();
  EXPECT_TRUE(ValidateRule(r).ok());
  r.to = Net("fd00::/64");
  EXPECT_EQ(ValidateRule(r).message(),
            "rule 10000 from all to fd00::/64 fwmark 0x10/0xff lookup "
            "100: fd00::/64 is not an IPv4 prefix");
}

TEST(RuleDescription, ReadsLikeIpRule) {
  Rule r = MarkRule();
  EXPECT_EQ(DescribeRule(r), "rule 10000 from all fwmark 0x10/0xff lookup 100");
  r.family = model::Family::kV6;
  r.fwmark.reset();
  EXPECT_EQ(DescribeRule(r), "rule 10000 from all lookup 100 (IPv6)");
}

}  // namespace
}  // namespace egret::netlink
