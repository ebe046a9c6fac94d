#include "agent/agent.h"

#include "agent/netplan_applier.h"
#include "agent/node_addresses.h"
#include "api/protocol.h"
#include "cni/cni_backend.h"
#include "common/file_util.h"
#include "common/log.h"
#include "core/egress/placement.h"
#include "core/netpol/render_nft.h"
#include "core/nodefw/node_firewall.h"

namespace egret::agent {
namespace {

namespace np = core::netplan;

}  // namespace

StatusOr<std::unique_ptr<Agent>> Agent::Create(AgentConfig config) {
  std::unique_ptr<Agent> a(new Agent(std::move(config)));
  ASSIGN_OR_RETURN(netlink::Rtnl rtnl, netlink::Rtnl::Open());
  a->rtnl_ = std::make_unique<netlink::Rtnl>(std::move(rtnl));
  ASSIGN_OR_RETURN(a->nft_, nftables::NftDriver::Create());
  Agent* self = a.get();
  a->view_ = std::make_unique<ClusterView>(a->config_.server, a->config_.token,
                                           a->config_.state_dir + "/cluster-view.json",
                                           [self] { self->Trigger(); });
  a->registrar_ = std::make_unique<NodeRegistrar>(
      a->config_.server, a->config_.token,
      RegistrarOptions{a->config_.node_name, a->config_.node_ips, a->config_.heartbeat});
  model::Family tunnel = a->config_.node_ips.empty() || a->config_.node_ips[0].is_v4()
                             ? model::Family::kV4
                             : model::Family::kV6;
  PodNetworkConfig pods{.state_dir = a->config_.state_dir,
                        .pod_mtu = np::PodMtu(a->config_.net, tunnel),
                        .bridge = std::string(np::kBridge)};
  PodHooks hooks{.on_add = [self](const core::netpol::LocalPod& pod) {
                   return self->OnPodAdded(pod);
                 },
                 .on_remove = [self] { self->Trigger(); }};
  ASSIGN_OR_RETURN(a->pods_, PodNetwork::Create(pods, [self] { return self->OwnPodCidrs(); },
                                                std::move(hooks)));
  a->policy_view_ = std::make_unique<PolicyView>(
      a->config_.server, a->config_.token, a->config_.node_name,
      a->config_.state_dir + "/policy-state.json", [self] { self->Trigger(); });
  a->egress_view_ = std::make_unique<EgressView>(
      a->config_.server, a->config_.token, a->config_.node_name,
      a->config_.state_dir + "/egress-state.json", [self] { self->Trigger(); });
  // State of a previous run means this is a restart: hold this node down like its peers do.
  bool restarted = FileExists(a->config_.state_dir + "/egress-state.json");
  ASSIGN_OR_RETURN(a->failover_,
                   FailoverMonitor::Create({.self = a->config_.node_name,
                                            .port = a->config_.heartbeat_port,
                                            .liveness = a->config_.liveness,
                                            .self_hold_down = restarted},
                                           [self] { return self->Peers(); },
                                           [self] { self->Trigger(); }));
  a->egress_applier_ = std::make_unique<EgressApplier>(
      a->rtnl_.get(), a->config_.net.underlay_device, a->config_.state_dir + "/held-eips.json");
  a->server_ = std::make_unique<api::FrameServer>(a.get(), api::FrameServerOptions{});
  return a;
}

Agent::~Agent() { Stop(); }

Status Agent::Start() {
  for (const api::Address& addr : config_.listen) {
    ASSIGN_OR_RETURN(api::Listener l, api::Listener::Listen(addr));
    RETURN_IF_ERROR(server_->Serve(std::move(l)));
    EGRET_LOG(kInfo, "agent") << "serving CNI and the local API on " << addr.ToString();
  }
  view_->Start();
  egress_view_->Start();
  policy_view_->Start();
  failover_->Start();
  registrar_->Start();
  return Status::Ok();
}

void Agent::Stop() {
  {
    // Under the lock, so the reconcile loop cannot miss the wakeup between its check and wait.
    std::lock_guard lock(mu_);
    if (stopping_.exchange(true)) return;
  }
  cv_.notify_all();
  if (server_) server_->Stop();
  if (registrar_) registrar_->Stop();
  if (failover_) failover_->Stop();
  if (egress_view_) egress_view_->Stop();
  if (policy_view_) policy_view_->Stop();
  if (view_) view_->Stop();
}

void Agent::Trigger() {
  {
    std::lock_guard lock(mu_);
    dirty_ = true;
  }
  cv_.notify_all();
}

std::vector<model::Cidr> Agent::OwnPodCidrs() const {
  ViewSnapshot snap = view_->Snapshot();
  auto it = snap.nodes.find(config_.node_name);
  return it == snap.nodes.end() ? std::vector<model::Cidr>{} : it->second.pod_cidrs;
}

void Agent::RunReconcileLoop() {
  auto wait = config_.resync;
  while (!stopping_) {
    bool resync = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, wait, [this] { return dirty_ || stopping_.load(); });
      if (stopping_) return;
      // Woken by the timer, not by a change, after a good pass: the periodic resync.
      resync = !dirty_ && wait == config_.resync;
      dirty_ = false;
    }
    Status st = Reconcile(resync);
    // After a failure, try again within a second even if nothing changes.
    wait = st.ok() ? config_.resync : std::chrono::milliseconds(1000);
    std::lock_guard lock(mu_);
    if (!st.ok() && st.message() != last_error_) {
      EGRET_LOG(kWarn, "agent") << "reconcile: " << st.message();
    }
    last_error_ = st.ok() ? "" : st.message();
  }
}

Status Agent::Reconcile(bool resync) {
  ViewSnapshot view = view_->Snapshot();
  auto it = view.nodes.find(config_.node_name);
  if (it == view.nodes.end() || it->second.pod_cidrs.empty()) {
    return FailedPreconditionError("waiting for the controller to assign pod CIDRs to Node \"" +
                                   config_.node_name + "\"");
  }
  np::NodeNet self = it->second;
  if (self.underlay.empty()) self.underlay = config_.node_ips;
  std::vector<np::NodeNet> peers;
  for (const auto& [name, node] : view.nodes) {
    if (name != config_.node_name) peers.push_back(node);
  }
  const np::NetConfig net = EffectiveNet(view);
  NetplanApplier applier(rtnl_.get());
  np::NodeState desired = np::Desired(net, self, peers);
  ASSIGN_OR_RETURN(np::NodeState observed, applier.Observe());
  // Every part is attempted even when an earlier one failed (e.g. a route whose next hop is
  // unreachable while the underlay link is down): one broken route must not keep policy or
  // egress — releasing an EIP above all — from being programmed. The first error is returned.
  Status first = applier.Apply(np::Diff(desired, observed));
  EgressSnapshot egress;
  std::vector<std::optional<std::string>> active;
  core::egress::EgressDatapath dp = PlanEgress(view, net, &egress, &active);
  Status firewall = ReconcileFirewall(view, self, dp, resync);
  if (first.ok()) first = firewall;
  Status egress_applied = egress_applier_->Apply(dp, net.underlay_device);
  if (first.ok()) first = egress_applied;
  std::lock_guard lock(mu_);
  ++passes_;
  if (active != last_active_ || egress.state != last_egress_) {
    for (size_t t = 0; t < active.size(); ++t) {
      EGRET_LOG(kInfo, "egress") << "target " << egress.state.targets[t].gateway << "/"
                                 << egress.state.targets[t].key << ": active node "
                                 << active[t].value_or("(none alive)");
    }
  }
  if (dp.problems != egress_problems_) {
    for (const std::string& p : dp.problems) EGRET_LOG(kWarn, "egress") << p;
  }
  last_active_ = std::move(active);
  last_egress_ = std::move(egress.state);
  egress_problems_ = std::move(dp.problems);
  last_held_ = egress_applier_->held();
  if (first.ok()) ++reconciles_;
  return first;
}

std::vector<PeerAddresses> Agent::Peers() const {
  ViewSnapshot view = view_->Snapshot();
  std::vector<PeerAddresses> out;
  for (const auto& [name, node] : view.nodes) out.push_back({name, node.underlay});
  return out;
}

np::NetConfig Agent::EffectiveNet(const ViewSnapshot& view) {
  np::NetConfig net = config_.net;
  auto labels = view.node_labels.find(config_.node_name);
  if (labels == view.node_labels.end()) return net;
  auto it = labels->second.find(std::string(kUnderlayInterfaceLabel));
  if (it == labels->second.end() || it->second == net.underlay_device) return net;
  Status usable = rtnl_->GetLink(it->second).status();
  if (!usable.ok()) {
    if (it->second != bad_underlay_label_) {
      EGRET_LOG(kWarn, "agent") << "node label " << kUnderlayInterfaceLabel << "="
                                << it->second << " ignored: " << usable.message()
                                << "; the underlay stays " << net.underlay_device;
      bad_underlay_label_ = it->second;
    }
    return net;
  }
  net.underlay_device = it->second;
  return net;
}

core::egress::EgressDatapath Agent::PlanEgress(const ViewSnapshot& view, const np::NetConfig& net,
                                               EgressSnapshot* egress,
                                               std::vector<std::optional<std::string>>* active) {
  *egress = egress_view_->Snapshot();
  auto alive = [this](std::string_view node) { return failover_->Alive(node); };
  for (const core::egress::EgressTarget& t : egress->state.targets) {
    active->push_back(core::egress::ActiveNode(t.candidates, alive));
  }
  core::egress::EgressDatapathInput in;
  in.state = &egress->state;
  in.self = config_.node_name;
  in.active = *active;
  in.mode = net.mode;
  in.underlay_device = net.underlay_device;
  in.nodes = &view.nodes;
  return core::egress::PlanEgressDatapath(in);
}

Status Agent::ReconcileFirewall(const ViewSnapshot& view, const np::NodeNet& self,
                                const core::egress::EgressDatapath& egress, bool resync) {
  if (view.facts.cluster_cidrs.empty()) return Status::Ok();  // never reached the controller
  nodefw::NodeFirewallConfig cfg;
  cfg.cluster_pod_cidrs = view.facts.cluster_cidrs;
  cfg.node_pod_cidrs = self.pod_cidrs;
  cfg.service_cidrs = view.facts.service_cidrs;
  cfg.extra_internal_cidrs = view.facts.extra_internal;
  cfg.pod_bridge = std::string(np::kBridge);
  cfg.egress_definitions = egress.nft_definitions;
  cfg.egress_mark_rules = egress.nft_mark_rules;
  cfg.egress_snat_rules = egress.nft_snat_rules;
  for (const auto& [name, node] : view.nodes) {
    cfg.node_addresses.insert(cfg.node_addresses.end(), node.underlay.begin(), node.underlay.end());
  }
  RETURN_IF_ERROR(nodefw::ValidateNodeFirewallConfig(cfg));
  PolicySnapshot policy = policy_view_->Snapshot();
  std::lock_guard fw(fw_mu_);
  // The bindings are read under fw_mu_: a CNI ADD either finished its hook before (and its pod
  // is in them) or runs its hook after this apply.
  core::netpol::PolicyRenderInput in{std::move(policy.state), pods_->LocalPods()};
  core::netpol::PolicyNft nft = core::netpol::RenderPolicy(in);
  cfg.policy_definitions = std::move(nft.definitions);
  cfg.policy_rules = std::move(nft.rules);
  std::string script = nodefw::RenderNodeFirewall(cfg);
  cfg.policy_definitions = std::string();  // kept for RefreshPatchedFirewall, policy aside
  cfg.policy_rules = std::string();
  const int64_t full_before = fw_full_applies_;
  RETURN_IF_ERROR(ApplyFirewall(std::move(cfg), script, resync));
  if (fw_full_applies_ != full_before) {
    EGRET_LOG(kInfo, "datapath")
        << "node firewall (table inet egret) applied: policy for " << nft.dispatch.ingress.size()
        << " ingress / " << nft.dispatch.egress.size() << " egress addresses, " << nft.chains
        << " chains, " << nft.dispatch.pending.size() << " pending";
  }
  firewall_applied_ = true;
  applied_policy_ = std::move(in);
  applied_dispatch_ = std::move(nft.dispatch);
  policy_chains_ = nft.chains;
  if (policy.from_controller) {
    policy_version_ = policy.version;
    policy_view_->ReportApplied(policy.version);
  }
  return Status::Ok();
}

Status Agent::ApplyFirewall(nodefw::NodeFirewallConfig cfg, const std::string& script,
                            bool resync) {
  StatusOr<nodefw::SplitRuleset> split = nodefw::SplitScript(script);
  if (!split.ok()) {
    // A renderer left the one-element-per-line layout: compare the script as a whole.
    EGRET_LOG(kDebug, "datapath") << "nft: no element updates: " << split.status().message();
    split = nodefw::SplitRuleset{.structure = script};
  }
  ASSIGN_OR_RETURN(bool present, nft_->TableExists(nodefw::kTableFamily, nodefw::kTableName));
  RefreshPatchedFirewall();
  std::string reason;
  if (!present) {
    reason = "table missing";
  } else if (!applied_fw_) {
    reason = "no successful apply to build on";
  } else if (resync && fw_deltas_since_full_ > 0) {
    reason = "periodic resync after element updates";
  } else {
    nodefw::RulesetDelta delta = nodefw::DiffRulesets(*applied_fw_, *split);
    if (delta.empty()) return Status::Ok();
    if (delta.replace) {
      reason = delta.reason;
    } else if (Status st = ApplyFirewallElements(delta); !st.ok()) {
      EGRET_LOG(kInfo, "datapath")
          << "element update refused, replacing table inet egret: " << st.message();
      reason = "element update refused";
    } else {
      applied_fw_ = std::move(*split);
      applied_fw_cfg_ = std::move(cfg);
      return Status::Ok();
    }
  }
  Status st = nft_->Apply(script);
  if (!st.ok()) {
    applied_fw_.reset();  // the kernel kept a table that applied_fw_ may not describe
    return st;
  }
  ++fw_full_applies_;
  fw_deltas_since_full_ = 0;
  EGRET_LOG(kDebug, "datapath") << "nft: table replaced (" << reason << ")";
  applied_fw_ = std::move(*split);
  applied_fw_cfg_ = std::move(cfg);
  return Status::Ok();
}

Status Agent::ApplyFirewallElements(const nodefw::RulesetDelta& delta) {
  RETURN_IF_ERROR(nft_->Apply(nodefw::RenderRulesetDelta(delta)));
  ++fw_delta_applies_;
  ++fw_deltas_since_full_;
  if (log::CurrentLevel() <= log::Level::kDebug) {
    std::string sets;
    for (const nodefw::SetDelta& d : delta.sets) sets += (sets.empty() ? "" : ", ") + d.name;
    EGRET_LOG(kDebug, "datapath") << "nft: " << delta.added() << " elements added, "
                                  << delta.removed() << " removed (" << sets << ")";
  }
  return Status::Ok();
}

void Agent::RefreshPatchedFirewall() {
  if (!applied_fw_patched_) return;
  applied_fw_patched_ = false;
  if (!applied_fw_) return;
  nodefw::NodeFirewallConfig cfg = applied_fw_cfg_;
  core::netpol::PolicyNft nft = core::netpol::RenderPolicy(applied_policy_);
  cfg.policy_definitions = std::move(nft.definitions);
  cfg.policy_rules = std::move(nft.rules);
  StatusOr<nodefw::SplitRuleset> split = nodefw::SplitScript(nodefw::RenderNodeFirewall(cfg));
  if (split.ok()) {
    applied_fw_ = std::move(*split);
  } else {
    applied_fw_.reset();
  }
}

Status Agent::OnPodAdded(const core::netpol::LocalPod& pod) {
  std::lock_guard fw(fw_mu_);
  if (!firewall_applied_) {
    return UnavailableError("the node firewall is not in place yet; retry the ADD shortly");
  }
  core::netpol::PolicyRenderInput after = applied_policy_;
  std::erase_if(after.local_pods, [&](const core::netpol::LocalPod& p) {
    return p.namespace_ == pod.namespace_ && p.name == pod.name;
  });
  after.local_pods.push_back(pod);
  core::netpol::PolicyDispatch dispatch = core::netpol::DispatchOf(after);
  std::string delta = core::netpol::RenderDispatchDelta(applied_dispatch_, dispatch);
  if (!delta.empty()) {
    RETURN_IF_ERROR(nft_->Apply(delta));
    // The table's elements are no longer those of applied_fw_; the next reconcile re-derives
    // them (RefreshPatchedFirewall) before comparing.
    applied_fw_patched_ = true;
    ++fw_delta_applies_;
    ++fw_deltas_since_full_;
    EGRET_LOG(kDebug, "datapath") << "nft: pod " << pod.namespace_ << "/" << pod.name
                                  << ": policy dispatch elements updated";
    EGRET_LOG(kInfo, "datapath") << "pod " << pod.namespace_ << "/" << pod.name << ": "
                                 << (!pod.addresses.empty() &&
                                             dispatch.pending.contains(pod.addresses.front())
                                         ? "held until the policy state lists it"
                                         : "policy attached");
  }
  applied_policy_ = std::move(after);
  applied_dispatch_ = std::move(dispatch);
  return Status::Ok();
}

doc::Value Agent::StatusReply() {
  ViewSnapshot view = view_->Snapshot();
  doc::Value v = doc::Value::EmptyMap();
  v.Set("node", config_.node_name);
  v.Set("viewFromController", view.from_controller);
  v.Set("nodesKnown", static_cast<int64_t>(view.nodes.size()));
  doc::Value& cidrs = v.Set("podCIDRs", doc::Value::EmptyList());
  for (const model::Cidr& c : OwnPodCidrs()) cidrs.Append(c.ToString());
  doc::Value& peers = v.Set("peers", doc::Value::EmptyMap());
  for (const auto& [node, state] : failover_->States()) peers.Set(node, state);
  {
    std::lock_guard fw(fw_mu_);  // before mu_, as everywhere
    doc::Value& policy = v.Set("policy", doc::Value::EmptyMap());
    policy.Set("version", policy_version_);
    policy.Set("deltasReceived", policy_view_->deltas_received());
    policy.Set("selectedPods", static_cast<int64_t>(applied_policy_.state.pods.size()));
    policy.Set("chains", static_cast<int64_t>(policy_chains_));
    policy.Set("ingressAddresses", static_cast<int64_t>(applied_dispatch_.ingress.size()));
    policy.Set("egressAddresses", static_cast<int64_t>(applied_dispatch_.egress.size()));
    doc::Value& pending = policy.Set("pending", doc::Value::EmptyList());
    for (const auto& [ip, pod] : applied_dispatch_.pending) {
      pending.Append(pod + " " + ip.ToString());
    }
    // Transactions on table inet egret: replaces of the whole table, and element updates.
    v.Set("firewallFullApplies", fw_full_applies_);
    v.Set("firewallDeltaApplies", fw_delta_applies_);
  }
  doc::Value& held = v.Set("heldEIPs", doc::Value::EmptyList());
  std::lock_guard lock(mu_);
  for (const model::IpAddress& ip : last_held_) held.Append(ip.ToString());
  doc::Value& targets = v.Set("egressTargets", doc::Value::EmptyList());
  for (size_t t = 0; t < last_egress_.targets.size() && t < last_active_.size(); ++t) {
    doc::Value tv = doc::Value::EmptyMap();
    tv.Set("gateway", last_egress_.targets[t].gateway);
    tv.Set("key", last_egress_.targets[t].key);
    tv.Set("active", last_active_[t].value_or(""));
    doc::Value& cands = tv.Set("candidates", doc::Value::EmptyList());
    for (const std::string& c : last_egress_.targets[t].candidates) cands.Append(c);
    targets.Append(std::move(tv));
  }
  v.Set("egressSteeringRows", static_cast<int64_t>(last_egress_.steering.size()));

  v.Set("reconciles", reconciles_);
  v.Set("passes", passes_);
  v.Set("lastError", last_error_);
  v.Set("ok", true);
  return v;
}

doc::Value Agent::Handle(const doc::Value& request) {
  std::string op = api::StringField(request, "op");
  if (op == cni::kCniOp) return cni::HandleCniFrame(*pods_, request);
  if (op == "status") return StatusReply();
  return api::ErrorReply(InvalidError("unknown op \"" + op + "\""));
}

}  // namespace egret::agent
