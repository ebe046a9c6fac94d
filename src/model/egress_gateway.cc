#include "model/egress_gateway.h"

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

Family Other(Family f) { return f == Family::kV4 ? Family::kV6 : Family::kV4; }

std::string PoolKey(Family f) { return f == Family::kV4 ? "ipv4" : "ipv6"; }
std::string DefaultEipKey(Family f) {
  return f == Family::kV4 ? "ipv4DefaultEIP" : "ipv6DefaultEIP";
}

std::string CountText(uint64_t n) {
  if (n == UINT64_MAX) return "2^64 or more addresses";
  return std::to_string(n) + (n == 1 ? " address" : " addresses");
}

// The form an entry was written in, for messages: "address", "range" or "CIDR".
std::string_view EntryForm(const IpPoolEntry& e) {
  if (e.prefix_len) return "CIDR";
  return e.range.first == e.range.last ? "address" : "range";
}

// Parses and checks one entry of the pool list at `path`; nullopt after reporting an error.
std::optional<IpPoolEntry> DecodePoolEntry(const std::string& text, const std::string& path,
                                           Family want, FieldErrors* errs) {
  std::string why;
  std::optional<IpPoolEntry> e = IpPoolEntry::Parse(text, &why);
  if (!e) {
    // A lone word that is no address reads best as a bad address of the list's family.
    bool single = text.find_first_of("-/") == std::string::npos;
    errs->Add(path, single
                        ? Quote(text) + " is not an " + std::string(FamilyName(want)) + " address"
                        : why);
    return std::nullopt;
  }
  if (e->range.family() != want) {
    errs->Add(path, Quote(text) + " is an " + std::string(FamilyName(Other(want))) + " " +
                        std::string(EntryForm(*e)) + ": list it in spec.ippools." +
                        PoolKey(Other(want)));
    return std::nullopt;
  }
  return e;
}

// Decodes the pool list `key`; entries must not overlap. Sets *clean to whether every entry
// was accepted (later checks against the pool would mislead otherwise).
std::vector<IpPoolEntry> DecodePool(ObjectReader& p, Family want, bool* clean) {
  std::string key = PoolKey(want);
  std::string list_path = p.FieldPath(key);
  std::vector<IpPoolEntry> pool;
  std::vector<size_t> indexes;  // list index of each accepted entry, for messages
  bool accepted_all = true;
  bool strings = p.ForEachString(key, [&](size_t i, const std::string& text) {
    std::string path = Index(list_path, i);
    std::optional<IpPoolEntry> e = DecodePoolEntry(text, path, want, p.errors());
    if (!e) {
      accepted_all = false;
      return;
    }
    for (size_t j = 0; j < pool.size(); ++j) {
      if (!pool[j].range.Overlaps(e->range)) continue;
      p.errors()->Add(path, Quote(e->ToString()) + " overlaps " + Index(list_path, indexes[j]) +
                                " (" + Quote(pool[j].ToString()) +
                                "): pool entries must not share addresses");
      accepted_all = false;
      break;
    }
    pool.push_back(*e);
    indexes.push_back(i);
  });
  *clean = strings && accepted_all;
  return pool;
}

void CheckDefaultEipInPool(ObjectReader& p, Family f, const EgressGatewayPools& pools) {
  const std::optional<IpAddress>& eip =
      f == Family::kV4 ? pools.ipv4_default_eip : pools.ipv6_default_eip;
  if (!eip || PoolContains(pools.Of(f), *eip)) return;
  std::string pool_path = "spec.ippools." + PoolKey(f);
  p.Error(DefaultEipKey(f), Quote(eip->ToString()) + " is not in " + pool_path +
                                (pools.Of(f).empty() ? " (which is empty)" : "") +
                                ": the default EIP must be one of the pool's addresses");
}

// Dual stack: EIPs pair up by index, so the pools must be equally large and explicit default
// EIPs must be partners.
void CheckDualStackPairing(ObjectReader& p, const EgressGatewayPools& pools) {
  if (pools.ipv4.empty() || pools.ipv6.empty()) return;
  uint64_t n4 = PoolSize(pools.ipv4);
  uint64_t n6 = PoolSize(pools.ipv6);
  if (n4 != n6) {
    p.Error("ipv6", "holds " + CountText(n6) + " but spec.ippools.ipv4 holds " + CountText(n4) +
                        ": in dual stack EIPs pair up by index, so both pools must hold the "
                        "same number of addresses");
    return;
  }
  if (!pools.ipv4_default_eip || !pools.ipv6_default_eip) return;
  std::optional<uint64_t> i4 = PoolIndexOf(pools.ipv4, *pools.ipv4_default_eip);
  std::optional<uint64_t> i6 = PoolIndexOf(pools.ipv6, *pools.ipv6_default_eip);
  if (!i4 || !i6 || *i4 == *i6) return;  // outside the pool: reported already
  std::optional<IpAddress> partner = PoolAddressAt(pools.ipv6, *i4);
  p.Error("ipv6DefaultEIP",
          Quote(pools.ipv6_default_eip->ToString()) + " is not the partner of ipv4DefaultEIP " +
              Quote(pools.ipv4_default_eip->ToString()) + ": EIPs pair up by index, so use " +
              Quote(partner ? partner->ToString() : "?"));
}

EgressGatewayPools DecodePools(ObjectReader& p) {
  EgressGatewayPools pools;
  bool clean4 = true, clean6 = true;
  pools.ipv4 = DecodePool(p, Family::kV4, &clean4);
  pools.ipv6 = DecodePool(p, Family::kV6, &clean6);
  pools.ipv4_default_eip = DecodeIpField(p, "ipv4DefaultEIP", Family::kV4);
  pools.ipv6_default_eip = DecodeIpField(p, "ipv6DefaultEIP", Family::kV6);
  if (clean4) CheckDefaultEipInPool(p, Family::kV4, pools);
  if (clean6) CheckDefaultEipInPool(p, Family::kV6, pools);
  if (clean4 && clean6) CheckDualStackPairing(p, pools);
  return pools;
}

EgressGatewaySpec DecodeGatewaySpec(ObjectReader& spec) {
  EgressGatewaySpec s;
  spec.RequiredObject(
      "nodeSelector", "nodeSelector.selector chooses the gateway nodes", [&](ObjectReader& ns) {
        ns.RequiredObject("selector",
                          "a label selector for the gateway nodes ({} selects every node)",
                          [&](ObjectReader& sel) { s.node_selector = DecodeSelector(sel); });
      });
  spec.Object("ippools", [&](ObjectReader& p) { s.ippools = DecodePools(p); });
  s.cluster_default = spec.Bool("clusterDefault").value_or(false);
  return s;
}

EgressGatewayEip DecodeStatusEip(ObjectReader& e) {
  EgressGatewayEip eip;
  eip.ipv4 = DecodeIpField(e, "ipv4", Family::kV4);
  eip.ipv6 = DecodeIpField(e, "ipv6", Family::kV6);
  e.List("policies", [&](ObjectReader& pr, size_t) {
    EgressPolicyRef ref;
    ref.name = pr.RequiredString("name");
    ref.namespace_ = pr.String("namespace").value_or("");
    eip.policies.push_back(std::move(ref));
  });
  return eip;
}

EgressGatewayStatus DecodeGatewayStatus(ObjectReader& st) {
  EgressGatewayStatus s;
  st.List("nodeList", [&](ObjectReader& n, size_t) {
    EgressGatewayNodeStatus node;
    node.name = n.RequiredString("name");
    if (!node.name.empty()) ValidateDnsSubdomain(node.name, n.FieldPath("name"), n.errors());
    node.ready = n.Bool("ready").value_or(false);
    n.List("eips", [&](ObjectReader& e, size_t) { node.eips.push_back(DecodeStatusEip(e)); });
    s.node_list.push_back(std::move(node));
  });
  st.Object("ipUsage", [&](ObjectReader& u) {
    EgressGatewayIpUsage usage;
    usage.ipv4_total = u.Int("ipv4Total", 0, INT64_MAX).value_or(0);
    usage.ipv4_free = u.Int("ipv4Free", 0, INT64_MAX).value_or(0);
    usage.ipv6_total = u.Int("ipv6Total", 0, INT64_MAX).value_or(0);
    usage.ipv6_free = u.Int("ipv6Free", 0, INT64_MAX).value_or(0);
    s.ip_usage = usage;
  });
  return s;
}

doc::Value EncodePools(const EgressGatewayPools& pools) {
  doc::Value v;
  if (!pools.ipv4.empty()) v.Set("ipv4", TextListValue(pools.ipv4));
  if (!pools.ipv6.empty()) v.Set("ipv6", TextListValue(pools.ipv6));
  if (pools.ipv4_default_eip) v.Set("ipv4DefaultEIP", pools.ipv4_default_eip->ToString());
  if (pools.ipv6_default_eip) v.Set("ipv6DefaultEIP", pools.ipv6_default_eip->ToString());
  return v;
}

doc::Value EncodeStatusEip(const EgressGatewayEip& eip) {
  doc::Value v = doc::Value::EmptyMap();
  if (eip.ipv4) v.Set("ipv4", eip.ipv4->ToString());
  if (eip.ipv6) v.Set("ipv6", eip.ipv6->ToString());
  if (!eip.policies.empty()) {
    doc::Value& list = v.Set("policies", doc::Value::EmptyList());
    for (const EgressPolicyRef& ref : eip.policies) {
      doc::Value r = doc::Value::EmptyMap();
      r.Set("name", ref.name);
      if (!ref.namespace_.empty()) r.Set("namespace", ref.namespace_);
      list.Append(std::move(r));
    }
  }
  return v;
}

doc::Value EncodeGatewayStatus(const EgressGatewayStatus& s) {
  doc::Value v;
  if (!s.node_list.empty()) {
    doc::Value& list = v.Set("nodeList", doc::Value::EmptyList());
    for (const EgressGatewayNodeStatus& node : s.node_list) {
      doc::Value n = doc::Value::EmptyMap();
      n.Set("name", node.name);
      n.Set("ready", node.ready);
      if (!node.eips.empty()) {
        doc::Value& eips = n.Set("eips", doc::Value::EmptyList());
        for (const EgressGatewayEip& eip : node.eips) eips.Append(EncodeStatusEip(eip));
      }
      list.Append(std::move(n));
    }
  }
  if (s.ip_usage) {
    doc::Value& u = v.Set("ipUsage", doc::Value::EmptyMap());
    u.Set("ipv4Total", s.ip_usage->ipv4_total);
    u.Set("ipv4Free", s.ip_usage->ipv4_free);
    u.Set("ipv6Total", s.ip_usage->ipv6_total);
    u.Set("ipv6Free", s.ip_usage->ipv6_free);
  }
  return v;
}

}  // namespace

std::optional<IpPoolEntry> IpPoolEntry::Parse(std::string_view text, std::string* error) {
  std::optional<IpRange> range = IpRange::Parse(text, error);
  if (!range) return std::nullopt;
  IpPoolEntry e{*range, std::nullopt};
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    e.prefix_len = static_cast<int>(ParseInt(text.substr(slash + 1)).value_or(0));
  }
  return e;
}

std::string IpPoolEntry::ToString() const {
  if (prefix_len) return Cidr(range.first, *prefix_len).ToString();
  if (range.first == range.last) return range.first.ToString();
  return range.first.ToString() + "-" + range.last.ToString();
}

uint64_t PoolSize(std::span<const IpPoolEntry> pool) {
  uint64_t total = 0;
  for (const IpPoolEntry& e : pool) {
    uint64_t n = e.range.Size();
    if (n > UINT64_MAX - total) return UINT64_MAX;
    total += n;
  }
  return total;
}

bool PoolContains(std::span<const IpPoolEntry> pool, const IpAddress& ip) {
  for (const IpPoolEntry& e : pool) {
    if (e.range.Contains(ip)) return true;
  }
  return false;
}

std::optional<uint64_t> PoolIndexOf(std::span<const IpPoolEntry> pool, const IpAddress& ip) {
  uint64_t base = 0;
  for (const IpPoolEntry& e : pool) {
    if (e.range.Contains(ip)) {
      uint64_t offset = IpRange{e.range.first, ip}.Size() - 1;
      if (offset > UINT64_MAX - base) return std::nullopt;
      return base + offset;
    }
    uint64_t n = e.range.Size();
    if (n > UINT64_MAX - base) return std::nullopt;
    base += n;
  }
  return std::nullopt;
}

std::optional<IpAddress> PoolAddressAt(std::span<const IpPoolEntry> pool, uint64_t index) {
  for (const IpPoolEntry& e : pool) {
    uint64_t n = e.range.Size();
    if (index < n) return e.range.first.Plus(index);
    index -= n;
  }
  return std::nullopt;
}

EgressGateway DecodeEgressGateway(const doc::Value& v, FieldErrors* errs) {
  EgressGateway gw;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  gw.metadata = DecodeMeta(r, /*namespaced=*/false);
  r.RequiredObject("spec", "an EgressGateway needs spec.nodeSelector",
                   [&](ObjectReader& spec) { gw.spec = DecodeGatewaySpec(spec); });
  r.Object("status", [&](ObjectReader& st) { gw.status = DecodeGatewayStatus(st); });
  return gw;
}

doc::Value EncodeEgressGateway(const EgressGateway& gw) {
  doc::Value spec = doc::Value::EmptyMap();
  spec.Set("nodeSelector", doc::Value::EmptyMap())
      .Set("selector", EncodeSelector(gw.spec.node_selector));
  doc::Value pools = EncodePools(gw.spec.ippools);
  if (!pools.is_null()) spec.Set("ippools", std::move(pools));
  spec.Set("clusterDefault", gw.spec.cluster_default);
  return Envelope(*FindKind("EgressGateway"), gw.metadata, std::move(spec),
                  EncodeGatewayStatus(gw.status));
}

StatusOr<doc::Value> CanonicalizeEgressGateway(const doc::Value& v) {
  return CanonicalizeWith<EgressGateway>(v, "EgressGateway", &DecodeEgressGateway,
                                         &EncodeEgressGateway);
}

}  // namespace egret::model
