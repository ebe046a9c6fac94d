// The egress rules across objects (see admission.h). Each rule looks only at objects the
// batch writes and charges its violations to them, naming the other object involved.
#include <map>
#include <string>

#include "common/strings.h"
#include "core/admission/egress_state.h"

namespace egret::core::admission::internal {
namespace {

using model::Family;
using model::IpAddress;

constexpr Family kFamilies[] = {Family::kV4, Family::kV6};

std::string FamilyKey(Family f) { return f == Family::kV4 ? "ipv4" : "ipv6"; }
std::string PoolPath(Family f) { return "spec.ippools." + FamilyKey(f); }

bool Enabled(const ClusterConfig& cfg, Family f) {
  return f == Family::kV4 ? cfg.ipv4_enabled : cfg.ipv6_enabled;
}

std::string NotEnabled(Family f) {
  return std::string(model::FamilyName(f)) + " is not enabled in this cluster";
}

const std::optional<IpAddress>& ExplicitEip(const model::EgressPolicySpec& spec, Family f) {
  return f == Family::kV4 ? spec.egress_ip.ipv4 : spec.egress_ip.ipv6;
}

void CheckCidrFamilies(const ClusterConfig& cfg, const std::vector<model::Cidr>& cidrs,
                       std::string_view path, size_t batch_index, Violations* v) {
  for (size_t i = 0; i < cidrs.size(); ++i) {
    Family f = cidrs[i].family();
    if (!Enabled(cfg, f)) v->Add(batch_index, model::Index(path, i), NotEnabled(f));
  }
}

// Reports each pool entry of `g` that shares addresses with a pool entry of `other`.
void ReportSharedAddresses(const GatewayState& g, const GatewayState& other, Violations* v) {
  for (Family f : kFamilies) {
    const std::vector<model::IpPoolEntry>& mine = g.now.spec.ippools.Of(f);
    const std::vector<model::IpPoolEntry>& theirs = other.now.spec.ippools.Of(f);
    for (size_t a = 0; a < mine.size(); ++a) {
      for (size_t b = 0; b < theirs.size(); ++b) {
        if (!mine[a].range.Overlaps(theirs[b].range)) continue;
        v->Add(*g.batch_index, model::Index(PoolPath(f), a),
               Quote(mine[a].ToString()) + " overlaps " + model::Index(PoolPath(f), b) + " (" +
                   Quote(theirs[b].ToString()) + ") of " + other.object->Ref() +
                   ": no two gateways may share a pool address");
        break;  // one report per entry and gateway is enough to fix it
      }
    }
  }
}

std::string Immutable(std::string_view was) {
  return "field is immutable (it was " + (was.empty() ? std::string("unset") : Quote(was)) +
         "): delete and re-create the policy to change it";
}

// An address some policy uses: its explicit EIP or the EIP its status reports.
struct EipUse {
  IpAddress ip;
  const model::Object* policy;
};

std::vector<EipUse> EipUses(const EgressState& s) {
  std::vector<EipUse> uses;
  for (const PolicyState& p : s.policies) {
    for (const std::optional<IpAddress>& ip :
         {p.spec.egress_ip.ipv4, p.spec.egress_ip.ipv6, p.stored_status.eip_ipv4,
          p.stored_status.eip_ipv6}) {
      if (ip) uses.push_back({*ip, p.object});
    }
  }
  return uses;
}

}  // namespace

void CheckFamiliesEnabled(const ClusterConfig& cfg, const EgressState& s, Violations* v) {
  for (const GatewayState& g : s.gateways) {
    if (!g.batch_index) continue;
    for (Family f : kFamilies) {
      if (!Enabled(cfg, f) && !g.now.spec.ippools.Of(f).empty()) {
        v->Add(*g.batch_index, PoolPath(f), NotEnabled(f));
      }
    }
  }
  for (const PolicyState& p : s.policies) {
    if (!p.batch_index) continue;
    for (Family f : kFamilies) {
      if (ExplicitEip(p.spec, f) && !Enabled(cfg, f)) {
        v->Add(*p.batch_index, "spec.egressIP." + FamilyKey(f), NotEnabled(f));
      }
    }
    CheckCidrFamilies(cfg, p.spec.applied_to.pod_subnet, "spec.appliedTo.podSubnet", *p.batch_index,
                      v);
    CheckCidrFamilies(cfg, p.spec.dest_subnet, "spec.destSubnet", *p.batch_index, v);
  }
}

void CheckPoolsDisjoint(const EgressState& s, Violations* v) {
  // Every pair with at least one written gateway, charged to the later one: untouched stored
  // gateways come first in s.gateways, then the batch's in batch order.
  for (size_t j = 0; j < s.gateways.size(); ++j) {
    if (!s.gateways[j].batch_index) continue;
    for (size_t i = 0; i < j; ++i) ReportSharedAddresses(s.gateways[j], s.gateways[i], v);
  }
}

void CheckOneClusterDefault(const EgressState& s, Violations* v) {
  std::vector<const GatewayState*> defaults;
  for (const GatewayState& g : s.gateways) {
    if (g.now.spec.cluster_default) defaults.push_back(&g);
  }
  if (defaults.size() < 2) return;
  for (const GatewayState* d : defaults) {
    if (!d->batch_index) continue;
    const GatewayState* other = defaults[0] == d ? defaults[1] : defaults[0];
    v->Add(*d->batch_index, "spec.clusterDefault",
           other->object->Ref() +
               " is also the cluster default: at most one gateway may set clusterDefault: true");
  }
}

void CheckEipInNamedPool(const EgressState& s, Violations* v) {
  for (const PolicyState& p : s.policies) {
    // Only at creation: the EIP and the gateway name are immutable afterwards, so an update
    // could not fix a mismatch (and pool changes are held by CheckPoolAddressesInUse).
    if (!p.batch_index || p.spec_before || p.spec.egress_gateway_name.empty()) continue;
    const GatewayState* gw = s.FindGateway(p.spec.egress_gateway_name);
    if (!gw) continue;  // allowed: the policy's status reports the missing gateway
    for (Family f : kFamilies) {
      const std::optional<IpAddress>& ip = ExplicitEip(p.spec, f);
      const std::vector<model::IpPoolEntry>& pool = gw->now.spec.ippools.Of(f);
      if (!ip || model::PoolContains(pool, *ip)) continue;
      v->Add(*p.batch_index, "spec.egressIP." + FamilyKey(f),
             Quote(ip->ToString()) + " is not in " + PoolPath(f) + " of " + gw->object->Ref() +
                 (pool.empty() ? " (which is empty)" : "") +
                 ": use one of its addresses, or leave " + FamilyKey(f) +
                 " unset to have one allocated");
    }
  }
}

void CheckImmutableFields(const EgressState& s, Violations* v) {
  for (const PolicyState& p : s.policies) {
    if (!p.batch_index || !p.spec_before) continue;
    const model::EgressPolicySpec& was = *p.spec_before;
    if (p.spec.egress_gateway_name != was.egress_gateway_name) {
      v->Add(*p.batch_index, "spec.egressGatewayName", Immutable(was.egress_gateway_name));
    }
    for (Family f : kFamilies) {
      const std::optional<IpAddress>& old_ip = ExplicitEip(was, f);
      if (ExplicitEip(p.spec, f) == old_ip) continue;
      v->Add(*p.batch_index, "spec.egressIP." + FamilyKey(f),
             Immutable(old_ip ? old_ip->ToString() : ""));
    }
  }
}

void CheckPoolAddressesInUse(const EgressState& s, Violations* v) {
  std::vector<EipUse> uses;
  bool listed = false;
  for (const GatewayState& g : s.gateways) {
    if (!g.batch_index || !g.before) continue;
    if (!listed) {
      uses = EipUses(s);
      listed = true;
    }
    // Reported in address order, each address once, naming its first user.
    std::map<IpAddress, const model::Object*> dropped;
    for (const EipUse& u : uses) {
      Family f = u.ip.family();
      if (model::PoolContains(g.before->spec.ippools.Of(f), u.ip) &&
          !model::PoolContains(g.now.spec.ippools.Of(f), u.ip)) {
        dropped.emplace(u.ip, u.policy);
      }
    }
    for (const auto& [ip, policy] : dropped) {
      v->Add(*g.batch_index, PoolPath(ip.family()),
             Quote(ip.ToString()) + " is in use by " + policy->Ref() +
                 " and cannot leave the pool: keep it, or first delete the policies using it");
    }
  }
}

}  // namespace egret::core::admission::internal
