// Policy-routing rules: RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE, and decoding rule replies.
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/codec_util.h"
#include "adapters/netlink/describe.h"

namespace egret::netlink {
namespace {

std::vector<uint8_t> EncodeRule(uint16_t type, uint16_t flags, const model::Rule& r) {
  MessageBuilder b(type, NLM_F_REQUEST | NLM_F_ACK | flags);
  fib_rule_hdr h{};
  h.family = static_cast<uint8_t>(AfOf(r.family));
  h.src_len = static_cast<uint8_t>(r.from ? r.from->prefix_len() : 0);
  h.dst_len = static_cast<uint8_t>(r.to ? r.to->prefix_len() : 0);
  h.table = static_cast<uint8_t>(r.table < 256 ? r.table : RT_TABLE_UNSPEC);
  h.action = FR_ACT_TO_TBL;
  b.Raw(h);
  b.U32(FRA_PRIORITY, r.priority);
  b.U32(FRA_TABLE, r.table);
  if (r.fwmark) {
    b.U32(FRA_FWMARK, *r.fwmark);
    b.U32(FRA_FWMASK, r.fwmask);
  }
  if (r.from && r.from->prefix_len() > 0) b.Put(FRA_SRC, IpBytes(r.from->address()));
  if (r.to && r.to->prefix_len() > 0) b.Put(FRA_DST, IpBytes(r.to->address()));
  if (!r.iif.empty()) b.Str(FRA_IIFNAME, r.iif);
  return std::move(b).Finish();
}

}  // namespace

Status ValidateRule(const model::Rule& r) {
  for (const auto* c : {&r.from, &r.to}) {
    if (*c && (*c)->family() != r.family) {
      return InvalidError(DescribeRule(r) + ": " + (*c)->ToString() + " is not an " +
                          std::string(model::FamilyName(r.family)) + " prefix");
    }
  }
  if (r.iif.size() > 15) return InvalidError(DescribeRule(r) + ": interface name is too long");
  if (r.table == 0) return InvalidError(DescribeRule(r) + ": table 0 is not a routing table");
  return Status::Ok();
}

std::vector<uint8_t> EncodeAddRule(const model::Rule& r) {
  return EncodeRule(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, r);
}

std::vector<uint8_t> EncodeDeleteRule(const model::Rule& r) {
  return EncodeRule(RTM_DELRULE, 0, r);
}

std::vector<uint8_t> EncodeDumpRules(model::Family family) {
  MessageBuilder b(RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP);
  fib_rule_hdr h{};
  h.family = static_cast<uint8_t>(AfOf(family));
  b.Raw(h);
  return std::move(b).Finish();
}

StatusOr<RuleInfo> DecodeRule(const Message& m) {
  if (m.type != RTM_NEWRULE) {
    return InvalidError("netlink: message type " + std::to_string(m.type) +
                        " is not a rule (RTM_NEWRULE)");
  }
  Bytes rest;
  ASSIGN_OR_RETURN(fib_rule_hdr h, ReadHeader<fib_rule_hdr>(m.payload, "rule message", &rest));
  if (h.family != AF_INET && h.family != AF_INET6) {
    return InvalidError("rule message: family " + std::to_string(h.family) +
                        " is neither AF_INET nor AF_INET6");
  }
  int bits = h.family == AF_INET ? 32 : 128;
  if (h.src_len > bits || h.dst_len > bits) {
    return InvalidError("rule message: prefix length " +
                        std::to_string(std::max(h.src_len, h.dst_len)) + " is longer than " +
                        std::to_string(bits));
  }
  ASSIGN_OR_RETURN(AttrList attrs, AttrList::Parse(rest));
  AttrReader r(attrs, "rule message");
  RuleInfo info;
  model::Rule& rule = info.rule;
  rule.family = h.family == AF_INET ? model::Family::kV4 : model::Family::kV6;
  rule.priority = r.U32(FRA_PRIORITY, "FRA_PRIORITY").value_or(0);
  rule.table = r.U32(FRA_TABLE, "FRA_TABLE").value_or(h.table);
  rule.fwmark = r.U32(FRA_FWMARK, "FRA_FWMARK");
  auto mask = r.U32(FRA_FWMASK, "FRA_FWMASK");
  // The kernel leaves out a zero mark but still sends its mask: "fwmark 0/0xff".
  if (!rule.fwmark && mask) rule.fwmark = 0;
  rule.fwmask = mask.value_or(0xffffffff);
  // A /0 prefix is "all", as if the attribute were absent.
  auto src = r.Ip(FRA_SRC, h.family, "FRA_SRC");
  if (src && h.src_len > 0) rule.from = model::Cidr(*src, h.src_len);
  auto dst = r.Ip(FRA_DST, h.family, "FRA_DST");
  if (dst && h.dst_len > 0) rule.to = model::Cidr(*dst, h.dst_len);
  rule.iif = r.Str(FRA_IIFNAME).value_or("");
  info.action = h.action;
  RETURN_IF_ERROR(r.status());
  return info;
}

}  // namespace egret::netlink
