// Translation of one policy's rules, for one selected pod and one direction, into compiled
// rules (internal to the compiler; compile.h is the interface).
//
// One compiled rule per peer (a rule without peers gives one rule matching any peer), each with
// the policy rule's whole port list. Peers that match nothing (an ipBlock its excepts cover)
// and rules whose ports match nothing on this pod (a named port it lacks, for ingress) are left
// out - they could never match, so leaving them out changes no first-match outcome.
#pragma once

#include <string>
#include <vector>

#include "core/netpol/compiled.h"
#include "core/netpol/set_catalog.h"
#include "model/admin_network_policy.h"
#include "model/network_policy.h"
#include "model/pod.h"

namespace egret::core::netpol {

struct RuleContext {
  const model::Pod& pod;  // the selected pod the rules are for
  model::PolicyType direction;
  SetCatalog* sets;
};

// The rules of `np` for ctx.direction, all with action Accept.
void AppendNetworkPolicyRules(const RuleContext& ctx, const model::NetworkPolicy& np,
                              std::vector<Rule>* out);

// The rules of an AdminNetworkPolicy or the baseline, in order; `origin` names the policy
// ("AdminNetworkPolicy deny-y"). Allow -> Accept, Deny -> Drop, Pass -> NextTier.
void AppendAdminRules(const RuleContext& ctx, const std::string& origin,
                      const std::vector<model::AdminIngressRule>& rules, std::vector<Rule>* out);
void AppendAdminRules(const RuleContext& ctx, const std::string& origin,
                      const std::vector<model::AdminEgressRule>& rules, std::vector<Rule>* out);

}  // namespace egret::core::netpol
